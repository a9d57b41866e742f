/** Methods, method responses, integrations and integration responses of a resource. */
import type {
  ApigatewayApi, DeleteIntegrationRequest, DeleteIntegrationResponseRequest, DeleteMethodRequest, DeleteMethodResponseRequest,
  GetIntegrationRequest, GetIntegrationResponseRequest, GetMethodRequest, GetMethodResponseRequest, Integration, Method,
  PutIntegrationRequest, PutIntegrationResponseRequest, PutMethodRequest, PutMethodResponseRequest,
} from '../../generated/apigateway.js';
import type { ServiceRuntime } from '../service.js';
import { badRequest, conflict, notFound, omitKey, requireApi, requireMethod, requireResource } from './api-record.js';
import { updateApi } from './rest-apis.js';

type Ops = Pick<ApigatewayApi,
  'PutMethod' | 'GetMethod' | 'DeleteMethod' | 'PutMethodResponse' | 'GetMethodResponse' | 'DeleteMethodResponse' |
  'PutIntegration' | 'GetIntegration' | 'DeleteIntegration' | 'PutIntegrationResponse' | 'GetIntegrationResponse' | 'DeleteIntegrationResponse'>;

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'];
const AUTHORIZATION_TYPES = ['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS'];
const PASSTHROUGH_BEHAVIORS = ['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'];

function requireIntegration(method: Method): Integration {
  if (!method.methodIntegration) throw notFound('No integration defined for method');
  return method.methodIntegration;
}

const responseNotFound = (): Error => notFound('Invalid Response status code specified');

/** The rules PutIntegration checks (https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegration.html). */
function integrationOf(input: PutIntegrationRequest, resourceId: string): Integration {
  const needsBackend = input.type !== 'MOCK';
  if (needsBackend && !input.integrationHttpMethod) throw badRequest('Enumeration value for HttpMethod must be non-empty');
  if (needsBackend && !input.uri) throw badRequest('Invalid integration URI specified');
  if (input.type === 'AWS_PROXY' && !/^arn:aws:apigateway:[^:]+:lambda:path\//.test(input.uri ?? '')) {
    throw badRequest('Integrations of type \'AWS_PROXY\' currently only supports Lambda function and Firehose stream invocations.');
  }
  if ((input.type === 'HTTP' || input.type === 'HTTP_PROXY') && !/^https?:\/\//.test(input.uri ?? '')) {
    throw badRequest('Invalid HTTP endpoint specified for URI');
  }
  const passthroughBehavior = input.passthroughBehavior ?? 'WHEN_NO_MATCH';
  if (!PASSTHROUGH_BEHAVIORS.includes(passthroughBehavior)) {
    throw badRequest(`Invalid passthrough behavior specified: ${passthroughBehavior}. Valid options are WHEN_NO_MATCH, WHEN_NO_TEMPLATES, NEVER`);
  }
  const timeoutInMillis = input.timeoutInMillis ?? 29000;
  if (timeoutInMillis < 50) throw badRequest('Timeout should be between 50 ms and 29000 ms');
  return {
    type: input.type,
    httpMethod: input.integrationHttpMethod?.toUpperCase(),
    uri: input.uri,
    connectionType: input.type === 'MOCK' ? undefined : input.connectionType ?? 'INTERNET',
    connectionId: input.connectionId,
    credentials: input.credentials,
    requestParameters: input.requestParameters,
    requestTemplates: input.requestTemplates,
    passthroughBehavior,
    contentHandling: input.contentHandling,
    timeoutInMillis,
    cacheNamespace: input.cacheNamespace ?? resourceId,
    cacheKeyParameters: input.cacheKeyParameters ?? [],
  };
}

export function methodOperations(runtime: ServiceRuntime): Ops {
  return {
    PutMethod(input: PutMethodRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const resource = requireResource(api, input.resourceId);
        const httpMethod = input.httpMethod.toUpperCase();
        if (!HTTP_METHODS.includes(httpMethod)) throw badRequest(`Invalid HttpMethod specified. Valid options are ${HTTP_METHODS.join(',')}`);
        if (!AUTHORIZATION_TYPES.includes(input.authorizationType)) {
          throw badRequest(`Invalid authorization type specified. Valid options are ${AUTHORIZATION_TYPES.join(',')}`);
        }
        if (resource.methods[httpMethod]) throw conflict('Method already exists for this resource');
        if ((input.authorizationType === 'CUSTOM' || input.authorizationType === 'COGNITO_USER_POOLS') && !(input.authorizerId && api.authorizers[input.authorizerId])) {
          throw badRequest('Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.');
        }
        if (input.requestValidatorId && !api.requestValidators[input.requestValidatorId]) throw badRequest('Invalid Request Validator identifier specified');
        const unknownModel = Object.values(input.requestModels ?? {}).find((name) => !api.models[name]);
        if (unknownModel !== undefined) throw badRequest(`Invalid model identifier specified: ${unknownModel}`);
        const method: Method = {
          httpMethod,
          authorizationType: input.authorizationType,
          authorizerId: input.authorizerId,
          apiKeyRequired: input.apiKeyRequired ?? false,
          requestValidatorId: input.requestValidatorId,
          operationName: input.operationName,
          requestParameters: input.requestParameters,
          requestModels: input.requestModels,
          authorizationScopes: input.authorizationScopes,
        };
        resource.methods[httpMethod] = method;
        return method;
      });
    },
    GetMethod(input: GetMethodRequest, ctx) {
      return requireMethod(requireResource(requireApi(runtime, ctx, input.restApiId), input.resourceId), input.httpMethod);
    },
    DeleteMethod(input: DeleteMethodRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const resource = requireResource(api, input.resourceId);
        requireMethod(resource, input.httpMethod);
        resource.methods = omitKey(resource.methods, input.httpMethod.toUpperCase());
        return {};
      });
    },
    PutMethodResponse(input: PutMethodResponseRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const method = requireMethod(requireResource(api, input.resourceId), input.httpMethod);
        if (method.methodResponses?.[input.statusCode]) throw conflict('Response already exists for this resource');
        const response = { statusCode: input.statusCode, responseParameters: input.responseParameters, responseModels: input.responseModels };
        method.methodResponses = { ...method.methodResponses, [input.statusCode]: response };
        return response;
      });
    },
    GetMethodResponse(input: GetMethodResponseRequest, ctx) {
      const method = requireMethod(requireResource(requireApi(runtime, ctx, input.restApiId), input.resourceId), input.httpMethod);
      const response = method.methodResponses?.[input.statusCode];
      if (!response) throw responseNotFound();
      return response;
    },
    DeleteMethodResponse(input: DeleteMethodResponseRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const method = requireMethod(requireResource(api, input.resourceId), input.httpMethod);
        if (!method.methodResponses?.[input.statusCode]) throw responseNotFound();
        method.methodResponses = omitKey(method.methodResponses, input.statusCode);
        return {};
      });
    },
    PutIntegration(input: PutIntegrationRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const method = requireMethod(requireResource(api, input.resourceId), input.httpMethod);
        // Replacing an integration keeps nothing of the old one, integration responses included.
        method.methodIntegration = integrationOf(input, input.resourceId);
        return method.methodIntegration;
      });
    },
    GetIntegration(input: GetIntegrationRequest, ctx) {
      return requireIntegration(requireMethod(requireResource(requireApi(runtime, ctx, input.restApiId), input.resourceId), input.httpMethod));
    },
    DeleteIntegration(input: DeleteIntegrationRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const method = requireMethod(requireResource(api, input.resourceId), input.httpMethod);
        requireIntegration(method);
        delete method.methodIntegration;
        return {};
      });
    },
    PutIntegrationResponse(input: PutIntegrationResponseRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const method = requireMethod(requireResource(api, input.resourceId), input.httpMethod);
        const integration = requireIntegration(method);
        if (input.selectionPattern !== undefined) {
          try {
            new RegExp(input.selectionPattern);
          } catch {
            throw badRequest(`Invalid selection pattern specified: ${input.selectionPattern}`);
          }
        }
        const response = {
          statusCode: input.statusCode,
          selectionPattern: input.selectionPattern,
          responseParameters: input.responseParameters,
          responseTemplates: input.responseTemplates,
          contentHandling: input.contentHandling,
        };
        integration.integrationResponses = { ...integration.integrationResponses, [input.statusCode]: response };
        return response;
      });
    },
    GetIntegrationResponse(input: GetIntegrationResponseRequest, ctx) {
      const method = requireMethod(requireResource(requireApi(runtime, ctx, input.restApiId), input.resourceId), input.httpMethod);
      const response = requireIntegration(method).integrationResponses?.[input.statusCode];
      if (!response) throw responseNotFound();
      return response;
    },
    DeleteIntegrationResponse(input: DeleteIntegrationResponseRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const integration = requireIntegration(requireMethod(requireResource(api, input.resourceId), input.httpMethod));
        if (!integration.integrationResponses?.[input.statusCode]) throw responseNotFound();
        integration.integrationResponses = omitKey(integration.integrationResponses, input.statusCode);
        return {};
      });
    },
  };
}
