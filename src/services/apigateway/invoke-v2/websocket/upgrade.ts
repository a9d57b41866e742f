/**
 * A WebSocket handshake to a deployed WebSocket API, by either address form of execute-api. The stage's
 * deployment serves the connection for its whole life. The stage's throttling comes first (429 when the
 * $connect bucket or the account's is empty, see throttling.ts). Then the $connect route decides: its authorizer (a
 * Lambda REQUEST authorizer, see authorizer.ts) must allow, then a 2xx from its integration completes the
 * handshake; anything else refuses it with that status, and the socket never opens (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-route-keys-connect-disconnect.html).
 */
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { AuthorizerV2, RouteV2 } from '../../../apigatewayv2/records.js';
import { findV2Api } from '../../../apigatewayv2/records.js';
import type { ServiceRuntime } from '../../../service.js';
import { verifyIamRequest } from '../../auth/iam.js';
import { invocationAddress } from '../../invoke/route.js';
import { errorMessageOf, logWebSocketAccess } from '../access-log.js';
import { TOO_MANY_REQUESTS } from '../throttling.js';
import { authorizeConnect } from './authorizer.js';
import { connectionRegistry } from './connections.js';
import type { ConnectionContext, EventStamp } from './events.js';
import { connectEvent, eventStamp, gatewayId, handshakeRequest } from './events.js';
import { runIntegration } from './integration.js';
import type { IntegrationOutcome } from './outcome.js';
import { succeeded } from './outcome.js';
import { lifecycleRoute } from './route-selection.js';
import type { ServedStage } from './session.js';
import { serveConnection } from './session.js';
import { isThrottled } from './throttling.js';

const FORBIDDEN = JSON.stringify({ message: 'Forbidden' });
const INTERNAL_ERROR = JSON.stringify({ message: 'Internal server error' });

/** Answers the handshake with a plain HTTP response and closes the socket. */
function refuse(socket: Duplex, statusCode: number, body: string, requestId: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const head = [
    `HTTP/1.1 ${String(statusCode)} ${STATUS_CODES[statusCode] ?? ''}`,
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${String(Buffer.byteLength(body))}`,
    `x-amzn-RequestId: ${requestId}`,
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

/** The stage a handshake addresses, if it names a deployed stage of a WebSocket API. */
function servedStage(runtime: ServiceRuntime, request: IncomingMessage, url: URL): { apiId: string; stage: string; served: ServedStage } | undefined {
  const address = invocationAddress(request.headers.host ?? '', url.pathname);
  const found = address && findV2Api(runtime, address.apiId);
  if (!address || !found || found.record.api.ProtocolType !== 'WEBSOCKET') return undefined;
  const stage = found.record.stages[address.stage] as (typeof found.record.stages)[string] | undefined;
  const deployment = stage?.DeploymentId === undefined ? undefined : found.record.deployments[stage.DeploymentId];
  if (!stage || !deployment) return undefined;
  return {
    apiId: address.apiId,
    stage: stage.StageName,
    served: {
      snapshot: deployment.snapshot,
      routeSelectionExpression: found.record.api.RouteSelectionExpression,
      target: { location: found.location, stageVariables: stage.StageVariables ?? {} },
    },
  };
}

function refusalBody(outcome: IntegrationOutcome): string {
  if (outcome.statusCode >= 500) return INTERNAL_ERROR;
  // A refusing integration's own body goes to the client; a gateway failure (415) is worded as the gateway's.
  return outcome.body ?? (outcome.failure === undefined ? '' : JSON.stringify({ message: outcome.failure }));
}

type Admission = { admitted: true; protocol?: string } | { admitted: false; statusCode: number; body: string };

/** What the $connect route decides: its authorization first, then its integration. Sets the connection's authorizer context. */
async function admit(runtime: ServiceRuntime, served: ServedStage, route: RouteV2, context: ConnectionContext, request: IncomingMessage, url: URL, stamp: EventStamp): Promise<Admission> {
  const handshake = handshakeRequest(request.rawHeaders, url);
  if (route.AuthorizationType === 'CUSTOM') {
    const authorizer = served.snapshot.authorizers[route.AuthorizerId ?? ''] as AuthorizerV2 | undefined;
    const verdict = await authorizeConnect(runtime, served.target, authorizer, connectEvent(context, handshake, stamp), handshake);
    if (!verdict.allowed) return { admitted: false, statusCode: verdict.statusCode, body: verdict.body };
    context.authorizer = verdict.authorizer;
  }
  // An AWS_IAM route needs a handshake SigV4-signed for execute-api (header or presigned URL), checked as REST APIs check theirs.
  if (route.AuthorizationType === 'AWS_IAM') {
    const target = request.url ?? '/';
    const queryAt = target.indexOf('?');
    const verdict = verifyIamRequest(runtime, {
      method: 'GET', rawPath: queryAt < 0 ? target : target.slice(0, queryAt), rawQuery: queryAt < 0 ? '' : target.slice(queryAt + 1),
      headers: handshake.multiValueHeaders, body: Buffer.alloc(0),
    }, served.target.location.region);
    if ('refusal' in verdict) {
      const message = verdict.refusal.gatewayError?.message;
      // Unsigned: a bare Forbidden, as HTTP APIs answer; a bad signature: its problem.
      return { admitted: false, statusCode: 403, body: message === undefined || message === 'Missing Authentication Token' ? FORBIDDEN : JSON.stringify({ message }) };
    }
    context.caller = verdict.caller;
  }
  const outcome = await runIntegration(runtime, served.target, served.snapshot, route, connectEvent(context, handshake, stamp));
  if (!succeeded(outcome)) return { admitted: false, statusCode: outcome.statusCode, body: refusalBody(outcome) };
  // The subprotocol the integration agreed to (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-connect-route-subprotocol.html).
  const protocol = Object.entries(outcome.headers).find(([name]) => name.toLowerCase() === 'sec-websocket-protocol')?.[1];
  return { admitted: true, protocol };
}

/** The edge's `upgrade` event for an execute-api address. */
export async function handleWebSocketUpgrade(runtime: ServiceRuntime, request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
  const registry = connectionRegistry(runtime);
  const stamp = eventStamp(runtime.clock.now());
  const target = servedStage(runtime, request, url);
  if (!target) {
    refuse(socket, 403, FORBIDDEN, stamp.requestId);
    return;
  }
  const { served } = target;
  const context: ConnectionContext = {
    connectionId: gatewayId(),
    apiId: target.apiId,
    stage: target.stage,
    domainName: request.headers.host ?? '',
    sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    userAgent: request.headers['user-agent'] ?? '',
    connectedAt: stamp.now,
  };
  const connectRoute = lifecycleRoute(served.snapshot.routes, '$connect');
  // Throttling comes first: a throttled handshake runs neither the authorizer nor the integration.
  const admission: Admission = isThrottled(runtime, served.target.location, target.apiId, target.stage, '$connect')
    ? { admitted: false, statusCode: 429, body: JSON.stringify({ message: TOO_MANY_REQUESTS }) }
    : connectRoute ? await admit(runtime, served, connectRoute, context, request, url, stamp) : { admitted: true };
  if (!admission.admitted) {
    refuse(socket, admission.statusCode, admission.body, stamp.requestId);
    logWebSocketAccess(runtime, context, { eventType: 'CONNECT', routeKey: '$connect', stamp, status: admission.statusCode, errorMessage: errorMessageOf(admission.body) });
    return;
  }
  if (admission.protocol !== undefined) registry.chooseProtocol(request, admission.protocol);
  // The client may have given up while $connect ran.
  if (socket.destroyed) return;
  registry.server.handleUpgrade(request, socket, head, (socketOpened: WebSocket) => {
    const connection = { ...context, location: served.target.location, socket: socketOpened, transport: socket, lastActiveAt: context.connectedAt, dropped: false };
    registry.add(connection);
    serveConnection(runtime, registry, served, connection);
    logWebSocketAccess(runtime, context, { eventType: 'CONNECT', routeKey: '$connect', stamp, status: 200 });
  });
}
