/**
 * Running a WebSocket route's integration: AWS_PROXY calls the Lambda function with the event; MOCK
 * answers from its templates (mock.ts). The outcome carries a status code, because $connect turns a non-2xx one into a
 * refused handshake, and the body, because a two-way route sends it back to the client
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-integrations.html).
 */
import type { ApiLocation } from '../../api-record.js';
import type { DeployedApi, RouteV2 } from '../../../apigatewayv2/records.js';
import type { ServiceRuntime } from '../../../service.js';
import { withStageVariables } from '../../invoke/context.js';
import { functionOfUri } from '../../invoke/lambda-proxy.js';
import { mockOutcome } from './mock.js';

export interface IntegrationOutcome {
  statusCode: number;
  headers: Record<string, string>;
  /** What a two-way route sends back; undefined when the integration answered no body. */
  body?: string;
}

export interface IntegrationTarget {
  location: ApiLocation;
  stageVariables: Record<string, string>;
}

const INTERNAL_ERROR: IntegrationOutcome = { statusCode: 500, headers: {} };
const BAD_GATEWAY: IntegrationOutcome = { statusCode: 502, headers: {} };

export function succeeded(outcome: IntegrationOutcome): boolean {
  return outcome.statusCode >= 200 && outcome.statusCode < 300;
}

/** WebSocket integrations and authorizers name the function inside an API Gateway service URI; a bare function ARN is accepted too. */
export function functionOf(uri: string): string | undefined {
  return functionOfUri(uri) ?? (/^arn:aws[a-z-]*:lambda:/.test(uri) ? uri : undefined);
}

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
    return BAD_GATEWAY;
  }
  if (output === null || output === undefined) return { statusCode: 200, headers: {} };
  if (!isObject(output) || output.statusCode === undefined) return { statusCode: 200, headers: {}, body: typeof output === 'string' ? output : payload };
  const statusCode = Number(output.statusCode);
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return BAD_GATEWAY;
  const headers: Record<string, string> = {};
  if (isObject(output.headers)) for (const [name, value] of Object.entries(output.headers)) headers[name] = String(value);
  const body = output.body === undefined || output.body === null ? undefined : typeof output.body === 'string' ? output.body : JSON.stringify(output.body);
  if (body === undefined) return { statusCode, headers };
  return { statusCode, headers, body: output.isBase64Encoded === true ? Buffer.from(body, 'base64').toString('utf8') : body };
}

export interface FunctionResult {
  payload: string;
  functionError?: string;
}

/** Invokes a function synchronously; undefined when there was no answer at all (a missing function, a throttle). */
export async function callFunction(runtime: ServiceRuntime, target: IntegrationTarget, functionArn: string, event: unknown): Promise<FunctionResult | undefined> {
  try {
    const output = await runtime.client.call<{ Payload?: Uint8Array; FunctionError?: string }>('lambda', 'Invoke', {
      FunctionName: functionArn, Payload: Buffer.from(JSON.stringify(event)),
    }, target.location);
    return { payload: Buffer.from(output.Payload ?? []).toString('utf8'), functionError: output.FunctionError };
  } catch {
    return undefined;
  }
}

async function invokeLambda(runtime: ServiceRuntime, target: IntegrationTarget, functionArn: string, event: unknown): Promise<IntegrationOutcome> {
  const result = await callFunction(runtime, target, functionArn, event);
  if (!result) return INTERNAL_ERROR;
  return result.functionError ? BAD_GATEWAY : proxyOutcome(result.payload);
}

/** A proxy event: what a function receives, and what a MOCK template sees. */
export interface RouteEvent extends Record<string, unknown> {
  requestContext: Record<string, unknown>;
  body?: string;
}

/**
 * Runs the integration `route` targets (`integrations/{id}`) with `event`; a route without one, and
 * integrations Nimbus cannot run (HTTP, AWS service), answer a 500.
 */
export async function runIntegration(runtime: ServiceRuntime, target: IntegrationTarget, snapshot: DeployedApi, route: RouteV2, event: RouteEvent): Promise<IntegrationOutcome> {
  const integrationId = /^integrations\/(.+)$/.exec(route.Target ?? '')?.[1];
  const integration = integrationId === undefined ? undefined : snapshot.integrations[integrationId];
  switch (integration?.IntegrationType) {
    case 'AWS_PROXY': {
      const functionArn = functionOf(withStageVariables(integration.IntegrationUri ?? '', target.stageVariables));
      return functionArn ? invokeLambda(runtime, target, functionArn, event) : INTERNAL_ERROR;
    }
    case 'MOCK': {
      const responses = Object.values(snapshot.integrationResponses[integration.IntegrationId] ?? {});
      return mockOutcome(integration, responses, { context: event.requestContext, body: event.body ?? '', stageVariables: target.stageVariables });
    }
    default:
      return INTERNAL_ERROR;
  }
}
