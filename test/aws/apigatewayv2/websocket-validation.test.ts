/**
 * Request validation on WebSocket routes: a ModelSelectionExpression picks the model (RequestModels, then
 * `$default`) that a message's body must satisfy before the integration runs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ApiGatewayV2Client, CreateApiCommand, CreateIntegrationCommand, CreateIntegrationResponseCommand, CreateModelCommand, CreateRouteCommand, CreateRouteResponseCommand,
  CreateStageCommand, DeleteModelCommand, GetModelsCommand,
} from '@aws-sdk/client-apigatewayv2';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { TestSocket, urlOf } from './websocket-client.js';

const EMAIL = JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', required: ['address'], properties: { address: { type: 'string' } } });
const PHONE = JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', required: ['number'], properties: { number: { type: 'string', pattern: '^[0-9]+$' } } });

describe('Request validation on WebSocket routes', () => {
  const nimbus = useNimbus();
  const client = (): ApiGatewayV2Client => new ApiGatewayV2Client(clientSettings(nimbus()));

  /** A two-way MOCK `$default` route validating by `$request.body.kind`: `email`, and `$default` (phone) when asked for. */
  async function validatingApi(withDefaultModel: boolean): Promise<string> {
    const api = await client().send(new CreateApiCommand({ Name: 'validated', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    await client().send(new CreateModelCommand({ ApiId: api.ApiId, Name: 'email', Schema: EMAIL, ContentType: 'application/json' }));
    await client().send(new CreateModelCommand({ ApiId: api.ApiId, Name: 'phone', Schema: PHONE, ContentType: 'application/json' }));
    const integration = await client().send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'MOCK', RequestTemplates: { $default: '{"statusCode": 200}' } }));
    await client().send(new CreateIntegrationResponseCommand({ ApiId: api.ApiId, IntegrationId: integration.IntegrationId, IntegrationResponseKey: '$default', ResponseTemplates: { $default: '{"accepted": true}' } }));
    const route = await client().send(new CreateRouteCommand({
      ApiId: api.ApiId, RouteKey: '$default', Target: `integrations/${integration.IntegrationId!}`,
      ModelSelectionExpression: '$request.body.kind', RequestModels: { email: 'email', ...(withDefaultModel ? { $default: 'phone' } : {}) },
    }));
    await client().send(new CreateRouteResponseCommand({ ApiId: api.ApiId, RouteId: route.RouteId, RouteResponseKey: '$default' }));
    await client().send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'dev', AutoDeploy: true }));
    return api.ApiId!;
  }

  it('passes valid messages on and answers invalid ones with an error frame, without calling the integration', async () => {
    const socket = await TestSocket.open(urlOf(nimbus(), await validatingApi(true)));
    const cases: [object | string, string][] = [
      [{ kind: 'email', address: 'a@example.com' }, 'accepted'],
      [{ kind: 'email' }, 'Invalid request body'],
      [{ kind: 'email', address: 42 }, 'Invalid request body'],
      [{ kind: 'sms', number: '0123' }, 'accepted'],
      [{ kind: 'sms', number: 'abc' }, 'Invalid request body'],
      ['not json at all', 'Invalid request body'],
    ];
    for (const [message, expected] of cases) {
      socket.send(typeof message === 'string' ? message : JSON.stringify(message));
      const answer = JSON.parse(await socket.next()) as { accepted?: boolean; message?: string; connectionId?: string };
      assert.equal(answer.accepted ? 'accepted' : answer.message, expected, JSON.stringify(message));
    }
    await socket.close();
  });

  it('fails a message no model applies to when there is no $default model', async () => {
    const socket = await TestSocket.open(urlOf(nimbus(), await validatingApi(false)));
    assert.equal((await socket.ask({ kind: 'sms', number: '0123' })).message, 'Invalid request body');
    assert.equal((await socket.ask({ kind: 'email', address: 'a@example.com' })).accepted, true);
    await socket.close();
  });

  it('refuses to delete a model a route validates with', async () => {
    const apiId = await validatingApi(true);
    const { Items } = await client().send(new GetModelsCommand({ ApiId: apiId }));
    for (const model of Items ?? []) {
      await assert.rejects(client().send(new DeleteModelCommand({ ApiId: apiId, ModelId: model.ModelId })), (error: Error) => error.name === 'ConflictException');
    }
    assert.equal(Items?.length, 2);
  });
});
