import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  APIGatewayClient, CreateDeploymentCommand, CreateModelCommand, CreateRequestValidatorCommand, CreateResourceCommand, CreateRestApiCommand,
  DeleteGatewayResponseCommand, GetGatewayResponseCommand, GetGatewayResponsesCommand, PutGatewayResponseCommand, PutIntegrationCommand,
  PutIntegrationResponseCommand, PutMethodCommand, UpdateGatewayResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

const DEFAULT_TEMPLATE = { 'application/json': '{"message":$context.error.messageString}' };

describe('API Gateway gateway responses', () => {
  const nimbus = useNimbus();
  const apigw = (): APIGatewayClient => new APIGatewayClient(clientSettings(nimbus()));
  const url = (apiId: string, path: string): string => `${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_${path}`;

  /**
   * /ok: MOCK 200; /strict: POST validated against a model; /keyed: needs an API key; /broken: MOCK
   * without integration responses (an API configuration error).
   */
  async function api(): Promise<string> {
    const created = await apigw().send(new CreateRestApiCommand({ name: 'responses' }));
    const restApiId = created.id!;
    await apigw().send(new CreateModelCommand({ restApiId, name: 'Pet', contentType: 'application/json', schema: '{"type":"object","required":["name"]}' }));
    const validator = await apigw().send(new CreateRequestValidatorCommand({ restApiId, name: 'all', validateRequestBody: true, validateRequestParameters: true }));
    const routes: { part: string; method: string; extra?: Record<string, unknown>; responds: boolean }[] = [
      { part: 'ok', method: 'GET', responds: true },
      { part: 'strict', method: 'POST', extra: { requestValidatorId: validator.id, requestModels: { 'application/json': 'Pet' }, requestParameters: { 'method.request.header.x-need': true } }, responds: true },
      { part: 'keyed', method: 'GET', extra: { apiKeyRequired: true }, responds: true },
      { part: 'broken', method: 'GET', responds: false },
    ];
    for (const route of routes) {
      const resource = await apigw().send(new CreateResourceCommand({ restApiId, parentId: created.rootResourceId, pathPart: route.part }));
      await apigw().send(new PutMethodCommand({ restApiId, resourceId: resource.id, httpMethod: route.method, authorizationType: 'NONE', ...route.extra }));
      await apigw().send(new PutIntegrationCommand({ restApiId, resourceId: resource.id, httpMethod: route.method, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
      if (route.responds) await apigw().send(new PutIntegrationResponseCommand({ restApiId, resourceId: resource.id, httpMethod: route.method, statusCode: '200', responseTemplates: { 'application/json': '{}' } }));
    }
    return restApiId;
  }

  it('lists the default set with AWS status codes', async () => {
    const restApiId = await api();
    const all = (await apigw().send(new GetGatewayResponsesCommand({ restApiId }))).items ?? [];
    assert.equal(all.length, 21);
    const byType = new Map(all.map((response) => [response.responseType ?? '', response]));
    const expected: [string, string | undefined][] = [
      ['DEFAULT_4XX', undefined], ['DEFAULT_5XX', undefined], ['MISSING_AUTHENTICATION_TOKEN', '403'], ['UNAUTHORIZED', '401'], ['ACCESS_DENIED', '403'],
      ['THROTTLED', '429'], ['QUOTA_EXCEEDED', '429'], ['API_CONFIGURATION_ERROR', '500'], ['INTEGRATION_TIMEOUT', '504'], ['REQUEST_TOO_LARGE', '413'],
      ['UNSUPPORTED_MEDIA_TYPE', '415'], ['BAD_REQUEST_BODY', '400'], ['RESOURCE_NOT_FOUND', '404'], ['INVALID_API_KEY', '403'],
    ];
    for (const [type, status] of expected) {
      assert.equal(byType.get(type)?.statusCode, status, type);
      assert.equal(byType.get(type)?.defaultResponse, true, type);
      assert.deepEqual(byType.get(type)?.responseTemplates, DEFAULT_TEMPLATE, type);
    }
    const page = await apigw().send(new GetGatewayResponsesCommand({ restApiId, limit: 5 }));
    assert.equal(page.items?.length, 5);
    assert.ok(page.position);
  });

  it('puts, updates and deletes a customized response', async () => {
    const restApiId = await api();
    const put = await apigw().send(new PutGatewayResponseCommand({
      restApiId, responseType: 'UNAUTHORIZED', statusCode: '403', responseParameters: { 'gatewayresponse.header.x-why': "'auth'" }, responseTemplates: { 'application/json': '{"why":"auth"}' },
    }));
    assert.deepEqual([put.statusCode, put.defaultResponse], ['403', false]);
    const updated = await apigw().send(new UpdateGatewayResponseCommand({
      restApiId, responseType: 'UNAUTHORIZED', patchOperations: [
        { op: 'replace', path: '/statusCode', value: '401' },
        { op: 'add', path: '/responseParameters/gatewayresponse.header.x-more', value: "'yes'" },
        { op: 'remove', path: '/responseTemplates/application~1json' },
      ],
    }));
    assert.equal(updated.statusCode, '401');
    assert.deepEqual(updated.responseParameters, { 'gatewayresponse.header.x-why': "'auth'", 'gatewayresponse.header.x-more': "'yes'" });
    assert.deepEqual(updated.responseTemplates, {});
    // Updating a default response customizes it from its defaults.
    const fromDefault = await apigw().send(new UpdateGatewayResponseCommand({ restApiId, responseType: 'THROTTLED', patchOperations: [{ op: 'replace', path: '/statusCode', value: '503' }] }));
    assert.deepEqual([fromDefault.statusCode, fromDefault.defaultResponse, fromDefault.responseTemplates], ['503', false, DEFAULT_TEMPLATE]);
    await apigw().send(new DeleteGatewayResponseCommand({ restApiId, responseType: 'UNAUTHORIZED' }));
    const restored = await apigw().send(new GetGatewayResponseCommand({ restApiId, responseType: 'UNAUTHORIZED' }));
    assert.deepEqual([restored.statusCode, restored.defaultResponse, restored.responseParameters], ['401', true, {}]);
  });

  const errors: { name: string; send: (restApiId: string) => Promise<unknown>; code: string; message: string; status: number }[] = [
    {
      name: 'a response parameter that is not a header', code: 'BadRequestException', status: 400,
      send: (restApiId) => apigw().send(new PutGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX', responseParameters: { 'method.response.header.x': "'a'" } })),
      message: 'Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression parameter specified: method.response.header.x]',
    },
    {
      name: 'deleting a response that was never customized', code: 'NotFoundException', status: 404,
      send: (restApiId) => apigw().send(new DeleteGatewayResponseCommand({ restApiId, responseType: 'THROTTLED' })), message: 'Invalid Gateway Response identifier specified',
    },
    {
      name: 'a response of a missing API', code: 'NotFoundException', status: 404,
      send: () => apigw().send(new GetGatewayResponseCommand({ restApiId: 'missing000', responseType: 'THROTTLED' })), message: 'Invalid API identifier specified 000000000000:missing000',
    },
  ];
  for (const error of errors) {
    it(`rejects ${error.name}`, async () => {
      const restApiId = await api();
      await assert.rejects(error.send(restApiId), (thrown: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(thrown.name, error.code);
        assert.equal(thrown.message, error.message);
        assert.equal(thrown.$metadata?.httpStatusCode, error.status);
        return true;
      });
    });
  }

  it('answers with the default gateway responses until customized ones are deployed', async () => {
    const restApiId = await api();
    await apigw().send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    const defaults: { path: string; init?: RequestInit; status: number; body: unknown; errorType: string }[] = [
      { path: '/nowhere', status: 403, body: { message: 'Missing Authentication Token' }, errorType: 'MissingAuthenticationTokenException' },
      { path: '/keyed', status: 403, body: { message: 'Forbidden' }, errorType: 'ForbiddenException' },
      { path: '/strict', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, status: 400, body: { message: 'Missing required request parameters: [x-need]' }, errorType: 'BadRequestException' },
      { path: '/strict', init: { method: 'POST', headers: { 'content-type': 'application/json', 'x-need': '1' }, body: '{}' }, status: 400, body: { message: 'Invalid request body' }, errorType: 'BadRequestException' },
      { path: '/broken', status: 500, body: { message: 'Internal server error' }, errorType: 'InternalServerErrorException' },
    ];
    for (const expected of defaults) {
      const response = await fetch(url(restApiId, expected.path), expected.init);
      assert.equal(response.status, expected.status, expected.path);
      assert.equal(response.headers.get('x-amzn-errortype'), expected.errorType, expected.path);
      assert.deepEqual(await response.json(), expected.body, expected.path);
    }

    await apigw().send(new PutGatewayResponseCommand({
      restApiId, responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404',
      responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'", 'gatewayresponse.header.x-asked': 'method.request.header.x-probe' },
      responseTemplates: { 'application/json': '{"error":$context.error.messageString,"type":"$context.error.responseType","stage":"$context.stage"}' },
    }));
    await apigw().send(new PutGatewayResponseCommand({
      restApiId, responseType: 'DEFAULT_4XX', responseParameters: { 'gatewayresponse.header.x-family': "'4xx'" },
      responseTemplates: { 'application/json': '{"oops":"$context.error.message"}' },
    }));
    await apigw().send(new PutGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_5XX', statusCode: '503' }));
    // Not deployed yet: the stage still answers with the defaults.
    const before = await fetch(url(restApiId, '/nowhere'));
    assert.equal(before.status, 403);
    await apigw().send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));

    const missing = await fetch(url(restApiId, '/nowhere'), { headers: { 'x-probe': 'hello' } });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('access-control-allow-origin'), '*');
    assert.equal(missing.headers.get('x-asked'), 'hello');
    assert.deepEqual(await missing.json(), { error: 'Missing Authentication Token', type: 'MISSING_AUTHENTICATION_TOKEN', stage: 'prod' });
    // DEFAULT_4XX restyles every 4XX without a customization of its own, keeping each one's status code.
    const keyed = await fetch(url(restApiId, '/keyed'));
    assert.equal(keyed.status, 403);
    assert.equal(keyed.headers.get('x-family'), '4xx');
    assert.deepEqual(await keyed.json(), { oops: 'Forbidden' });
    const invalid = await fetch(url(restApiId, '/strict'), { method: 'POST', headers: { 'content-type': 'application/json', 'x-need': '1' }, body: '{}' });
    assert.equal(invalid.status, 400);
    assert.deepEqual(await invalid.json(), { oops: 'Invalid request body' });
    // DEFAULT_5XX with a status code changes the status of every 5XX; without templates the body stays.
    const broken = await fetch(url(restApiId, '/broken'));
    assert.equal(broken.status, 503);
    assert.deepEqual(await broken.json(), { message: 'Internal server error' });
    const fine = await fetch(url(restApiId, '/ok'));
    assert.equal(fine.status, 200);
    assert.equal(fine.headers.get('x-family'), null);
  });
});
