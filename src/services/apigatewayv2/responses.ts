/**
 * Route responses and integration responses (WebSocket APIs only): Create/Get/Update/Delete and the Get*s
 * listings. A route response makes a route two-way; integration responses shape what a non-proxy
 * integration answers, selected by the integration's IntegrationResponseSelectionExpression.
 */
import type {
  Apigatewayv2Api, CreateIntegrationResponseRequest, CreateRouteResponseRequest, DeleteIntegrationResponseRequest, DeleteRouteResponseRequest,
  GetIntegrationResponseRequest, GetIntegrationResponsesRequest, GetRouteResponseRequest, GetRouteResponsesRequest, UpdateIntegrationResponseRequest,
  UpdateRouteResponseRequest,
} from '../../generated/apigatewayv2.js';
import type { ServiceRuntime } from '../service.js';
import { badRequest, changeApi, conflict, isWebSocket, newChildId, notFound, requireApi, requireIntegration, requireRoute, without } from './api-store.js';
import { paginate } from './pagination.js';
import type { ApiV2Record, IntegrationResponseV2, RouteResponseV2 } from './records.js';

type Ops = Pick<Apigatewayv2Api,
  | 'CreateRouteResponse' | 'GetRouteResponse' | 'GetRouteResponses' | 'UpdateRouteResponse' | 'DeleteRouteResponse'
  | 'CreateIntegrationResponse' | 'GetIntegrationResponse' | 'GetIntegrationResponses' | 'UpdateIntegrationResponse' | 'DeleteIntegrationResponse'>;

function requireWebSocket(record: ApiV2Record, what: string): void {
  if (!isWebSocket(record)) throw badRequest(`${what} are supported only for WebSocket APIs`);
}

function requireRouteResponse(record: ApiV2Record, routeId: string, routeResponseId: string): RouteResponseV2 {
  const response = record.routeResponses[routeId]?.[routeResponseId];
  if (!response) throw notFound(`Invalid RouteResponse identifier specified ${routeResponseId}`);
  return response;
}

function requireIntegrationResponse(record: ApiV2Record, integrationId: string, integrationResponseId: string): IntegrationResponseV2 {
  const response = record.integrationResponses[integrationId]?.[integrationResponseId];
  if (!response) throw notFound(`Invalid IntegrationResponse identifier specified ${integrationResponseId}`);
  return response;
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as Partial<T>;
}

function checkUniqueKey<T>(responses: Record<string, T>, key: string, keyOf: (response: T) => string, selfId: string | undefined, idOf: (response: T) => string): void {
  const twin = Object.values(responses).find((response) => keyOf(response) === key && idOf(response) !== selfId);
  if (twin) throw conflict(`A response with key ${key} already exists`);
}

export function responseOperations(runtime: ServiceRuntime): Ops {
  return {
    CreateRouteResponse(input: CreateRouteResponseRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        requireWebSocket(record, 'Route responses');
        requireRoute(record, input.RouteId);
        const responses = record.routeResponses[input.RouteId] ?? {};
        checkUniqueKey(responses, input.RouteResponseKey, (response) => response.RouteResponseKey, undefined, (response) => response.RouteResponseId);
        const response: RouteResponseV2 = {
          RouteResponseId: newChildId(),
          RouteResponseKey: input.RouteResponseKey,
          ...defined({ ModelSelectionExpression: input.ModelSelectionExpression, ResponseModels: input.ResponseModels, ResponseParameters: input.ResponseParameters }),
        };
        record.routeResponses[input.RouteId] = { ...responses, [response.RouteResponseId]: response };
        return structuredClone(response);
      }, { redeploy: true });
    },
    GetRouteResponse(input: GetRouteResponseRequest, ctx) {
      const record = requireApi(runtime, ctx, input.ApiId);
      requireRoute(record, input.RouteId);
      return structuredClone(requireRouteResponse(record, input.RouteId, input.RouteResponseId));
    },
    GetRouteResponses(input: GetRouteResponsesRequest, ctx) {
      const record = requireApi(runtime, ctx, input.ApiId);
      requireRoute(record, input.RouteId);
      const responses = Object.values(record.routeResponses[input.RouteId] ?? {});
      return structuredClone(paginate(responses, (response) => response.RouteResponseId, input.NextToken, input.MaxResults));
    },
    UpdateRouteResponse(input: UpdateRouteResponseRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        requireRoute(record, input.RouteId);
        const current = requireRouteResponse(record, input.RouteId, input.RouteResponseId);
        const changes = defined({ RouteResponseKey: input.RouteResponseKey, ModelSelectionExpression: input.ModelSelectionExpression, ResponseModels: input.ResponseModels, ResponseParameters: input.ResponseParameters });
        const response: RouteResponseV2 = { ...current, ...changes };
        const responses = record.routeResponses[input.RouteId] ?? {};
        checkUniqueKey(responses, response.RouteResponseKey, (other) => other.RouteResponseKey, response.RouteResponseId, (other) => other.RouteResponseId);
        record.routeResponses[input.RouteId] = { ...responses, [response.RouteResponseId]: response };
        return structuredClone(response);
      }, { redeploy: true });
    },
    DeleteRouteResponse(input: DeleteRouteResponseRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        requireRoute(record, input.RouteId);
        requireRouteResponse(record, input.RouteId, input.RouteResponseId);
        record.routeResponses[input.RouteId] = without(record.routeResponses[input.RouteId] ?? {}, input.RouteResponseId);
        return {};
      }, { redeploy: true });
    },
    CreateIntegrationResponse(input: CreateIntegrationResponseRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        requireWebSocket(record, 'Integration responses');
        requireIntegration(record, input.IntegrationId);
        const responses = record.integrationResponses[input.IntegrationId] ?? {};
        checkUniqueKey(responses, input.IntegrationResponseKey, (response) => response.IntegrationResponseKey, undefined, (response) => response.IntegrationResponseId);
        const response: IntegrationResponseV2 = {
          IntegrationResponseId: newChildId(),
          IntegrationResponseKey: input.IntegrationResponseKey,
          ...defined({
            ContentHandlingStrategy: input.ContentHandlingStrategy,
            ResponseParameters: input.ResponseParameters,
            ResponseTemplates: input.ResponseTemplates,
            TemplateSelectionExpression: input.TemplateSelectionExpression,
          }),
        };
        record.integrationResponses[input.IntegrationId] = { ...responses, [response.IntegrationResponseId]: response };
        return structuredClone(response);
      }, { redeploy: true });
    },
    GetIntegrationResponse(input: GetIntegrationResponseRequest, ctx) {
      const record = requireApi(runtime, ctx, input.ApiId);
      requireIntegration(record, input.IntegrationId);
      return structuredClone(requireIntegrationResponse(record, input.IntegrationId, input.IntegrationResponseId));
    },
    GetIntegrationResponses(input: GetIntegrationResponsesRequest, ctx) {
      const record = requireApi(runtime, ctx, input.ApiId);
      requireIntegration(record, input.IntegrationId);
      const responses = Object.values(record.integrationResponses[input.IntegrationId] ?? {});
      return structuredClone(paginate(responses, (response) => response.IntegrationResponseId, input.NextToken, input.MaxResults));
    },
    UpdateIntegrationResponse(input: UpdateIntegrationResponseRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        requireIntegration(record, input.IntegrationId);
        const current = requireIntegrationResponse(record, input.IntegrationId, input.IntegrationResponseId);
        const changes = defined({
          IntegrationResponseKey: input.IntegrationResponseKey,
          ContentHandlingStrategy: input.ContentHandlingStrategy,
          ResponseParameters: input.ResponseParameters,
          ResponseTemplates: input.ResponseTemplates,
          TemplateSelectionExpression: input.TemplateSelectionExpression,
        });
        const response: IntegrationResponseV2 = { ...current, ...changes };
        const responses = record.integrationResponses[input.IntegrationId] ?? {};
        checkUniqueKey(responses, response.IntegrationResponseKey, (other) => other.IntegrationResponseKey, response.IntegrationResponseId, (other) => other.IntegrationResponseId);
        record.integrationResponses[input.IntegrationId] = { ...responses, [response.IntegrationResponseId]: response };
        return structuredClone(response);
      }, { redeploy: true });
    },
    DeleteIntegrationResponse(input: DeleteIntegrationResponseRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        requireIntegration(record, input.IntegrationId);
        requireIntegrationResponse(record, input.IntegrationId, input.IntegrationResponseId);
        record.integrationResponses[input.IntegrationId] = without(record.integrationResponses[input.IntegrationId] ?? {}, input.IntegrationResponseId);
        return {};
      }, { redeploy: true });
    },
  };
}
