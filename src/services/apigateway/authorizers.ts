/** Lambda authorizers (TOKEN and REQUEST) and user pool authorizers of a REST API; invoke/authorize.ts and auth/cognito.ts run them. */
import type {
  ApigatewayApi, Authorizer, CreateAuthorizerRequest, DeleteAuthorizerRequest, FlushStageAuthorizersCacheRequest, GetAuthorizerRequest, GetAuthorizersRequest,
} from '../../generated/apigateway.js';
import type { ServiceRuntime } from '../service.js';
import { badRequest, conflict, newId, notFound, omitKey, requireApi } from './api-record.js';
import { userPoolOf } from './auth/cognito.js';
import { flushAuthorizerCache } from './invoke/authorize.js';
import { page, updateApi } from './rest-apis.js';

type Ops = Pick<ApigatewayApi, 'CreateAuthorizer' | 'GetAuthorizer' | 'GetAuthorizers' | 'DeleteAuthorizer' | 'FlushStageAuthorizersCache'>;

const notFoundAuthorizer = (): Error => notFound('Invalid Authorizer identifier specified');

export function authorizerOperations(runtime: ServiceRuntime): Ops {
  return {
    CreateAuthorizer(input: CreateAuthorizerRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        if (input.type === 'COGNITO_USER_POOLS') {
          // A user pool authorizer names its pools instead of a function (invoked by auth/cognito.ts).
          if (!input.providerARNs || input.providerARNs.length === 0) throw badRequest('ProviderARNs must be specified for COGNITO_USER_POOLS authorizers');
          const invalid = input.providerARNs.find((arn) => !userPoolOf(arn));
          if (invalid !== undefined) throw badRequest(`Invalid provider ARN specified: ${invalid}`);
        } else if (!input.authorizerUri) {
          throw badRequest('Authorizer URI must be specified for TOKEN and REQUEST authorizers');
        }
        // TOKEN and user pool authorizers need one header; the identity source defaults nowhere (https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html).
        if ((input.type === 'TOKEN' || input.type === 'COGNITO_USER_POOLS') && !/^method\.request\.header\.[^,\s]+$/.test(input.identitySource ?? '')) {
          throw badRequest(`Invalid identity source specified for ${input.type} authorizer: it must be method.request.header.<name>`);
        }
        const ttl = input.authorizerResultTtlInSeconds ?? 300;
        if (ttl < 0 || ttl > 3600) throw badRequest('Invalid authorizerResultTtlInSeconds: it must be between 0 and 3600');
        if (Object.values(api.authorizers).some((authorizer) => authorizer.name === input.name)) throw conflict(`Authorizer name already exists: ${input.name}`);
        const authorizer: Authorizer = {
          id: newId().slice(0, 6), name: input.name, type: input.type, authType: input.authType ?? (input.type === 'COGNITO_USER_POOLS' ? 'cognito_user_pools' : 'custom'), authorizerUri: input.authorizerUri,
          authorizerCredentials: input.authorizerCredentials, providerARNs: input.providerARNs, identitySource: input.identitySource,
          identityValidationExpression: input.identityValidationExpression, authorizerResultTtlInSeconds: ttl,
        };
        api.authorizers[authorizer.id!] = authorizer;
        return authorizer;
      });
    },
    GetAuthorizer(input: GetAuthorizerRequest, ctx) {
      const authorizer = requireApi(runtime, ctx, input.restApiId).authorizers[input.authorizerId];
      if (!authorizer) throw notFoundAuthorizer();
      return authorizer;
    },
    GetAuthorizers(input: GetAuthorizersRequest, ctx) {
      return page(Object.values(requireApi(runtime, ctx, input.restApiId).authorizers), (authorizer) => authorizer.id ?? '', input.position, input.limit);
    },
    FlushStageAuthorizersCache(input: FlushStageAuthorizersCacheRequest, ctx) {
      if (!requireApi(runtime, ctx, input.restApiId).stages[input.stageName]) throw notFound('Invalid Stage identifier specified');
      flushAuthorizerCache(runtime, input.restApiId, input.stageName);
      return {};
    },
    DeleteAuthorizer(input: DeleteAuthorizerRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        if (!api.authorizers[input.authorizerId]) throw notFoundAuthorizer();
        const inUse = Object.values(api.resources).some((resource) => Object.values(resource.methods).some((method) => method.authorizerId === input.authorizerId));
        if (inUse) throw conflict('Cannot delete authorizer, is referenced in method');
        api.authorizers = omitKey(api.authorizers, input.authorizerId);
        return {};
      });
    },
  };
}
