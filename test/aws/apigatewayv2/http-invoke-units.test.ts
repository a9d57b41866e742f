import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RouteV2 } from '../../../src/services/apigatewayv2/records.js';
import { invocationAddress } from '../../../src/services/apigateway/invoke/route.js';
import type { GatewayRequest } from '../../../src/services/apigateway/invoke/request.js';
import type { HttpInvocation } from '../../../src/services/apigateway/invoke-v2/context.js';
import type { CorsRequest } from '../../../src/services/apigateway/invoke-v2/cors.js';
import { isPreflight, preflightResponse, withCorsHeaders } from '../../../src/services/apigateway/invoke-v2/cors.js';
import { eventV1, eventV2, flattenClaims } from '../../../src/services/apigateway/invoke-v2/events.js';
import { backendUrl } from '../../../src/services/apigateway/invoke-v2/integrations.js';
import { responseV2 } from '../../../src/services/apigateway/invoke-v2/responses.js';
import { selectRoute, selectStage } from '../../../src/services/apigateway/invoke-v2/routes.js';

const route = (RouteKey: string): RouteV2 => ({ RouteKey, RouteId: RouteKey });

describe('HTTP API route selection', () => {
  // AWS's own example set (http-api-develop-routes.html#http-api-develop-routes.evaluation), plus ANY, {var} and root routes.
  const routes = ['GET /pets/dog/1', 'GET /pets/dog/{id}', 'GET /pets/{proxy+}', 'ANY /{proxy+}', '$default', 'GET /', 'ANY /toys/{id}', 'DELETE /toys/{id}', 'GET /a/{x}/c', 'GET /a/b/{y}'].map(route);
  const cases: [string, string, string | undefined, Record<string, string>][] = [
    ['GET', '/pets/dog/1', 'GET /pets/dog/1', {}],
    ['GET', '/pets/dog/2', 'GET /pets/dog/{id}', { id: '2' }],
    ['GET', '/pets/cat/1', 'GET /pets/{proxy+}', { proxy: 'cat/1' }],
    ['POST', '/pets/dog/1', 'ANY /{proxy+}', { proxy: 'pets/dog/1' }],
    ['GET', '/', 'GET /', {}],
    ['POST', '/', '$default', {}],
    ['DELETE', '/toys/7', 'DELETE /toys/{id}', { id: '7' }],
    ['PUT', '/toys/7', 'ANY /toys/{id}', { id: '7' }],
    ['put', '/toys/a%20b', 'ANY /toys/{id}', { id: 'a b' }],
    ['GET', '/a/b/c', 'GET /a/b/{y}', { y: 'c' }],
    ['GET', '/a/z/c', 'GET /a/{x}/c', { x: 'z' }],
    ['GET', '/pets', 'ANY /{proxy+}', { proxy: 'pets' }],
  ];
  for (const [method, path, expected, params] of cases) {
    it(`${method} ${path} -> ${expected ?? 'none'}`, () => {
      const selection = selectRoute(routes, method, path);
      assert.equal(selection?.route.RouteKey, expected);
      assert.deepEqual(selection?.pathParameters, params);
    });
  }

  it('finds nothing without $default when no route matches (AWS then answers 404)', () => {
    assert.equal(selectRoute([route('GET /pets'), route('GET /pets/{id}')], 'GET', '/pets/1/toys'), undefined);
    assert.equal(selectRoute([route('GET /pets/{proxy+}')], 'GET', '/pets'), undefined);
    assert.equal(selectRoute([route('GET /pets')], 'POST', '/pets'), undefined);
  });
});

describe('HTTP API stage selection', () => {
  const stages = { prod: 'P', $default: 'D' };
  const cases: [Record<string, string>, string, { name: string; path: string } | undefined][] = [
    [stages, '/prod/pets/1', { name: 'prod', path: '/pets/1' }],
    [stages, '/prod', { name: 'prod', path: '/' }],
    [stages, '/pets/1', { name: '$default', path: '/pets/1' }],
    [stages, '', { name: '$default', path: '/' }],
    [stages, '/$default/pets', { name: '$default', path: '/$default/pets' }],
    [{ prod: 'P' }, '/dev/pets', undefined],
  ];
  for (const [available, tail, expected] of cases) {
    it(`${tail || '(empty)'} with ${Object.keys(available).join(',')}`, () => {
      const selected = selectStage(available, tail);
      assert.deepEqual(selected && { name: selected.name, path: selected.path }, expected);
    });
  }
});

describe('execute-api addresses', () => {
  const cases: [string, string, ReturnType<typeof invocationAddress>][] = [
    ['abcdefghij.execute-api.localhost:4566', '/prod/pets', { apiId: 'abcdefghij', stage: 'prod', path: '/pets', tail: '/prod/pets' }],
    ['localhost:4566', '/_aws/execute-api/abcdefghij/prod/pets/1', { apiId: 'abcdefghij', stage: 'prod', path: '/pets/1', tail: '/prod/pets/1' }],
    ['localhost:4566', '/_aws/execute-api/abcdefghij', { apiId: 'abcdefghij', stage: '', path: '/', tail: '' }],
    ['localhost:4566', '/restapis/abcdefghij/prod/_user_request_/pets', { apiId: 'abcdefghij', stage: 'prod', path: '/pets', tail: '/prod/pets' }],
    ['localhost:4566', '/_aws/execute-api/short/prod', undefined],
    ['localhost:4566', '/prod/pets', undefined],
  ];
  for (const [host, path, expected] of cases) {
    it(`${host} ${path}`, () => {
      assert.deepEqual(invocationAddress(host, path), expected);
    });
  }
});

const RECEIVED = Date.UTC(2024, 2, 12, 19, 3, 58, 390);

function invocation(overrides: Partial<GatewayRequest> = {}, extra: Partial<HttpInvocation> = {}): HttpInvocation {
  const request: GatewayRequest = {
    httpMethod: 'POST',
    path: '/pets/42',
    headers: { Host: 'abcdefghij.execute-api.localhost:4566', 'Content-Type': 'application/json', 'X-Multi': 'b', Cookie: 'b=2' },
    multiValueHeaders: { Host: ['abcdefghij.execute-api.localhost:4566'], 'Content-Type': ['application/json'], 'X-Multi': ['a', 'b'], Cookie: ['a=1; theme=dark', 'b=2'] },
    query: { tag: 'y', one: '1' },
    multiValueQuery: { tag: ['x', 'y'], one: ['1'] },
    rawQuery: 'tag=x&tag=y&one=1',
    body: Buffer.from('{"name":"rex"}'),
    sourceIp: '127.0.0.1',
    userAgent: 'test-agent',
    requestId: 'req-1',
    receivedAt: RECEIVED,
    domainName: 'abcdefghij.execute-api.localhost:4566',
    protocol: 'HTTP/1.1',
    ...overrides,
  };
  return {
    request,
    apiId: 'abcdefghij',
    location: { account: '000000000000', region: 'us-east-1' },
    stage: 'prod',
    stageVariables: { color: 'blue' },
    route: route('POST /pets/{id}'),
    pathParameters: { id: '42' },
    ...extra,
  };
}

describe('payload format 2.0 event', () => {
  it('is AWS’s shape: lower-case comma-joined headers, cookies apart, joined query values, the staged raw path', () => {
    assert.deepEqual(eventV2(invocation()), {
      version: '2.0',
      routeKey: 'POST /pets/{id}',
      rawPath: '/prod/pets/42',
      rawQueryString: 'tag=x&tag=y&one=1',
      cookies: ['a=1', 'theme=dark', 'b=2'],
      headers: { host: 'abcdefghij.execute-api.localhost:4566', 'content-type': 'application/json', 'x-multi': 'a,b' },
      queryStringParameters: { tag: 'x,y', one: '1' },
      requestContext: {
        accountId: '000000000000',
        apiId: 'abcdefghij',
        domainName: 'abcdefghij.execute-api.localhost:4566',
        domainPrefix: 'abcdefghij',
        http: { method: 'POST', path: '/prod/pets/42', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test-agent' },
        requestId: 'req-1',
        routeKey: 'POST /pets/{id}',
        stage: 'prod',
        time: '12/Mar/2024:19:03:58 +0000',
        timeEpoch: RECEIVED,
      },
      pathParameters: { id: '42' },
      stageVariables: { color: 'blue' },
      body: '{"name":"rex"}',
      isBase64Encoded: false,
    });
  });

  it('leaves out what the request lacks and base64-encodes binary bodies; $default adds no stage to the path', () => {
    const event = eventV2(invocation({
      headers: { 'Content-Type': 'image/png' }, multiValueHeaders: { 'Content-Type': ['image/png'] }, query: {}, multiValueQuery: {}, rawQuery: '', body: Buffer.from([0, 1, 2]),
    }, { stage: '$default', stageVariables: {}, pathParameters: {}, route: route('$default') }));
    assert.equal(event.rawPath, '/pets/42');
    assert.equal(event.routeKey, '$default');
    assert.equal(event.body, 'AAEC');
    assert.equal(event.isBase64Encoded, true);
    for (const absent of ['cookies', 'queryStringParameters', 'pathParameters', 'stageVariables']) assert.equal(event[absent], undefined, absent);
    assert.equal(eventV2(invocation({ body: Buffer.alloc(0) })).body, undefined);
  });

  it('carries JWT claims and scopes, or a Lambda authorizer’s context', () => {
    const jwt = eventV2(invocation({}, { authorizer: { kind: 'jwt', claims: { sub: 'u1' }, scopes: ['read'] } }));
    assert.deepEqual((jwt.requestContext as Record<string, unknown>).authorizer, { jwt: { claims: { sub: 'u1' }, scopes: ['read'] } });
    const lambda = eventV2(invocation({}, { authorizer: { kind: 'lambda', context: { user: 'alice' } } }));
    assert.deepEqual((lambda.requestContext as Record<string, unknown>).authorizer, { lambda: { user: 'alice' } });
  });

  it('flattens claims to strings as HTTP APIs do', () => {
    assert.deepEqual(flattenClaims({ sub: 'u1', exp: 1700000000, admin: true, groups: ['a', 'b'], nested: { k: 1 } }), {
      sub: 'u1', exp: '1700000000', admin: 'true', groups: '[a b]', nested: '{"k":1}',
    });
  });
});

describe('payload format 1.0 event', () => {
  it('is the REST proxy event with version 1.0, the route as resource and the staged path', () => {
    const event = eventV1(invocation({}, { authorizer: { kind: 'jwt', claims: { sub: 'u1' }, scopes: null } }));
    assert.equal(event.version, '1.0');
    assert.equal(event.resource, '/pets/{id}');
    assert.equal(event.path, '/prod/pets/42');
    assert.equal(event.httpMethod, 'POST');
    assert.deepEqual(event.multiValueHeaders, { Host: ['abcdefghij.execute-api.localhost:4566'], 'Content-Type': ['application/json'], 'X-Multi': ['a', 'b'], Cookie: ['a=1; theme=dark', 'b=2'] });
    assert.deepEqual(event.multiValueQueryStringParameters, { tag: ['x', 'y'], one: ['1'] });
    assert.deepEqual(event.pathParameters, { id: '42' });
    assert.deepEqual(event.stageVariables, { color: 'blue' });
    assert.equal(event.body, '{"name":"rex"}');
    const context = event.requestContext as Record<string, unknown>;
    assert.equal(context.resourceId, 'POST /pets/{id}');
    assert.equal(context.path, '/prod/pets/42');
    assert.equal(context.stage, 'prod');
    assert.deepEqual(context.authorizer, { claims: { sub: 'u1' }, scopes: null });
  });
});

describe('payload format 2.0 response', () => {
  const text = (response: ReturnType<typeof responseV2>): string | undefined => response?.body.toString('utf8');
  it('maps a full response, base64 bodies and cookies', () => {
    const response = responseV2(JSON.stringify({ statusCode: 201, headers: { 'x-one': 1, 'content-type': 'text/plain' }, body: 'aGk=', isBase64Encoded: true, cookies: ['a=1', 'b=2; Secure'] }));
    assert.equal(response?.statusCode, 201);
    assert.deepEqual(response?.headers, { 'x-one': '1', 'content-type': 'text/plain' });
    assert.deepEqual(response?.multiValueHeaders, { 'set-cookie': ['a=1', 'b=2; Secure'] });
    assert.equal(text(response), 'hi');
  });

  const inferred: [string, string][] = [
    ['{"hello":"world"}', '{"hello":"world"}'],
    ['"Hello from Lambda!"', '"Hello from Lambda!"'],
    ['[1,2]', '[1,2]'],
    ['null', 'null'],
  ];
  for (const [payload, body] of inferred) {
    it(`infers 200 application/json for ${payload}`, () => {
      const response = responseV2(payload);
      assert.equal(response?.statusCode, 200);
      assert.equal(response?.headers['content-type'], 'application/json');
      assert.equal(text(response), body);
    });
  }

  const malformed = ['not json', '{"statusCode":"abc"}', '{"statusCode":700}', '{"statusCode":200,"body":42}', '{"statusCode":200,"headers":[1]}', '{"statusCode":200,"cookies":"a=1"}', '{"statusCode":200,"headers":{"x":{"y":1}}}'];
  for (const payload of malformed) {
    it(`refuses ${payload}`, () => {
      assert.equal(responseV2(payload), undefined);
    });
  }

  it('accepts a numeric string status and an absent body', () => {
    const response = responseV2('{"statusCode":"204"}');
    assert.equal(response?.statusCode, 204);
    assert.equal(response?.body.length, 0);
  });
});

describe('HTTP API CORS', () => {
  const cors = { AllowOrigins: ['https://app.example.com', 'https://*.example.org'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['content-type', 'authorization'], ExposeHeaders: ['x-total'], MaxAge: 600, AllowCredentials: true };
  const preflight = (origin: string): CorsRequest => ({ method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
  const get = (origin?: string): CorsRequest => ({ method: 'GET', headers: { origin } });

  it('tells a preflight by OPTIONS with Origin and Access-Control-Request-Method', () => {
    assert.equal(isPreflight(preflight('https://a')), true);
    assert.equal(isPreflight({ method: 'OPTIONS', headers: { origin: 'https://a' } }), false);
    assert.equal(isPreflight({ method: 'GET', headers: { origin: 'https://a', 'access-control-request-method': 'POST' } }), false);
  });

  it('answers a preflight from an allowed origin with the configuration', () => {
    assert.deepEqual(preflightResponse(cors, preflight('https://app.example.com')), {
      statusCode: 204,
      headers: {
        'access-control-allow-origin': 'https://app.example.com',
        'access-control-allow-credentials': 'true',
        'access-control-expose-headers': 'x-total',
        'access-control-allow-methods': 'GET,POST',
        'access-control-allow-headers': 'content-type,authorization',
        'access-control-max-age': '600',
      },
      body: Buffer.alloc(0),
    });
    assert.equal(preflightResponse(cors, preflight('https://shop.example.org')).headers['access-control-allow-origin'], 'https://shop.example.org');
    assert.deepEqual(preflightResponse(cors, preflight('https://evil.example.net')).headers, {});
    assert.equal(preflightResponse({ AllowOrigins: ['*'] }, preflight('https://any')).headers['access-control-allow-origin'], '*');
    assert.equal(preflightResponse({ AllowOrigins: ['https://*'] }, preflight('https://any.example')).headers['access-control-allow-origin'], 'https://any.example');
    assert.deepEqual(preflightResponse({ AllowOrigins: ['https://*'] }, preflight('http://any.example')).headers, {});
  });

  it('replaces the integration’s CORS headers with the configured ones', () => {
    const backend = { statusCode: 200, headers: { 'content-type': 'text/plain', 'Access-Control-Allow-Origin': 'https://backend' }, body: Buffer.from('ok') };
    const allowed = withCorsHeaders(cors, get('https://app.example.com'), backend);
    assert.deepEqual(allowed.headers, { 'content-type': 'text/plain', 'access-control-allow-origin': 'https://app.example.com', 'access-control-allow-credentials': 'true', 'access-control-expose-headers': 'x-total' });
    assert.deepEqual(withCorsHeaders(cors, get('https://evil.example.net'), backend).headers, { 'content-type': 'text/plain' });
    assert.deepEqual(withCorsHeaders(cors, get(), backend).headers, { 'content-type': 'text/plain' });
    // A preflight that a route answered gets the preflight headers too.
    assert.equal(withCorsHeaders(cors, preflight('https://app.example.com'), backend).headers['access-control-allow-methods'], 'GET,POST');
  });
});

describe('HTTP_PROXY backend URLs', () => {
  const cases: [string, Partial<HttpInvocation>, string][] = [
    ['https://backend.example.com/items/{id}', { pathParameters: { id: 'a b' } }, 'https://backend.example.com/items/a%20b?tag=x&tag=y&one=1'],
    ['https://backend.example.com/{proxy}', { pathParameters: { proxy: 'x/y' } }, 'https://backend.example.com/x/y?tag=x&tag=y&one=1'],
    ['https://${stageVariables.host}/v1', {}, 'https://blue/v1?tag=x&tag=y&one=1'],
    ['https://backend.example.com/', { route: route('$default') }, 'https://backend.example.com/pets/42?tag=x&tag=y&one=1'],
  ];
  for (const [uri, extra, expected] of cases) {
    it(uri, () => {
      assert.equal(backendUrl(invocation({}, { stageVariables: { host: 'blue' }, ...extra }), uri), expected);
    });
  }
});
