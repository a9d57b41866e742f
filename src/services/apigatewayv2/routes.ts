/**
 * Routes: Create/Get/Update/Delete Route, GetRoutes and DeleteRouteRequestParameter. A route's target is
 * `integrations/{integrationId}`; its authorization names an authorizer of the matching kind (JWT for JWT,
 * REQUEST for CUSTOM). On WebSocket APIs only the $connect route may be authorized.
 */
import type {
  Apigatewayv2Api, CreateRouteRequest, DeleteRouteRequest, DeleteRouteRequestParameterRequest, GetRouteRequest, GetRoutesRequest, UpdateRouteRequest,
} from '../../generated/apigatewayv2.js';
import type { ServiceRuntime } from '../service.js';
import { badRequest, changeApi, conflict, isWebSocket, newChildId, notFound, requireApi, requireAuthorizer, requireIntegration, requireRoute, without } from './api-store.js';
import { paginate } from './pagination.js';
import type { ApiV2Record, RouteV2 } from './records.js';
import { checkRouteKey } from './route-keys.js';

type Ops = Pick<Apigatewayv2Api, 'CreateRoute' | 'GetRoute' | 'GetRoutes' | 'UpdateRoute' | 'DeleteRoute' | 'DeleteRouteRequestParameter'>;

const TARGET = /^integrations\/([a-z0-9]+)$/;

function checkTarget(record: ApiV2Record, target: string | undefined): void {
  if (target === undefined) return;
  const match = TARGET.exec(target);
  if (!match) throw badRequest(`Invalid target ${target}: a route's target must be integrations/{integrationId}`);
  requireIntegration(record, match[1]);
}

function checkAuthorization(record: ApiV2Record, route: RouteV2): void {
  const type = route.AuthorizationType ?? 'NONE';
  if (isWebSocket(record)) {
    if (type === 'JWT') throw badRequest('JWT authorization is supported only for HTTP APIs');
    if (type !== 'NONE' && route.RouteKey !== '$connect') throw badRequest('Currently, authorization is restricted to the $connect route only');
  }
  if (type === 'JWT' || type === 'CUSTOM') {
    if (!route.AuthorizerId) throw badRequest(`An AuthorizerId is required for authorization type ${type}`);
    const authorizer = requireAuthorizer(record, route.AuthorizerId);
    const expected = type === 'JWT' ? 'JWT' : 'REQUEST';
    if (authorizer.AuthorizerType !== expected) throw badRequest(`Authorization type ${type} requires an authorizer of type ${expected}, and ${route.AuthorizerId} is ${authorizer.AuthorizerType ?? ''}`);
  }
  if (route.AuthorizationScopes?.length && type !== 'JWT') throw badRequest('AuthorizationScopes are supported only for JWT authorization');
  if (route.ApiKeyRequired && !isWebSocket(record)) throw badRequest('API keys are supported only for WebSocket APIs');
}

/** Checks a route (new or changed) against the API: key, uniqueness, target and authorization. */
export function checkRoute(record: ApiV2Record, route: RouteV2): RouteV2 {
  checkRouteKey(record.api.ProtocolType, route.RouteKey);
  const twin = Object.values(record.routes).find((other) => other.RouteKey === route.RouteKey && other.RouteId !== route.RouteId);
  if (twin) throw conflict(`Route with key ${route.RouteKey} already exists for this API`);
  checkTarget(record, route.Target);
  checkAuthorization(record, route);
  return route;
}

function settingsOf(input: Omit<UpdateRouteRequest, 'ApiId' | 'RouteId'>): Partial<RouteV2> {
  const settings: Partial<RouteV2> = {
    ApiKeyRequired: input.ApiKeyRequired,
    AuthorizationScopes: input.AuthorizationScopes,
    AuthorizationType: input.AuthorizationType,
    AuthorizerId: input.AuthorizerId,
    ModelSelectionExpression: input.ModelSelectionExpression,
    OperationName: input.OperationName,
    RequestModels: input.RequestModels,
    RequestParameters: input.RequestParameters,
    RouteKey: input.RouteKey,
    RouteResponseSelectionExpression: input.RouteResponseSelectionExpression,
    Target: input.Target,
  };
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}

/** A new authorization type drops the authorizer and scopes of the old one, unless the request names new ones. */
function withoutStaleAuthorization(route: RouteV2, newType: string | undefined): RouteV2 {
  if (newType === undefined || newType === route.AuthorizationType) return route;
  const { AuthorizerId: _authorizer, AuthorizationScopes: _scopes, ...rest } = route;
  return rest;
}

export function routeOperations(runtime: ServiceRuntime): Ops {
  return {
    CreateRoute(input: CreateRouteRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        const route = checkRoute(record, { RouteId: newChildId(), ApiKeyRequired: false, AuthorizationType: 'NONE', ...settingsOf(input), RouteKey: input.RouteKey });
        record.routes[route.RouteId] = route;
        return structuredClone(route);
      }, { redeploy: true });
    },
    GetRoute(input: GetRouteRequest, ctx) {
      return structuredClone(requireRoute(requireApi(runtime, ctx, input.ApiId), input.RouteId));
    },
    GetRoutes(input: GetRoutesRequest, ctx) {
      const record = requireApi(runtime, ctx, input.ApiId);
      return structuredClone(paginate(Object.values(record.routes), (route) => route.RouteId, input.NextToken, input.MaxResults));
    },
    UpdateRoute(input: UpdateRouteRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        const current = requireRoute(record, input.RouteId);
        if (current.RouteKey === '$default' && current.ApiGatewayManaged && input.RouteKey !== undefined && input.RouteKey !== current.RouteKey) {
          // "The $default route key can't be modified" for the route quick create made (CreateApi's RouteKey).
          throw badRequest('The route key of a route created by quick create is changed with UpdateApi');
        }
        const route = checkRoute(record, { ...withoutStaleAuthorization(current, input.AuthorizationType), ...settingsOf(input), RouteId: current.RouteId });
        record.routes[route.RouteId] = route;
        return structuredClone(route);
      }, { redeploy: true });
    },
    DeleteRoute(input: DeleteRouteRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        requireRoute(record, input.RouteId);
        record.routes = without(record.routes, input.RouteId);
        record.routeResponses = without(record.routeResponses, input.RouteId);
        return {};
      }, { redeploy: true });
    },
    DeleteRouteRequestParameter(input: DeleteRouteRequestParameterRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        const route = requireRoute(record, input.RouteId);
        if (!route.RequestParameters || !Object.hasOwn(route.RequestParameters, input.RequestParameterKey)) {
          throw notFound(`Invalid request parameter key specified ${input.RequestParameterKey}`);
        }
        route.RequestParameters = without(route.RequestParameters, input.RequestParameterKey);
        return {};
      }, { redeploy: true });
    },
  };
}
