import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  APIGatewayClient, CreateAuthorizerCommand, CreateDeploymentCommand, CreateModelCommand, CreateRequestValidatorCommand, CreateResourceCommand,
  CreateRestApiCommand, GetResourcesCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand,
  UpdateAuthorizerCommand, UpdateDeploymentCommand, UpdateIntegrationCommand, UpdateIntegrationResponseCommand, UpdateMethodCommand,
  UpdateMethodResponseCommand, UpdateModelCommand, UpdateRequestValidatorCommand, UpdateResourceCommand, UpdateRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

const LAMBDA_URI = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:auth/invocations';

describe('API Gateway Update* operations', () => {
  const nimbus = useNimbus();
  const apigw = (): APIGatewayClient => new APIGatewayClient(clientSettings(nimbus()));

  /** An API with /pets/{id} GET (MOCK, a 200 method and integration response). */
  async function fixture(): Promise<{ restApiId: string; rootId: string; petsId: string; petId: string }> {
    const api = await apigw().send(new CreateRestApiCommand({ name: 'updates' }));
    const restApiId = api.id!;
    const pets = await apigw().send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId, pathPart: 'pets' }));
    const pet = await apigw().send(new CreateResourceCommand({ restApiId, parentId: pets.id, pathPart: '{id}' }));
    await apigw().send(new PutMethodCommand({ restApiId, resourceId: pet.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    await apigw().send(new PutMethodResponseCommand({ restApiId, resourceId: pet.id, httpMethod: 'GET', statusCode: '200' }));
    await apigw().send(new PutIntegrationCommand({ restApiId, resourceId: pet.id, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await apigw().send(new PutIntegrationResponseCommand({ restApiId, resourceId: pet.id, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"v":1}' } }));
    return { restApiId, rootId: api.rootResourceId!, petsId: pets.id!, petId: pet.id! };
  }

  it('renames and moves resources, their subtrees following', async () => {
    const { restApiId, rootId, petsId } = await fixture();
    const renamed = await apigw().send(new UpdateResourceCommand({ restApiId, resourceId: petsId, patchOperations: [{ op: 'replace', path: '/pathPart', value: 'animals' }] }));
    assert.equal(renamed.path, '/animals');
    const other = await apigw().send(new CreateResourceCommand({ restApiId, parentId: rootId, pathPart: 'zoo' }));
    await apigw().send(new UpdateResourceCommand({ restApiId, resourceId: petsId, patchOperations: [{ op: 'replace', path: '/parentId', value: other.id }] }));
    const paths = ((await apigw().send(new GetResourcesCommand({ restApiId }))).items ?? []).map((resource) => resource.path).sort();
    assert.deepEqual(paths, ['/', '/zoo', '/zoo/animals', '/zoo/animals/{id}']);
  });

  it('updates methods, method responses, integrations and integration responses', async () => {
    const { restApiId, petId } = await fixture();
    const model = await apigw().send(new CreateModelCommand({ restApiId, name: 'Pet', contentType: 'application/json', schema: '{"type":"object"}' }));
    const validator = await apigw().send(new CreateRequestValidatorCommand({ restApiId, name: 'body', validateRequestBody: true }));
    const authorizer = await apigw().send(new CreateAuthorizerCommand({ restApiId, name: 'auth', type: 'TOKEN', authorizerUri: LAMBDA_URI, identitySource: 'method.request.header.Authorization' }));
    const method = await apigw().send(new UpdateMethodCommand({
      restApiId, resourceId: petId, httpMethod: 'GET', patchOperations: [
        { op: 'replace', path: '/authorizationType', value: 'CUSTOM' },
        { op: 'replace', path: '/authorizerId', value: authorizer.id },
        { op: 'replace', path: '/apiKeyRequired', value: 'true' },
        { op: 'replace', path: '/requestValidatorId', value: validator.id },
        { op: 'replace', path: '/operationName', value: 'getPet' },
        { op: 'add', path: '/requestParameters/method.request.querystring.verbose', value: 'true' },
        { op: 'add', path: '/requestModels/application~1json', value: model.name },
      ],
    }));
    assert.deepEqual(
      [method.authorizationType, method.authorizerId, method.apiKeyRequired, method.requestValidatorId, method.operationName],
      ['CUSTOM', authorizer.id, true, validator.id, 'getPet'],
    );
    assert.deepEqual(method.requestParameters, { 'method.request.querystring.verbose': true });
    assert.deepEqual(method.requestModels, { 'application/json': 'Pet' });
    const removed = await apigw().send(new UpdateMethodCommand({
      restApiId, resourceId: petId, httpMethod: 'GET', patchOperations: [
        { op: 'remove', path: '/requestParameters/method.request.querystring.verbose' }, { op: 'replace', path: '/authorizationType', value: 'NONE' },
        { op: 'replace', path: '/apiKeyRequired', value: 'false' }, { op: 'remove', path: '/requestValidatorId' },
      ],
    }));
    assert.equal(removed.requestParameters, undefined);
    assert.deepEqual([removed.authorizationType, removed.authorizerId, removed.apiKeyRequired, removed.requestValidatorId], ['NONE', undefined, false, undefined]);

    const methodResponse = await apigw().send(new UpdateMethodResponseCommand({
      restApiId, resourceId: petId, httpMethod: 'GET', statusCode: '200', patchOperations: [
        { op: 'add', path: '/responseParameters/method.response.header.x-id', value: 'false' },
        { op: 'add', path: '/responseModels/application~1json', value: 'Pet' },
      ],
    }));
    assert.deepEqual(methodResponse.responseParameters, { 'method.response.header.x-id': false });
    assert.deepEqual(methodResponse.responseModels, { 'application/json': 'Pet' });

    const integration = await apigw().send(new UpdateIntegrationCommand({
      restApiId, resourceId: petId, httpMethod: 'GET', patchOperations: [
        { op: 'replace', path: '/requestTemplates/application~1json', value: '{"statusCode": 200, "id": "$input.params(\'id\')"}' },
        { op: 'replace', path: '/passthroughBehavior', value: 'NEVER' },
        { op: 'replace', path: '/contentHandling', value: 'CONVERT_TO_TEXT' },
        { op: 'replace', path: '/timeoutInMillis', value: '5000' },
        { op: 'add', path: '/cacheKeyParameters/method.request.path.id' },
      ],
    }));
    assert.deepEqual([integration.passthroughBehavior, integration.contentHandling, integration.timeoutInMillis], ['NEVER', 'CONVERT_TO_TEXT', 5000]);
    assert.deepEqual(integration.cacheKeyParameters, ['method.request.path.id']);
    assert.match(integration.requestTemplates?.['application/json'] ?? '', /"id"/);

    const integrationResponse = await apigw().send(new UpdateIntegrationResponseCommand({
      restApiId, resourceId: petId, httpMethod: 'GET', statusCode: '200', patchOperations: [
        { op: 'replace', path: '/responseTemplates/application~1json', value: '{"v":2,"id":"$input.params(\'id\')"}' },
        { op: 'add', path: '/responseParameters/method.response.header.x-id', value: 'method.request.path.id' },
        { op: 'replace', path: '/selectionPattern', value: '2\\d{2}' },
      ],
    }));
    assert.equal(integrationResponse.selectionPattern, '2\\d{2}');
    assert.deepEqual(integrationResponse.responseParameters, { 'method.response.header.x-id': 'method.request.path.id' });

    // The updates take effect once deployed.
    await apigw().send(new UpdateIntegrationCommand({ restApiId, resourceId: petId, httpMethod: 'GET', patchOperations: [{ op: 'remove', path: '/contentHandling' }] }));
    await apigw().send(new UpdateIntegrationResponseCommand({ restApiId, resourceId: petId, httpMethod: 'GET', statusCode: '200', patchOperations: [{ op: 'replace', path: '/selectionPattern', value: '' }] }));
    await apigw().send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    const response = await fetch(`${nimbus().endpoint}/restapis/${restApiId}/prod/_user_request_/pets/7`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { v: 2, id: '7' });
  });

  it('updates models, request validators, authorizers and deployments', async () => {
    const { restApiId } = await fixture();
    await apigw().send(new CreateModelCommand({ restApiId, name: 'Pet', contentType: 'application/json', schema: '{"type":"object"}' }));
    const model = await apigw().send(new UpdateModelCommand({
      restApiId, modelName: 'Pet', patchOperations: [{ op: 'replace', path: '/schema', value: '{"type":"string"}' }, { op: 'replace', path: '/description', value: 'a pet' }],
    }));
    assert.deepEqual([model.schema, model.description], ['{"type":"string"}', 'a pet']);
    const validator = await apigw().send(new CreateRequestValidatorCommand({ restApiId, name: 'v' }));
    const updatedValidator = await apigw().send(new UpdateRequestValidatorCommand({
      restApiId, requestValidatorId: validator.id, patchOperations: [{ op: 'replace', path: '/validateRequestParameters', value: 'true' }, { op: 'replace', path: '/name', value: 'params' }],
    }));
    assert.deepEqual([updatedValidator.name, updatedValidator.validateRequestParameters, updatedValidator.validateRequestBody], ['params', true, false]);
    const authorizer = await apigw().send(new CreateAuthorizerCommand({ restApiId, name: 'auth', type: 'TOKEN', authorizerUri: LAMBDA_URI, identitySource: 'method.request.header.Authorization' }));
    const updatedAuthorizer = await apigw().send(new UpdateAuthorizerCommand({
      restApiId, authorizerId: authorizer.id, patchOperations: [
        { op: 'replace', path: '/authorizerResultTtlInSeconds', value: '0' },
        { op: 'replace', path: '/identitySource', value: 'method.request.header.X-Token' },
        { op: 'replace', path: '/name', value: 'renamed' },
      ],
    }));
    assert.deepEqual([updatedAuthorizer.name, updatedAuthorizer.authorizerResultTtlInSeconds, updatedAuthorizer.identitySource], ['renamed', 0, 'method.request.header.X-Token']);
    const deployment = await apigw().send(new CreateDeploymentCommand({ restApiId, description: 'first' }));
    const updatedDeployment = await apigw().send(new UpdateDeploymentCommand({ restApiId, deploymentId: deployment.id, patchOperations: [{ op: 'replace', path: '/description', value: 'second' }] }));
    assert.equal(updatedDeployment.description, 'second');
  });

  it('patches REST API settings: binary media types, key source, compression, endpoint type', async () => {
    const { restApiId } = await fixture();
    const added = await apigw().send(new UpdateRestApiCommand({
      restApiId, patchOperations: [
        { op: 'add', path: '/binaryMediaTypes/image~1png' },
        { op: 'add', path: '/binaryMediaTypes/application~1octet-stream' },
        { op: 'replace', path: '/apiKeySource', value: 'AUTHORIZER' },
        { op: 'replace', path: '/minimumCompressionSize', value: '1024' },
        { op: 'replace', path: '/endpointConfiguration/types/EDGE', value: 'REGIONAL' },
      ],
    }));
    assert.deepEqual(added.binaryMediaTypes, ['image/png', 'application/octet-stream']);
    assert.deepEqual([added.apiKeySource, added.minimumCompressionSize, added.endpointConfiguration?.types], ['AUTHORIZER', 1024, ['REGIONAL']]);
    const changed = await apigw().send(new UpdateRestApiCommand({
      restApiId, patchOperations: [
        { op: 'replace', path: '/binaryMediaTypes/image~1png', value: 'image/gif' },
        { op: 'remove', path: '/binaryMediaTypes/application~1octet-stream' },
        { op: 'replace', path: '/minimumCompressionSize', value: '' },
      ],
    }));
    assert.deepEqual(changed.binaryMediaTypes, ['image/gif']);
    assert.equal(changed.minimumCompressionSize, undefined);
  });

  const errors: { name: string; send: (ids: { restApiId: string; rootId: string; petsId: string; petId: string }) => Promise<unknown>; code: string; message: string; status: number }[] = [
    {
      name: 'a resource moved under its own child',
      send: ({ restApiId, petsId, petId }) => apigw().send(new UpdateResourceCommand({ restApiId, resourceId: petsId, patchOperations: [{ op: 'replace', path: '/parentId', value: petId }] })),
      code: 'BadRequestException', message: 'Resource cannot be moved under itself or one of its children', status: 400,
    },
    {
      name: 'a path part taken by a sibling',
      send: async ({ restApiId, rootId, petsId }) => {
        await apigw().send(new CreateResourceCommand({ restApiId, parentId: rootId, pathPart: 'cats' }));
        return apigw().send(new UpdateResourceCommand({ restApiId, resourceId: petsId, patchOperations: [{ op: 'replace', path: '/pathPart', value: 'cats' }] }));
      },
      code: 'ConflictException', message: 'Another resource with the same parent already has this name: cats', status: 409,
    },
    {
      name: 'an unknown patch path',
      send: ({ restApiId, petId }) => apigw().send(new UpdateMethodCommand({ restApiId, resourceId: petId, httpMethod: 'GET', patchOperations: [{ op: 'replace', path: '/nope', value: 'x' }] })),
      code: 'BadRequestException', message: "Invalid patch path '/nope' specified for op 'replace'.", status: 400,
    },
    {
      name: 'CUSTOM authorization without an authorizer',
      send: ({ restApiId, petId }) => apigw().send(new UpdateMethodCommand({ restApiId, resourceId: petId, httpMethod: 'GET', patchOperations: [{ op: 'replace', path: '/authorizationType', value: 'CUSTOM' }] })),
      code: 'BadRequestException', message: 'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.', status: 400,
    },
    {
      name: 'a missing integration response',
      send: ({ restApiId, petId }) => apigw().send(new UpdateIntegrationResponseCommand({ restApiId, resourceId: petId, httpMethod: 'GET', statusCode: '404', patchOperations: [] })),
      code: 'NotFoundException', message: 'Invalid Response status code specified', status: 404,
    },
    {
      name: 'a model schema that is not JSON',
      send: ({ restApiId }) => apigw().send(new UpdateModelCommand({ restApiId, modelName: 'Empty', patchOperations: [{ op: 'replace', path: '/schema', value: 'nope' }] })),
      code: 'BadRequestException', message: 'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]', status: 400,
    },
    {
      name: 'an unknown deployment',
      send: ({ restApiId }) => apigw().send(new UpdateDeploymentCommand({ restApiId, deploymentId: 'nope', patchOperations: [] })),
      code: 'NotFoundException', message: 'Invalid Deployment identifier specified', status: 404,
    },
    {
      name: 'a compression size out of range',
      send: ({ restApiId }) => apigw().send(new UpdateRestApiCommand({ restApiId, patchOperations: [{ op: 'replace', path: '/minimumCompressionSize', value: '10485761' }] })),
      code: 'BadRequestException', message: 'Invalid minimum compression size, must be between 0 and 10485760', status: 400,
    },
  ];
  for (const error of errors) {
    it(`rejects ${error.name}`, async () => {
      const ids = await fixture();
      await assert.rejects(error.send(ids), (thrown: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(thrown.name, error.code);
        assert.ok(thrown.message.startsWith(error.message), thrown.message);
        assert.equal(thrown.$metadata?.httpStatusCode, error.status);
        return true;
      });
    });
  }
});
