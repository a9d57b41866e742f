/**
 * UpdateModel, UpdateRequestValidator, UpdateAuthorizer and UpdateDeployment: patch operations on the
 * API's definitions (paths per https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html).
 */
import type {
  ApigatewayApi, Authorizer, AuthorizerType, UpdateAuthorizerRequest, UpdateDeploymentRequest, UpdateModelRequest, UpdateRequestValidatorRequest,
} from '../../generated/apigateway.js';
import type { ServiceRuntime } from '../service.js';
import { badRequest, conflict, notFound } from './api-record.js';
import { checkSchema } from './models.js';
import { applyPatch, booleanValue, stringField } from './patch.js';
import { updateApi } from './rest-apis.js';
import { deploymentView } from './views.js';

type Ops = Pick<ApigatewayApi, 'UpdateModel' | 'UpdateRequestValidator' | 'UpdateAuthorizer' | 'UpdateDeployment'>;

const AUTHORIZER_TYPES = ['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'];

export function definitionUpdateOperations(runtime: ServiceRuntime): Ops {
  return {
    UpdateModel(input: UpdateModelRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const existing = api.models[input.modelName];
        if (!existing) throw notFound(`Invalid model name specified: ${input.modelName}`);
        const model = { ...existing };
        applyPatch(model, input.patchOperations, [
          stringField('/schema', (target, value) => {
            checkSchema(value);
            target.schema = value;
          }),
          stringField('/description', (target, value) => { target.description = value; }),
        ]);
        api.models[input.modelName] = model;
        return model;
      });
    },
    UpdateRequestValidator(input: UpdateRequestValidatorRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const existing = api.requestValidators[input.requestValidatorId];
        if (!existing) throw notFound('Invalid Request Validator identifier specified');
        const validator = { ...existing };
        applyPatch(validator, input.patchOperations, [
          stringField('/name', (target, value) => { target.name = value; }),
          { path: '/validateRequestBody', apply: (target, _op, value) => { target.validateRequestBody = booleanValue(value, '/validateRequestBody'); } },
          { path: '/validateRequestParameters', apply: (target, _op, value) => { target.validateRequestParameters = booleanValue(value, '/validateRequestParameters'); } },
        ]);
        api.requestValidators[input.requestValidatorId] = validator;
        return validator;
      });
    },
    UpdateAuthorizer(input: UpdateAuthorizerRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const existing = api.authorizers[input.authorizerId];
        if (!existing) throw notFound('Invalid Authorizer identifier specified');
        const authorizer: Authorizer = structuredClone(existing);
        applyPatch(authorizer, input.patchOperations, [
          stringField('/name', (target, value) => {
            if (!value) throw badRequest('Authorizer name must be non-empty');
            if (Object.values(api.authorizers).some((other) => other.id !== target.id && other.name === value)) throw conflict(`Authorizer name already exists: ${value}`);
            target.name = value;
          }),
          stringField('/type', (target, value) => {
            if (!AUTHORIZER_TYPES.includes(value ?? '')) throw badRequest(`Invalid authorizer type specified: ${value ?? ''}. Valid options are ${AUTHORIZER_TYPES.join(', ')}`);
            target.type = value as AuthorizerType;
          }),
          stringField('/authType', (target, value) => { target.authType = value; }),
          stringField('/authorizerUri', (target, value) => { target.authorizerUri = value; }),
          stringField('/authorizerCredentials', (target, value) => { target.authorizerCredentials = value; }),
          stringField('/identitySource', (target, value) => { target.identitySource = value; }),
          stringField('/identityValidationExpression', (target, value) => { target.identityValidationExpression = value; }),
          stringField('/authorizerResultTtlInSeconds', (target, value) => {
            const ttl = Number(value ?? 300);
            if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600) throw badRequest('Invalid authorizerResultTtlInSeconds: it must be between 0 and 3600');
            target.authorizerResultTtlInSeconds = ttl;
          }),
          {
            // User pool ARNs are list items: the path's tail or the value names the pool.
            path: '/providerARNs',
            apply: (target, op, value) => {
              const rest = (target.providerARNs ?? []).filter((arn) => arn !== value);
              target.providerARNs = op === 'remove' ? rest : [...rest, value ?? ''];
            },
          },
        ]);
        if (authorizer.type !== 'COGNITO_USER_POOLS' && !authorizer.authorizerUri) throw badRequest('Authorizer URI must be specified for TOKEN and REQUEST authorizers');
        api.authorizers[input.authorizerId] = authorizer;
        return authorizer;
      });
    },
    UpdateDeployment(input: UpdateDeploymentRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const deployment = api.deployments[input.deploymentId];
        if (!deployment) throw notFound('Invalid Deployment identifier specified');
        // Only the description of a deployment changes: what it froze stays frozen.
        applyPatch(deployment, input.patchOperations, [stringField('/description', (target, value) => { target.description = value; })]);
        return deploymentView(deployment);
      });
    },
  };
}
