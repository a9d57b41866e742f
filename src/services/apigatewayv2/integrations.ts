/**
 * Integrations: Create/Get/Update/Delete Integration and GetIntegrations, with the defaults and rules of
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations.html (HTTP
 * APIs: AWS_PROXY and HTTP_PROXY only) and .../websocket-api-integrations.html (WebSocket APIs: all five).
 * HTTP APIs' parameter mappings and AWS service subtypes follow parameter-mapping-rules.ts; a VPC_LINK
 * connection must name an existing VPC link (vpc-links.ts).
 */
import type {
  Apigatewayv2Api, CreateIntegrationRequest, DeleteIntegrationRequest, GetIntegrationRequest, GetIntegrationsRequest, UpdateIntegrationRequest,
} from '../../generated/apigatewayv2.js';
import type { ServiceRuntime } from '../service.js';
import { badRequest, changeApi, conflict, isWebSocket, newChildId, requireApi, requireIntegration, without } from './api-store.js';
import { paginate } from './pagination.js';
import { checkHttpApiMappings, checkSubtypeParameters } from './parameter-mapping-rules.js';
import type { ApiV2Record, IntegrationV2 } from './records.js';
import { checkVpcLinkConnection } from './vpc-links.js';

type Ops = Pick<Apigatewayv2Api, 'CreateIntegration' | 'GetIntegration' | 'GetIntegrations' | 'UpdateIntegration' | 'DeleteIntegration'>;

// HTTP APIs wait up to 30 s for an integration, WebSocket APIs up to 29 s; both default to their maximum.
const HTTP_TIMEOUT = 30000;
const WEBSOCKET_TIMEOUT = 29000;

/** The integration's settings, whether created, updated or made by quick create. */
export type IntegrationSettings = Omit<IntegrationV2, 'IntegrationId'>;

const isLambdaUri = (uri: string | undefined): boolean => uri?.startsWith('arn:') ?? false;

function checkHttpApiIntegration(settings: IntegrationSettings): void {
  const type = settings.IntegrationType;
  if (type !== 'AWS_PROXY' && type !== 'HTTP_PROXY') {
    throw badRequest('Currently, an API with a protocol type of HTTP may only be associated with proxy integrations (AWS_PROXY, HTTP_PROXY)');
  }
  if (type === 'AWS_PROXY' && !settings.IntegrationSubtype) {
    // "If you create a Lambda integration by using the AWS CLI, CloudFormation, or an SDK, you must specify
    // a payloadFormatVersion" (http-api-develop-integrations-lambda.html).
    if (settings.PayloadFormatVersion === undefined) throw badRequest('PayloadFormatVersion is required for Lambda proxy integrations of HTTP APIs');
    if (settings.PayloadFormatVersion !== '1.0' && settings.PayloadFormatVersion !== '2.0') {
      throw badRequest(`Unsupported payload format version ${settings.PayloadFormatVersion}: Lambda proxy integrations support 1.0 and 2.0`);
    }
    if (!settings.IntegrationUri) throw badRequest('IntegrationUri is required for AWS_PROXY integrations');
  }
  if (settings.IntegrationSubtype) {
    // AWS service integrations take payload format 1.0 only.
    if (settings.PayloadFormatVersion !== '1.0') throw badRequest(`Unsupported payload format version ${settings.PayloadFormatVersion ?? ''}: AWS service integrations support only 1.0`);
    checkSubtypeParameters(settings.IntegrationSubtype, settings.RequestParameters, settings.CredentialsArn);
    checkHttpApiMappings(undefined, settings.ResponseParameters);
  } else {
    checkHttpApiMappings(settings.RequestParameters, settings.ResponseParameters);
  }
  if (type === 'HTTP_PROXY') {
    if (settings.PayloadFormatVersion !== '1.0') throw badRequest(`Unsupported payload format version ${settings.PayloadFormatVersion ?? ''}: HTTP_PROXY integrations support only 1.0`);
    if (!settings.IntegrationUri) throw badRequest('IntegrationUri is required for HTTP_PROXY integrations');
    if (!settings.IntegrationMethod) throw badRequest('IntegrationMethod is required for HTTP_PROXY integrations');
  }
}

function checkWebSocketIntegration(settings: IntegrationSettings): void {
  const type = settings.IntegrationType;
  if (settings.PayloadFormatVersion !== '1.0') throw badRequest(`Unsupported payload format version ${settings.PayloadFormatVersion ?? ''}: WebSocket APIs support only 1.0`);
  if ((settings.TimeoutInMillis ?? WEBSOCKET_TIMEOUT) > WEBSOCKET_TIMEOUT) throw badRequest('TimeoutInMillis must be between 50 and 29000 for WebSocket APIs');
  if (type !== 'MOCK' && !settings.IntegrationUri) throw badRequest(`IntegrationUri is required for ${type ?? ''} integrations`);
  if ((type === 'HTTP' || type === 'HTTP_PROXY') && !settings.IntegrationMethod) throw badRequest(`IntegrationMethod is required for ${type} integrations`);
}

/** Fills in AWS's defaults for the API's protocol, then checks the result as AWS does. */
export function completeIntegration(record: ApiV2Record, settings: IntegrationSettings): IntegrationSettings {
  const webSocket = isWebSocket(record);
  const type = settings.IntegrationType;
  const complete: IntegrationSettings = {
    ...settings,
    ConnectionType: settings.ConnectionType ?? 'INTERNET',
    // Lambda is always invoked with POST, whatever the client's method.
    IntegrationMethod: settings.IntegrationMethod ?? ((type === 'AWS_PROXY' || type === 'AWS') && isLambdaUri(settings.IntegrationUri) ? 'POST' : undefined),
    PayloadFormatVersion: settings.PayloadFormatVersion ?? (webSocket || type === 'HTTP_PROXY' || settings.IntegrationSubtype ? '1.0' : undefined),
    TimeoutInMillis: settings.TimeoutInMillis ?? (webSocket ? WEBSOCKET_TIMEOUT : HTTP_TIMEOUT),
  };
  if (webSocket) {
    complete.PassthroughBehavior = settings.PassthroughBehavior ?? 'WHEN_NO_MATCH';
    if (type === 'AWS' || type === 'HTTP' || type === 'MOCK') {
      complete.IntegrationResponseSelectionExpression = settings.IntegrationResponseSelectionExpression ?? '${integration.response.statuscode}';
    }
    checkWebSocketIntegration(complete);
  } else {
    checkHttpApiIntegration(complete);
  }
  return complete;
}

/** Settings from a Create/UpdateIntegration request (the request's own members only, undefined when absent). */
function settingsOf(input: Omit<UpdateIntegrationRequest, 'ApiId' | 'IntegrationId'>): Partial<IntegrationSettings> {
  const settings: Partial<IntegrationSettings> = {
    ConnectionId: input.ConnectionId,
    ConnectionType: input.ConnectionType,
    ContentHandlingStrategy: input.ContentHandlingStrategy,
    CredentialsArn: input.CredentialsArn,
    Description: input.Description,
    IntegrationMethod: input.IntegrationMethod,
    IntegrationSubtype: input.IntegrationSubtype,
    IntegrationType: input.IntegrationType,
    IntegrationUri: input.IntegrationUri,
    PassthroughBehavior: input.PassthroughBehavior,
    PayloadFormatVersion: input.PayloadFormatVersion,
    RequestParameters: input.RequestParameters,
    RequestTemplates: input.RequestTemplates,
    ResponseParameters: input.ResponseParameters,
    TemplateSelectionExpression: input.TemplateSelectionExpression,
    TimeoutInMillis: input.TimeoutInMillis,
    TlsConfig: input.TlsConfig,
  };
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}

export function integrationOperations(runtime: ServiceRuntime): Ops {
  return {
    CreateIntegration(input: CreateIntegrationRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        const integration: IntegrationV2 = { IntegrationId: newChildId(), ...completeIntegration(record, { IntegrationType: input.IntegrationType, ...settingsOf(input) }) };
        if (!isWebSocket(record)) checkVpcLinkConnection(runtime, ctx, integration);
        record.integrations[integration.IntegrationId] = integration;
        return structuredClone(integration);
      }, { redeploy: true });
    },
    GetIntegration(input: GetIntegrationRequest, ctx) {
      return structuredClone(requireIntegration(requireApi(runtime, ctx, input.ApiId), input.IntegrationId));
    },
    GetIntegrations(input: GetIntegrationsRequest, ctx) {
      const record = requireApi(runtime, ctx, input.ApiId);
      return structuredClone(paginate(Object.values(record.integrations), (integration) => integration.IntegrationId, input.NextToken, input.MaxResults));
    },
    UpdateIntegration(input: UpdateIntegrationRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        const current = requireIntegration(record, input.IntegrationId);
        const changed = settingsOf(input);
        // A new type means the defaults of the old one no longer apply.
        const base = changed.IntegrationType && changed.IntegrationType !== current.IntegrationType ? { ...current, IntegrationMethod: undefined, PayloadFormatVersion: undefined, IntegrationResponseSelectionExpression: undefined } : current;
        const integration: IntegrationV2 = { ...completeIntegration(record, { ...base, ...changed }), IntegrationId: current.IntegrationId };
        if (!isWebSocket(record)) checkVpcLinkConnection(runtime, ctx, integration);
        record.integrations[integration.IntegrationId] = integration;
        return structuredClone(integration);
      }, { redeploy: true });
    },
    DeleteIntegration(input: DeleteIntegrationRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        requireIntegration(record, input.IntegrationId);
        const user = Object.values(record.routes).find((route) => route.Target === `integrations/${input.IntegrationId}`);
        // Our best recollection of AWS's wording; AWS refuses to delete an integration a route targets.
        if (user) throw conflict(`Integration ${input.IntegrationId} is the target of route ${user.RouteKey}: change the route's target first`);
        record.integrations = without(record.integrations, input.IntegrationId);
        record.integrationResponses = without(record.integrationResponses, input.IntegrationId);
        return {};
      }, { redeploy: true });
    },
  };
}
