/**
 * HTTP APIs from and to OpenAPI 3.0 through @aws-sdk/client-apigatewayv2: ImportApi, ReimportApi and
 * ExportApi (JSON and YAML), and the round trip of one into the other.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ApiGatewayV2Client, CreateApiCommand, CreateAuthorizerCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, ExportApiCommand,
  GetApiCommand, GetAuthorizersCommand, GetIntegrationsCommand, GetRoutesCommand, GetStageCommand, ImportApiCommand, ReimportApiCommand,
} from '@aws-sdk/client-apigatewayv2';
import { rejectsWith } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:000000000000:function:handler';

const lambdaIntegration = { type: 'aws_proxy', uri: LAMBDA, httpMethod: 'POST', payloadFormatVersion: '2.0' };

const DEFINITION = {
  openapi: '3.0.1',
  info: { title: 'imported', version: '1.2.3' },
  paths: {
    '/pets': {
      get: { operationId: 'listPets', security: [{ cognito: ['pets/read'] }], 'x-amazon-apigateway-integration': lambdaIntegration },
      post: { 'x-amazon-apigateway-integration': lambdaIntegration },
    },
    '/pets/{id}': { 'x-amazon-apigateway-any-method': { 'x-amazon-apigateway-integration': { type: 'http_proxy', uri: 'https://example.com/{id}', httpMethod: 'ANY', payloadFormatVersion: '1.0' } } },
  },
  components: {
    securitySchemes: {
      cognito: { type: 'oauth2', flows: {}, 'x-amazon-apigateway-authorizer': { type: 'jwt', identitySource: '$request.header.Authorization', jwtConfiguration: { issuer: 'https://issuer.example.com', audience: ['client-1'] } } },
    },
  },
  'x-amazon-apigateway-cors': { allowOrigins: ['*'], allowMethods: ['GET'] },
};

describe('API Gateway v2 ImportApi, ReimportApi and ExportApi', () => {
  const nimbus = useNimbus();
  const client = (): ApiGatewayV2Client => new ApiGatewayV2Client(clientSettings(nimbus()));

  it('imports an OpenAPI 3 definition: routes, shared integrations, a JWT authorizer and CORS', async () => {
    const api = await client().send(new ImportApiCommand({ Body: JSON.stringify(DEFINITION) }));
    assert.deepEqual([api.Name, api.Version, api.ProtocolType], ['imported', '1.2.3', 'HTTP']);
    assert.deepEqual(api.CorsConfiguration, { AllowOrigins: ['*'], AllowMethods: ['GET'] });
    const routes = (await client().send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!;
    assert.deepEqual(routes.map((route) => route.RouteKey).sort(), ['ANY /pets/{id}', 'GET /pets', 'POST /pets']);
    const integrations = (await client().send(new GetIntegrationsCommand({ ApiId: api.ApiId }))).Items!;
    assert.equal(integrations.length, 2, 'the two operations with the same Lambda integration share it');
    const [authorizer] = (await client().send(new GetAuthorizersCommand({ ApiId: api.ApiId }))).Items!;
    assert.deepEqual([authorizer.Name, authorizer.AuthorizerType, authorizer.IdentitySource], ['cognito', 'JWT', ['$request.header.Authorization']]);
    const list = routes.find((route) => route.RouteKey === 'GET /pets')!;
    assert.deepEqual([list.AuthorizationType, list.AuthorizerId, list.AuthorizationScopes, list.OperationName], ['JWT', authorizer.AuthorizerId, ['pets/read'], 'listPets']);
  });

  it('refuses definitions AWS refuses', async () => {
    await rejectsWith(client().send(new ImportApiCommand({ Body: 'not: [valid' })), 'BadRequestException', 'Invalid OpenAPI input: the body is neither JSON nor YAML.', 400);
    await rejectsWith(client().send(new ImportApiCommand({ Body: JSON.stringify({ swagger: '2.0', info: { title: 'x' } }) })), 'BadRequestException', 'Only OpenAPI 3.0 definitions can be imported as HTTP APIs.', 400);
    const withWarning = { ...DEFINITION, paths: { '/a': { trace: {} } } };
    await rejectsWith(client().send(new ImportApiCommand({ Body: JSON.stringify(withWarning), FailOnWarnings: true })), 'BadRequestException', /Warnings found during import:\n\tUnsupported method trace at path \/a/, 400);
    const imported = await client().send(new ImportApiCommand({ Body: JSON.stringify(withWarning) }));
    assert.deepEqual(imported.Warnings, ['Unsupported method trace at path /a was ignored.']);
  });

  it('reimports over an API and redeploys its auto-deploy stage', async () => {
    const api = await client().send(new CreateApiCommand({ Name: 'old', ProtocolType: 'HTTP', Target: LAMBDA }));
    const before = await client().send(new GetStageCommand({ ApiId: api.ApiId, StageName: '$default' }));
    const reimported = await client().send(new ReimportApiCommand({ ApiId: api.ApiId, Body: JSON.stringify(DEFINITION) }));
    assert.equal(reimported.Name, 'imported');
    const routes = (await client().send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!;
    assert.deepEqual(routes.map((route) => route.RouteKey).sort(), ['ANY /pets/{id}', 'GET /pets', 'POST /pets']);
    const after = await client().send(new GetStageCommand({ ApiId: api.ApiId, StageName: '$default' }));
    assert.notEqual(after.DeploymentId, before.DeploymentId);
  });

  it('exports an API as JSON and YAML, and the export imports back to the same API', async () => {
    const api = await client().send(new CreateApiCommand({ Name: 'pets', ProtocolType: 'HTTP', Version: '1' }));
    const integration = await client().send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: LAMBDA, PayloadFormatVersion: '2.0' }));
    const authorizer = await client().send(new CreateAuthorizerCommand({
      ApiId: api.ApiId, Name: 'lambda', AuthorizerType: 'REQUEST', AuthorizerUri: LAMBDA, AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true, IdentitySource: ['$request.header.Authorization'],
    }));
    await client().send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /pets/{id}', Target: `integrations/${integration.IntegrationId!}`, AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId }));
    await client().send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: '$default', Target: `integrations/${integration.IntegrationId!}` }));

    const json = await client().send(new ExportApiCommand({ ApiId: api.ApiId, Specification: 'OAS30', OutputType: 'JSON' }));
    const document = JSON.parse(Buffer.from(json.body!).toString('utf8')) as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
    assert.equal(document.openapi, '3.0.1');
    const operation = document.paths['/pets/{id}'].get;
    assert.deepEqual(operation['x-amazon-apigateway-integration'], { type: 'aws_proxy', uri: LAMBDA, httpMethod: 'POST', payloadFormatVersion: '2.0', connectionType: 'INTERNET', timeoutInMillis: 30000 });
    assert.deepEqual(operation.security, [{ lambda: [] }]);
    assert.ok(document.paths.$default['x-amazon-apigateway-any-method']);

    const yaml = await client().send(new ExportApiCommand({ ApiId: api.ApiId, Specification: 'OAS30', OutputType: 'YAML', IncludeExtensions: false }));
    const text = Buffer.from(yaml.body!).toString('utf8');
    assert.match(text, /^openapi: 3\.0\.1$/m);
    assert.doesNotMatch(text, /x-amazon-apigateway-integration/);

    const copy = await client().send(new ImportApiCommand({ Body: Buffer.from(json.body!).toString('utf8') }));
    const copied = (await client().send(new GetRoutesCommand({ ApiId: copy.ApiId }))).Items!;
    assert.deepEqual(copied.map((route) => [route.RouteKey, route.AuthorizationType]).sort(), [['$default', 'NONE'], ['GET /pets/{id}', 'CUSTOM']]);
    const [copiedAuthorizer] = (await client().send(new GetAuthorizersCommand({ ApiId: copy.ApiId }))).Items!;
    assert.deepEqual([copiedAuthorizer.AuthorizerPayloadFormatVersion, copiedAuthorizer.EnableSimpleResponses], ['2.0', true]);
    assert.equal((await client().send(new GetApiCommand({ ApiId: copy.ApiId }))).Version, '1');
  });

  it('exports what a stage serves, and refuses WebSocket APIs', async () => {
    const api = await client().send(new CreateApiCommand({ Name: 'pets', ProtocolType: 'HTTP', Target: LAMBDA, RouteKey: 'GET /live' }));
    await client().send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'empty' }));
    await rejectsWith(client().send(new ExportApiCommand({ ApiId: api.ApiId, Specification: 'OAS30', OutputType: 'JSON', StageName: 'empty' })), 'BadRequestException', 'Stage empty has no deployment to export', 400);
    const exported = await client().send(new ExportApiCommand({ ApiId: api.ApiId, Specification: 'OAS30', OutputType: 'JSON', StageName: '$default' }));
    const document = JSON.parse(Buffer.from(exported.body!).toString('utf8')) as { paths: Record<string, unknown> };
    assert.deepEqual(Object.keys(document.paths), ['/live']);
    const ws = await client().send(new CreateApiCommand({ Name: 'chat', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    await rejectsWith(client().send(new ExportApiCommand({ ApiId: ws.ApiId, Specification: 'OAS30', OutputType: 'JSON' })), 'BadRequestException', 'Only HTTP APIs can be exported', 400);
  });
});
