/**
 * Access logs of HTTP and WebSocket API stages: with AccessLogSettings (a CloudWatch Logs group ARN and
 * a Format), one line per HTTP request, and per WebSocket connect, message and disconnect, goes to that
 * group. The substitution (a variable with no value is `-`) and the queued delivery are the REST APIs'
 * (../logging/). Variables: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
 * and https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-logging.html.
 */
import type { StageV2 } from '../../apigatewayv2/records.js';
import { findV2Api } from '../../apigatewayv2/records.js';
import type { ServiceRuntime } from '../../service.js';
import { requestTime } from '../invoke/request.js';
import { logGroupOfArn, substituteContext } from '../logging/access-log.js';
import { logDelivery } from '../logging/log-delivery.js';
import type { ConnectionContext, EventStamp } from './websocket/events.js';

/** What an HTTP API request did, gathered as it runs. */
export interface HttpAccess {
  requestId: string;
  receivedAt: number;
  httpMethod: string;
  /** The path as the client addressed it (a named stage included). */
  path: string;
  protocol: string;
  sourceIp: string;
  userAgent: string;
  routeKey?: string;
  /** Set when the integration's backend was reached: Lambda's status for a function, the backend's for HTTP_PROXY. */
  integration?: { latencyMs: number; status: number };
  /** Whether the client got the integration's answer; otherwise the gateway answered. */
  answeredByIntegration?: boolean;
  /** The gateway's own error message, when the gateway (not the integration) answered. */
  errorMessage?: string;
  authorizerError?: string;
}

/** The message of the gateway's own JSON answers (`{"message": ...}`), for `$context.error.message`. */
export function errorMessageOf(body: Buffer | string): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    return parsed !== null && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string' ? parsed.message : undefined;
  } catch {
    return undefined;
  }
}

/** Queues the stage's access log line for `context`; nothing when the stage logs no access. */
function writeAccessLog(runtime: ServiceRuntime, apiId: string, stage: StageV2, context: Record<string, unknown>): void {
  const { DestinationArn, Format } = stage.AccessLogSettings ?? {};
  const destination = DestinationArn ? logGroupOfArn(DestinationArn) : undefined;
  if (!destination || !Format) return;
  const delivery = logDelivery(runtime);
  // The delivery's `access {apiId}/{stage}` streams are shared with REST APIs: ids never collide across v1 and v2.
  const stream = delivery.streamFor(`access ${apiId}/${stage.StageName}`);
  const now = runtime.clock.now();
  delivery.enqueue({ ...destination, stream, createGroup: false }, [substituteContext(Format, context)], now);
}

/** The access log line of one HTTP API request, once it is answered. */
export function logHttpAccess(runtime: ServiceRuntime, apiId: string, stage: StageV2, access: HttpAccess, response: { statusCode: number; body: Buffer }): void {
  if (!stage.AccessLogSettings) return;
  writeAccessLog(runtime, apiId, stage, {
    requestId: access.requestId,
    extendedRequestId: access.requestId,
    apiId,
    stage: stage.StageName,
    routeKey: access.routeKey,
    status: response.statusCode,
    protocol: access.protocol,
    httpMethod: access.httpMethod,
    path: access.path,
    identity: { sourceIp: access.sourceIp, userAgent: access.userAgent },
    requestTime: requestTime(access.receivedAt),
    requestTimeEpoch: access.receivedAt,
    responseLength: response.body.length,
    responseLatency: runtime.clock.now() - access.receivedAt,
    integrationLatency: access.integration?.latencyMs,
    integrationStatus: access.integration?.status,
    integration: { latency: access.integration?.latencyMs, status: access.integration?.status },
    error: { message: access.errorMessage, messageString: access.errorMessage === undefined ? undefined : JSON.stringify(access.errorMessage) },
    authorizer: { error: access.authorizerError },
  });
}

/** One WebSocket event as its access log line shows it. */
export interface WebSocketAccess {
  eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT';
  routeKey?: string;
  stamp: EventStamp;
  status: number;
  messageId?: string;
  errorMessage?: string;
}

/** The access log line of one WebSocket event. The stage's settings are read live, as a connection outlives deployments. */
export function logWebSocketAccess(runtime: ServiceRuntime, connection: ConnectionContext, access: WebSocketAccess): void {
  const stages = findV2Api(runtime, connection.apiId)?.record.stages;
  // A stage deleted while its connections stay open logs nothing.
  const stage = stages && Object.hasOwn(stages, connection.stage) ? stages[connection.stage] : undefined;
  if (!stage?.AccessLogSettings) return;
  writeAccessLog(runtime, connection.apiId, stage, {
    requestId: access.stamp.requestId,
    extendedRequestId: access.stamp.requestId,
    apiId: connection.apiId,
    stage: connection.stage,
    routeKey: access.routeKey,
    eventType: access.eventType,
    connectionId: connection.connectionId,
    messageId: access.messageId,
    status: access.status,
    domainName: connection.domainName,
    connectedAt: connection.connectedAt,
    identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
    requestTime: requestTime(access.stamp.now),
    requestTimeEpoch: access.stamp.now,
    error: { message: access.errorMessage },
    authorizer: connection.authorizer,
  });
}
