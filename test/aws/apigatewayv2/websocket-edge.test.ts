/**
 * WebSocket connections at the edge, with MOCK integrations only (no functions): upgrades no API takes,
 * the client message limit, a reset dropping connections, and registries kept apart per Nimbus instance.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { ApiGatewayManagementApiClient, GetConnectionCommand, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { ApiGatewayV2Client, CreateApiCommand } from '@aws-sdk/client-apigatewayv2';
import type { Nimbus } from '../../../src/index.js';
import { startNimbus } from '../../../src/index.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { mockApi, TestSocket, urlOf, within } from './websocket-client.js';

/** A raw upgrade request: the status line and body the edge answers with. */
function rawUpgrade(nimbus: Nimbus, path: string): Promise<{ status: number; body: string }> {
  return within(new Promise((resolve, reject) => {
    const req = request(`${nimbus.endpoint}${path}`, { headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('upgrade', () => {
      reject(new Error('the upgrade was accepted'));
    });
    req.on('error', reject);
    req.end();
  }), `the answer to an upgrade of ${path}`);
}

describe('WebSocket connections at the edge', () => {
  const nimbus = useNimbus();

  it('refuses upgrades to addresses no WebSocket API serves', async () => {
    assert.deepEqual(await rawUpgrade(nimbus(), '/somewhere'), { status: 404, body: '{"error":"NotFound","message":"No WebSocket endpoint at /somewhere"}' });
    assert.deepEqual(await rawUpgrade(nimbus(), '/_nimbus/health'), { status: 404, body: '{"error":"NotFound","message":"No WebSocket endpoint at /_nimbus/health"}' });
    assert.deepEqual(await rawUpgrade(nimbus(), '/_nimbus/lambda-url/x/'), { status: 404, body: '{"error":"NotFound","message":"No route /_nimbus/lambda-url/x/"}' });
    // An HTTP API is no WebSocket API.
    const http = await new ApiGatewayV2Client(clientSettings(nimbus())).send(new CreateApiCommand({ Name: 'http', ProtocolType: 'HTTP' }));
    assert.deepEqual(await rawUpgrade(nimbus(), `/_aws/execute-api/${http.ApiId!}/dev`), { status: 403, body: '{"message":"Forbidden"}' });
    // The ordinary HTTP API still answers requests at the same edge.
    assert.equal((await fetch(`${nimbus().endpoint}/_nimbus/health`)).status, 200);
  });

  it('answers from MOCK integration responses by the status the request template asks for', async () => {
    const client = await TestSocket.open(urlOf(nimbus(), await mockApi(nimbus())));
    const answer = await client.ask({ action: 'anything' });
    assert.equal(answer.routeKey, '$default');
    assert.match(answer.connectionId as string, /^[A-Za-z0-9]{15}=$/);
    // A 4xx from the template matches no integration response (and there is no $default): a configuration error.
    const unmatched = await client.ask({ status: 404 });
    assert.deepEqual([unmatched.message, unmatched.connectionId], ['Internal server error', answer.connectionId]);
    const created = await client.ask({ status: 201 });
    assert.deepEqual([created.routeKey, created.connectionId], ['$default', answer.connectionId]);
    await client.close();
  });

  it('accepts WebSocket clients at the legacy /restapis/{id}/{stage}/_user_request_ address too', async () => {
    const apiId = await mockApi(nimbus());
    const client = await TestSocket.open(`${nimbus().endpoint.replace('http://', 'ws://')}/restapis/${apiId}/dev/_user_request_`);
    assert.equal((await client.ask({ action: 'hello' })).routeKey, '$default');
    await client.close();
  });

  it('closes a connection whose client sends a message over 128 KB (1009)', async () => {
    const client = await TestSocket.open(urlOf(nimbus(), await mockApi(nimbus())));
    client.send(Buffer.alloc(128 * 1024 + 1, 'x'));
    assert.equal((await client.closed()).code, 1009);
  });

  it('drops every connection on reset', async () => {
    const client = await TestSocket.open(urlOf(nimbus(), await mockApi(nimbus())));
    nimbus().reset();
    assert.equal((await client.closed()).code, 1006);
  });

  it('keeps the connections of two Nimbus instances apart', async () => {
    const other = await startNimbus();
    try {
      const client = await TestSocket.open(urlOf(nimbus(), await mockApi(nimbus())));
      const settings = (instance: Nimbus): ApiGatewayManagementApiClient => new ApiGatewayManagementApiClient(clientSettings(instance));
      const connectionId = (await client.ask({})).connectionId as string;
      await assert.rejects(settings(other).send(new GetConnectionCommand({ ConnectionId: connectionId })), { name: 'GoneException' });
      await settings(nimbus()).send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from('here') }));
      assert.equal(await client.next(), 'here');
      await client.close();
    } finally {
      await other.stop();
    }
  });
});
