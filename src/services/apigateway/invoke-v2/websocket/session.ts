/**
 * An open connection's life: each client message goes to the route the API's selection expression
 * picks, through the stage's throttling, to its integration; a two-way route sends the integration's
 * answer back; the idle and duration limits close it (lifetime.ts); $disconnect runs once the socket has
 * closed, whoever closed it.
 */
import type { RawData } from 'ws';
import type { DeployedApi, RouteResponseV2, RouteV2 } from '../../../apigatewayv2/records.js';
import type { ServiceRuntime } from '../../../service.js';
import { wasClosedAtStop } from '../../../../edge/edge-route.js';
import { logger } from '../../../../shared/log.js';
import { logWebSocketAccess } from '../access-log.js';
import { TOO_MANY_REQUESTS } from '../throttling.js';
import type { ConnectionRegistry, LiveConnection } from './connections.js';
import type { ClientMessage } from './events.js';
import { disconnectEvent, eventStamp, gatewayId, messageEvent } from './events.js';
import type { IntegrationTarget } from './integration.js';
import { runIntegration } from './integration.js';
import { GOING_AWAY, watchLifetime } from './lifetime.js';
import { failsValidation } from './request-validation.js';
import { lifecycleRoute, selectRoute } from './route-selection.js';
import { evaluateSelection, selectKey } from './selection.js';
import { isThrottled } from './throttling.js';

const log = logger('apigateway');

const INVALID_BODY = 'Invalid request body';

/** What a stage serves to its connections: the deployment they connected under stays theirs. */
export interface ServedStage {
  snapshot: DeployedApi;
  routeSelectionExpression: string;
  target: IntegrationTarget;
}

function asBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/**
 * A two-way route has a route response, the one its RouteResponseSelectionExpression selects: the
 * integration's answer goes back to the client. AWS supports only the `$default` key
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-selection-expressions.html);
 * an unset expression reads as `$default` too.
 */
function routeResponse(snapshot: DeployedApi, route: RouteV2): RouteResponseV2 | undefined {
  const responses = Object.values(snapshot.routeResponses[route.RouteId] ?? {});
  const key = selectKey(responses.map((response) => response.RouteResponseKey), evaluateSelection(route.RouteResponseSelectionExpression ?? '$default', {}));
  return responses.find((response) => response.RouteResponseKey === key);
}

function sendText(connection: LiveConnection, text: string): void {
  if (connection.socket.readyState === connection.socket.OPEN) connection.socket.send(text);
}

/** API Gateway's error frames name the connection and request, so a client can report them. */
function sendError(connection: LiveConnection, message: string, requestId: string): void {
  sendText(connection, JSON.stringify({ message, connectionId: connection.connectionId, requestId }));
}

async function handleMessage(runtime: ServiceRuntime, served: ServedStage, connection: LiveConnection, message: ClientMessage): Promise<void> {
  const stamp = eventStamp(runtime.clock.now());
  const messageId = gatewayId();
  const route = selectRoute(served.snapshot.routes, served.routeSelectionExpression, message.data.toString('utf8'));
  // No route and no $default: AWS answers the client with a Forbidden frame and keeps the connection.
  if (!route) {
    sendError(connection, 'Forbidden', stamp.requestId);
    logWebSocketAccess(runtime, connection, { eventType: 'MESSAGE', stamp, messageId, status: 403, errorMessage: 'Forbidden' });
    return;
  }
  if (isThrottled(runtime, connection.location, connection.apiId, connection.stage, route.RouteKey)) {
    sendError(connection, TOO_MANY_REQUESTS, stamp.requestId);
    logWebSocketAccess(runtime, connection, { eventType: 'MESSAGE', routeKey: route.RouteKey, stamp, messageId, status: 429, errorMessage: TOO_MANY_REQUESTS });
    return;
  }
  // AWS sends its "Bad request body" gateway response; the frame's wording is REST's BAD_REQUEST_BODY default (a recollection).
  if (failsValidation(route, served.snapshot.models, message.data.toString('utf8'))) {
    sendError(connection, INVALID_BODY, stamp.requestId);
    logWebSocketAccess(runtime, connection, { eventType: 'MESSAGE', routeKey: route.RouteKey, stamp, messageId, status: 400, errorMessage: INVALID_BODY });
    return;
  }
  const event = messageEvent(connection, route.RouteKey, message, messageId, stamp);
  const outcome = await runIntegration(runtime, served.target, served.snapshot, route, event);
  if (outcome.failure !== undefined) sendError(connection, outcome.failure, stamp.requestId);
  else if (outcome.body !== undefined && routeResponse(served.snapshot, route)) sendText(connection, outcome.body);
  logWebSocketAccess(runtime, connection, {
    eventType: 'MESSAGE', routeKey: route.RouteKey, stamp, messageId, status: outcome.failure === undefined ? 200 : outcome.statusCode, errorMessage: outcome.failure,
  });
}

async function handleDisconnect(runtime: ServiceRuntime, served: ServedStage, connection: LiveConnection, code: number, reason: string): Promise<void> {
  const stamp = eventStamp(runtime.clock.now());
  const route = lifecycleRoute(served.snapshot.routes, '$disconnect');
  // $disconnect is best effort, as in AWS: its outcome reaches no one, but the event is logged with or without a route.
  if (route) await runIntegration(runtime, served.target, served.snapshot, route, disconnectEvent(connection, code, reason, stamp));
  logWebSocketAccess(runtime, connection, { eventType: 'DISCONNECT', routeKey: '$disconnect', stamp, status: 200 });
}

/** Serves an accepted connection until it closes. Messages are handled one at a time, in arrival order. */
export function serveConnection(runtime: ServiceRuntime, registry: ConnectionRegistry, served: ServedStage, connection: LiveConnection): void {
  const { socket } = connection;
  let pending = Promise.resolve();
  const report = (error: unknown): void => {
    log.error(`WebSocket connection ${connection.connectionId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  };
  // When the gateway ends the connection, $disconnect reports its own close code, whatever the client echoes.
  let closedByGateway: { code: number; reason: string } | undefined;
  const lifetime = watchLifetime(runtime.clock, connection.connectedAt, () => {
    closedByGateway = GOING_AWAY;
    socket.close(GOING_AWAY.code, GOING_AWAY.reason);
  });
  socket.on('message', (data: RawData, isBinary: boolean) => {
    connection.lastActiveAt = runtime.clock.now();
    lifetime.touch();
    const message = { data: asBuffer(data), binary: isBinary };
    pending = pending.then(() => handleMessage(runtime, served, connection, message)).catch(report);
  });
  // A protocol error (a message over the limit, a bad frame) closes the socket; 'close' follows.
  socket.on('error', () => undefined);
  socket.on('close', (code: number, reason: Buffer) => {
    lifetime.stop();
    registry.remove(connection.connectionId);
    if (connection.dropped || wasClosedAtStop(connection.transport)) return;
    const closed = closedByGateway ?? { code, reason: reason.toString('utf8') };
    handleDisconnect(runtime, served, connection, closed.code, closed.reason).catch(report);
  });
}
