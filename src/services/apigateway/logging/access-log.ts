/**
 * Access logs: one line per invocation, the stage's accessLogSettings.format with its `$context.*`
 * variables replaced, to the CloudWatch Logs group of destinationArn. A variable without a value is `-`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference).
 */
import type { ApiLocation } from '../api-record.js';
import type { GatewayResponse } from '../invoke/context.js';
import { requestContext } from '../invoke/context.js';
import type { Trace } from './trace.js';

/** The group and account/region of a log group ARN (`arn:aws:logs:us-east-1:123456789012:log-group:name[:*]`). */
export function logGroupOfArn(arn: string): { target: ApiLocation; group: string } | undefined {
  const parsed = /^arn:aws[a-z-]*:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(?::\*)?$/.exec(arn);
  return parsed ? { target: { region: parsed[1], account: parsed[2] }, group: parsed[3] } : undefined;
}

function contextOf(trace: Trace, result: GatewayResponse, now: number): Record<string, unknown> {
  const base = requestContext(trace.invocation);
  const identity = { ...(base.identity as Record<string, unknown>), apiKey: trace.apiKey, apiKeyId: trace.apiKeyId };
  return {
    ...base,
    identity,
    status: result.statusCode,
    responseLength: result.body.length,
    responseLatency: now - trace.invocation.request.receivedAt,
    integrationLatency: trace.integration?.latencyMs,
    integrationStatus: trace.integration?.status,
    integration: { latency: trace.integration?.latencyMs, status: trace.integration?.status },
    error: { message: result.gatewayError?.message, responseType: result.gatewayError?.responseType },
  };
}

function valueAt(context: Record<string, unknown>, path: string): string {
  let value: unknown = context;
  for (const part of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  if (value === undefined || value === null || value === '') return '-';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A format with its `$context.*` variables replaced from `context` (shared with HTTP and WebSocket APIs' access logs). */
export function substituteContext(format: string, context: Record<string, unknown>): string {
  return format.replace(/\$context\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)/g, (_whole, path: string) => valueAt(context, path));
}

/** The access log line for the invocation in the stage's format. */
export function accessLogLine(format: string, trace: Trace, result: GatewayResponse, now: number): string {
  return substituteContext(format, contextOf(trace, result, now));
}
