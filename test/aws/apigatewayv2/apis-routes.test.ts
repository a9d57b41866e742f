/**
 * API Gateway v2 control plane through @aws-sdk/client-apigatewayv2: APIs (with quick create), routes,
 * integrations and authorizers, their defaults and AWS's validation errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ApiGatewayV2Client, CreateApiCommand, CreateAuthorizerCommand, CreateIntegrationCommand, CreateRouteCommand, DeleteApiCommand, DeleteAuthorizerCommand,
  DeleteCorsConfigurationCommand, DeleteIntegrationCommand, DeleteRouteCommand, GetApiCommand, GetApisCommand, GetAuthorizerCommand, GetAuthorizersCommand,
  GetIntegrationCommand, GetIntegrationsCommand, GetRouteCommand, GetRoutesCommand, GetStagesCommand, UpdateApiCommand, UpdateAuthorizerCommand,
  UpdateIntegrationCommand, UpdateRouteCommand,
} from '@aws-sdk/client-apigatewayv2';
import { rejectsWith } from '../../helpers/assertions.js';
import { rejection } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:000000000000:function:handler';
const API_ID = /^[a-z0-9]{10}$/;
const CHILD_ID = /^[a-z0-9]{7}$/;

describe('API Gateway v2 APIs, routes, integrations and authorizers', () => {
  const nimbus = useNimbus();
  const client = (): ApiGatewayV2Client => new ApiGatewayV2Client(clientSettings(nimbus()));
  const port = (): string => new URL(nimbus().endpoint).port;

  async function httpApi(): Promise<string> {
    const api = await client().send(new CreateApiCommand({ Name: 'pets', ProtocolType: 'HTTP' }));
    return api.ApiId!;
  }

  async function lambdaIntegration(apiId: string): Promise<string> {
    const integration = await client().send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: LAMBDA, PayloadFormatVersion: '2.0' }));
    return integration.IntegrationId!;
  }

  it('creates HTTP and WebSocket APIs with AWS defaults and local endpoints', async () => {
    const http = await client().send(new CreateApiCommand({ Name: 'pets', ProtocolType: 'HTTP', Description: 'Pet store', Tags: { team: 'a' } }));
    assert.match(http.ApiId!, API_ID);
    assert.equal(http.ApiEndpoint, `http://${http.ApiId!}.execute-api.localhost:${port()}`);
    assert.equal(http.RouteSelectionExpression, '${request.method} ${request.path}');
    assert.equal(http.ApiKeySelectionExpression, '$request.header.x-api-key');
    assert.equal(http.DisableExecuteApiEndpoint, false);
    assert.ok(http.CreatedDate instanceof Date);
    assert.deepEqual(http.Tags, { team: 'a' });

    const ws = await client().send(new CreateApiCommand({ Name: 'chat', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    assert.equal(ws.ApiEndpoint, `ws://${ws.ApiId!}.execute-api.localhost:${port()}`);
    assert.equal(ws.RouteSelectionExpression, '$request.body.action');
    assert.equal(ws.DisableSchemaValidation, false);

    const listed = await client().send(new GetApisCommand({}));
    assert.deepEqual(listed.Items?.map((api) => api.Name).sort(), ['chat', 'pets']);
    const got = await client().send(new GetApiCommand({ ApiId: http.ApiId }));
    assert.equal(got.Description, 'Pet store');
  });

  it('pages GetApis with MaxResults and NextToken', async () => {
    for (const name of ['a', 'b', 'c']) await client().send(new CreateApiCommand({ Name: name, ProtocolType: 'HTTP' }));
    const first = await client().send(new GetApisCommand({ MaxResults: '2' }));
    assert.equal(first.Items?.length, 2);
    assert.ok(first.NextToken);
    const second = await client().send(new GetApisCommand({ MaxResults: '2', NextToken: first.NextToken }));
    assert.equal(second.Items?.length, 1);
    assert.equal(second.NextToken, undefined);
    const names = [...(first.Items ?? []), ...(second.Items ?? [])].map((api) => api.Name).sort();
    assert.deepEqual(names, ['a', 'b', 'c']);
  });

  it('quick-creates a Lambda API: AWS_PROXY 2.0 integration, a route and an auto-deployed $default stage', async () => {
    const api = await client().send(new CreateApiCommand({ Name: 'quick', ProtocolType: 'HTTP', Target: LAMBDA, RouteKey: 'GET /hello' }));
    const [route] = (await client().send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!;
    assert.equal(route.RouteKey, 'GET /hello');
    assert.equal(route.ApiGatewayManaged, true);
    const [integration] = (await client().send(new GetIntegrationsCommand({ ApiId: api.ApiId }))).Items!;
    assert.equal(route.Target, `integrations/${integration.IntegrationId!}`);
    assert.deepEqual(
      { type: integration.IntegrationType, method: integration.IntegrationMethod, version: integration.PayloadFormatVersion, timeout: integration.TimeoutInMillis, uri: integration.IntegrationUri },
      { type: 'AWS_PROXY', method: 'POST', version: '2.0', timeout: 30000, uri: LAMBDA },
    );
    const [stage] = (await client().send(new GetStagesCommand({ ApiId: api.ApiId }))).Items!;
    assert.equal(stage.StageName, '$default');
    assert.equal(stage.AutoDeploy, true);
    assert.ok(stage.DeploymentId);
    assert.equal(stage.LastDeploymentStatusMessage, `Successfully deployed stage with deployment ID '${stage.DeploymentId ?? ''}'`);
  });

  it('quick-creates an HTTP_PROXY API for a URL with the $default route, and UpdateApi retargets it', async () => {
    const api = await client().send(new CreateApiCommand({ Name: 'proxy', ProtocolType: 'HTTP', Target: 'https://example.com' }));
    const [integration] = (await client().send(new GetIntegrationsCommand({ ApiId: api.ApiId }))).Items!;
    assert.deepEqual([integration.IntegrationType, integration.IntegrationMethod, integration.PayloadFormatVersion], ['HTTP_PROXY', 'ANY', '1.0']);
    const [route] = (await client().send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!;
    assert.equal(route.RouteKey, '$default');

    await client().send(new UpdateApiCommand({ ApiId: api.ApiId, Target: LAMBDA, RouteKey: 'ANY /{proxy+}' }));
    const [updated] = (await client().send(new GetIntegrationsCommand({ ApiId: api.ApiId }))).Items!;
    assert.equal(updated.IntegrationId, integration.IntegrationId);
    assert.deepEqual([updated.IntegrationType, updated.IntegrationUri, updated.PayloadFormatVersion], ['AWS_PROXY', LAMBDA, '2.0']);
    const [moved] = (await client().send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!;
    assert.equal(moved.RouteKey, 'ANY /{proxy+}');
  });

  it('updates API settings and deletes the CORS configuration', async () => {
    const apiId = await httpApi();
    const updated = await client().send(new UpdateApiCommand({ ApiId: apiId, Name: 'renamed', CorsConfiguration: { AllowOrigins: ['*'], AllowMethods: ['GET'] }, DisableExecuteApiEndpoint: true }));
    assert.equal(updated.Name, 'renamed');
    assert.deepEqual(updated.CorsConfiguration, { AllowOrigins: ['*'], AllowMethods: ['GET'] });
    assert.equal(updated.DisableExecuteApiEndpoint, true);
    await client().send(new DeleteCorsConfigurationCommand({ ApiId: apiId }));
    const got = await client().send(new GetApiCommand({ ApiId: apiId }));
    assert.equal(got.CorsConfiguration, undefined);
  });

  it('rejects invalid APIs', async () => {
    const cases: [string, ConstructorParameters<typeof CreateApiCommand>[0], string | RegExp][] = [
      ['WebSocket without a route selection expression', { Name: 'ws', ProtocolType: 'WEBSOCKET' }, 'RouteSelectionExpression is required for WEBSOCKET APIs'],
      ['quick create on WebSocket', { Name: 'ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action', Target: LAMBDA }, /supported only for HTTP APIs/],
      ['RouteKey without Target', { Name: 'h', ProtocolType: 'HTTP', RouteKey: 'GET /x' }, /require a Target/],
      ['CORS on WebSocket', { Name: 'ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action', CorsConfiguration: { AllowOrigins: ['*'] } }, 'CORS configuration is supported only for HTTP APIs'],
      ['foreign route selection on HTTP', { Name: 'h', ProtocolType: 'HTTP', RouteSelectionExpression: '$request.body.action' }, /Unsupported route selection expression/],
    ];
    for (const [label, input, message] of cases) {
      await rejectsWith(client().send(new CreateApiCommand(input)), 'BadRequestException', message, 400).catch((error: unknown) => assert.fail(`${label}: ${String(error)}`));
    }
  });

  it('answers NotFoundException naming the account and id, and deletes APIs', async () => {
    await rejectsWith(client().send(new GetApiCommand({ ApiId: 'missing000' })), 'NotFoundException', 'Invalid API identifier specified 000000000000:missing000', 404);
    const apiId = await httpApi();
    await client().send(new DeleteApiCommand({ ApiId: apiId }));
    await rejectsWith(client().send(new GetRoutesCommand({ ApiId: apiId })), 'NotFoundException', `Invalid API identifier specified 000000000000:${apiId}`, 404);
  });

  it('creates, reads, updates and deletes routes', async () => {
    const apiId = await httpApi();
    const integrationId = await lambdaIntegration(apiId);
    const route = await client().send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /pets/{id}', Target: `integrations/${integrationId}` }));
    assert.match(route.RouteId!, CHILD_ID);
    assert.equal(route.AuthorizationType, 'NONE');
    assert.equal(route.ApiKeyRequired, false);
    const got = await client().send(new GetRouteCommand({ ApiId: apiId, RouteId: route.RouteId }));
    assert.equal(got.RouteKey, 'GET /pets/{id}');
    const updated = await client().send(new UpdateRouteCommand({ ApiId: apiId, RouteId: route.RouteId, RouteKey: 'POST /pets/{id}', OperationName: 'addPet' }));
    assert.deepEqual([updated.RouteKey, updated.OperationName, updated.Target], ['POST /pets/{id}', 'addPet', `integrations/${integrationId}`]);
    await client().send(new DeleteRouteCommand({ ApiId: apiId, RouteId: route.RouteId }));
    await rejectsWith(client().send(new GetRouteCommand({ ApiId: apiId, RouteId: route.RouteId })), 'NotFoundException', `Invalid Route identifier specified ${route.RouteId!}`, 404);
  });

  it('validates HTTP route keys', async () => {
    const apiId = await httpApi();
    for (const routeKey of ['$default', 'ANY /', 'GET /pets', 'DELETE /pets/{id}', 'ANY /{proxy+}', 'GET /files/{path+}']) {
      const route = await client().send(new CreateRouteCommand({ ApiId: apiId, RouteKey: routeKey }));
      assert.equal(route.RouteKey, routeKey);
    }
    for (const routeKey of ['FETCH /pets', 'GET pets', 'GET /{proxy+}/more', 'get /pets', 'GET', '$connect', 'GET /a//b']) {
      await rejectsWith(client().send(new CreateRouteCommand({ ApiId: apiId, RouteKey: routeKey })), 'BadRequestException', /./, 400);
    }
    await rejectsWith(client().send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /pets' })), 'ConflictException', 'Route with key GET /pets already exists for this API', 409);
  });

  it('validates WebSocket route keys and authorization on $connect only', async () => {
    const ws = await client().send(new CreateApiCommand({ Name: 'chat', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    for (const routeKey of ['$connect', '$disconnect', '$default', 'sendMessage']) {
      await client().send(new CreateRouteCommand({ ApiId: ws.ApiId, RouteKey: routeKey }));
    }
    await rejectsWith(client().send(new CreateRouteCommand({ ApiId: ws.ApiId, RouteKey: '$other' })), 'BadRequestException', /reserved/, 400);
    const authorizer = await client().send(new CreateAuthorizerCommand({
      ApiId: ws.ApiId, Name: 'auth', AuthorizerType: 'REQUEST', AuthorizerUri: LAMBDA, IdentitySource: ['route.request.header.Auth'],
    }));
    const routes = (await client().send(new GetRoutesCommand({ ApiId: ws.ApiId }))).Items!;
    const byKey = (key: string): string => routes.find((route) => route.RouteKey === key)!.RouteId!;
    const connect = await client().send(new UpdateRouteCommand({ ApiId: ws.ApiId, RouteId: byKey('$connect'), AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId }));
    assert.equal(connect.AuthorizerId, authorizer.AuthorizerId);
    await rejectsWith(
      client().send(new UpdateRouteCommand({ ApiId: ws.ApiId, RouteId: byKey('sendMessage'), AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId })),
      'BadRequestException', 'Currently, authorization is restricted to the $connect route only', 400);
  });

  it('checks route targets and authorizers exist', async () => {
    const apiId = await httpApi();
    await rejectsWith(client().send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /a', Target: 'integrations/abc1234' })), 'NotFoundException', 'Invalid Integration identifier specified abc1234', 404);
    await rejectsWith(client().send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /a', Target: 'lambda' })), 'BadRequestException', /integrations\/\{integrationId\}/, 400);
    await rejectsWith(client().send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /a', AuthorizationType: 'JWT' })), 'BadRequestException', 'An AuthorizerId is required for authorization type JWT', 400);
    await rejectsWith(client().send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /a', AuthorizationType: 'JWT', AuthorizerId: 'nope123' })), 'NotFoundException', 'Invalid Authorizer identifier specified nope123', 404);
    const lambdaAuthorizer = await client().send(new CreateAuthorizerCommand({
      ApiId: apiId, Name: 'lambda', AuthorizerType: 'REQUEST', AuthorizerUri: LAMBDA, AuthorizerPayloadFormatVersion: '2.0', IdentitySource: ['$request.header.Authorization'],
    }));
    await rejectsWith(
      client().send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /a', AuthorizationType: 'JWT', AuthorizerId: lambdaAuthorizer.AuthorizerId })),
      'BadRequestException', /requires an authorizer of type JWT/, 400);
    const route = await client().send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /a', AuthorizationType: 'CUSTOM', AuthorizerId: lambdaAuthorizer.AuthorizerId }));
    assert.equal(route.AuthorizationType, 'CUSTOM');
    await rejectsWith(client().send(new DeleteAuthorizerCommand({ ApiId: apiId, AuthorizerId: lambdaAuthorizer.AuthorizerId })), 'ConflictException', /in use by route GET \/a/, 409);
  });

  it('drops a route authorizer and scopes when its authorization type changes', async () => {
    const apiId = await httpApi();
    const jwt = await client().send(new CreateAuthorizerCommand({
      ApiId: apiId, Name: 'jwt', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Issuer: 'https://issuer.example.com' },
    }));
    const route = await client().send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /a', AuthorizationType: 'JWT', AuthorizerId: jwt.AuthorizerId, AuthorizationScopes: ['read'] }));
    assert.deepEqual(route.AuthorizationScopes, ['read']);
    await rejectsWith(
      client().send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /b', AuthorizationScopes: ['read'] })),
      'BadRequestException', 'AuthorizationScopes are supported only for JWT authorization', 400);
    const open = await client().send(new UpdateRouteCommand({ ApiId: apiId, RouteId: route.RouteId, AuthorizationType: 'NONE' }));
    assert.deepEqual([open.AuthorizationType, open.AuthorizerId, open.AuthorizationScopes], ['NONE', undefined, undefined]);
  });

  it('creates integrations with the defaults of each protocol', async () => {
    const apiId = await httpApi();
    const lambda = await client().send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: LAMBDA, PayloadFormatVersion: '1.0' }));
    assert.deepEqual(
      [lambda.ConnectionType, lambda.IntegrationMethod, lambda.PayloadFormatVersion, lambda.TimeoutInMillis],
      ['INTERNET', 'POST', '1.0', 30000],
    );
    const http = await client().send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'HTTP_PROXY', IntegrationUri: 'https://example.com/{proxy}', IntegrationMethod: 'GET', TimeoutInMillis: 5000 }));
    assert.deepEqual([http.PayloadFormatVersion, http.TimeoutInMillis, http.IntegrationMethod], ['1.0', 5000, 'GET']);

    const ws = await client().send(new CreateApiCommand({ Name: 'chat', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    const mock = await client().send(new CreateIntegrationCommand({ ApiId: ws.ApiId, IntegrationType: 'MOCK' }));
    assert.deepEqual(
      [mock.PassthroughBehavior, mock.PayloadFormatVersion, mock.TimeoutInMillis, mock.IntegrationResponseSelectionExpression],
      ['WHEN_NO_MATCH', '1.0', 29000, '${integration.response.statuscode}'],
    );
    const wsLambda = await client().send(new CreateIntegrationCommand({ ApiId: ws.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: LAMBDA }));
    assert.deepEqual([wsLambda.IntegrationMethod, wsLambda.PayloadFormatVersion], ['POST', '1.0']);
  });

  it('rejects integrations AWS rejects', async () => {
    const apiId = await httpApi();
    const ws = await client().send(new CreateApiCommand({ Name: 'chat', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    const cases: [string, ConstructorParameters<typeof CreateIntegrationCommand>[0], string | RegExp][] = [
      ['AWS on HTTP', { ApiId: apiId, IntegrationType: 'AWS', IntegrationUri: LAMBDA }, 'Currently, an API with a protocol type of HTTP may only be associated with proxy integrations (AWS_PROXY, HTTP_PROXY)'],
      ['Lambda without a payload version', { ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: LAMBDA }, /PayloadFormatVersion is required/],
      ['payload version 3.0', { ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: LAMBDA, PayloadFormatVersion: '3.0' }, /Unsupported payload format version 3.0/],
      ['HTTP_PROXY with 2.0', { ApiId: apiId, IntegrationType: 'HTTP_PROXY', IntegrationUri: 'https://example.com', IntegrationMethod: 'GET', PayloadFormatVersion: '2.0' }, /HTTP_PROXY integrations support only 1.0/],
      ['HTTP_PROXY without a method', { ApiId: apiId, IntegrationType: 'HTTP_PROXY', IntegrationUri: 'https://example.com' }, 'IntegrationMethod is required for HTTP_PROXY integrations'],
      ['WebSocket with 2.0', { ApiId: ws.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: LAMBDA, PayloadFormatVersion: '2.0' }, /WebSocket APIs support only 1.0/],
      ['WebSocket over 29 s', { ApiId: ws.ApiId, IntegrationType: 'MOCK', TimeoutInMillis: 30000 }, 'TimeoutInMillis must be between 50 and 29000 for WebSocket APIs'],
    ];
    for (const [label, input, message] of cases) {
      await rejectsWith(client().send(new CreateIntegrationCommand(input)), 'BadRequestException', message, 400).catch((error: unknown) => assert.fail(`${label}: ${String(error)}`));
    }
    // The model's own range (50 to 30000) is checked before the operation runs.
    const low = await rejection(client().send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: LAMBDA, PayloadFormatVersion: '2.0', TimeoutInMillis: 10 })));
    assert.equal(low.$metadata.httpStatusCode, 400);
  });

  it('updates, lists and deletes integrations, refusing to delete one a route targets', async () => {
    const apiId = await httpApi();
    const integrationId = await lambdaIntegration(apiId);
    const updated = await client().send(new UpdateIntegrationCommand({ ApiId: apiId, IntegrationId: integrationId, PayloadFormatVersion: '1.0', Description: 'v1 events' }));
    assert.deepEqual([updated.PayloadFormatVersion, updated.Description, updated.IntegrationUri], ['1.0', 'v1 events', LAMBDA]);
    const retyped = await client().send(new UpdateIntegrationCommand({ ApiId: apiId, IntegrationId: integrationId, IntegrationType: 'HTTP_PROXY', IntegrationUri: 'https://example.com', IntegrationMethod: 'ANY' }));
    assert.deepEqual([retyped.IntegrationType, retyped.PayloadFormatVersion, retyped.IntegrationMethod], ['HTTP_PROXY', '1.0', 'ANY']);
    const route = await client().send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /a', Target: `integrations/${integrationId}` }));
    await rejectsWith(client().send(new DeleteIntegrationCommand({ ApiId: apiId, IntegrationId: integrationId })), 'ConflictException', /target of route GET \/a/, 409);
    await client().send(new DeleteRouteCommand({ ApiId: apiId, RouteId: route.RouteId }));
    await client().send(new DeleteIntegrationCommand({ ApiId: apiId, IntegrationId: integrationId }));
    assert.deepEqual((await client().send(new GetIntegrationsCommand({ ApiId: apiId }))).Items, []);
    await rejectsWith(client().send(new GetIntegrationCommand({ ApiId: apiId, IntegrationId: integrationId })), 'NotFoundException', `Invalid Integration identifier specified ${integrationId}`, 404);
  });

  it('creates JWT and Lambda authorizers and validates them', async () => {
    const apiId = await httpApi();
    const jwt = await client().send(new CreateAuthorizerCommand({
      ApiId: apiId, Name: 'cognito', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: 'https://issuer.example.com', Audience: ['client-1'] },
    }));
    assert.match(jwt.AuthorizerId!, CHILD_ID);
    assert.deepEqual(jwt.JwtConfiguration, { Issuer: 'https://issuer.example.com', Audience: ['client-1'] });
    const lambda = await client().send(new CreateAuthorizerCommand({
      ApiId: apiId, Name: 'lambda', AuthorizerType: 'REQUEST', AuthorizerUri: LAMBDA, AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true,
      AuthorizerResultTtlInSeconds: 300, IdentitySource: ['$request.header.Authorization', '$request.querystring.token'],
    }));
    assert.deepEqual([lambda.EnableSimpleResponses, lambda.AuthorizerResultTtlInSeconds], [true, 300]);
    const renamed = await client().send(new UpdateAuthorizerCommand({ ApiId: apiId, AuthorizerId: jwt.AuthorizerId, Name: 'renamed' }));
    assert.equal(renamed.Name, 'renamed');
    assert.equal((await client().send(new GetAuthorizerCommand({ ApiId: apiId, AuthorizerId: jwt.AuthorizerId }))).Name, 'renamed');
    assert.equal((await client().send(new GetAuthorizersCommand({ ApiId: apiId }))).Items?.length, 2);

    const cases: [string, Omit<ConstructorParameters<typeof CreateAuthorizerCommand>[0], 'ApiId' | 'Name'>, string | RegExp][] = [
      ['JWT without configuration', { AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] }, 'JwtConfiguration with an Issuer is required for JWT authorizers'],
      ['JWT from a context variable', { AuthorizerType: 'JWT', IdentitySource: ['$context.identity'], JwtConfiguration: { Issuer: 'https://i' } }, 'Invalid identity source specified: $context.identity'],
      ['Lambda without a payload version', { AuthorizerType: 'REQUEST', AuthorizerUri: LAMBDA, IdentitySource: [] }, /AuthorizerPayloadFormatVersion is required/],
      ['simple responses with 1.0', { AuthorizerType: 'REQUEST', AuthorizerUri: LAMBDA, AuthorizerPayloadFormatVersion: '1.0', EnableSimpleResponses: true, IdentitySource: [] }, /EnableSimpleResponses is supported only/],
      ['caching without identity', { AuthorizerType: 'REQUEST', AuthorizerUri: LAMBDA, AuthorizerPayloadFormatVersion: '2.0', AuthorizerResultTtlInSeconds: 60, IdentitySource: [] }, 'IdentitySource is required when authorizer caching is enabled'],
      ['Lambda without a URI', { AuthorizerType: 'REQUEST', AuthorizerPayloadFormatVersion: '2.0', IdentitySource: [] }, 'AuthorizerUri is required for REQUEST authorizers'],
    ];
    for (const [label, input, message] of cases) {
      await rejectsWith(client().send(new CreateAuthorizerCommand({ ApiId: apiId, Name: 'bad', ...input })), 'BadRequestException', message, 400)
        .catch((error: unknown) => assert.fail(`${label}: ${String(error)}`));
    }
    const ws = await client().send(new CreateApiCommand({ Name: 'chat', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    await rejectsWith(
      client().send(new CreateAuthorizerCommand({ ApiId: ws.ApiId, Name: 'jwt', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Issuer: 'https://i' } })),
      'BadRequestException', 'WebSocket APIs support only REQUEST authorizers', 400);
    await client().send(new DeleteAuthorizerCommand({ ApiId: apiId, AuthorizerId: jwt.AuthorizerId }));
    await rejectsWith(client().send(new GetAuthorizerCommand({ ApiId: apiId, AuthorizerId: jwt.AuthorizerId })), 'NotFoundException', `Invalid Authorizer identifier specified ${jwt.AuthorizerId!}`, 404);
  });
});
