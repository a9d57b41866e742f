/**
 * WebSocket APIs end to end: APIs built with @aws-sdk/client-apigatewayv2, real Node functions behind
 * $connect, $default, a custom route and $disconnect, a `ws` client, and the management API through
 * @aws-sdk/client-apigatewaymanagementapi at Nimbus's endpoint and at the API's own URL in both forms.
 */
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { describe, it } from 'node:test';
import {
  ApiGatewayManagementApiClient, DeleteConnectionCommand, GetConnectionCommand, PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import {
  ApiGatewayV2Client, CreateApiCommand, CreateAuthorizerCommand, CreateDeploymentCommand, CreateIntegrationCommand, CreateRouteCommand, CreateRouteResponseCommand, CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { CreateFunctionCommand, LambdaClient, UpdateFunctionConfigurationCommand, waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { rejectsWith } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';
import { localhostLookup, TestSocket } from './websocket-client.js';

const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:chat';

// One function behind every route, and the Lambda authorizer (allowing unless the token says deny or
// throw). $connect refuses or fails on request (query string), dumps its event as a refusal body, and
// agrees to an offered subprotocol; $disconnect tells a watcher connection (named
// in the WATCHER variable); `push` posts through the management API; anything else echoes its event.
const HANDLER = `
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
const post = (endpoint, ConnectionId, text) => new ApiGatewayManagementApiClient({ endpoint }).send(new PostToConnectionCommand({ ConnectionId, Data: text }));
export const handler = async (event) => {
  const context = event.requestContext;
  if (event.type === 'REQUEST') {
    const token = event.queryStringParameters?.token;
    if (token === 'throw') throw new Error('Unauthorized');
    const effect = token === 'deny' ? 'Deny' : 'Allow';
    return { principalId: 'user-' + token, policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: event.methodArn }] }, context: { team: 'blue', seenRoute: context.routeKey } };
  }
  if (context.routeKey === '$connect') {
    const query = event.queryStringParameters ?? {};
    if (query.dump) return { statusCode: 418, body: JSON.stringify(event) };
    if (query.deny) return { statusCode: Number(query.deny), body: 'denied' };
    if (query.fail) throw new Error('boom');
    const offered = event.headers['Sec-WebSocket-Protocol'];
    return offered ? { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': offered.split(',')[0].trim() } } : { statusCode: 200 };
  }
  if (context.routeKey === '$disconnect') {
    if (process.env.WATCHER) {
      await post(process.env.AWS_ENDPOINT_URL, process.env.WATCHER, JSON.stringify({ gone: context.connectionId, code: context.disconnectStatusCode, eventType: context.eventType }));
    }
    return { statusCode: 200 };
  }
  let body = {};
  try { body = JSON.parse(event.body); } catch {}
  if (body.action === 'fail') throw new Error('boom');
  if (body.action === 'push') {
    const endpoint = body.via === 'api' ? process.env.AWS_ENDPOINT_URL + '/_aws/execute-api/' + context.apiId + '/' + context.stage : process.env.AWS_ENDPOINT_URL;
    await post(endpoint, body.to ?? context.connectionId, JSON.stringify({ pushed: body.text }));
    return { statusCode: 200, body: 'one-way routes send nothing back' };
  }
  return { statusCode: 200, body: JSON.stringify({ routeKey: context.routeKey, eventType: context.eventType, connectionId: context.connectionId, messageId: context.messageId, body: event.body, isBase64Encoded: event.isBase64Encoded, authorizer: context.authorizer }) };
};
`;

describe('WebSocket APIs (API Gateway v2)', () => {
  const nimbus = useNimbus();
  const v2 = (): ApiGatewayV2Client => new ApiGatewayV2Client(clientSettings(nimbus()));
  const lambda = (): LambdaClient => new LambdaClient(clientSettings(nimbus()));
  const port = (): string => new URL(nimbus().endpoint).port;
  const hostUrl = (apiId: string, stage = 'dev'): string => `ws://${apiId}.execute-api.localhost:${port()}/${stage}`;
  const pathUrl = (apiId: string, stage = 'dev'): string => `ws://127.0.0.1:${port()}/_aws/execute-api/${apiId}/${stage}`;
  /** A management client at Nimbus's endpoint, or at the API's URL in its host or path form. */
  const management = (endpoint = nimbus().endpoint): ApiGatewayManagementApiClient => new ApiGatewayManagementApiClient({
    ...clientSettings(nimbus()), endpoint, requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ lookup: localhostLookup }) }),
  });

  /**
   * A deployed chat API on stage `dev`: $connect, a one-way `push` route, two-way `$default` and `join`
   * routes, and $disconnect when asked (only where a test awaits its work, so none is left running as Nimbus stops).
   */
  async function chatApi(options: { defaultRoute?: boolean; disconnectRoute?: boolean; authorizer?: boolean } = {}): Promise<string> {
    await lambda().send(new CreateFunctionCommand({ FunctionName: 'chat', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await zip({ 'index.mjs': HANDLER }) } }));
    await waitUntilFunctionActiveV2({ client: lambda(), maxWaitTime: 30 }, { FunctionName: 'chat' });
    const api = await v2().send(new CreateApiCommand({ Name: 'chat', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    const apiId = api.ApiId!;
    const integration = await v2().send(new CreateIntegrationCommand({
      ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationMethod: 'POST',
      IntegrationUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FUNCTION_ARN}/invocations`,
    }));
    const target = `integrations/${integration.IntegrationId!}`;
    const twoWay = ['join', ...(options.defaultRoute === false ? [] : ['$default'])];
    for (const routeKey of ['$connect', ...(options.disconnectRoute === true ? ['$disconnect'] : []), 'push', ...twoWay]) {
      const route = await v2().send(new CreateRouteCommand({ ApiId: apiId, RouteKey: routeKey, Target: target, ...(routeKey === '$connect' ? await connectAuthorization(apiId, options.authorizer === true) : {}) }));
      if (twoWay.includes(routeKey)) await v2().send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: route.RouteId, RouteResponseKey: '$default' }));
    }
    const deployment = await v2().send(new CreateDeploymentCommand({ ApiId: apiId }));
    await v2().send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev', DeploymentId: deployment.DeploymentId }));
    return apiId;
  }

  /** The $connect route's authorization: the chat function as a REQUEST authorizer on the `token` query parameter, when asked. */
  async function connectAuthorization(apiId: string, wanted: boolean): Promise<{ AuthorizationType?: 'CUSTOM'; AuthorizerId?: string }> {
    if (!wanted) return {};
    const authorizer = await v2().send(new CreateAuthorizerCommand({
      ApiId: apiId, Name: 'tokens', AuthorizerType: 'REQUEST', IdentitySource: ['route.request.querystring.token'],
      AuthorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FUNCTION_ARN}/invocations`,
    }));
    return { AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId };
  }

  /** Points $disconnect's notices at `watcher`. */
  async function watch(watcher: string): Promise<void> {
    await lambda().send(new UpdateFunctionConfigurationCommand({ FunctionName: 'chat', Environment: { Variables: { WATCHER: watcher } } }));
    await waitUntilFunctionUpdatedV2({ client: lambda(), maxWaitTime: 30 }, { FunctionName: 'chat' });
  }

  async function connectionIdOf(client: TestSocket): Promise<string> {
    return (await client.ask({ action: 'whoami' })).connectionId as string;
  }

  it('routes messages by the selection expression, two-way routes answering, in both address forms', async () => {
    const apiId = await chatApi();
    for (const url of [hostUrl(apiId), pathUrl(apiId)]) {
      const client = await TestSocket.open(url);
      const joined = await client.ask({ action: 'join', room: 'a' });
      assert.equal(joined.routeKey, 'join');
      assert.equal(joined.eventType, 'MESSAGE');
      assert.equal(joined.body, '{"action":"join","room":"a"}');
      assert.match(joined.connectionId as string, /^[A-Za-z0-9]{15}=$/);
      assert.match(joined.messageId as string, /^[A-Za-z0-9]{15}=$/);
      // An action no route has, a message without one, and text that is not JSON all go to $default.
      for (const message of ['{"action":"unknown"}', '{"text":"hi"}', 'plain text']) {
        const echoed = await client.ask(message);
        assert.equal(echoed.routeKey, '$default');
        assert.equal(echoed.body, message);
        assert.equal(echoed.connectionId, joined.connectionId);
      }
      client.send(Buffer.from([0, 1, 255]));
      const binary = await client.nextJson();
      assert.equal(binary.body, 'AAH/', 'binary frames arrive base64-encoded');
      assert.equal(binary.isBase64Encoded, true);
      await client.close();
    }
  });

  it('runs $connect with the handshake, and refuses the handshake when it does not answer 2xx', async () => {
    const apiId = await chatApi();
    const dumped = await TestSocket.refusal(`${hostUrl(apiId)}?dump=1&tag=a&tag=b`);
    assert.equal(dumped.status, 418);
    const event = JSON.parse(dumped.body) as { headers: Record<string, string>; multiValueQueryStringParameters: unknown; queryStringParameters: unknown; requestContext: Record<string, unknown>; isBase64Encoded: boolean };
    assert.deepEqual(event.queryStringParameters, { dump: '1', tag: 'b' });
    assert.deepEqual(event.multiValueQueryStringParameters, { dump: ['1'], tag: ['a', 'b'] });
    assert.equal(event.headers.Upgrade, 'websocket');
    assert.equal(event.headers.Host, `${apiId}.execute-api.localhost:${port()}`);
    const context = event.requestContext;
    assert.equal(context.routeKey, '$connect');
    assert.equal(context.eventType, 'CONNECT');
    assert.equal(context.messageDirection, 'IN');
    assert.equal(context.apiId, apiId);
    assert.equal(context.stage, 'dev');
    assert.equal(context.domainName, `${apiId}.execute-api.localhost:${port()}`);
    assert.match(context.connectionId as string, /^[A-Za-z0-9]{15}=$/);
    assert.equal(typeof context.connectedAt, 'number');
    assert.equal(typeof context.requestTimeEpoch, 'number');
    assert.equal((context.identity as Record<string, unknown>).sourceIp, '127.0.0.1');
    // The function's status is the handshake's answer; a function error is a 502; the socket never opens.
    assert.deepEqual(await TestSocket.refusal(`${pathUrl(apiId)}?deny=401`), { status: 401, body: 'denied' });
    assert.deepEqual(await TestSocket.refusal(`${pathUrl(apiId)}?deny=403`), { status: 403, body: 'denied' });
    assert.deepEqual(await TestSocket.refusal(`${pathUrl(apiId)}?fail=1`), { status: 502, body: '{"message":"Internal server error"}' });
    // Unknown stages and APIs are refused as AWS refuses them.
    assert.deepEqual(await TestSocket.refusal(pathUrl(apiId, 'prod')), { status: 403, body: '{"message":"Forbidden"}' });
    assert.deepEqual(await TestSocket.refusal(hostUrl('zzzzzzzzzz')), { status: 403, body: '{"message":"Forbidden"}' });
    // A subprotocol the function agrees to is the one the handshake selects.
    const client = await TestSocket.open(hostUrl(apiId), ['chat', 'other']);
    assert.equal(client.socket.protocol, 'chat');
    await client.close();
  });

  it('posts to, describes and deletes connections through the management API at every endpoint form', async () => {
    const apiId = await chatApi();
    const client = await TestSocket.open(hostUrl(apiId));
    const connectionId = await connectionIdOf(client);
    const endpoints = [nimbus().endpoint, `http://${apiId}.execute-api.localhost:${port()}/dev`, `${nimbus().endpoint}/_aws/execute-api/${apiId}/dev`];
    for (const endpoint of endpoints) {
      await management(endpoint).send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(`hello via ${endpoint}`) }));
      assert.equal(await client.next(), `hello via ${endpoint}`);
      const described = await management(endpoint).send(new GetConnectionCommand({ ConnectionId: connectionId }));
      assert.ok(described.ConnectedAt instanceof Date);
      assert.ok(described.LastActiveAt instanceof Date);
      assert.ok(described.LastActiveAt.getTime() >= described.ConnectedAt.getTime());
      assert.equal(described.Identity?.SourceIp, '127.0.0.1');
      assert.equal(described.Identity?.UserAgent, '');
    }
    await rejectsWith(
      management().send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.alloc(128 * 1024 + 1, 'x') })),
      'PayloadTooLargeException', 'Message size 131073 bytes exceeds the 131072 byte limit', 413);
    await management().send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.alloc(128 * 1024, 'x') }));
    assert.equal((await client.next()).length, 128 * 1024);
    // DeleteConnection closes the socket; the connection is gone to every operation after that.
    await management(endpoints[1]).send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    assert.equal((await client.closed()).code, 1000);
    for (const command of [new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from('late') }), new GetConnectionCommand({ ConnectionId: connectionId }), new DeleteConnectionCommand({ ConnectionId: connectionId })]) {
      await rejectsWith(management().send(command as PostToConnectionCommand), 'GoneException', 'UnknownError', 410);
    }
    await rejectsWith(management().send(new GetConnectionCommand({ ConnectionId: 'NotAConnection=' })), 'GoneException', 'UnknownError', 410);
  });

  it('lets functions post to connections, their own and others, and keeps one-way routes silent', async () => {
    const apiId = await chatApi();
    const alice = await TestSocket.open(hostUrl(apiId));
    const bob = await TestSocket.open(pathUrl(apiId));
    const bobId = await connectionIdOf(bob);
    // Through Nimbus's endpoint (AWS_ENDPOINT_URL) and through the API's own URL (path form).
    alice.send(JSON.stringify({ action: 'push', text: 'to myself' }));
    assert.deepEqual(await alice.nextJson(), { pushed: 'to myself' });
    alice.send(JSON.stringify({ action: 'push', via: 'api', to: bobId, text: 'to bob' }));
    assert.deepEqual(await bob.nextJson(), { pushed: 'to bob' });
    // `push` is one-way: its function's body never reaches the client, so the next frame is the echo.
    assert.equal((await alice.ask({ action: 'whoami' })).routeKey, '$default');
    await alice.close();
    await bob.close();
  });

  it('runs $disconnect when the client closes and when the connection is deleted', async () => {
    const apiId = await chatApi({ disconnectRoute: true });
    const watcher = await TestSocket.open(hostUrl(apiId));
    await watch(await connectionIdOf(watcher));
    const leaving = await TestSocket.open(hostUrl(apiId));
    const leavingId = await connectionIdOf(leaving);
    await leaving.close(4001);
    assert.deepEqual(await watcher.nextJson(), { gone: leavingId, code: 4001, eventType: 'DISCONNECT' });
    await rejectsWith(management().send(new PostToConnectionCommand({ ConnectionId: leavingId, Data: Buffer.from('late') })), 'GoneException', 'UnknownError', 410);
    const deleted = await TestSocket.open(pathUrl(apiId));
    const deletedId = await connectionIdOf(deleted);
    await management().send(new DeleteConnectionCommand({ ConnectionId: deletedId }));
    assert.deepEqual(await watcher.nextJson(), { gone: deletedId, code: 1000, eventType: 'DISCONNECT' });
    assert.equal((await deleted.closed()).code, 1000);
    // The watcher stays open: the next reset drops it without a $disconnect.
  });

  it('answers error frames for unrouted messages and failed integrations', async () => {
    const apiId = await chatApi({ defaultRoute: false });
    const client = await TestSocket.open(hostUrl(apiId));
    const connectionId = (await client.ask({ action: 'join' })).connectionId;
    const forbidden = await client.ask({ action: 'nowhere' });
    assert.deepEqual(Object.keys(forbidden).sort(), ['connectionId', 'message', 'requestId']);
    assert.equal(forbidden.message, 'Forbidden');
    assert.equal(forbidden.connectionId, connectionId);
    assert.match(forbidden.requestId as string, /^[A-Za-z0-9]{15}=$/);
    assert.equal((await client.ask('not json')).message, 'Forbidden');
    const failed = await client.ask({ action: 'push', to: 'NotAConnection=', text: 'x' });
    assert.equal(failed.message, 'Internal server error');
    assert.equal(failed.connectionId, connectionId);
    // The connection stays open through both.
    assert.equal((await client.ask({ action: 'join' })).routeKey, 'join');
    await client.close();
  });

  it('authorizes $connect with a Lambda REQUEST authorizer whose context reaches every event', async () => {
    const apiId = await chatApi({ authorizer: true });
    assert.deepEqual(await TestSocket.refusal(hostUrl(apiId)), { status: 401, body: '{"message":"Unauthorized"}' });
    assert.deepEqual(await TestSocket.refusal(`${hostUrl(apiId)}?token=deny`), { status: 403, body: '{"message":"Forbidden"}' });
    assert.deepEqual(await TestSocket.refusal(`${hostUrl(apiId)}?token=throw`), { status: 401, body: '{"message":"Unauthorized"}' });
    // The integration still decides after the authorizer allowed.
    assert.deepEqual(await TestSocket.refusal(`${hostUrl(apiId)}?token=alice&deny=403`), { status: 403, body: 'denied' });
    const client = await TestSocket.open(`${pathUrl(apiId)}?token=alice`);
    const echoed = await client.ask({ action: 'join' });
    assert.deepEqual(echoed.authorizer, { team: 'blue', seenRoute: '$connect', principalId: 'user-alice' });
    await client.close();
  });
});
