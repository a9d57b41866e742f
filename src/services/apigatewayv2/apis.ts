/**
 * APIs: Create/Get/Update/Delete Api, GetApis and DeleteCorsConfiguration, with HTTP APIs' quick create
 * (CreateApi with a Target: an AWS_PROXY integration for a Lambda ARN or an HTTP_PROXY one for a URL, a
 * route for RouteKey or `$default`, and a `$default` stage that auto-deploys). See the Target and RouteKey
 * members of https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis.html.
 */
import type { Apigatewayv2Api, CreateApiRequest, DeleteApiRequest, DeleteCorsConfigurationRequest, GetApiRequest, GetApisRequest, UpdateApiRequest } from '../../generated/apigatewayv2.js';
import { newId, scopeOf } from '../apigateway/api-record.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ServiceRuntime } from '../service.js';
import { badRequest, changeApi, isWebSocket, newChildId, requireApi } from './api-store.js';
import { completeIntegration } from './integrations.js';
import { paginate } from './pagination.js';
import type { ApiV2, ApiV2Record, IntegrationV2, RouteV2 } from './records.js';
import { v2ApiLocations, v2Apis } from './records.js';
import { checkRoute } from './routes.js';
import { addStage } from './stages.js';
import { apiView } from './views.js';

type Ops = Pick<Apigatewayv2Api, 'CreateApi' | 'GetApi' | 'GetApis' | 'UpdateApi' | 'DeleteApi' | 'DeleteCorsConfiguration'>;

// HTTP APIs route on method and path; AWS answers the expression in this form, and takes the older one too.
const HTTP_ROUTE_SELECTION = '${request.method} ${request.path}';
const HTTP_ROUTE_SELECTIONS = new Set([HTTP_ROUTE_SELECTION, '$request.method $request.path']);
// The two API key sources AWS knows: a header, or the usage identifier a Lambda authorizer returns.
const API_KEY_SELECTIONS = new Set(['$request.header.x-api-key', '$context.authorizer.usageIdentifierKey']);

type ApiSettings = Omit<UpdateApiRequest, 'ApiId' | 'RouteKey' | 'Target' | 'CredentialsArn'>;

function checkApiSettings(protocol: ApiV2['ProtocolType'], settings: ApiSettings): void {
  if (protocol === 'HTTP') {
    if (settings.RouteSelectionExpression !== undefined && !HTTP_ROUTE_SELECTIONS.has(settings.RouteSelectionExpression)) {
      throw badRequest(`Unsupported route selection expression for HTTP APIs: ${settings.RouteSelectionExpression}. Use ${HTTP_ROUTE_SELECTION}`);
    }
  } else {
    if (settings.CorsConfiguration !== undefined) throw badRequest('CORS configuration is supported only for HTTP APIs');
    if (settings.RouteSelectionExpression === '') throw badRequest('RouteSelectionExpression is required for WEBSOCKET APIs');
  }
  if (settings.ApiKeySelectionExpression !== undefined && !API_KEY_SELECTIONS.has(settings.ApiKeySelectionExpression)) {
    throw badRequest(`Unsupported API key selection expression ${settings.ApiKeySelectionExpression}: use $request.header.x-api-key or $context.authorizer.usageIdentifierKey`);
  }
}

/** The integration quick create makes for a Target: Lambda (by ARN) through AWS_PROXY, a URL through HTTP_PROXY. */
function quickIntegration(record: ApiV2Record, target: string, credentialsArn: string | undefined): IntegrationV2 {
  const lambda = target.startsWith('arn:');
  if (!lambda && !URL.canParse(target)) throw badRequest(`Invalid target ${target}: specify a Lambda function ARN or an HTTP URL`);
  return {
    IntegrationId: newChildId(),
    ApiGatewayManaged: true,
    ...completeIntegration(record, {
      IntegrationType: lambda ? 'AWS_PROXY' : 'HTTP_PROXY',
      IntegrationUri: target,
      IntegrationMethod: lambda ? 'POST' : 'ANY',
      PayloadFormatVersion: lambda ? '2.0' : '1.0',
      CredentialsArn: credentialsArn,
    }),
  };
}

function quickCreate(record: ApiV2Record, input: { Target: string; RouteKey?: string; CredentialsArn?: string }, now: number): void {
  const integration = quickIntegration(record, input.Target, input.CredentialsArn);
  record.integrations[integration.IntegrationId] = integration;
  const route: RouteV2 = {
    RouteId: newChildId(),
    ApiGatewayManaged: true,
    ApiKeyRequired: false,
    AuthorizationType: 'NONE',
    RouteKey: input.RouteKey ?? '$default',
    Target: `integrations/${integration.IntegrationId}`,
  };
  record.routes[route.RouteId] = checkRoute(record, route);
  addStage(record, { StageName: '$default', AutoDeploy: true, ApiGatewayManaged: true }, now);
}

/** UpdateApi's Target and RouteKey change what quick create made. */
function updateQuickCreate(record: ApiV2Record, input: UpdateApiRequest): void {
  const route = Object.values(record.routes).find((candidate) => candidate.ApiGatewayManaged);
  if (!route) throw badRequest('Target and RouteKey can be updated only on an API made by quick create');
  if (input.RouteKey !== undefined) record.routes[route.RouteId] = checkRoute(record, { ...route, RouteKey: input.RouteKey });
  if (input.Target !== undefined || input.CredentialsArn !== undefined) {
    const integrationId = route.Target?.slice('integrations/'.length) ?? '';
    const current = record.integrations[integrationId] as IntegrationV2 | undefined;
    const replacement = quickIntegration(record, input.Target ?? current?.IntegrationUri ?? '', input.CredentialsArn ?? current?.CredentialsArn);
    record.integrations[integrationId] = { ...replacement, IntegrationId: integrationId };
  }
}

/** A new API with nothing in it yet, from CreateApi's (or an import's) settings. */
export function newApiRecord(input: Omit<CreateApiRequest, 'Target' | 'RouteKey' | 'CredentialsArn'>, now: number): ApiV2Record {
  const webSocket = input.ProtocolType === 'WEBSOCKET';
  const api: ApiV2 = {
    ApiId: newId(),
    Name: input.Name,
    ProtocolType: input.ProtocolType,
    RouteSelectionExpression: webSocket ? input.RouteSelectionExpression ?? '' : HTTP_ROUTE_SELECTION,
    ApiKeySelectionExpression: input.ApiKeySelectionExpression ?? '$request.header.x-api-key',
    CorsConfiguration: input.CorsConfiguration,
    CreatedDate: now,
    Description: input.Description,
    DisableExecuteApiEndpoint: input.DisableExecuteApiEndpoint ?? false,
    DisableSchemaValidation: webSocket ? input.DisableSchemaValidation ?? false : undefined,
    IpAddressType: input.IpAddressType ?? 'ipv4',
    Tags: input.Tags ?? {},
    Version: input.Version,
  };
  return { api, routes: {}, integrations: {}, authorizers: {}, routeResponses: {}, integrationResponses: {}, models: {}, deployments: {}, stages: {} };
}

/** Stores a new API and where it lives, together. */
export function putNewApi(runtime: ServiceRuntime, ctx: RequestContext, record: ApiV2Record): void {
  runtime.store.transaction(() => {
    v2Apis(runtime, scopeOf(ctx)).put(record.api.ApiId, record);
    v2ApiLocations(runtime).put(record.api.ApiId, scopeOf(ctx));
  });
}

export function apiOperations(runtime: ServiceRuntime): Ops {
  return {
    CreateApi(input: CreateApiRequest, ctx) {
      const webSocket = input.ProtocolType === 'WEBSOCKET';
      if (webSocket && input.RouteSelectionExpression === undefined) throw badRequest('RouteSelectionExpression is required for WEBSOCKET APIs');
      if (webSocket && (input.Target !== undefined || input.RouteKey !== undefined || input.CredentialsArn !== undefined)) {
        throw badRequest('Quick create (Target, RouteKey, CredentialsArn) is supported only for HTTP APIs');
      }
      if (input.Target === undefined && (input.RouteKey !== undefined || input.CredentialsArn !== undefined)) {
        throw badRequest('RouteKey and CredentialsArn are part of quick create and require a Target');
      }
      checkApiSettings(input.ProtocolType, input);
      const now = runtime.clock.now();
      const record = newApiRecord(input, now);
      if (input.Target !== undefined) quickCreate(record, { Target: input.Target, RouteKey: input.RouteKey, CredentialsArn: input.CredentialsArn }, now);
      putNewApi(runtime, ctx, record);
      return apiView(runtime, record.api);
    },
    GetApi(input: GetApiRequest, ctx) {
      return apiView(runtime, requireApi(runtime, ctx, input.ApiId).api);
    },
    GetApis(input: GetApisRequest, ctx) {
      const all = v2Apis(runtime, scopeOf(ctx)).list().map(([, record]) => record.api);
      const page = paginate(all, (api) => api.ApiId, input.NextToken, input.MaxResults);
      return { Items: page.Items.map((api) => apiView(runtime, api)), NextToken: page.NextToken };
    },
    UpdateApi(input: UpdateApiRequest, ctx) {
      const quick = input.Target !== undefined || input.RouteKey !== undefined || input.CredentialsArn !== undefined;
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        const { api } = record;
        checkApiSettings(api.ProtocolType, input);
        if (quick) {
          if (isWebSocket(record)) throw badRequest('Quick create (Target, RouteKey, CredentialsArn) is supported only for HTTP APIs');
          updateQuickCreate(record, input);
        }
        if (input.Name !== undefined) api.Name = input.Name;
        if (input.Description !== undefined) api.Description = input.Description;
        if (input.Version !== undefined) api.Version = input.Version;
        if (input.ApiKeySelectionExpression !== undefined) api.ApiKeySelectionExpression = input.ApiKeySelectionExpression;
        if (input.RouteSelectionExpression !== undefined) api.RouteSelectionExpression = isWebSocket(record) ? input.RouteSelectionExpression : HTTP_ROUTE_SELECTION;
        if (input.CorsConfiguration !== undefined) api.CorsConfiguration = input.CorsConfiguration;
        if (input.DisableExecuteApiEndpoint !== undefined) api.DisableExecuteApiEndpoint = input.DisableExecuteApiEndpoint;
        if (input.DisableSchemaValidation !== undefined && isWebSocket(record)) api.DisableSchemaValidation = input.DisableSchemaValidation;
        if (input.IpAddressType !== undefined) api.IpAddressType = input.IpAddressType;
        return apiView(runtime, api);
      }, { redeploy: quick });
    },
    DeleteApi(input: DeleteApiRequest, ctx) {
      requireApi(runtime, ctx, input.ApiId);
      runtime.store.transaction(() => {
        v2Apis(runtime, scopeOf(ctx)).delete(input.ApiId);
        v2ApiLocations(runtime).delete(input.ApiId);
      });
      return {};
    },
    DeleteCorsConfiguration(input: DeleteCorsConfigurationRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        record.api.CorsConfiguration = undefined;
        return {};
      });
    },
  };
}
