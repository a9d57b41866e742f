/**
 * Running a WebSocket route's integration: AWS_PROXY calls the Lambda function with the event; HTTP_PROXY
 * sends the message to the URL and takes the answer as it is; MOCK, HTTP and AWS go through mapping
 * templates (mapped.ts). The outcome carries a status code, because $connect turns a non-2xx one into a
 * refused handshake, the body, because a two-way route sends it back to the client, and a failure when
 * the client gets an error frame instead
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-integrations.html).
 */
import type { ApiLocation } from '../../api-record.js';
import type { DeployedApi, IntegrationV2, RouteV2 } from '../../../apigatewayv2/records.js';
import type { ServiceRuntime } from '../../../service.js';
import { withStageVariables } from '../../invoke/context.js';
import { callFunction, functionOf } from './functions.js';
import { callHttpBackend } from './http-backend.js';
import { mappedOutcome } from './mapped.js';
import type { IntegrationOutcome } from './outcome.js';
import { gatewayFailure, succeeded } from './outcome.js';

export interface IntegrationTarget {
  location: ApiLocation;
  stageVariables: Record<string, string>;
}

const INTERNAL_ERROR = gatewayFailure(500, 'Internal server error');
/** A function's answer that is no proxy response: its failure is added where it is invoked. */
const MALFORMED: IntegrationOutcome = { statusCode: 502, headers: {} };

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A function's answer. `{statusCode, headers, body}` is read as a proxy response; any other value (a
 * string, a bare object, nothing) counts as a 200 whose body is the payload, so a two-way route can
 * answer with whatever the function returns.
 */
export function proxyOutcome(payload: string): IntegrationOutcome {
  let output: unknown;
  try {
    output = JSON.parse(payload);
  } catch {
    return MALFORMED;
  }
  if (output === null || output === undefined) return { statusCode: 200, headers: {} };
  if (!isObject(output) || output.statusCode === undefined) return { statusCode: 200, headers: {}, body: typeof output === 'string' ? output : payload };
  const statusCode = Number(output.statusCode);
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return MALFORMED;
  const headers: Record<string, string> = {};
  if (isObject(output.headers)) for (const [name, value] of Object.entries(output.headers)) headers[name] = String(value);
  const body = output.body === undefined || output.body === null ? undefined : typeof output.body === 'string' ? output.body : JSON.stringify(output.body);
  if (body === undefined) return { statusCode, headers };
  return { statusCode, headers, body: output.isBase64Encoded === true ? Buffer.from(body, 'base64').toString('utf8') : body };
}

async function invokeLambda(runtime: ServiceRuntime, target: IntegrationTarget, functionArn: string, event: unknown): Promise<IntegrationOutcome> {
  const result = await callFunction(runtime, target, functionArn, event);
  if (!result) return INTERNAL_ERROR;
  if (result.functionError) return gatewayFailure(502, 'Internal server error');
  const outcome = proxyOutcome(result.payload);
  // A function answering a non-2xx status fails the message as the gateway's own errors do.
  return succeeded(outcome) ? outcome : { ...outcome, failure: 'Internal server error' };
}

/** HTTP_PROXY: the message goes to the URL as it came, and the answer comes back whatever its status. */
async function httpProxy(integration: IntegrationV2, target: IntegrationTarget, event: RouteEvent): Promise<IntegrationOutcome> {
  const call = await callHttpBackend(integration, target.stageVariables, event.body ?? '');
  if (!call.answered) return call.timedOut ? gatewayFailure(504, 'Endpoint request timed out') : INTERNAL_ERROR;
  const { statusCode, headers, body } = call.answer;
  return body === '' ? { statusCode, headers } : { statusCode, headers, body };
}

/** A proxy event: what a function receives, and what a MOCK template sees. */
export interface RouteEvent extends Record<string, unknown> {
  requestContext: Record<string, unknown>;
  body?: string;
}

/** Runs the integration `route` targets (`integrations/{id}`) with `event`; a route without one answers a 500. */
export async function runIntegration(runtime: ServiceRuntime, target: IntegrationTarget, snapshot: DeployedApi, route: RouteV2, event: RouteEvent): Promise<IntegrationOutcome> {
  const integrationId = /^integrations\/(.+)$/.exec(route.Target ?? '')?.[1];
  const integration = integrationId === undefined ? undefined : snapshot.integrations[integrationId];
  switch (integration?.IntegrationType) {
    case 'AWS_PROXY': {
      const functionArn = functionOf(withStageVariables(integration.IntegrationUri ?? '', target.stageVariables));
      return functionArn ? invokeLambda(runtime, target, functionArn, event) : INTERNAL_ERROR;
    }
    case 'HTTP_PROXY':
      return httpProxy(integration, target, event);
    case 'MOCK':
    case 'HTTP':
    case 'AWS':
      return mappedOutcome(runtime, integration, Object.values(snapshot.integrationResponses[integration.IntegrationId] ?? {}), event, target);
    default:
      return INTERNAL_ERROR;
  }
}
