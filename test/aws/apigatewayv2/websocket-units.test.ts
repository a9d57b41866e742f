/** WebSocket APIs' pure parts: route selection, the proxy events, reading a function's answer, management addresses. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RouteV2 } from '../../../src/services/apigatewayv2/records.js';
import type { ConnectionContext } from '../../../src/services/apigateway/invoke-v2/websocket/events.js';
import { connectEvent, disconnectEvent, gatewayId, handshakeRequest, messageEvent } from '../../../src/services/apigateway/invoke-v2/websocket/events.js';
import { proxyOutcome } from '../../../src/services/apigateway/invoke-v2/websocket/integration.js';
import { selectRoute, selectRouteKey } from '../../../src/services/apigateway/invoke-v2/websocket/route-selection.js';
import { managementAddress } from '../../../src/services/apigatewaymanagementapi/api-url.js';

describe('WebSocket route selection', () => {
  const cases: [string, string, string | undefined][] = [
    ['$request.body.action', '{"action":"join"}', 'join'],
    ['$request.body.action', '{"action":7}', '7'],
    ['$request.body.action', '{"action":true}', 'true'],
    ['$request.body.action', '{"action":{"nested":1}}', undefined],
    ['$request.body.action', '{"other":"x"}', undefined],
    ['$request.body.action', 'not json', undefined],
    ['$request.body.action', '["action"]', undefined],
    ['$request.body.message.type', '{"message":{"type":"chat"}}', 'chat'],
    ['$request.body.message.type', '{"message":"chat"}', undefined],
    ['${request.body.service}.${request.body.action}', '{"service":"orders","action":"list"}', 'orders.list'],
    ['${request.body.service}.${request.body.action}', '{"service":"orders"}', undefined],
    ['static', 'anything', 'static'],
  ];
  for (const [expression, message, expected] of cases) {
    it(`${expression} on ${message} selects ${String(expected)}`, () => {
      assert.equal(selectRouteKey(expression, message), expected);
    });
  }

  const route = (RouteId: string, RouteKey: string): RouteV2 => ({ RouteId, RouteKey });
  const routes = { a: route('a', '$connect'), b: route('b', 'join'), c: route('c', '$default'), d: route('d', '$disconnect') };

  it('falls back to $default, never to the lifecycle routes', () => {
    assert.equal(selectRoute(routes, '$request.body.action', '{"action":"join"}')?.RouteId, 'b');
    assert.equal(selectRoute(routes, '$request.body.action', '{"action":"leave"}')?.RouteId, 'c');
    assert.equal(selectRoute(routes, '$request.body.action', '{"action":"$connect"}')?.RouteId, 'c');
    assert.equal(selectRoute(routes, '$request.body.action', 'plain text')?.RouteId, 'c');
  });

  it('selects nothing without a $default route', () => {
    assert.equal(selectRoute({ b: route('b', 'join') }, '$request.body.action', '{"action":"leave"}'), undefined);
  });
});

describe('WebSocket proxy events', () => {
  const connection: ConnectionContext = {
    connectionId: 'L0SM9cOFvHcCIhw=', apiId: 'abcdefghij', stage: 'dev', domainName: 'abcdefghij.execute-api.localhost:4566',
    sourceIp: '127.0.0.1', userAgent: 'test-agent', connectedAt: Date.UTC(2024, 0, 2, 3, 4, 5),
  };
  const stamp = { requestId: 'XfGLwFTktjMFsLg=', now: Date.UTC(2024, 0, 2, 3, 4, 6) };

  it('builds $connect with headers, query and the shared requestContext', () => {
    const handshake = handshakeRequest(['Host', 'h', 'X-Multi', 'one', 'X-Multi', 'two'], new URL('http://h/dev?token=abc&tag=1&tag=2'));
    assert.deepEqual(connectEvent(connection, handshake, stamp), {
      headers: { Host: 'h', 'X-Multi': 'two' },
      multiValueHeaders: { Host: ['h'], 'X-Multi': ['one', 'two'] },
      queryStringParameters: { token: 'abc', tag: '2' },
      multiValueQueryStringParameters: { token: ['abc'], tag: ['1', '2'] },
      requestContext: {
        routeKey: '$connect', eventType: 'CONNECT', extendedRequestId: stamp.requestId, requestTime: '02/Jan/2024:03:04:06 +0000',
        messageDirection: 'IN', stage: 'dev', connectedAt: connection.connectedAt, requestTimeEpoch: stamp.now,
        identity: { sourceIp: '127.0.0.1', userAgent: 'test-agent' }, requestId: stamp.requestId,
        domainName: connection.domainName, connectionId: connection.connectionId, apiId: 'abcdefghij',
      },
      isBase64Encoded: false,
    });
  });

  it('leaves the query members out of $connect without a query string', () => {
    const event = connectEvent(connection, handshakeRequest([], new URL('http://h/dev')), stamp);
    assert.equal('queryStringParameters' in event, false);
    assert.equal('multiValueQueryStringParameters' in event, false);
  });

  it('builds messages, text and binary', () => {
    const text = messageEvent(connection, 'join', { data: Buffer.from('{"action":"join"}'), binary: false }, 'msg-1', stamp);
    assert.equal(text.body, '{"action":"join"}');
    assert.equal(text.isBase64Encoded, false);
    assert.deepEqual((text.requestContext).messageId, 'msg-1');
    assert.equal((text.requestContext).eventType, 'MESSAGE');
    assert.equal((text.requestContext).routeKey, 'join');
    const binary = messageEvent(connection, '$default', { data: Buffer.from([0, 255]), binary: true }, 'msg-2', stamp);
    assert.equal(binary.body, 'AP8=');
    assert.equal(binary.isBase64Encoded, true);
  });

  it('builds $disconnect with the close status and reason', () => {
    const event = disconnectEvent(connection, 1001, 'Going away', stamp);
    const context = event.requestContext;
    assert.equal(context.eventType, 'DISCONNECT');
    assert.equal(context.routeKey, '$disconnect');
    assert.equal(context.disconnectStatusCode, 1001);
    assert.equal(context.disconnectReason, 'Going away');
    assert.deepEqual(event.headers, { Host: connection.domainName });
  });

  it('makes ids in API Gateway style, unique', () => {
    const ids = new Set(Array.from({ length: 100 }, () => gatewayId()));
    assert.equal(ids.size, 100);
    for (const id of ids) assert.match(id, /^[A-Za-z0-9]{15}=$/);
  });
});

describe("Reading a WebSocket function's answer", () => {
  const cases: [string, string, { statusCode: number; body?: string; headers?: Record<string, string> }][] = [
    ['a proxy response', '{"statusCode":200,"body":"hi"}', { statusCode: 200, body: 'hi' }],
    ['a refusal', '{"statusCode":401}', { statusCode: 401 }],
    ['a status as text', '{"statusCode":"403","body":"no"}', { statusCode: 403, body: 'no' }],
    ['a JSON body', '{"statusCode":200,"body":{"a":1}}', { statusCode: 200, body: '{"a":1}' }],
    ['a base64 body', '{"statusCode":200,"body":"aGk=","isBase64Encoded":true}', { statusCode: 200, body: 'hi' }],
    ['headers', '{"statusCode":200,"headers":{"Sec-WebSocket-Protocol":"chat"}}', { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'chat' } }],
    ['nothing', 'null', { statusCode: 200 }],
    ['a string', '"plain"', { statusCode: 200, body: 'plain' }],
    ['an object without statusCode', '{"a":1}', { statusCode: 200, body: '{"a":1}' }],
    ['a bad status', '{"statusCode":42}', { statusCode: 502 }],
    ['not JSON', 'oops', { statusCode: 502 }],
  ];
  for (const [name, payload, expected] of cases) {
    it(`reads ${name}`, () => {
      assert.deepEqual(proxyOutcome(payload), { headers: {}, ...expected });
    });
  }
});

describe('Management API addresses under an API URL', () => {
  const cases: [string, string, { apiId: string; path: string } | undefined][] = [
    ['abcdefghij.execute-api.localhost:4566', '/dev/@connections/L0SM9cOFvHcCIhw%3D', { apiId: 'abcdefghij', path: '/@connections/L0SM9cOFvHcCIhw%3D' }],
    ['ABCDEFGHIJ.execute-api.localhost', '/dev/@connections/x', { apiId: 'abcdefghij', path: '/@connections/x' }],
    ['127.0.0.1:4566', '/_aws/execute-api/abcdefghij/dev/@connections/x', { apiId: 'abcdefghij', path: '/@connections/x' }],
    ['abcdefghij.execute-api.localhost', '/dev/other', undefined],
    ['127.0.0.1', '/@connections/x', undefined],
  ];
  for (const [host, path, expected] of cases) {
    it(`${host} ${path}`, () => {
      assert.deepEqual(managementAddress(host, path), expected);
    });
  }
});
