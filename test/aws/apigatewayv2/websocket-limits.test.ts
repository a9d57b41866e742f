/**
 * The limits of WebSocket APIs on Nimbus's clock (a ManualClock, so nothing waits): stage and route
 * throttling of handshakes and messages, the 10-minute idle timeout and the 2-hour connection duration,
 * both closing with 1001 "Going away" and running $disconnect (seen by a loopback HTTP_PROXY backend).
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { RouteSettings } from '@aws-sdk/client-apigatewayv2';
import {
  ApiGatewayV2Client, CreateApiCommand, CreateIntegrationCommand, CreateIntegrationResponseCommand, CreateRouteCommand, CreateRouteResponseCommand, CreateStageCommand, UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { ManualClock } from '../../../src/index.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { TestSocket, urlOf, within } from './websocket-client.js';

const MINUTE = 60_000;

describe('WebSocket API throttling and connection lifetime', () => {
  const clock = new ManualClock();
  const nimbus = useNimbus({ clock });
  const api = (): ApiGatewayV2Client => new ApiGatewayV2Client(clientSettings(nimbus()));

  /** $disconnect requests the backend received, and whoever waits for the next one. */
  const disconnects: string[] = [];
  const waiters: ((body: string) => void)[] = [];
  let backend: { server: Server; url: string } | undefined;

  before(async () => {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const waiter = waiters.shift();
        if (waiter) waiter(body);
        else disconnects.push(body);
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    backend = { server, url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}` };
  });
  after(() => {
    backend?.server.close();
  });

  const nextDisconnect = (): Promise<Record<string, unknown>> => {
    const queued = disconnects.shift();
    const body = queued === undefined ? within(new Promise<string>((resolve) => waiters.push(resolve)), 'the $disconnect request') : Promise.resolve(queued);
    return body.then((text) => JSON.parse(text) as Record<string, unknown>);
  };

  /**
   * A WebSocket API whose `$default` and `slow` routes are two-way MOCKs answering the route key, whose
   * $connect is a MOCK accepting every handshake, and whose $disconnect posts its context to the backend,
   * on stage `dev` with the given throttling.
   */
  async function limitedApi(defaults: RouteSettings = {}, perRoute: Record<string, RouteSettings> = {}): Promise<string> {
    const created = await api().send(new CreateApiCommand({ Name: 'limits', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    const apiId = created.ApiId!;
    for (const routeKey of ['$default', 'slow']) {
      const integration = await api().send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'MOCK', RequestTemplates: { $default: '{"statusCode": 200}' }, TemplateSelectionExpression: '\\$default' }));
      await api().send(new CreateIntegrationResponseCommand({
        ApiId: apiId, IntegrationId: integration.IntegrationId, IntegrationResponseKey: '$default', ResponseTemplates: { $default: '{"route": "$context.routeKey"}' },
      }));
      const route = await api().send(new CreateRouteCommand({ ApiId: apiId, RouteKey: routeKey, Target: `integrations/${integration.IntegrationId!}`, RouteResponseSelectionExpression: '$default' }));
      await api().send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: route.RouteId, RouteResponseKey: '$default' }));
    }
    const connect = await api().send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'MOCK', RequestTemplates: { $default: '{"statusCode": 200}' } }));
    await api().send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$connect', Target: `integrations/${connect.IntegrationId!}` }));
    const disconnect = await api().send(new CreateIntegrationCommand({
      ApiId: apiId, IntegrationType: 'HTTP', IntegrationMethod: 'POST', IntegrationUri: `${backend?.url ?? ''}/disconnected`,
      TemplateSelectionExpression: '\\$default',
      RequestTemplates: { $default: '{"connectionId": "$context.connectionId", "code": $context.disconnectStatusCode, "reason": "$context.disconnectReason"}' },
    }));
    await api().send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$disconnect', Target: `integrations/${disconnect.IntegrationId!}` }));
    await api().send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev', AutoDeploy: true, DefaultRouteSettings: defaults, RouteSettings: perRoute }));
    return apiId;
  }

  it('throttles messages per route with the stage settings, and refills the buckets as the clock moves', async () => {
    const apiId = await limitedApi({ ThrottlingBurstLimit: 2, ThrottlingRateLimit: 1 }, { slow: { ThrottlingBurstLimit: 1, ThrottlingRateLimit: 0.5 } });
    const client = await TestSocket.open(urlOf(nimbus(), apiId));
    // The handshake took a token of $connect's bucket, not of $default's.
    assert.deepEqual(await client.ask({ action: 'any' }), { route: '$default' });
    assert.deepEqual(await client.ask({ action: 'any' }), { route: '$default' });
    const throttled = await client.ask({ action: 'any' });
    assert.deepEqual(Object.keys(throttled).sort(), ['connectionId', 'message', 'requestId']);
    assert.equal(throttled.message, 'Too Many Requests');
    assert.match(throttled.requestId as string, /^[A-Za-z0-9]{15}=$/);
    // Each route has its own bucket.
    assert.deepEqual(await client.ask({ action: 'slow' }), { route: 'slow' });
    assert.equal((await client.ask({ action: 'slow' })).message, 'Too Many Requests');
    clock.advance(1000);
    assert.deepEqual(await client.ask({ action: 'any' }), { route: '$default' });
    assert.equal((await client.ask({ action: 'slow' })).message, 'Too Many Requests');
    clock.advance(1000);
    assert.deepEqual(await client.ask({ action: 'slow' }), { route: 'slow' });
    await client.close(1000);
    assert.equal((await nextDisconnect()).code, 1000);
  });

  it('answers 429 to a throttled handshake, and applies stage updates to the next one', async () => {
    const apiId = await limitedApi({}, { $connect: { ThrottlingBurstLimit: 1, ThrottlingRateLimit: 1 } });
    const first = await TestSocket.open(urlOf(nimbus(), apiId));
    assert.deepEqual(await TestSocket.refusal(urlOf(nimbus(), apiId)), { status: 429, body: '{"message":"Too Many Requests"}' });
    clock.advance(1000);
    const second = await TestSocket.open(urlOf(nimbus(), apiId));
    await api().send(new UpdateStageCommand({ ApiId: apiId, StageName: 'dev', RouteSettings: { $connect: { ThrottlingBurstLimit: 3, ThrottlingRateLimit: 1 } } }));
    const third = await TestSocket.open(urlOf(nimbus(), apiId));
    for (const client of [first, second, third]) {
      await client.close(1000);
      assert.equal((await nextDisconnect()).code, 1000);
    }
  });

  it('closes a connection after 10 minutes without a client message, with 1001 and a $disconnect', async () => {
    const apiId = await limitedApi();
    const client = await TestSocket.open(urlOf(nimbus(), apiId));
    clock.advance(9 * MINUTE);
    assert.deepEqual(await client.ask({}), { route: '$default' });
    // Nine minutes after the last message: still open.
    clock.advance(9 * MINUTE);
    assert.deepEqual(await client.ask({}), { route: '$default' });
    clock.advance(10 * MINUTE);
    assert.deepEqual(await client.closed(), { code: 1001, reason: 'Going away' });
    const disconnected = await nextDisconnect();
    assert.deepEqual([disconnected.code, disconnected.reason], [1001, 'Going away']);
    assert.match(disconnected.connectionId as string, /^[A-Za-z0-9]{15}=$/);
  });

  it('closes a connection 2 hours after it opened, however busy', async () => {
    const apiId = await limitedApi();
    const client = await TestSocket.open(urlOf(nimbus(), apiId));
    for (let minutes = 9; minutes < 120; minutes += 9) {
      clock.advance(9 * MINUTE);
      assert.deepEqual(await client.ask({}), { route: '$default' }, `open after ${String(minutes)} minutes`);
    }
    // 117 minutes: three more end the connection.
    clock.advance(3 * MINUTE);
    assert.deepEqual(await client.closed(), { code: 1001, reason: 'Going away' });
    assert.deepEqual((await nextDisconnect()).code, 1001);
  });
});
