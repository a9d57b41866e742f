/**
 * Authorizers: Create/Get/Update/Delete Authorizer and GetAuthorizers. HTTP APIs take JWT authorizers and
 * REQUEST (Lambda) authorizers with payload format 1.0 or 2.0; WebSocket APIs take REQUEST authorizers only.
 * Rules from the CreateAuthorizer reference (apis-apiid-authorizers.html) and
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html.
 */
import type {
  Apigatewayv2Api, CreateAuthorizerRequest, DeleteAuthorizerRequest, GetAuthorizerRequest, GetAuthorizersRequest, UpdateAuthorizerRequest,
} from '../../generated/apigatewayv2.js';
import type { ServiceRuntime } from '../service.js';
import { badRequest, changeApi, conflict, isWebSocket, newChildId, requireApi, requireAuthorizer, without } from './api-store.js';
import { paginate } from './pagination.js';
import type { ApiV2Record, AuthorizerV2 } from './records.js';

type Ops = Pick<Apigatewayv2Api, 'CreateAuthorizer' | 'GetAuthorizer' | 'GetAuthorizers' | 'UpdateAuthorizer' | 'DeleteAuthorizer'>;

// HTTP APIs select identities with `$request.header.X`, `$request.querystring.X`, `$context.X` and
// `$stageVariables.X`; a JWT comes from a header or a query string only. WebSocket APIs write the same
// sources without the `$` and with `route.request.` (`route.request.header.X`, `stageVariables.X`).
const HTTP_SOURCE = /^\$(?:request\.(?:header|querystring)|context|stageVariables)\.[^\s]+$/;
const JWT_SOURCE = /^\$request\.(?:header|querystring)\.[^\s]+$/;
const WEBSOCKET_SOURCE = /^(?:route\.request\.(?:header|querystring)|context|stageVariables)\.[^\s]+$/;

function checkIdentitySources(sources: string[], pattern: RegExp): void {
  const invalid = sources.find((source) => !pattern.test(source));
  if (invalid !== undefined) throw badRequest(`Invalid identity source specified: ${invalid}`);
}

function checkHttpApiAuthorizer(authorizer: AuthorizerV2): void {
  const sources = authorizer.IdentitySource ?? [];
  if (authorizer.AuthorizerType === 'JWT') {
    if (!authorizer.JwtConfiguration?.Issuer) throw badRequest('JwtConfiguration with an Issuer is required for JWT authorizers');
    if (sources.length !== 1) throw badRequest('A JWT authorizer takes exactly one identity source');
    checkIdentitySources(sources, JWT_SOURCE);
    if (authorizer.AuthorizerUri !== undefined) throw badRequest('AuthorizerUri is not supported for JWT authorizers');
    if (authorizer.AuthorizerPayloadFormatVersion !== undefined || authorizer.EnableSimpleResponses !== undefined || authorizer.AuthorizerResultTtlInSeconds !== undefined) {
      throw badRequest('AuthorizerPayloadFormatVersion, EnableSimpleResponses and AuthorizerResultTtlInSeconds are supported only for Lambda (REQUEST) authorizers');
    }
    return;
  }
  if (!authorizer.AuthorizerUri) throw badRequest('AuthorizerUri is required for REQUEST authorizers');
  const version = authorizer.AuthorizerPayloadFormatVersion;
  if (version === undefined) throw badRequest('AuthorizerPayloadFormatVersion is required for REQUEST authorizers of HTTP APIs');
  if (version !== '1.0' && version !== '2.0') throw badRequest(`Unsupported authorizer payload format version ${version}: supported values are 1.0 and 2.0`);
  if (authorizer.EnableSimpleResponses && version !== '2.0') throw badRequest('EnableSimpleResponses is supported only for authorizer payload format version 2.0');
  // Cached results are keyed by the identity, so caching needs one.
  if ((authorizer.AuthorizerResultTtlInSeconds ?? 0) > 0 && sources.length === 0) throw badRequest('IdentitySource is required when authorizer caching is enabled');
  checkIdentitySources(sources, HTTP_SOURCE);
  if (authorizer.JwtConfiguration !== undefined) throw badRequest('JwtConfiguration is supported only for JWT authorizers');
}

function checkWebSocketAuthorizer(authorizer: AuthorizerV2): void {
  if (authorizer.AuthorizerType !== 'REQUEST') throw badRequest('WebSocket APIs support only REQUEST authorizers');
  if (!authorizer.AuthorizerUri) throw badRequest('AuthorizerUri is required for REQUEST authorizers');
  if (authorizer.AuthorizerPayloadFormatVersion !== undefined || authorizer.EnableSimpleResponses !== undefined || authorizer.JwtConfiguration !== undefined) {
    throw badRequest('AuthorizerPayloadFormatVersion, EnableSimpleResponses and JwtConfiguration are supported only for HTTP APIs');
  }
  checkIdentitySources(authorizer.IdentitySource ?? [], WEBSOCKET_SOURCE);
}

export function checkAuthorizer(record: ApiV2Record, authorizer: AuthorizerV2): AuthorizerV2 {
  if (isWebSocket(record)) checkWebSocketAuthorizer(authorizer);
  else checkHttpApiAuthorizer(authorizer);
  return authorizer;
}

function settingsOf(input: Omit<UpdateAuthorizerRequest, 'ApiId' | 'AuthorizerId'>): Partial<AuthorizerV2> {
  const settings: Partial<AuthorizerV2> = {
    AuthorizerCredentialsArn: input.AuthorizerCredentialsArn,
    AuthorizerPayloadFormatVersion: input.AuthorizerPayloadFormatVersion,
    AuthorizerResultTtlInSeconds: input.AuthorizerResultTtlInSeconds,
    AuthorizerType: input.AuthorizerType,
    AuthorizerUri: input.AuthorizerUri,
    EnableSimpleResponses: input.EnableSimpleResponses,
    IdentitySource: input.IdentitySource,
    IdentityValidationExpression: input.IdentityValidationExpression,
    JwtConfiguration: input.JwtConfiguration,
    Name: input.Name,
  };
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}

export function authorizerOperations(runtime: ServiceRuntime): Ops {
  return {
    CreateAuthorizer(input: CreateAuthorizerRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        const authorizer = checkAuthorizer(record, { AuthorizerId: newChildId(), Name: input.Name, ...settingsOf(input) });
        record.authorizers[authorizer.AuthorizerId] = authorizer;
        return structuredClone(authorizer);
      }, { redeploy: true });
    },
    GetAuthorizer(input: GetAuthorizerRequest, ctx) {
      return structuredClone(requireAuthorizer(requireApi(runtime, ctx, input.ApiId), input.AuthorizerId));
    },
    GetAuthorizers(input: GetAuthorizersRequest, ctx) {
      const record = requireApi(runtime, ctx, input.ApiId);
      return structuredClone(paginate(Object.values(record.authorizers), (authorizer) => authorizer.AuthorizerId, input.NextToken, input.MaxResults));
    },
    UpdateAuthorizer(input: UpdateAuthorizerRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        const current = requireAuthorizer(record, input.AuthorizerId);
        const authorizer = checkAuthorizer(record, { ...current, ...settingsOf(input), AuthorizerId: current.AuthorizerId });
        const mismatched = Object.values(record.routes).find((route) => route.AuthorizerId === authorizer.AuthorizerId && route.AuthorizationType !== (authorizer.AuthorizerType === 'JWT' ? 'JWT' : 'CUSTOM'));
        if (mismatched) throw badRequest(`Route ${mismatched.RouteKey} uses this authorizer with authorization type ${mismatched.AuthorizationType ?? 'NONE'}`);
        record.authorizers[authorizer.AuthorizerId] = authorizer;
        return structuredClone(authorizer);
      }, { redeploy: true });
    },
    DeleteAuthorizer(input: DeleteAuthorizerRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        requireAuthorizer(record, input.AuthorizerId);
        const user = Object.values(record.routes).find((route) => route.AuthorizerId === input.AuthorizerId);
        // Our best recollection of AWS's wording; AWS refuses to delete an authorizer a route uses.
        if (user) throw conflict(`Authorizer ${input.AuthorizerId} is in use by route ${user.RouteKey}`);
        record.authorizers = without(record.authorizers, input.AuthorizerId);
        return {};
      }, { redeploy: true });
    },
  };
}
