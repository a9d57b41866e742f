/**
 * The WebSocket-only parts of the API Gateway v2 control plane through @aws-sdk/client-apigatewayv2: route
 * responses, integration responses and models, and their refusal on HTTP APIs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ApiGatewayV2Client, CreateApiCommand, CreateIntegrationCommand, CreateIntegrationResponseCommand, CreateModelCommand, CreateRouteCommand,
  CreateRouteResponseCommand, DeleteIntegrationResponseCommand, DeleteModelCommand, DeleteRouteRequestParameterCommand, DeleteRouteResponseCommand, GetIntegrationResponseCommand,
  GetIntegrationResponsesCommand, GetModelCommand, GetModelsCommand, GetRouteCommand, GetRouteResponseCommand, GetRouteResponsesCommand, UpdateIntegrationResponseCommand,
  UpdateModelCommand, UpdateRouteCommand, UpdateRouteResponseCommand,
} from '@aws-sdk/client-apigatewayv2';
import { rejectsWith } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

const SCHEMA = JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', required: ['action'] });

describe('API Gateway v2 WebSocket route responses, integration responses and models', () => {
  const nimbus = useNimbus();
  const client = (): ApiGatewayV2Client => new ApiGatewayV2Client(clientSettings(nimbus()));

  async function webSocketApi(): Promise<{ apiId: string; routeId: string; integrationId: string }> {
    const api = await client().send(new CreateApiCommand({ Name: 'chat', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    const integration = await client().send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'MOCK', RequestTemplates: { '$default': '{"statusCode": 200}' } }));
    const route = await client().send(new CreateRouteCommand({
      ApiId: api.ApiId, RouteKey: 'echo', Target: `integrations/${integration.IntegrationId!}`, RouteResponseSelectionExpression: '$default',
      RequestParameters: { 'route.request.querystring.room': { Required: true } },
    }));
    return { apiId: api.ApiId!, routeId: route.RouteId!, integrationId: integration.IntegrationId! };
  }

  it('manages route responses', async () => {
    const { apiId, routeId } = await webSocketApi();
    const response = await client().send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: routeId, RouteResponseKey: '$default' }));
    assert.match(response.RouteResponseId!, /^[a-z0-9]{7}$/);
    assert.equal(response.RouteResponseKey, '$default');
    await rejectsWith(
      client().send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: routeId, RouteResponseKey: '$default' })),
      'ConflictException', 'A response with key $default already exists', 409);
    const updated = await client().send(new UpdateRouteResponseCommand({ ApiId: apiId, RouteId: routeId, RouteResponseId: response.RouteResponseId, ModelSelectionExpression: '$default' }));
    assert.equal(updated.ModelSelectionExpression, '$default');
    assert.equal((await client().send(new GetRouteResponseCommand({ ApiId: apiId, RouteId: routeId, RouteResponseId: response.RouteResponseId }))).ModelSelectionExpression, '$default');
    assert.equal((await client().send(new GetRouteResponsesCommand({ ApiId: apiId, RouteId: routeId }))).Items?.length, 1);
    await client().send(new DeleteRouteResponseCommand({ ApiId: apiId, RouteId: routeId, RouteResponseId: response.RouteResponseId }));
    await rejectsWith(
      client().send(new GetRouteResponseCommand({ ApiId: apiId, RouteId: routeId, RouteResponseId: response.RouteResponseId })),
      'NotFoundException', `Invalid RouteResponse identifier specified ${response.RouteResponseId!}`, 404);
  });

  it('manages integration responses', async () => {
    const { apiId, integrationId } = await webSocketApi();
    const response = await client().send(new CreateIntegrationResponseCommand({
      ApiId: apiId, IntegrationId: integrationId, IntegrationResponseKey: '/2\\d\\d/', ResponseTemplates: { '$default': '{"ok": true}' }, TemplateSelectionExpression: '\\$default',
    }));
    assert.equal(response.IntegrationResponseKey, '/2\\d\\d/');
    const updated = await client().send(new UpdateIntegrationResponseCommand({ ApiId: apiId, IntegrationId: integrationId, IntegrationResponseId: response.IntegrationResponseId, IntegrationResponseKey: '$default' }));
    assert.deepEqual([updated.IntegrationResponseKey, updated.ResponseTemplates], ['$default', { '$default': '{"ok": true}' }]);
    const got = await client().send(new GetIntegrationResponseCommand({ ApiId: apiId, IntegrationId: integrationId, IntegrationResponseId: response.IntegrationResponseId }));
    assert.equal(got.TemplateSelectionExpression, '\\$default');
    assert.equal((await client().send(new GetIntegrationResponsesCommand({ ApiId: apiId, IntegrationId: integrationId }))).Items?.length, 1);
    await client().send(new DeleteIntegrationResponseCommand({ ApiId: apiId, IntegrationId: integrationId, IntegrationResponseId: response.IntegrationResponseId }));
    await rejectsWith(
      client().send(new GetIntegrationResponseCommand({ ApiId: apiId, IntegrationId: integrationId, IntegrationResponseId: response.IntegrationResponseId })),
      'NotFoundException', `Invalid IntegrationResponse identifier specified ${response.IntegrationResponseId!}`, 404);
  });

  it('deletes a route request parameter', async () => {
    const { apiId, routeId } = await webSocketApi();
    await client().send(new DeleteRouteRequestParameterCommand({ ApiId: apiId, RouteId: routeId, RequestParameterKey: 'route.request.querystring.room' }));
    assert.deepEqual((await client().send(new GetRouteCommand({ ApiId: apiId, RouteId: routeId }))).RequestParameters, {});
  });

  it('manages models and protects the ones routes use', async () => {
    const { apiId, routeId } = await webSocketApi();
    const model = await client().send(new CreateModelCommand({ ApiId: apiId, Name: 'Message', Schema: SCHEMA, ContentType: 'application/json' }));
    assert.deepEqual([model.Name, model.ContentType, model.Schema], ['Message', 'application/json', SCHEMA]);
    await rejectsWith(client().send(new CreateModelCommand({ ApiId: apiId, Name: 'Message', Schema: SCHEMA })), 'ConflictException', 'Model name Message already exists for this API', 409);
    await rejectsWith(client().send(new CreateModelCommand({ ApiId: apiId, Name: 'bad-name', Schema: SCHEMA })), 'BadRequestException', 'Model name must be alphanumeric', 400);
    await rejectsWith(client().send(new CreateModelCommand({ ApiId: apiId, Name: 'Broken', Schema: '{' })), 'BadRequestException', /must be a JSON document/, 400);
    const updated = await client().send(new UpdateModelCommand({ ApiId: apiId, ModelId: model.ModelId, Description: 'chat message' }));
    assert.equal(updated.Description, 'chat message');
    assert.equal((await client().send(new GetModelCommand({ ApiId: apiId, ModelId: model.ModelId }))).Description, 'chat message');
    assert.equal((await client().send(new GetModelsCommand({ ApiId: apiId }))).Items?.length, 1);

    await client().send(new UpdateRouteCommand({ ApiId: apiId, RouteId: routeId, RequestModels: { '$default': 'Message' }, ModelSelectionExpression: '$default' }));
    await rejectsWith(client().send(new DeleteModelCommand({ ApiId: apiId, ModelId: model.ModelId })), 'ConflictException', 'Model Message is in use by route echo', 409);
    await client().send(new UpdateRouteCommand({ ApiId: apiId, RouteId: routeId, RequestModels: {} }));
    await client().send(new DeleteModelCommand({ ApiId: apiId, ModelId: model.ModelId }));
    await rejectsWith(client().send(new GetModelCommand({ ApiId: apiId, ModelId: model.ModelId })), 'NotFoundException', `Invalid Model identifier specified ${model.ModelId!}`, 404);
  });

  it('refuses WebSocket-only resources on HTTP APIs', async () => {
    const api = await client().send(new CreateApiCommand({ Name: 'http', ProtocolType: 'HTTP' }));
    const route = await client().send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /a' }));
    const integration = await client().send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'HTTP_PROXY', IntegrationUri: 'https://example.com', IntegrationMethod: 'GET' }));
    await rejectsWith(client().send(new CreateRouteResponseCommand({ ApiId: api.ApiId, RouteId: route.RouteId, RouteResponseKey: '$default' })), 'BadRequestException', 'Route responses are supported only for WebSocket APIs', 400);
    await rejectsWith(
      client().send(new CreateIntegrationResponseCommand({ ApiId: api.ApiId, IntegrationId: integration.IntegrationId, IntegrationResponseKey: '$default' })),
      'BadRequestException', 'Integration responses are supported only for WebSocket APIs', 400);
    await rejectsWith(client().send(new CreateModelCommand({ ApiId: api.ApiId, Name: 'M', Schema: SCHEMA })), 'BadRequestException', 'Models are supported only for WebSocket APIs', 400);
  });
});
