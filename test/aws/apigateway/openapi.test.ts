import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  APIGatewayClient, CreateDeploymentCommand, GetAuthorizersCommand, GetExportCommand, GetGatewayResponseCommand, GetIntegrationCommand, GetMethodCommand,
  GetModelsCommand, GetRequestValidatorsCommand, GetResourcesCommand, GetRestApiCommand, ImportRestApiCommand, PutRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import type { Resource } from '@aws-sdk/client-api-gateway';
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:pets';
const LAMBDA_URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FUNCTION_ARN}/invocations`;

const HANDLER = `
export const handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ resource: event.resource, proxy: event.pathParameters?.proxy ?? null, method: event.httpMethod }),
});
`;

/** A serverless-style OpenAPI 3 definition: MOCK and Lambda proxy methods, validators, models, an authorizer, gateway responses. */
const OAS30 = {
  openapi: '3.0.1',
  info: { title: 'pets', description: 'imported', version: '1.0' },
  'x-amazon-apigateway-binary-media-types': ['image/png'],
  'x-amazon-apigateway-api-key-source': 'HEADER',
  'x-amazon-apigateway-request-validators': { all: { validateRequestBody: true, validateRequestParameters: true } },
  'x-amazon-apigateway-gateway-responses': {
    MISSING_AUTHENTICATION_TOKEN: {
      statusCode: '404',
      responseParameters: { 'gatewayresponse.header.x-reason': "'no-route'" },
      responseTemplates: { 'application/json': '{"error":$context.error.messageString,"type":"$context.error.responseType"}' },
    },
  },
  paths: {
    '/pets': {
      get: {
        operationId: 'listPets',
        parameters: [{ name: 'limit', in: 'query', required: false, schema: { type: 'string' } }],
        responses: { 200: { description: 'ok', headers: { 'x-count': { schema: { type: 'string' } } }, content: { 'application/json': { schema: { $ref: '#/components/schemas/Pets' } } } } },
        'x-amazon-apigateway-integration': {
          type: 'mock',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          passthroughBehavior: 'when_no_templates',
          responses: { default: { statusCode: '200', responseParameters: { 'method.response.header.x-count': "'2'" }, responseTemplates: { 'application/json': '[{"name":"rex"},{"name":"tom"}]' } } },
        },
      },
      post: {
        'x-amazon-apigateway-request-validator': 'all',
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } }, required: true },
        security: [{ api_key: [] }],
        responses: { 201: { description: 'created' } },
        'x-amazon-apigateway-integration': {
          type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 201}' }, responses: { default: { statusCode: '201', responseTemplates: { 'application/json': '{"created":true}' } } },
        },
      },
    },
    '/pets/{petId}': {
      get: {
        parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'string' } }],
        security: [{ tokenAuth: [] }],
        responses: { 200: { description: 'ok' } },
        'x-amazon-apigateway-integration': {
          type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' }, responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"id":"$input.params(\'petId\')"}' } } },
        },
      },
    },
    '/files/{proxy+}': {
      'x-amazon-apigateway-any-method': {
        parameters: [{ name: 'proxy', in: 'path', required: true, schema: { type: 'string' } }],
        'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: LAMBDA_URI, passthroughBehavior: 'when_no_match' },
      },
    },
  },
  components: {
    schemas: {
      Pet: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      Pets: { type: 'array', items: { $ref: '#/components/schemas/Pet' } },
    },
    securitySchemes: {
      api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
      tokenAuth: {
        type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'custom',
        'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: LAMBDA_URI, authorizerResultTtlInSeconds: 60 },
      },
    },
  },
};

const SWAGGER_YAML = `
swagger: "2.0"
info:
  title: yaml-api
  version: "2"
basePath: /v1
paths:
  /hello:
    get:
      produces: [application/json]
      responses:
        "200":
          description: ok
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates:
          application/json: '{"statusCode": 200}'
        responses:
          default:
            statusCode: "200"
            responseTemplates:
              application/json: '{"hello":"yaml"}'
`;

const body = (document: unknown): Uint8Array => Buffer.from(JSON.stringify(document));

/** The API's shape without ids and dates: paths with their methods, integrations included. */
async function shapeOf(client: APIGatewayClient, restApiId: string): Promise<Record<string, unknown>> {
  const resources = (await client.send(new GetResourcesCommand({ restApiId, embed: ['methods'], limit: 500 }))).items ?? [];
  const strip = (resource: Resource): unknown => Object.fromEntries(Object.entries(resource.resourceMethods ?? {}).map(([verb, method]) => {
    const { authorizerId: _authorizer, requestValidatorId: _validator, methodIntegration, ...rest } = method;
    const { cacheNamespace: _namespace, ...integration } = methodIntegration ?? {};
    return [verb, { ...rest, authorizer: Boolean(method.authorizerId), validator: Boolean(method.requestValidatorId), integration }];
  }));
  return Object.fromEntries(resources.map((resource): [string, unknown] => [resource.path ?? '', strip(resource)]));
}

describe('REST APIs from and to OpenAPI', () => {
  const nimbus = useNimbus();
  const apigw = (): APIGatewayClient => new APIGatewayClient(clientSettings(nimbus()));
  const invokeUrl = (apiId: string, path: string): string => `${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_${path}`;

  async function createFunction(): Promise<void> {
    const lambda = new LambdaClient(clientSettings(nimbus()));
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'pets', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/r', Code: { ZipFile: await zip({ 'index.mjs': HANDLER }) },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'pets' });
  }

  it('imports an OpenAPI 3 definition that deploys and answers', async () => {
    await createFunction();
    const api = await apigw().send(new ImportRestApiCommand({ body: body(OAS30) }));
    assert.equal(api.name, 'pets');
    assert.equal(api.description, 'imported');
    assert.equal(api.version, '1.0');
    assert.deepEqual(api.binaryMediaTypes, ['image/png']);
    assert.equal(api.apiKeySource, 'HEADER');
    const restApiId = api.id!;
    const paths = ((await apigw().send(new GetResourcesCommand({ restApiId }))).items ?? []).map((resource) => resource.path).sort();
    assert.deepEqual(paths, ['/', '/files', '/files/{proxy+}', '/pets', '/pets/{petId}']);
    const models = ((await apigw().send(new GetModelsCommand({ restApiId }))).items ?? []).map((model) => model.name).sort();
    assert.deepEqual(models, ['Empty', 'Error', 'Pet', 'Pets']);
    const [authorizer] = (await apigw().send(new GetAuthorizersCommand({ restApiId }))).items ?? [];
    assert.equal(authorizer.name, 'tokenAuth');
    assert.equal(authorizer.type, 'TOKEN');
    assert.equal(authorizer.identitySource, 'method.request.header.Authorization');
    assert.equal(authorizer.authorizerResultTtlInSeconds, 60);
    const [validator] = (await apigw().send(new GetRequestValidatorsCommand({ restApiId }))).items ?? [];
    assert.deepEqual([validator.name, validator.validateRequestBody, validator.validateRequestParameters], ['all', true, true]);

    const resources = (await apigw().send(new GetResourcesCommand({ restApiId }))).items ?? [];
    const idOf = (path: string): string => resources.find((resource) => resource.path === path)!.id!;
    const list = await apigw().send(new GetMethodCommand({ restApiId, resourceId: idOf('/pets'), httpMethod: 'GET' }));
    assert.equal(list.operationName, 'listPets');
    assert.deepEqual(list.requestParameters, { 'method.request.querystring.limit': false });
    assert.deepEqual(list.methodResponses?.['200'].responseModels, { 'application/json': 'Pets' });
    assert.deepEqual(list.methodResponses?.['200'].responseParameters, { 'method.response.header.x-count': false });
    const create = await apigw().send(new GetMethodCommand({ restApiId, resourceId: idOf('/pets'), httpMethod: 'POST' }));
    assert.equal(create.apiKeyRequired, true);
    assert.equal(create.requestValidatorId, validator.id);
    assert.deepEqual(create.requestModels, { 'application/json': 'Pet' });
    const pet = await apigw().send(new GetMethodCommand({ restApiId, resourceId: idOf('/pets/{petId}'), httpMethod: 'GET' }));
    assert.deepEqual([pet.authorizationType, pet.authorizerId], ['CUSTOM', authorizer.id]);
    const proxy = await apigw().send(new GetIntegrationCommand({ restApiId, resourceId: idOf('/files/{proxy+}'), httpMethod: 'ANY' }));
    assert.deepEqual([proxy.type, proxy.httpMethod, proxy.uri, proxy.passthroughBehavior], ['AWS_PROXY', 'POST', LAMBDA_URI, 'WHEN_NO_MATCH']);
    const token = await apigw().send(new GetGatewayResponseCommand({ restApiId, responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
    assert.deepEqual([token.statusCode, token.defaultResponse], ['404', false]);

    await apigw().send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    const listed = await fetch(invokeUrl(restApiId, '/pets'));
    assert.equal(listed.status, 200);
    assert.equal(listed.headers.get('x-count'), '2');
    assert.deepEqual(await listed.json(), [{ name: 'rex' }, { name: 'tom' }]);
    const files = await fetch(invokeUrl(restApiId, '/files/a/b.txt'), { method: 'DELETE' });
    assert.equal(files.status, 200);
    assert.deepEqual(await files.json(), { resource: '/files/{proxy+}', proxy: 'a/b.txt', method: 'DELETE' });
    // The imported gateway response restyles the gateway's own "Missing Authentication Token".
    const missing = await fetch(invokeUrl(restApiId, '/nowhere'));
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('x-reason'), 'no-route');
    assert.deepEqual(await missing.json(), { error: 'Missing Authentication Token', type: 'MISSING_AUTHENTICATION_TOKEN' });
    // The imported api_key security makes the key required.
    const noKey = await fetch(invokeUrl(restApiId, '/pets'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"rex"}' });
    assert.equal(noKey.status, 403);
    assert.deepEqual(await noKey.json(), { message: 'Forbidden' });
  });

  it('imports Swagger 2.0 YAML, prepending the base path when asked', async () => {
    const ignored = await apigw().send(new ImportRestApiCommand({ body: Buffer.from(SWAGGER_YAML) }));
    assert.equal(ignored.name, 'yaml-api');
    const ignoredPaths = ((await apigw().send(new GetResourcesCommand({ restApiId: ignored.id }))).items ?? []).map((resource) => resource.path).sort();
    assert.deepEqual(ignoredPaths, ['/', '/hello']);
    const prepended = await apigw().send(new ImportRestApiCommand({ body: Buffer.from(SWAGGER_YAML), parameters: { basepath: 'prepend' } }));
    const prependedPaths = ((await apigw().send(new GetResourcesCommand({ restApiId: prepended.id }))).items ?? []).map((resource) => resource.path).sort();
    assert.deepEqual(prependedPaths, ['/', '/v1', '/v1/hello']);
    await apigw().send(new CreateDeploymentCommand({ restApiId: ignored.id, stageName: 'prod' }));
    const hello = await fetch(invokeUrl(ignored.id!, '/hello'));
    assert.deepEqual(await hello.json(), { hello: 'yaml' });
  });

  it('exports a stage as oas30 and swagger, and the export imports back to an equivalent API', async () => {
    const original = await apigw().send(new ImportRestApiCommand({ body: body(OAS30) }));
    await apigw().send(new CreateDeploymentCommand({ restApiId: original.id, stageName: 'prod' }));
    for (const exportType of ['oas30', 'swagger']) {
      const exported = await apigw().send(new GetExportCommand({ restApiId: original.id, stageName: 'prod', exportType, accepts: 'application/json', parameters: { extensions: 'apigateway' } }));
      assert.equal(exported.contentType, 'application/json');
      assert.match(exported.contentDisposition ?? '', new RegExp(`^attachment; filename="${exportType}_\\d{8}T\\d{6}Z\\.json"$`));
      const document = JSON.parse(Buffer.from(exported.body!).toString('utf8')) as Record<string, unknown>;
      if (exportType === 'oas30') {
        assert.equal(document.openapi, '3.0.1');
        assert.deepEqual(document.servers, [{ url: `https://${original.id}.execute-api.us-east-1.amazonaws.com/{basePath}`, variables: { basePath: { default: 'prod' } } }]);
      } else {
        assert.equal(document.swagger, '2.0');
        assert.equal(document.basePath, '/prod');
      }
      const copy = await apigw().send(new ImportRestApiCommand({ body: exported.body!, failOnWarnings: true }));
      assert.equal(copy.name, 'pets');
      assert.deepEqual(copy.binaryMediaTypes, ['image/png']);
      assert.deepEqual(await shapeOf(apigw(), copy.id!), await shapeOf(apigw(), original.id!), exportType);
      const token = await apigw().send(new GetGatewayResponseCommand({ restApiId: copy.id, responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
      assert.equal(token.statusCode, '404');
    }
  });

  it('exports without extensions as plain OpenAPI, and as YAML when asked', async () => {
    const api = await apigw().send(new ImportRestApiCommand({ body: body(OAS30) }));
    await apigw().send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    const plain = await apigw().send(new GetExportCommand({ restApiId: api.id, stageName: 'prod', exportType: 'oas30' }));
    const text = Buffer.from(plain.body!).toString('utf8');
    assert.doesNotMatch(text, /x-amazon-apigateway-integration/);
    assert.match(text, /"\$ref": "#\/components\/schemas\/Pet"/);
    const integrations = await apigw().send(new GetExportCommand({ restApiId: api.id, stageName: 'prod', exportType: 'oas30', parameters: { extensions: 'integrations' } }));
    assert.match(Buffer.from(integrations.body!).toString('utf8'), /x-amazon-apigateway-integration/);
    const yaml = await apigw().send(new GetExportCommand({ restApiId: api.id, stageName: 'prod', exportType: 'swagger', accepts: 'application/yaml' }));
    assert.equal(yaml.contentType, 'application/yaml');
    assert.match(Buffer.from(yaml.body!).toString('utf8'), /^swagger: "2.0"$/m);
  });

  it('puts a definition into an existing API: merge adds, overwrite replaces', async () => {
    const api = await apigw().send(new ImportRestApiCommand({ body: body(OAS30) }));
    const extra = { openapi: '3.0.1', info: { title: 'pets', version: '2.0' }, paths: { '/owners': { get: { responses: {}, 'x-amazon-apigateway-integration': { type: 'mock' } } } } };
    const merged = await apigw().send(new PutRestApiCommand({ restApiId: api.id, mode: 'merge', body: body(extra) }));
    assert.equal(merged.version, '2.0');
    const mergedPaths = ((await apigw().send(new GetResourcesCommand({ restApiId: api.id }))).items ?? []).map((resource) => resource.path).sort();
    assert.deepEqual(mergedPaths, ['/', '/files', '/files/{proxy+}', '/owners', '/pets', '/pets/{petId}']);
    await apigw().send(new PutRestApiCommand({ restApiId: api.id, mode: 'overwrite', body: body(extra) }));
    const overwritten = ((await apigw().send(new GetResourcesCommand({ restApiId: api.id }))).items ?? []).map((resource) => resource.path).sort();
    assert.deepEqual(overwritten, ['/', '/owners']);
    const after = await apigw().send(new GetRestApiCommand({ restApiId: api.id }));
    assert.equal(after.rootResourceId, api.rootResourceId);
    assert.equal(after.binaryMediaTypes, undefined);
  });

  const failures: { name: string; send: (client: APIGatewayClient) => Promise<unknown>; code: string; message: RegExp; status: number }[] = [
    { name: 'a body that is not a document', send: (client) => client.send(new ImportRestApiCommand({ body: Buffer.from('{not json') })), code: 'BadRequestException', message: /^Invalid OpenAPI input\.$/, status: 400 },
    {
      name: 'warnings with failonwarnings',
      send: (client) => client.send(new ImportRestApiCommand({ failOnWarnings: true, body: body({ openapi: '3.0.1', info: { title: 't' }, paths: { '/a': { get: { responses: {} } } } }) })),
      code: 'BadRequestException', message: /^Warnings found during import:\n\tNo integration defined for method \(GET \/a\)$/, status: 400,
    },
    {
      name: 'an unknown stage on export',
      send: async (client) => {
        const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(SWAGGER_YAML) }));
        return client.send(new GetExportCommand({ restApiId: api.id, stageName: 'nope', exportType: 'oas30' }));
      },
      code: 'NotFoundException', message: /^Invalid stage identifier specified$/, status: 404,
    },
    { name: 'PutRestApi on a missing API', send: (client) => client.send(new PutRestApiCommand({ restApiId: 'missing000', body: Buffer.from(SWAGGER_YAML) })), code: 'NotFoundException', message: /^Invalid API identifier specified 000000000000:missing000$/, status: 404 },
  ];
  for (const failure of failures) {
    it(`rejects ${failure.name}`, async () => {
      await assert.rejects(failure.send(apigw()), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(error.name, failure.code);
        assert.match(error.message, failure.message);
        assert.equal(error.$metadata?.httpStatusCode, failure.status);
        return true;
      });
    });
  }

  it('keeps the warnings of a lenient import on the answer', async () => {
    const api = await apigw().send(new ImportRestApiCommand({ body: body({ openapi: '3.0.1', info: { title: 't' }, paths: { '/a': { get: { responses: {} } } } }) }));
    assert.deepEqual(api.warnings, ['No integration defined for method (GET /a)']);
  });
});
