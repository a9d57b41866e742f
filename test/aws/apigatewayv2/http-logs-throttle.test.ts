import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import {
  ApiGatewayV2Client, CreateApiCommand, CreateAuthorizerCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import type { RouteSettings } from '@aws-sdk/client-apigatewayv2';
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ManualClock } from '../../../src/shared/clock.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { mockApi, TestSocket, urlOf } from './websocket-client.js';

// Wednesday 13 March 2024, 10:00 UTC.
const START = Date.UTC(2024, 2, 13, 10, 0, 0);
const GROUP = 'v2-access';
const DESTINATION = `arn:aws:logs:us-east-1:000000000000:log-group:${GROUP}`;
const HTTP_VARIABLES = [
  'requestId', 'apiId', 'stage', 'routeKey', 'status', 'protocol', 'httpMethod', 'path', 'identity.sourceIp', 'requestTime', 'requestTimeEpoch',
  'responseLength', 'integrationLatency', 'integrationStatus', 'error.message', 'authorizer.error',
];
const WEBSOCKET_VARIABLES = ['requestId', 'apiId', 'stage', 'routeKey', 'status', 'eventType', 'connectionId', 'messageId', 'identity.sourceIp', 'requestTimeEpoch', 'error.message'];
/** A JSON format naming each variable by itself, as AWS's console suggests. */
const formatOf = (variables: string[]): string => `{${variables.map((name) => `"${name}":"$context.${name}"`).join(',')}}`;

type Line = Record<string, string>;

describe('HTTP and WebSocket API stages: access logs and route throttling', () => {
  const clock = new ManualClock(START);
  const nimbus = useNimbus({ clock });
  const apigw = (): ApiGatewayV2Client => new ApiGatewayV2Client(clientSettings(nimbus()));
  const logs = (): CloudWatchLogsClient => new CloudWatchLogsClient(clientSettings(nimbus()));

  // A Lambda-less backend for HTTP_PROXY integrations: 201 with a fixed body.
  const backend = createServer((_request, response) => {
    response.writeHead(201, { 'content-type': 'text/plain' }).end('created');
  });
  before(() => new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve)));
  after(() => new Promise<void>((resolve) => {
    backend.close(() => {
      resolve();
    });
  }));
  const backendUrl = (): string => `http://127.0.0.1:${String((backend.address() as AddressInfo).port)}/`;

  /** The group's lines once at least `count` have arrived (access logs are written just after the answer). */
  async function lines(count: number): Promise<Line[]> {
    for (let attempt = 0; ; attempt++) {
      const found = await logs().send(new FilterLogEventsCommand({ logGroupName: GROUP }));
      const messages = (found.events ?? []).map((event) => JSON.parse(event.message ?? '{}') as Line);
      if (messages.length >= count || attempt === 100) return messages;
      await nextTurn();
    }
  }

  /** An HTTP API with HTTP_PROXY routes `GET /pets` and `GET /toys`, deployed to stage `prod`. */
  async function httpApi(stage: { AccessLogSettings?: { DestinationArn: string; Format: string }; DefaultRouteSettings?: RouteSettings; RouteSettings?: Record<string, RouteSettings> }): Promise<string> {
    const api = await apigw().send(new CreateApiCommand({ Name: 'logged', ProtocolType: 'HTTP' }));
    const integration = await apigw().send(new CreateIntegrationCommand({
      ApiId: api.ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', IntegrationUri: backendUrl(), PayloadFormatVersion: '1.0',
    }));
    for (const RouteKey of ['GET /pets', 'GET /toys']) {
      await apigw().send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey, Target: `integrations/${integration.IntegrationId!}` }));
    }
    // A route with no integration (the gateway answers 500) and one behind a JWT authorizer.
    await apigw().send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /broken' }));
    const authorizer = await apigw().send(new CreateAuthorizerCommand({
      ApiId: api.ApiId, Name: 'jwt', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: 'https://issuer.example.com', Audience: ['pets'] },
    }));
    await apigw().send(new CreateRouteCommand({
      ApiId: api.ApiId, RouteKey: 'GET /secret', AuthorizationType: 'JWT', AuthorizerId: authorizer.AuthorizerId, Target: `integrations/${integration.IntegrationId!}`,
    }));
    await apigw().send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'prod', AutoDeploy: true, ...stage }));
    return api.ApiId!;
  }

  async function call(apiId: string, path: string): Promise<{ status: number; body: string }> {
    const response = await fetch(`${nimbus().endpoint}/_aws/execute-api/${apiId}/prod${path}`);
    return { status: response.status, body: await response.text() };
  }

  it('writes one access line per HTTP API request with its $context variables', async () => {
    await logs().send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    const apiId = await httpApi({ AccessLogSettings: { DestinationArn: DESTINATION, Format: formatOf(HTTP_VARIABLES) } });
    // The clock is the file's: earlier tests may have moved it on from START.
    clock.advance(START + 3_600_000 - clock.now());
    assert.deepEqual(await call(apiId, '/pets'), { status: 201, body: 'created' });
    assert.deepEqual(await call(apiId, '/nowhere'), { status: 404, body: '{"message":"Not Found"}' });
    assert.deepEqual(await call(apiId, '/broken'), { status: 500, body: '{"message":"Internal Server Error"}' });
    assert.deepEqual(await call(apiId, '/secret'), { status: 401, body: '{"message":"Unauthorized"}' });
    const [served, missing, broken, denied] = await lines(4);
    assert.match(served.requestId, /^[0-9a-f-]{36}$/);
    assert.deepEqual({ ...served, requestId: '' }, {
      requestId: '', apiId, stage: 'prod', routeKey: 'GET /pets', status: '201', protocol: 'HTTP/1.1', httpMethod: 'GET', path: '/prod/pets',
      'identity.sourceIp': '127.0.0.1', requestTime: '13/Mar/2024:11:00:00 +0000', requestTimeEpoch: String(START + 3_600_000), responseLength: '7',
      integrationLatency: '0', integrationStatus: '201', 'error.message': '-', 'authorizer.error': '-',
    });
    assert.notEqual(missing.requestId, served.requestId);
    assert.deepEqual([missing.routeKey, missing.status, missing.path, missing.integrationStatus, missing['error.message']], ['-', '404', '/prod/nowhere', '-', 'Not Found']);
    const summary = (line: Line): string[] => [line.routeKey, line.status, line.integrationStatus, line.integrationLatency, line['error.message'], line['authorizer.error']];
    assert.deepEqual(summary(broken), ['GET /broken', '500', '-', '-', 'Internal Server Error', '-']);
    assert.deepEqual(summary(denied), ['GET /secret', '401', '-', '-', 'Unauthorized', 'Unauthorized']);
  });

  it('writes nothing for a stage without AccessLogSettings, nor to a group that does not exist', async () => {
    await logs().send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    const quiet = await httpApi({});
    const lost = await httpApi({ AccessLogSettings: { DestinationArn: `${DESTINATION}-missing`, Format: '$context.requestId' } });
    assert.equal((await call(quiet, '/pets')).status, 201);
    assert.equal((await call(lost, '/pets')).status, 201);
    assert.deepEqual(await lines(1), []);
  });

  it('throttles each route with its RouteSettings over DefaultRouteSettings, refilling with the clock', async () => {
    await logs().send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    const apiId = await httpApi({
      AccessLogSettings: { DestinationArn: DESTINATION, Format: formatOf(['routeKey', 'status', 'error.message']) },
      DefaultRouteSettings: { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 2 },
      RouteSettings: { 'GET /toys': { ThrottlingBurstLimit: 3 } },
    });
    const statuses = async (path: string, count: number): Promise<number[]> => {
      const answers: number[] = [];
      for (let i = 0; i < count; i++) answers.push((await call(apiId, path)).status);
      return answers;
    };
    assert.deepEqual(await statuses('/pets', 2), [201, 201]);
    assert.deepEqual(await call(apiId, '/pets'), { status: 429, body: '{"message":"Too Many Requests"}' });
    // GET /toys has a bucket of its own, with its route's burst and the default's rate.
    assert.deepEqual(await statuses('/toys', 4), [201, 201, 201, 429]);
    // A second at 1 request per second refills one token of each bucket.
    clock.advance(1000);
    assert.deepEqual(await statuses('/pets', 2), [201, 429]);
    assert.deepEqual(await statuses('/toys', 2), [201, 429]);
    // Unrouted requests reach no route, so no route's bucket refuses them.
    assert.deepEqual(await statuses('/nowhere', 3), [404, 404, 404]);
    const logged = await lines(15);
    assert.deepEqual(logged.filter((line) => line.status === '429'), [
      { routeKey: 'GET /pets', status: '429', 'error.message': 'Too Many Requests' },
      { routeKey: 'GET /toys', status: '429', 'error.message': 'Too Many Requests' },
      { routeKey: 'GET /pets', status: '429', 'error.message': 'Too Many Requests' },
      { routeKey: 'GET /toys', status: '429', 'error.message': 'Too Many Requests' },
    ]);
  });

  it('refuses every request of a route throttled to zero, and applies a stage update at once', async () => {
    const apiId = await httpApi({ RouteSettings: { 'GET /pets': { ThrottlingRateLimit: 0, ThrottlingBurstLimit: 0 } } });
    assert.equal((await call(apiId, '/pets')).status, 429);
    assert.equal((await call(apiId, '/toys')).status, 201);
    await apigw().send(new UpdateStageCommand({ ApiId: apiId, StageName: 'prod', RouteSettings: { 'GET /pets': { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 10 } } }));
    assert.equal((await call(apiId, '/pets')).status, 201);
  });

  it('writes a WebSocket access line per connect, message and disconnect', async () => {
    await logs().send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    const apiId = await mockApi(nimbus());
    const now = clock.now();
    await apigw().send(new UpdateStageCommand({ ApiId: apiId, StageName: 'dev', AccessLogSettings: { DestinationArn: DESTINATION, Format: formatOf(WEBSOCKET_VARIABLES) } }));
    const socket = await TestSocket.open(urlOf(nimbus(), apiId));
    const answer = await socket.ask({ action: 'hello' });
    const failed = await socket.ask({ status: 500 });
    assert.equal(failed.message, 'Internal server error');
    await socket.close();
    const logged = await lines(4);
    const connectionId = String(answer.connectionId);
    assert.deepEqual(logged.map((line) => [line.eventType, line.routeKey, line.status, line.connectionId, line['error.message']]), [
      ['CONNECT', '$connect', '200', connectionId, '-'],
      ['MESSAGE', '$default', '200', connectionId, '-'],
      ['MESSAGE', '$default', '500', connectionId, 'Internal server error'],
      ['DISCONNECT', '$disconnect', '200', connectionId, '-'],
    ]);
    for (const line of logged) assert.deepEqual([line.apiId, line.stage, line['identity.sourceIp'], line.requestTimeEpoch], [apiId, 'dev', '127.0.0.1', String(now)]);
    assert.deepEqual(logged.map((line) => line.messageId === '-'), [true, false, false, true]);
    assert.equal(new Set(logged.map((line) => line.requestId)).size, 4);
  });
});
