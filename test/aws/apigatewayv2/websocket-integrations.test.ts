/**
 * WebSocket routes with HTTP_PROXY, HTTP, AWS and MOCK integrations end to end: APIs built with
 * @aws-sdk/client-apigatewayv2, a `ws` client, a loopback HTTP backend started by the test, and DynamoDB
 * behind AWS integrations. Covers template selection expressions (request templates, integration
 * responses by status and pattern, response templates), route response selection and passthrough.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { CreateIntegrationCommandInput, CreateIntegrationResponseCommandInput } from '@aws-sdk/client-apigatewayv2';
import {
  ApiGatewayV2Client, CreateApiCommand, CreateIntegrationCommand, CreateIntegrationResponseCommand, CreateRouteCommand, CreateRouteResponseCommand, CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';
import { TestSocket, urlOf } from './websocket-client.js';

/** What the backend received, one entry per request. */
interface Received {
  method: string;
  path: string;
  contentType?: string;
  body: string;
}

/**
 * A loopback backend: `/status/{code}` answers that status with `{"code": code, "got": <body>}`, `/text`
 * answers plain text, anything else echoes the request as JSON.
 */
function startBackend(received: Received[]): Promise<{ server: Server; url: string }> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '/';
      received.push({ method: request.method ?? '', path, contentType: request.headers['content-type'], body });
      const status = /^\/status\/(\d{3})$/.exec(path);
      if (path === '/text') {
        response.writeHead(200, { 'content-type': 'text/plain' }).end('plain answer');
        return;
      }
      response.writeHead(status ? Number(status[1]) : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(status ? { code: Number(status[1]), got: body } : { method: request.method, path, body }));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}` });
    });
  });
}

describe('WebSocket API integrations: HTTP_PROXY, HTTP, AWS and MOCK', () => {
  const nimbus = useNimbus();
  const api = (): ApiGatewayV2Client => new ApiGatewayV2Client(clientSettings(nimbus()));
  const received: Received[] = [];
  let backend: { server: Server; url: string } | undefined;
  const backendUrl = (path: string): string => `${backend?.url ?? ''}${path}`;

  before(async () => {
    backend = await startBackend(received);
  });
  beforeEach(() => {
    received.length = 0;
  });
  after(() => {
    backend?.server.close();
  });

  interface RouteSpec {
    routeKey: string;
    integration: Omit<CreateIntegrationCommandInput, 'ApiId'>;
    responses?: Omit<CreateIntegrationResponseCommandInput, 'ApiId' | 'IntegrationId'>[];
    /** Undefined: two-way with `$default`; null: one-way (no route response). */
    routeResponseSelection?: string | null;
  }

  /** A WebSocket API (selection `$request.body.action`) with the routes on an auto-deployed stage `dev`; answers its id. */
  async function webSocketApi(routes: RouteSpec[]): Promise<string> {
    const created = await api().send(new CreateApiCommand({ Name: 'integrations', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    const apiId = created.ApiId!;
    for (const spec of routes) {
      const integration = await api().send(new CreateIntegrationCommand({ ApiId: apiId, ...spec.integration }));
      for (const response of spec.responses ?? []) {
        await api().send(new CreateIntegrationResponseCommand({ ApiId: apiId, IntegrationId: integration.IntegrationId, ...response }));
      }
      const twoWay = spec.routeResponseSelection !== null;
      const route = await api().send(new CreateRouteCommand({
        ApiId: apiId, RouteKey: spec.routeKey, Target: `integrations/${integration.IntegrationId!}`,
        ...(twoWay ? { RouteResponseSelectionExpression: spec.routeResponseSelection ?? '$default' } : {}),
      }));
      if (twoWay) await api().send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: route.RouteId, RouteResponseKey: '$default' }));
    }
    await api().send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev', AutoDeploy: true }));
    return apiId;
  }

  it('forwards messages to HTTP_PROXY backends and sends their answer back whatever its status', async () => {
    const apiId = await webSocketApi([
      { routeKey: '$default', integration: { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'POST', IntegrationUri: backendUrl('/echo') } },
      { routeKey: 'missing', integration: { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'PUT', IntegrationUri: backendUrl('/status/404') } },
      { routeKey: 'silent', integration: { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'POST', IntegrationUri: backendUrl('/echo') }, routeResponseSelection: null },
    ]);
    const client = await TestSocket.open(urlOf(nimbus(), apiId));
    assert.deepEqual(await client.ask({ action: 'anything', n: 1 }), { method: 'POST', path: '/echo', body: '{"action":"anything","n":1}' });
    assert.deepEqual(await client.ask({ action: 'missing' }), { code: 404, got: '{"action":"missing"}' });
    assert.equal(received[1].method, 'PUT');
    // A one-way route calls the backend and sends nothing: the next frame is the next answer.
    client.send(JSON.stringify({ action: 'silent' }));
    assert.equal((await client.ask({ action: 'again' })).body, '{"action":"again"}');
    assert.deepEqual(received.map((request) => request.body), ['{"action":"anything","n":1}', '{"action":"missing"}', '{"action":"silent"}', '{"action":"again"}']);
    await client.close();
  });

  it('picks HTTP request templates by the template selection expression, and integration responses by status and pattern', async () => {
    const apiId = await webSocketApi([{
      routeKey: '$default',
      integration: {
        IntegrationType: 'HTTP', IntegrationMethod: 'POST', IntegrationUri: backendUrl('/status/201'), TemplateSelectionExpression: '${request.body.kind}',
        RequestTemplates: {
          order: '{"order": "$input.path(\'$.id\')", "connection": "$context.connectionId"}',
          $default: '{"other": $input.json(\'$.kind\')}',
        },
      },
      responses: [
        { IntegrationResponseKey: '/2\\d\\d/', TemplateSelectionExpression: '\\$default', ResponseTemplates: { $default: '{"created": $input.json(\'$.code\'), "sent": $input.json(\'$.got\')}' } },
        { IntegrationResponseKey: '$default', ResponseTemplates: { $default: '{"unexpected": true}' } },
      ],
    }]);
    const client = await TestSocket.open(urlOf(nimbus(), apiId));
    const order = await client.ask({ kind: 'order', id: 'o-1' });
    assert.equal(order.created, 201);
    const sent = JSON.parse(order.sent as string) as Record<string, unknown>;
    assert.equal(sent.order, 'o-1');
    assert.match(sent.connection as string, /^[A-Za-z0-9]{15}=$/);
    assert.deepEqual(await client.ask({ kind: 'refund' }), { created: 201, sent: '{"other": "refund"}' });
    // Not JSON: the expression selects nothing and the $default template applies.
    assert.deepEqual(await client.ask('plain text'), { created: 201, sent: '{"other": null}' });
    assert.ok(received.every((request) => request.method === 'POST' && request.contentType === 'application/json'));
    await client.close();
  });

  it('selects integration responses by status, and their templates by selection expressions', async () => {
    const integration = (path: string): RouteSpec['integration'] => ({ IntegrationType: 'HTTP', IntegrationMethod: 'POST', IntegrationUri: backendUrl(path) });
    const responses: RouteSpec['responses'] = [
      { IntegrationResponseKey: '/4\\d\\d/', TemplateSelectionExpression: '${integration.response.statuscode}', ResponseTemplates: { '404': '{"missing": true}', $default: '{"client error": $input.json(\'$.code\')}' } },
      { IntegrationResponseKey: '/5\\d\\d/', ResponseTemplates: { $default: '{"server error": "$context.routeKey"}' } },
      // No template: the backend's answer passes through.
      { IntegrationResponseKey: '$default' },
    ];
    const apiId = await webSocketApi([
      { routeKey: 'notFound', integration: integration('/status/404'), responses },
      { routeKey: 'conflict', integration: integration('/status/409'), responses },
      { routeKey: 'broken', integration: integration('/status/503'), responses },
      { routeKey: 'fine', integration: integration('/text'), responses },
      {
        routeKey: 'byBody', integration: integration('/status/200'),
        responses: [{ IntegrationResponseKey: '$default', TemplateSelectionExpression: '${integration.response.body.code}', ResponseTemplates: { '200': '{"by": "body"}' } }],
      },
    ]);
    const client = await TestSocket.open(urlOf(nimbus(), apiId));
    assert.deepEqual(await client.ask({ action: 'notFound' }), { missing: true });
    assert.deepEqual(await client.ask({ action: 'conflict' }), { 'client error': 409 });
    assert.deepEqual(await client.ask({ action: 'broken' }), { 'server error': 'broken' });
    client.send(JSON.stringify({ action: 'fine' }));
    assert.equal(await client.next(), 'plain answer');
    assert.deepEqual(await client.ask({ action: 'byBody' }), { by: 'body' });
    await client.close();
  });

  it('answers an error frame when an HTTP backend cannot be reached', async () => {
    const apiId = await webSocketApi([{ routeKey: '$default', integration: { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'POST', IntegrationUri: 'http://127.0.0.1:1/nowhere' } }]);
    const client = await TestSocket.open(urlOf(nimbus(), apiId));
    const failed = await client.ask({ action: 'x' });
    assert.deepEqual(Object.keys(failed).sort(), ['connectionId', 'message', 'requestId']);
    assert.equal(failed.message, 'Internal server error');
    await client.close();
  });

  it('runs AWS service actions with a request template, and maps their errors through integration responses', async () => {
    const dynamodb = new DynamoDBClient(clientSettings(nimbus()));
    await dynamodb.send(new CreateTableCommand({
      TableName: 'messages', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }));
    const putItem = {
      IntegrationType: 'AWS', IntegrationMethod: 'POST', IntegrationUri: 'arn:aws:apigateway:us-east-1:dynamodb:action/PutItem',
      CredentialsArn: 'arn:aws:iam::000000000000:role/apigateway-dynamodb', TemplateSelectionExpression: '\\$default',
      RequestTemplates: { $default: '{"TableName": "$input.path(\'$.table\')", "Item": {"id": {"S": "$input.path(\'$.id\')"}, "text": {"S": "$input.path(\'$.text\')"}, "connection": {"S": "$context.connectionId"}}}' },
    } as const;
    const apiId = await webSocketApi([
      {
        routeKey: 'save', integration: putItem,
        responses: [
          { IntegrationResponseKey: '/2\\d\\d/', ResponseTemplates: { $default: '{"saved": "$context.routeKey"}' } },
          { IntegrationResponseKey: '/4\\d\\d/', ResponseTemplates: { $default: '{"refused": $input.json(\'$.__type\'), "why": $input.json(\'$.message\')}' } },
        ],
      },
      {
        routeKey: 'load',
        integration: {
          IntegrationType: 'AWS', IntegrationMethod: 'POST', IntegrationUri: 'arn:aws:apigateway:us-east-1:dynamodb:action/GetItem',
          RequestTemplates: { 'application/json': '{"TableName": "messages", "Key": {"id": {"S": "$input.path(\'$.id\')"}}}' },
        },
        // No template: DynamoDB's JSON answer passes through.
        responses: [{ IntegrationResponseKey: '$default' }],
      },
    ]);
    const client = await TestSocket.open(urlOf(nimbus(), apiId));
    assert.deepEqual(await client.ask({ action: 'save', table: 'messages', id: 'm1', text: 'hello' }), { saved: 'save' });
    const stored = await dynamodb.send(new GetItemCommand({ TableName: 'messages', Key: { id: { S: 'm1' } } }));
    assert.equal(stored.Item?.text.S, 'hello');
    assert.match(stored.Item?.connection.S ?? '', /^[A-Za-z0-9]{15}=$/);
    // A request template keyed by content type applies when it is the only one and no expression is set.
    assert.deepEqual((await client.ask({ action: 'load', id: 'm1' })).Item, stored.Item && {
      id: { S: 'm1' }, text: { S: 'hello' }, connection: { S: stored.Item.connection.S },
    });
    assert.deepEqual(await client.ask({ action: 'save', table: 'nope', id: 'm2', text: 'x' }), {
      refused: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', why: 'Requested resource not found',
    });
    await client.close();
  });

  it('invokes Lambda functions through AWS integrations, mapping function errors as 5xx answers', async () => {
    const lambda = new LambdaClient(clientSettings(nimbus()));
    const handler = 'export const handler = async (event) => { if (event.fail) throw new Error("no " + event.name); return { greeting: "hi " + event.name }; };';
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'greeter', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/lambda-role', Code: { ZipFile: await zip({ 'index.mjs': handler }) },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'greeter' });
    const apiId = await webSocketApi([{
      routeKey: '$default',
      integration: {
        IntegrationType: 'AWS', IntegrationMethod: 'POST', TemplateSelectionExpression: '\\$default',
        IntegrationUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:greeter/invocations',
        RequestTemplates: { $default: '{"name": $input.json(\'$.name\'), "fail": $input.json(\'$.fail\')}' },
      },
      responses: [
        { IntegrationResponseKey: '$default', ResponseTemplates: { $default: '{"said": $input.json(\'$.greeting\')}' } },
        { IntegrationResponseKey: '/5\\d\\d/', ResponseTemplates: { $default: '{"failed": $input.json(\'$.errorMessage\')}' } },
      ],
    }]);
    const client = await TestSocket.open(urlOf(nimbus(), apiId));
    assert.deepEqual(await client.ask({ name: 'Ada' }), { said: 'hi Ada' });
    assert.deepEqual(await client.ask({ name: 'Bob', fail: true }), { failed: 'no Bob' });
    await client.close();
  });

  it('answers an error frame for AWS integrations with a URI Nimbus cannot run', async () => {
    const apiId = await webSocketApi([{
      routeKey: '$default',
      integration: { IntegrationType: 'AWS', IntegrationMethod: 'POST', IntegrationUri: 'arn:aws:apigateway:us-east-1:kinesis:action/PutRecord' },
      responses: [{ IntegrationResponseKey: '$default' }],
    }]);
    const client = await TestSocket.open(urlOf(nimbus(), apiId));
    assert.equal((await client.ask({ action: 'x' })).message, 'Internal server error');
    await client.close();
  });

  it('applies template selection to MOCK integrations, on $connect too', async () => {
    const apiId = await webSocketApi([
      {
        routeKey: '$connect', routeResponseSelection: null,
        integration: { IntegrationType: 'MOCK', TemplateSelectionExpression: '\\$default', RequestTemplates: { $default: '{"statusCode": #if($context.requestId)200#{else}500#end}' } },
        responses: [{ IntegrationResponseKey: '$default' }],
      },
      {
        routeKey: '$default',
        integration: {
          IntegrationType: 'MOCK', TemplateSelectionExpression: '${request.body.mood}',
          RequestTemplates: { happy: '{"statusCode": 200}', grumpy: '{"statusCode": 418}' },
          PassthroughBehavior: 'NEVER',
        },
        responses: [
          { IntegrationResponseKey: '/2\\d\\d/', TemplateSelectionExpression: '${request.body.lang}', ResponseTemplates: { fr: '{"said": "bonjour"}', $default: '{"said": "hello"}' } },
          { IntegrationResponseKey: '/4\\d\\d/', ResponseTemplates: { $default: '{"said": "no"}' } },
        ],
      },
    ]);
    const client = await TestSocket.open(urlOf(nimbus(), apiId));
    assert.deepEqual(await client.ask({ mood: 'happy' }), { said: 'hello' });
    assert.deepEqual(await client.ask({ mood: 'happy', lang: 'fr' }), { said: 'bonjour' });
    assert.deepEqual(await client.ask({ mood: 'grumpy' }), { said: 'no' });
    // No template for the key, and PassthroughBehavior NEVER: the message is refused with an error frame.
    const refused = await client.ask({ mood: 'sleepy' });
    assert.equal(refused.message, 'Unsupported Media Type');
    await client.close();
  });

  it('refuses the handshake with the status an HTTP $connect integration answers', async () => {
    const apiId = await webSocketApi([{
      routeKey: '$connect', routeResponseSelection: null,
      integration: { IntegrationType: 'HTTP', IntegrationMethod: 'POST', IntegrationUri: backendUrl('/status/401') },
      responses: [{ IntegrationResponseKey: '/4\\d\\d/', ResponseTemplates: { $default: '{"message": "go away"}' } }],
    }]);
    assert.deepEqual(await TestSocket.refusal(urlOf(nimbus(), apiId)), { status: 401, body: '{"message": "go away"}' });
  });
});
