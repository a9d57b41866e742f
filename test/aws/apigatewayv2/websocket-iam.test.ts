/**
 * AWS_IAM on a WebSocket API's $connect route: the handshake must be SigV4-signed for execute-api (here a
 * presigned URL, as browser-less clients and the AWS SDKs' presigners make them), checked as REST APIs
 * check theirs, and the signer shows in every event's requestContext.identity.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ApiGatewayV2Client, CreateApiCommand, CreateIntegrationCommand, CreateIntegrationResponseCommand, CreateRouteCommand, CreateRouteResponseCommand, CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { SignatureV4 } from '@smithy/signature-v4';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { NodeSha256 } from '../../helpers/sha256.js';
import type { Refusal } from './websocket-client.js';
import { TestSocket } from './websocket-client.js';

describe('AWS_IAM on WebSocket APIs', () => {
  const nimbus = useNimbus();

  /** $connect (AWS_IAM) and a two-way $default, both MOCK; $default answers the caller's access key. */
  async function iamApi(): Promise<string> {
    const client = new ApiGatewayV2Client(clientSettings(nimbus()));
    const api = await client.send(new CreateApiCommand({ Name: 'iam', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    const mock = async (template: string): Promise<string> => {
      const integration = await client.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'MOCK', RequestTemplates: { $default: '{"statusCode": 200}' } }));
      await client.send(new CreateIntegrationResponseCommand({ ApiId: api.ApiId, IntegrationId: integration.IntegrationId, IntegrationResponseKey: '$default', ResponseTemplates: { $default: template } }));
      return `integrations/${integration.IntegrationId!}`;
    };
    await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: '$connect', AuthorizationType: 'AWS_IAM', Target: await mock('{}') }));
    const route = await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: '$default', Target: await mock('{"accessKey": "$context.identity.accessKey", "accountId": "$context.identity.accountId"}') }));
    await client.send(new CreateRouteResponseCommand({ ApiId: api.ApiId, RouteId: route.RouteId, RouteResponseKey: '$default' }));
    await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'dev', AutoDeploy: true }));
    return api.ApiId!;
  }

  /** The stage's ws:// URL, presigned with `credentials` when given. */
  async function stageUrl(apiId: string, credentials?: { accessKeyId: string; secretAccessKey: string }): Promise<string> {
    const { hostname, port } = new URL(nimbus().endpoint);
    const path = `/_aws/execute-api/${apiId}/dev`;
    if (!credentials) return `ws://${hostname}:${port}${path}`;
    const signer = new SignatureV4({ service: 'execute-api', region: 'us-east-1', sha256: NodeSha256, credentials });
    const presigned = await signer.presign({ method: 'GET', protocol: 'http:', hostname, port: Number(port), path, headers: { host: `${hostname}:${port}` } }, { expiresIn: 300 });
    const query = Object.entries(presigned.query ?? {}).map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`).join('&');
    return `ws://${hostname}:${port}${path}?${query}`;
  }

  async function refusal(url: string): Promise<Refusal> {
    try {
      const socket = await TestSocket.open(url);
      await socket.close();
    } catch (error) {
      const { status, body } = error as Refusal;
      return { status, body };
    }
    assert.fail('the handshake was accepted');
  }

  it('refuses unsigned and badly signed handshakes with 403', async () => {
    const apiId = await iamApi();
    assert.deepEqual(await refusal(await stageUrl(apiId)), { status: 403, body: '{"message":"Forbidden"}' });
    const wrongSecret = await refusal(await stageUrl(apiId, { accessKeyId: 'test', secretAccessKey: 'not-the-secret' }));
    assert.equal(wrongSecret.status, 403);
    assert.match((JSON.parse(wrongSecret.body) as { message: string }).message, /^The request signature we calculated does not match the signature you provided/);
  });

  it('admits a presigned handshake and shows the signer in the events of the connection', async () => {
    const apiId = await iamApi();
    const socket = await TestSocket.open(await stageUrl(apiId, { accessKeyId: 'test', secretAccessKey: 'test' }));
    assert.deepEqual(await socket.ask({ action: 'whoami' }), { accessKey: 'test', accountId: '000000000000' });
    await socket.close();
  });
});
