/**
 * The Lambda proxy events of a WebSocket API: CONNECT on the handshake, MESSAGE per client message,
 * DISCONNECT once the connection is gone. All share one requestContext shape
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-mapping-template-reference.html).
 */
import { randomString } from '../../../../shared/ids.js';
import type { Caller } from '../../auth/iam.js';
import { requestTime } from '../../invoke/request.js';
import type { RouteEvent } from './integration.js';

/** What API Gateway knows about a connection for its whole life. */
export interface ConnectionContext {
  connectionId: string;
  apiId: string;
  stage: string;
  /** The Host the client connected to. */
  domainName: string;
  sourceIp: string;
  userAgent: string;
  /** Epoch milliseconds. */
  connectedAt: number;
  /** What the $connect route's Lambda authorizer allowed with (its context and principalId), for every event of the connection. */
  authorizer?: Record<string, unknown>;
  /** Who signed the handshake of an AWS_IAM $connect route, in every event's requestContext.identity. */
  caller?: Caller;
}

/** The handshake's HTTP request as the $connect event carries it. */
export interface HandshakeRequest {
  /** Names as the client sent them; the last value wins. */
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  query: Record<string, string>;
  multiValueQuery: Record<string, string[]>;
}

/** One event's own identifiers and time. */
export interface EventStamp {
  requestId: string;
  /** Epoch milliseconds. */
  now: number;
}

/**
 * Ids in API Gateway's style for connections, requests and messages: 16 characters ending in `=`, like
 * `L0SM9cOFvHcCIhw=`. Only letters and digits before it, so an id needs no escaping in a URL path.
 */
export function gatewayId(): string {
  return `${randomString(15)}=`;
}

export function eventStamp(now: number): EventStamp {
  return { requestId: gatewayId(), now };
}

type EventType = 'CONNECT' | 'MESSAGE' | 'DISCONNECT';

function requestContext(connection: ConnectionContext, routeKey: string, eventType: EventType, stamp: EventStamp): Record<string, unknown> {
  return {
    routeKey,
    eventType,
    extendedRequestId: stamp.requestId,
    requestTime: requestTime(stamp.now),
    messageDirection: 'IN',
    stage: connection.stage,
    connectedAt: connection.connectedAt,
    requestTimeEpoch: stamp.now,
    identity: { ...(connection.caller ?? {}), sourceIp: connection.sourceIp, userAgent: connection.userAgent },
    requestId: stamp.requestId,
    domainName: connection.domainName,
    connectionId: connection.connectionId,
    apiId: connection.apiId,
    ...(connection.authorizer ? { authorizer: connection.authorizer } : {}),
  };
}

export function connectEvent(connection: ConnectionContext, handshake: HandshakeRequest, stamp: EventStamp): RouteEvent {
  const hasQuery = Object.keys(handshake.query).length > 0;
  return {
    headers: handshake.headers,
    multiValueHeaders: handshake.multiValueHeaders,
    // The query members appear only when the handshake URL has a query string.
    ...(hasQuery ? { queryStringParameters: handshake.query, multiValueQueryStringParameters: handshake.multiValueQuery } : {}),
    requestContext: requestContext(connection, '$connect', 'CONNECT', stamp),
    isBase64Encoded: false,
  };
}

export interface ClientMessage {
  data: Buffer;
  /** A binary frame: the body is base64 in the event. */
  binary: boolean;
}

export function messageEvent(connection: ConnectionContext, routeKey: string, message: ClientMessage, messageId: string, stamp: EventStamp): RouteEvent {
  return {
    requestContext: { ...requestContext(connection, routeKey, 'MESSAGE', stamp), messageId },
    body: message.data.toString(message.binary ? 'base64' : 'utf8'),
    isBase64Encoded: message.binary,
  };
}

export function disconnectEvent(connection: ConnectionContext, statusCode: number, reason: string, stamp: EventStamp): RouteEvent {
  return {
    headers: { Host: connection.domainName },
    multiValueHeaders: { Host: [connection.domainName] },
    requestContext: { ...requestContext(connection, '$disconnect', 'DISCONNECT', stamp), disconnectStatusCode: statusCode, disconnectReason: reason },
    isBase64Encoded: false,
  };
}

/** The handshake's headers and query, read from node's request. */
export function handshakeRequest(rawHeaders: string[], url: URL): HandshakeRequest {
  const handshake: HandshakeRequest = { headers: {}, multiValueHeaders: {}, query: {}, multiValueQuery: {} };
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    handshake.headers[rawHeaders[i]] = rawHeaders[i + 1];
    (handshake.multiValueHeaders[rawHeaders[i]] ??= []).push(rawHeaders[i + 1]);
  }
  for (const [name, value] of url.searchParams) {
    handshake.query[name] = value;
    (handshake.multiValueQuery[name] ??= []).push(value);
  }
  return handshake;
}
