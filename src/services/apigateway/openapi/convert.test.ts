import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiRecord, DeploymentRecord } from '../api-record.js';
import { applyDefinition } from './apply.js';
import { parseDocument } from './document.js';
import { exportDefinition } from './export.js';
import { importDefinition } from './import.js';

const SWAGGER = {
  swagger: '2.0',
  info: { title: 'swagger-pets', version: '1' },
  consumes: ['application/json'],
  securityDefinitions: {
    users: {
      type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'cognito_user_pools',
      'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: ['arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abc'] },
    },
    sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' },
  },
  'x-amazon-apigateway-request-validator': 'body',
  'x-amazon-apigateway-request-validators': { body: { validateRequestBody: true, validateRequestParameters: false } },
  paths: {
    '/pets/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }],
      put: {
        parameters: [{ in: 'body', name: 'Pet', required: true, schema: { $ref: '#/definitions/Pet' } }, { name: 'x-trace', in: 'header', required: true, type: 'string' }],
        security: [{ users: ['pets/write'] }],
        responses: { 200: { description: 'ok', schema: { $ref: '#/definitions/Pet' } } },
        'x-amazon-apigateway-integration': {
          type: 'aws', httpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations',
          requestParameters: { 'integration.request.header.x-trace': 'method.request.header.x-trace' },
          responses: { default: { statusCode: '200' }, 'Not Found.*': { statusCode: '404', responseTemplates: { 'application/json': '{"error":"missing"}' } } },
          contentHandling: 'CONVERT_TO_TEXT',
          tlsConfig: { insecureSkipVerification: true },
        },
      },
      delete: { security: [{ sigv4: [] }], responses: {}, 'x-amazon-apigateway-integration': { type: 'mock' } },
    },
  },
  definitions: { Pet: { type: 'object', properties: { name: { type: 'string' } } }, 'Bad-Name': { type: 'string' } },
};

let counter = 0;
const nextId = (): string => `id${String(counter++).padStart(8, '0')}`;

function emptyApi(): ApiRecord {
  return {
    id: 'abcdefghij', name: 'x', createdDate: Date.UTC(2024, 0, 2, 3, 4, 5), binaryMediaTypes: [], apiKeySource: 'HEADER', endpointTypes: ['EDGE'], tags: {},
    disableExecuteApiEndpoint: false, rootResourceId: 'root000000', resources: { root000000: { id: 'root000000', path: '/', methods: {} } },
    models: {}, requestValidators: {}, authorizers: {}, gatewayResponses: {}, deployments: {}, stages: {},
  };
}

function deploymentOf(api: ApiRecord): DeploymentRecord {
  return {
    id: 'dep', createdDate: api.createdDate, resources: api.resources, models: api.models, requestValidators: api.requestValidators,
    authorizers: api.authorizers, gatewayResponses: api.gatewayResponses, binaryMediaTypes: api.binaryMediaTypes,
  };
}

describe('OpenAPI import', () => {
  it('reads Swagger 2.0 body parameters, path-level parameters, scopes, IAM and validators', () => {
    const definition = importDefinition(SWAGGER);
    const put = definition.paths['/pets/{id}'].PUT;
    assert.deepEqual(put.requestModels, { 'application/json': 'Pet' });
    assert.deepEqual(put.requestParameters, { 'method.request.path.id': true, 'method.request.header.x-trace': true });
    assert.deepEqual([put.authorizationType, put.authorizerId, put.authorizationScopes, put.requestValidatorId], ['COGNITO_USER_POOLS', 'users', ['pets/write'], 'body']);
    assert.deepEqual(put.methodResponses?.['200'].responseModels, { 'application/json': 'Pet' });
    const integration = put.methodIntegration!;
    assert.deepEqual([integration.type, integration.contentHandling, integration.passthroughBehavior, integration.tlsConfig], ['AWS', 'CONVERT_TO_TEXT', 'WHEN_NO_MATCH', { insecureSkipVerification: true }]);
    assert.deepEqual(integration.integrationResponses?.['404'], { statusCode: '404', selectionPattern: 'Not Found.*', responseParameters: undefined, responseTemplates: { 'application/json': '{"error":"missing"}' }, contentHandling: undefined });
    assert.equal(integration.integrationResponses?.['200'].selectionPattern, undefined);
    assert.equal(definition.paths['/pets/{id}'].DELETE.authorizationType, 'AWS_IAM');
    assert.deepEqual(definition.authorizers.users.providerARNs, ['arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abc']);
    assert.equal(definition.authorizers.users.identitySource, 'method.request.header.Authorization');
    assert.deepEqual(Object.keys(definition.models), ['Pet']);
    assert.deepEqual(definition.warnings, ['Model name Bad-Name is not alphanumeric: skipped']);
  });

  it('warns about what it cannot import', () => {
    const definition = importDefinition({
      openapi: '3.0.1', info: { title: 't' }, security: [{ nowhere: [] }],
      paths: { '/a': { post: { requestBody: { content: { 'application/json': { schema: { type: 'object' } } } }, 'x-amazon-apigateway-request-validator': 'missing', responses: {} } } },
      'x-amazon-apigateway-gateway-responses': { NOT_A_TYPE: {} },
    });
    assert.deepEqual(definition.warnings, [
      'Unknown gateway response type NOT_A_TYPE: skipped',
      'Inline request body schemas are not imported (POST /a): use a $ref to components/schemas',
      'Security scheme nowhere is not defined (POST /a)',
      'Request validator missing is not defined (POST /a)',
      'No integration defined for method (POST /a)',
    ]);
  });

  it('places paths under the base path as asked: ignore, prepend or split', () => {
    const swagger = { swagger: '2.0', info: { title: 't' }, basePath: '/v1/api', paths: { '/x': {} } };
    const oas30 = { openapi: '3.0.1', info: { title: 't' }, servers: [{ url: 'https://example.com/{stage}/api', variables: { stage: { default: 'v1' } } }], paths: { '/x': {} } };
    for (const document of [swagger, oas30]) {
      assert.deepEqual(Object.keys(importDefinition(document).paths), ['/x']);
      assert.deepEqual(Object.keys(importDefinition(document, { basepath: 'prepend' }).paths), ['/v1/api/x']);
      assert.deepEqual(Object.keys(importDefinition(document, { basepath: 'split' }).paths), ['/api/x']);
    }
  });

  it('parses JSON and YAML, and refuses other text', () => {
    assert.deepEqual(parseDocument(Buffer.from('{"openapi":"3.0.1"}')), { openapi: '3.0.1' });
    assert.deepEqual(parseDocument(Buffer.from('openapi: 3.0.1\ninfo:\n  title: y\n')), { openapi: '3.0.1', info: { title: 'y' } });
    assert.equal(parseDocument(Buffer.from('{broken')), undefined);
    assert.equal(parseDocument(Buffer.from('just text')), undefined);
  });
});

describe('OpenAPI export', () => {
  for (const format of ['oas30', 'swagger'] as const) {
    it(`round-trips through ${format} with the apigateway extensions`, () => {
      const api = emptyApi();
      applyDefinition(api, importDefinition(SWAGGER), 'overwrite', nextId);
      const document = exportDefinition(api, deploymentOf(api), { format, extensions: new Set(['apigateway']), stageName: 'prod', region: 'us-east-1' });
      const again = importDefinition(document);
      assert.deepEqual(again.warnings, []);
      // The export names each integration's cache namespace (the resource id); the source left it to the default.
      const withoutNamespace = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, item: unknown) => (key === 'cacheNamespace' ? undefined : item)));
      assert.deepEqual(withoutNamespace(again.paths), withoutNamespace(importDefinition(SWAGGER).paths));
      assert.deepEqual(Object.keys(again.authorizers), ['users']);
      assert.deepEqual(again.requestValidators, { body: { name: 'body', validateRequestBody: true, validateRequestParameters: false } });
    });
  }

  it('leaves integrations and authorizers out without extensions, and fills the version from the deployment', () => {
    const api = emptyApi();
    applyDefinition(api, importDefinition(SWAGGER), 'overwrite', nextId);
    const document = exportDefinition(api, deploymentOf(api), { format: 'oas30', extensions: new Set(), stageName: 'prod', region: 'us-east-1' });
    const text = JSON.stringify(document);
    assert.doesNotMatch(text, /x-amazon-apigateway-(integration|authorizer|request-validator)"/);
    assert.deepEqual(document.info, { title: 'swagger-pets', version: '1' });
    const api2 = { ...api, version: undefined };
    assert.equal((exportDefinition(api2, deploymentOf(api2), { format: 'swagger', extensions: new Set(), stageName: 'prod', region: 'us-east-1' }).info as { version: string }).version, '2024-01-02T03:04:05Z');
  });
});

describe('Putting a definition into an API', () => {
  it('merges by path and name, keeping ids of what exists', () => {
    const api = emptyApi();
    applyDefinition(api, importDefinition(SWAGGER), 'overwrite', nextId);
    const authorizerId = Object.keys(api.authorizers)[0];
    const petId = Object.values(api.resources).find((resource) => resource.path === '/pets/{id}')!.id;
    applyDefinition(api, importDefinition({ ...SWAGGER, paths: { '/pets/{id}/toys': { get: { security: [{ users: [] }], responses: {}, 'x-amazon-apigateway-integration': { type: 'mock' } } } } }), 'merge', nextId);
    assert.deepEqual(Object.values(api.resources).map((resource) => resource.path).sort(), ['/', '/pets', '/pets/{id}', '/pets/{id}/toys']);
    assert.equal(Object.values(api.resources).find((resource) => resource.path === '/pets/{id}')!.id, petId);
    assert.deepEqual(Object.keys(api.authorizers), [authorizerId]);
    assert.equal(Object.values(api.resources).find((resource) => resource.path === '/pets/{id}/toys')!.methods.GET.authorizerId, authorizerId);
  });

  it('refuses two variable siblings', () => {
    const api = emptyApi();
    const definition = importDefinition({ openapi: '3.0.1', info: { title: 't' }, paths: { '/{a}': {}, '/{b}': {} } });
    assert.throws(() => { applyDefinition(api, definition, 'overwrite', nextId); }, { name: 'BadRequestException', message: 'A sibling ({a}) of this resource already has a variable path part -- only one is allowed' });
  });
});
