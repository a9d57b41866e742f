import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApiGatewayV2Client, CreateApiCommand, CreateDeploymentCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import type { Cors, CreateIntegrationCommandInput } from '@aws-sdk/client-apigatewayv2';
import { APIGatewayClient, CreateDeploymentCommand as CreateRestDeploymentCommand, CreateRestApiCommand, PutIntegrationCommand, PutMethodCommand } from '@aws-sdk/client-api-gateway';
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';
import type { HttpAnswer } from '../../helpers/raw-http.js';
import { rawRequest } from '../../helpers/raw-http.js';

const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

// Answers by the last path segment: an inferred (simple) response, a thrown error, a malformed answer,
// cookies, or (by default) the event it received.
const HANDLER = `
export const handler = async (event) => {
  const path = event.rawPath ?? event.path;
  if (path.endsWith('/simple')) return { hello: 'world' };
  if (path.endsWith('/fail')) throw new Error('boom');
  if (path.endsWith('/malformed')) return event.version === '1.0' ? { status: 1 } : { statusCode: 'abc' };
  if (path.endsWith('/cookies')) return { statusCode: 202, cookies: ['a=1', 'b=2; Secure'], headers: { 'x-one': 'yes' }, body: 'ok' };
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'access-control-allow-origin': 'https://backend.example' },
    ...(event.version === '1.0' ? { multiValueHeaders: { 'x-multi': ['a', 'b'] } } : {}),
    body: JSON.stringify(event),
  };
};
`;

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:echo';

type Event = Record<string, unknown> & { requestContext: Record<string, unknown> };
const eventOf = (answer: HttpAnswer): Event => JSON.parse(answer.text) as Event;

describe('Invoking HTTP APIs (API Gateway v2)', () => {
  const nimbus = useNimbus();
  const v2 = (): ApiGatewayV2Client => new ApiGatewayV2Client(clientSettings(nimbus()));
  const lambda = (): LambdaClient => new LambdaClient(clientSettings(nimbus()));
  const port = (): number => Number(new URL(nimbus().endpoint).port);
  const hostOf = (apiId: string): string => `${apiId}.execute-api.localhost:${String(port())}`;

  let backend: Server;
  let backendUrl = '';
  before(async () => {
    // An HTTP backend that echoes what it received.
    backend = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        res.writeHead(207, { 'content-type': 'application/json', 'x-backend': 'yes', 'set-cookie': ['s=1', 't=2'] });
        res.end(JSON.stringify({ method: req.method, url: req.url, custom: req.headers['x-custom'], body: Buffer.concat(chunks).toString('utf8') }));
      });
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    backendUrl = `http://127.0.0.1:${String((backend.address() as AddressInfo).port)}`;
  });
  after(() => {
    backend.close();
  });

  async function createFunction(): Promise<void> {
    await lambda().send(new CreateFunctionCommand({
      FunctionName: 'echo', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await zip({ 'index.mjs': HANDLER }) },
    }));
    await waitUntilFunctionActiveV2({ client: lambda(), maxWaitTime: 30 }, { FunctionName: 'echo' });
  }

  type IntegrationInput = Omit<CreateIntegrationCommandInput, 'ApiId'>;
  const lambdaIntegration = (version = '2.0', uri = FUNCTION_ARN): IntegrationInput => ({ IntegrationType: 'AWS_PROXY', IntegrationUri: uri, PayloadFormatVersion: version });

  /** An HTTP API whose routes each get their own integration; stages name their variables, `$default` auto-deploys. */
  async function createHttpApi(routes: Record<string, IntegrationInput>, stages: Record<string, Record<string, string>> = { $default: {} }, cors?: Cors): Promise<string> {
    const api = await v2().send(new CreateApiCommand({ Name: 'invoke', ProtocolType: 'HTTP', CorsConfiguration: cors }));
    const apiId = api.ApiId!;
    for (const [routeKey, integration] of Object.entries(routes)) {
      const created = await v2().send(new CreateIntegrationCommand({ ApiId: apiId, ...integration }));
      await v2().send(new CreateRouteCommand({ ApiId: apiId, RouteKey: routeKey, Target: `integrations/${created.IntegrationId!}` }));
    }
    for (const [stageName, variables] of Object.entries(stages)) {
      if (stageName === '$default') {
        await v2().send(new CreateStageCommand({ ApiId: apiId, StageName: stageName, AutoDeploy: true, StageVariables: variables }));
      } else {
        const deployment = await v2().send(new CreateDeploymentCommand({ ApiId: apiId }));
        await v2().send(new CreateStageCommand({ ApiId: apiId, StageName: stageName, DeploymentId: deployment.DeploymentId, StageVariables: variables }));
      }
    }
    return apiId;
  }

  it('serves payload 2.0 through the host form ($default stage, no stage segment) with AWS’s event', async () => {
    await createFunction();
    const apiId = await createHttpApi({ 'POST /pets/{id}': lambdaIntegration() }, { $default: { color: 'blue' } });
    const answer = await rawRequest(port(), { method: 'POST', host: hostOf(apiId), path: '/pets/42?tag=x&tag=y', headers: {
      'content-type': 'application/json', 'x-multi': ['a', 'b'], cookie: 'c1=v1; c2=v2', 'user-agent': 'tester',
    }, body: '{"name":"rex"}' });
    assert.equal(answer.status, 200);
    const event = eventOf(answer);
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, 'POST /pets/{id}');
    assert.equal(event.rawPath, '/pets/42');
    assert.equal(event.rawQueryString, 'tag=x&tag=y');
    assert.deepEqual(event.cookies, ['c1=v1', 'c2=v2']);
    assert.equal((event.headers as Record<string, string>)['x-multi'], 'a,b');
    assert.equal((event.headers as Record<string, string>).cookie, undefined);
    assert.deepEqual(event.queryStringParameters, { tag: 'x,y' });
    assert.deepEqual(event.pathParameters, { id: '42' });
    assert.deepEqual(event.stageVariables, { color: 'blue' });
    assert.equal(event.body, '{"name":"rex"}');
    assert.equal(event.isBase64Encoded, false);
    const context = event.requestContext;
    assert.equal(context.apiId, apiId);
    assert.equal(context.accountId, '000000000000');
    assert.equal(context.stage, '$default');
    assert.equal(context.routeKey, 'POST /pets/{id}');
    assert.equal(context.domainPrefix, apiId);
    assert.deepEqual(context.http, { method: 'POST', path: '/pets/42', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'tester' });
    assert.match(String(context.time), /^\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    assert.equal(typeof context.timeEpoch, 'number');
  });

  it('serves named stages and the /_aws/execute-api path form; a stage named by the first segment wins over $default', async () => {
    await createFunction();
    const apiId = await createHttpApi({ 'ANY /{proxy+}': lambdaIntegration() }, { $default: {}, prod: { color: 'red' } });
    const staged = eventOf(await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/prod/items/1' }));
    assert.equal(staged.requestContext.stage, 'prod');
    assert.equal(staged.rawPath, '/prod/items/1');
    assert.deepEqual(staged.pathParameters, { proxy: 'items/1' });
    assert.deepEqual(staged.stageVariables, { color: 'red' });
    const byPath = await fetch(`${nimbus().endpoint}/_aws/execute-api/${apiId}/prod/items/2`);
    assert.equal(byPath.status, 200);
    const pathEvent = await byPath.json() as Event;
    assert.equal(pathEvent.requestContext.stage, 'prod');
    assert.deepEqual(pathEvent.pathParameters, { proxy: 'items/2' });
    const fallback = eventOf(await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/dev/items/3' }));
    assert.equal(fallback.requestContext.stage, '$default');
    assert.deepEqual(fallback.pathParameters, { proxy: 'dev/items/3' });
    const defaultByPath = await (await fetch(`${nimbus().endpoint}/_aws/execute-api/${apiId}/items/4`)).json() as Event;
    assert.equal(defaultByPath.requestContext.stage, '$default');
  });

  it('answers 404 Not Found for unmatched routes and for addresses no stage serves', async () => {
    await createFunction();
    const apiId = await createHttpApi({ 'GET /pets': lambdaIntegration() }, { prod: {} });
    const unmatched = await rawRequest(port(), { method: 'DELETE', host: hostOf(apiId), path: '/prod/pets' });
    assert.equal(unmatched.status, 404);
    assert.deepEqual(JSON.parse(unmatched.text), { message: 'Not Found' });
    const noStage = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/dev/pets' });
    assert.equal(noStage.status, 404);
    assert.deepEqual(JSON.parse(noStage.text), { message: 'Not Found' });
  });

  it('serves HTTP APIs through the legacy /restapis/{id}/{stage}/_user_request_ form too, $default included', async () => {
    await createFunction();
    const apiId = await createHttpApi({ 'GET /pets': lambdaIntegration() }, { $default: {}, prod: { color: 'red' } });
    const legacy = await fetch(`${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_/pets`);
    assert.equal(legacy.status, 200);
    const event = await legacy.json() as Event;
    assert.deepEqual([event.requestContext.stage, event.rawPath, event.stageVariables], ['prod', '/prod/pets', { color: 'red' }]);
    const byDefault = await fetch(`${nimbus().endpoint}/restapis/${apiId}/$default/_user_request_/pets`);
    assert.equal(byDefault.status, 200);
    assert.equal((await byDefault.json() as Event).requestContext.stage, '$default');
    const unmatched = await fetch(`${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_/cats`);
    assert.equal(unmatched.status, 404);
  });

  it('maps 2.0 responses: inferred, cookies, and 500 Internal Server Error for errors and malformed answers', async () => {
    await createFunction();
    const apiId = await createHttpApi({ 'GET /{name}': lambdaIntegration() });
    const simple = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/simple' });
    assert.equal(simple.status, 200);
    assert.equal(simple.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(simple.text), { hello: 'world' });
    const cookies = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/cookies' });
    assert.equal(cookies.status, 202);
    assert.deepEqual(cookies.headers['set-cookie'], ['a=1', 'b=2; Secure']);
    assert.equal(cookies.headers['x-one'], 'yes');
    assert.equal(cookies.text, 'ok');
    for (const broken of ['/fail', '/malformed']) {
      const answer = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: broken });
      assert.equal(answer.status, 500, broken);
      assert.deepEqual(JSON.parse(answer.text), { message: 'Internal Server Error' });
    }
  });

  it('serves payload format 1.0 with the REST-style event and response contract', async () => {
    await createFunction();
    const apiId = await createHttpApi({ 'GET /v1/{id}': lambdaIntegration('1.0') }, { prod: {} });
    const answer = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/prod/v1/7?a=1&a=2', headers: { 'x-custom': 'yes' } });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.headers['x-multi'], 'a, b');
    const event = eventOf(answer);
    assert.equal(event.version, '1.0');
    assert.equal(event.resource, '/v1/{id}');
    assert.equal(event.path, '/prod/v1/7');
    assert.equal(event.httpMethod, 'GET');
    assert.deepEqual(event.multiValueQueryStringParameters, { a: ['1', '2'] });
    assert.deepEqual(event.queryStringParameters, { a: '2' });
    assert.deepEqual(event.pathParameters, { id: '7' });
    assert.equal((event.headers as Record<string, string>)['x-custom'], 'yes');
    assert.equal(event.requestContext.resourceId, 'GET /v1/{id}');
    assert.equal(event.requestContext.stage, 'prod');
    const malformed = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/prod/v1/malformed' });
    assert.equal(malformed.status, 500);
    assert.deepEqual(JSON.parse(malformed.text), { message: 'Internal Server Error' });
  });

  it('resolves stage variables in integration URIs', async () => {
    await createFunction();
    const apiId = await createHttpApi({ 'GET /vars': lambdaIntegration('2.0', 'arn:aws:lambda:us-east-1:000000000000:function:${stageVariables.fn}') }, { prod: { fn: 'echo' }, dev: { fn: 'missing' } });
    assert.equal((await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/prod/vars' })).status, 200);
    const missing = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/dev/vars' });
    assert.equal(missing.status, 500);
    assert.deepEqual(JSON.parse(missing.text), { message: 'Internal Server Error' });
  });

  it('proxies HTTP_PROXY routes to the backend with path parameters, query, body, and $default’s full path', async () => {
    const apiId = await createHttpApi({
      'POST /items/{id}': { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'PUT', IntegrationUri: `${backendUrl}/store/{id}`, PayloadFormatVersion: '1.0' },
      $default: { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', IntegrationUri: `${backendUrl}/base`, PayloadFormatVersion: '1.0' },
    });
    const answer = await rawRequest(port(), { method: 'POST', host: hostOf(apiId), path: '/items/a%20b?q=1', headers: { 'x-custom': 'yes' }, body: 'payload' });
    assert.equal(answer.status, 207);
    assert.equal(answer.headers['x-backend'], 'yes');
    assert.deepEqual(answer.headers['set-cookie'], ['s=1', 't=2']);
    assert.deepEqual(JSON.parse(answer.text), { method: 'PUT', url: '/store/a%20b?q=1', custom: 'yes', body: 'payload' });
    const fallback = JSON.parse((await rawRequest(port(), { method: 'DELETE', host: hostOf(apiId), path: '/other/path' })).text) as Record<string, string>;
    assert.deepEqual(fallback, { method: 'DELETE', url: '/base/other/path', body: '' });
  });

  it('answers CORS preflights itself and puts the configured headers on responses', async () => {
    await createFunction();
    const cors: Cors = { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['content-type'], ExposeHeaders: ['x-total'], MaxAge: 300 };
    const apiId = await createHttpApi({ 'GET /cors': lambdaIntegration() }, { $default: {} }, cors);
    const preflight = await rawRequest(port(), { method: 'OPTIONS', host: hostOf(apiId), path: '/cors', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], 'https://app.example');
    assert.equal(preflight.headers['access-control-allow-methods'], 'GET,POST');
    assert.equal(preflight.headers['access-control-allow-headers'], 'content-type');
    assert.equal(preflight.headers['access-control-max-age'], '300');
    const actual = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/cors', headers: { origin: 'https://app.example' } });
    assert.equal(actual.status, 200);
    // The integration's own CORS header is replaced by the configuration's.
    assert.equal(actual.headers['access-control-allow-origin'], 'https://app.example');
    assert.equal(actual.headers['access-control-expose-headers'], 'x-total');
    const stranger = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/cors', headers: { origin: 'https://evil.example' } });
    assert.equal(stranger.headers['access-control-allow-origin'], undefined);
    const notFound = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/nowhere', headers: { origin: 'https://app.example' } });
    assert.equal(notFound.status, 404);
    assert.equal(notFound.headers['access-control-allow-origin'], 'https://app.example');
  });

  it('sends a preflight that a route takes (ANY) to its integration, with the configured CORS headers', async () => {
    await createFunction();
    const apiId = await createHttpApi({ 'ANY /{proxy+}': lambdaIntegration() }, { $default: {} }, { AllowOrigins: ['https://*'], AllowMethods: ['*'] });
    const preflight = await rawRequest(port(), { method: 'OPTIONS', host: hostOf(apiId), path: '/things', headers: { origin: 'https://app.example', 'access-control-request-method': 'PUT' } });
    assert.equal(preflight.status, 200);
    assert.equal(eventOf(preflight).routeKey, 'ANY /{proxy+}');
    assert.equal(preflight.headers['access-control-allow-origin'], 'https://app.example');
    assert.equal(preflight.headers['access-control-allow-methods'], '*');
  });

  it('answers 403 Forbidden on the default endpoint of an API that disabled it', async () => {
    await createFunction();
    const api = await v2().send(new CreateApiCommand({ Name: 'hidden', ProtocolType: 'HTTP', Target: FUNCTION_ARN, DisableExecuteApiEndpoint: true }));
    const answer = await rawRequest(port(), { method: 'GET', host: hostOf(api.ApiId!), path: '/anything' });
    assert.equal(answer.status, 403);
    assert.deepEqual(JSON.parse(answer.text), { message: 'Forbidden' });
  });

  it('answers a plain HTTP request to a WebSocket API with 426', async () => {
    const api = await v2().send(new CreateApiCommand({ Name: 'ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    const answer = await rawRequest(port(), { method: 'GET', host: hostOf(api.ApiId!), path: '/prod' });
    assert.equal(answer.status, 426);
  });

  it('serves REST APIs through the /_aws/execute-api path form too', async () => {
    await createFunction();
    const rest = new APIGatewayClient(clientSettings(nimbus()));
    const api = await rest.send(new CreateRestApiCommand({ name: 'rest' }));
    await rest.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await rest.send(new PutIntegrationCommand({
      restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST',
      uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FUNCTION_ARN}/invocations`,
    }));
    await rest.send(new CreateRestDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    const answer = await fetch(`${nimbus().endpoint}/_aws/execute-api/${api.id!}/prod/`);
    assert.equal(answer.status, 200);
    const event = await answer.json() as Event;
    assert.equal(event.resource, '/');
    assert.equal(event.requestContext.stage, 'prod');
  });
});
