import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  APIGatewayClient, CreateApiKeyCommand, CreateAuthorizerCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, DeleteApiKeyCommand, DeleteAuthorizerCommand,
  DeleteUsagePlanCommand, GetApiKeyCommand, GetApiKeysCommand, GetAuthorizerCommand, GetAuthorizersCommand, GetUsagePlanCommand, GetUsagePlansCommand,
  CreateDeploymentCommand, CreateModelCommand, CreateRequestValidatorCommand, DeleteModelCommand, DeleteRequestValidatorCommand,
  GetModelCommand, GetModelsCommand, GetRequestValidatorCommand, GetRequestValidatorsCommand, CreateResourceCommand, CreateRestApiCommand, CreateStageCommand, DeleteDeploymentCommand,
  DeleteIntegrationResponseCommand, DeleteMethodCommand, DeleteResourceCommand, DeleteRestApiCommand, DeleteStageCommand,
  GetDeploymentsCommand, GetIntegrationCommand, GetIntegrationResponseCommand, GetMethodCommand, GetMethodResponseCommand,
  GetResourceCommand, GetResourcesCommand, GetRestApiCommand, GetRestApisCommand, GetStageCommand, GetStagesCommand,
  PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand, UpdateRestApiCommand, UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { rejection } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

const ID = /^[a-z0-9]{10}$/;

describe('API Gateway REST API control plane through @aws-sdk/client-api-gateway', () => {
  const nimbus = useNimbus();
  const client = (): APIGatewayClient => new APIGatewayClient(clientSettings(nimbus()));

  async function apiWithMethod(): Promise<{ apiId: string; rootId: string; resourceId: string }> {
    const api = await client().send(new CreateRestApiCommand({ name: 'pets' }));
    const resource = await client().send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'pets' }));
    await client().send(new PutMethodCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    return { apiId: api.id!, rootId: api.rootResourceId!, resourceId: resource.id! };
  }

  it('creates, lists, patches and deletes REST APIs', async () => {
    const created = await client().send(new CreateRestApiCommand({ name: 'pets', description: 'Pet store', tags: { team: 'a' } }));
    assert.match(created.id!, ID);
    assert.match(created.rootResourceId!, ID);
    assert.equal(created.apiKeySource, 'HEADER');
    assert.deepEqual(created.endpointConfiguration?.types, ['EDGE']);
    assert.ok(created.createdDate instanceof Date);
    const got = await client().send(new GetRestApiCommand({ restApiId: created.id }));
    assert.equal(got.name, 'pets');
    assert.deepEqual(got.tags, { team: 'a' });

    const updated = await client().send(new UpdateRestApiCommand({
      restApiId: created.id,
      patchOperations: [
        { op: 'replace', path: '/name', value: 'renamed' },
        { op: 'replace', path: '/description', value: 'new' },
        { op: 'add', path: '/binaryMediaTypes/image~1png' },
      ],
    }));
    assert.equal(updated.name, 'renamed');
    assert.equal(updated.description, 'new');
    assert.deepEqual(updated.binaryMediaTypes, ['image/png']);

    await client().send(new CreateRestApiCommand({ name: 'second' }));
    const listed = await client().send(new GetRestApisCommand({}));
    assert.deepEqual(listed.items?.map((api) => api.name).sort(), ['renamed', 'second']);
    const firstPage = await client().send(new GetRestApisCommand({ limit: 1 }));
    assert.equal(firstPage.items?.length, 1);
    const secondPage = await client().send(new GetRestApisCommand({ limit: 1, position: firstPage.position }));
    assert.equal(secondPage.items?.length, 1);
    assert.notEqual(secondPage.items?.[0].id, firstPage.items?.[0].id);

    await client().send(new DeleteRestApiCommand({ restApiId: created.id }));
    const error = await rejection(client().send(new GetRestApiCommand({ restApiId: created.id })));
    assert.equal(error.name, 'NotFoundException');
    assert.equal(error.message, `Invalid API identifier specified 000000000000:${created.id!}`);
    assert.equal(error.$metadata.httpStatusCode, 404);
  });

  it('builds a resource tree with {param} and {proxy+} parts', async () => {
    const api = await client().send(new CreateRestApiCommand({ name: 'tree' }));
    const pets = await client().send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'pets' }));
    const pet = await client().send(new CreateResourceCommand({ restApiId: api.id, parentId: pets.id, pathPart: '{petId}' }));
    const proxy = await client().send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: '{proxy+}' }));
    assert.equal(pet.path, '/pets/{petId}');
    assert.equal(pet.parentId, pets.id);
    assert.equal(proxy.path, '/{proxy+}');
    const resources = await client().send(new GetResourcesCommand({ restApiId: api.id }));
    assert.deepEqual(resources.items?.map((resource) => resource.path).sort(), ['/', '/pets', '/pets/{petId}', '/{proxy+}']);
    const got = await client().send(new GetResourceCommand({ restApiId: api.id, resourceId: pet.id }));
    assert.equal(got.pathPart, '{petId}');

    // Deleting a resource deletes its subtree.
    await client().send(new DeleteResourceCommand({ restApiId: api.id, resourceId: pets.id }));
    const after = await client().send(new GetResourcesCommand({ restApiId: api.id }));
    assert.deepEqual(after.items?.map((resource) => resource.path).sort(), ['/', '/{proxy+}']);
  });

  it('answers resource errors as AWS does', async () => {
    const api = await client().send(new CreateRestApiCommand({ name: 'errors' }));
    await client().send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'a' }));
    await client().send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: '{id}' }));
    const cases: [() => Promise<unknown>, string, string, number][] = [
      [() => client().send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'a' })), 'ConflictException', 'Another resource with the same parent already has this name: a', 409],
      [() => client().send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: '{other}' })), 'BadRequestException', 'A sibling ({id}) of this resource already has a variable path part -- only one is allowed', 400],
      [() => client().send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'a b' })), 'BadRequestException', "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.", 400],
      [() => client().send(new CreateResourceCommand({ restApiId: api.id, parentId: 'nosuchid00', pathPart: 'b' })), 'NotFoundException', 'Invalid Resource identifier specified', 404],
      [() => client().send(new GetResourcesCommand({ restApiId: 'nosuchapi0' })), 'NotFoundException', 'Invalid API identifier specified 000000000000:nosuchapi0', 404],
      [() => client().send(new DeleteResourceCommand({ restApiId: api.id, resourceId: api.rootResourceId })), 'BadRequestException', 'Cannot delete root resource', 400],
    ];
    for (const [call, name, message, status] of cases) {
      const error = await rejection(call());
      assert.deepEqual([error.name, error.message, error.$metadata.httpStatusCode], [name, message, status]);
    }
  });

  it('stores methods, method responses, integrations and integration responses', async () => {
    const { apiId, resourceId } = await apiWithMethod();
    const method = await client().send(new GetMethodCommand({ restApiId: apiId, resourceId, httpMethod: 'GET' }));
    assert.equal(method.authorizationType, 'NONE');
    assert.equal(method.apiKeyRequired, false);

    await client().send(new PutMethodCommand({
      restApiId: apiId, resourceId, httpMethod: 'POST', authorizationType: 'NONE', apiKeyRequired: true,
      requestParameters: { 'method.request.querystring.q': true },
    }));
    await client().send(new PutMethodResponseCommand({ restApiId: apiId, resourceId, httpMethod: 'POST', statusCode: '200', responseParameters: { 'method.response.header.X-Id': false } }));
    const integration = await client().send(new PutIntegrationCommand({
      restApiId: apiId, resourceId, httpMethod: 'POST', type: 'AWS', integrationHttpMethod: 'POST',
      uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations',
      requestTemplates: { 'application/json': '{"q": "$input.params(\'q\')"}' },
    }));
    assert.equal(integration.passthroughBehavior, 'WHEN_NO_MATCH');
    assert.equal(integration.timeoutInMillis, 29000);
    assert.equal(integration.httpMethod, 'POST');
    await client().send(new PutIntegrationResponseCommand({
      restApiId: apiId, resourceId, httpMethod: 'POST', statusCode: '400', selectionPattern: '.*bad.*', responseTemplates: { 'application/json': '{}' },
    }));
    const full = await client().send(new GetMethodCommand({ restApiId: apiId, resourceId, httpMethod: 'POST' }));
    assert.equal(full.apiKeyRequired, true);
    assert.deepEqual(full.requestParameters, { 'method.request.querystring.q': true });
    assert.equal(full.methodResponses?.['200'].statusCode, '200');
    assert.equal(full.methodIntegration?.type, 'AWS');
    assert.equal(full.methodIntegration?.integrationResponses?.['400'].selectionPattern, '.*bad.*');
    const got = await client().send(new GetIntegrationResponseCommand({ restApiId: apiId, resourceId, httpMethod: 'POST', statusCode: '400' }));
    assert.equal(got.selectionPattern, '.*bad.*');
    const gotResponse = await client().send(new GetMethodResponseCommand({ restApiId: apiId, resourceId, httpMethod: 'POST', statusCode: '200' }));
    assert.deepEqual(gotResponse.responseParameters, { 'method.response.header.X-Id': false });
    await client().send(new DeleteIntegrationResponseCommand({ restApiId: apiId, resourceId, httpMethod: 'POST', statusCode: '400' }));

    const cases: [() => Promise<unknown>, string, string, number][] = [
      [() => client().send(new PutMethodCommand({ restApiId: apiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' })), 'ConflictException', 'Method already exists for this resource', 409],
      [() => client().send(new GetMethodCommand({ restApiId: apiId, resourceId, httpMethod: 'PUT' })), 'NotFoundException', 'Invalid Method identifier specified', 404],
      [() => client().send(new GetIntegrationCommand({ restApiId: apiId, resourceId, httpMethod: 'GET' })), 'NotFoundException', 'No integration defined for method', 404],
      [() => client().send(new GetIntegrationResponseCommand({ restApiId: apiId, resourceId, httpMethod: 'POST', statusCode: '400' })), 'NotFoundException', 'Invalid Response status code specified', 404],
      [() => client().send(new PutIntegrationCommand({ restApiId: apiId, resourceId, httpMethod: 'GET', type: 'HTTP_PROXY', uri: 'http://example.com' })), 'BadRequestException', 'Enumeration value for HttpMethod must be non-empty', 400],
      [() => client().send(new PutIntegrationCommand({ restApiId: apiId, resourceId, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST' })), 'BadRequestException', 'Invalid integration URI specified', 400],
    ];
    for (const [call, name, message, status] of cases) {
      const error = await rejection(call());
      assert.deepEqual([error.name, error.message, error.$metadata.httpStatusCode], [name, message, status]);
    }

    await client().send(new DeleteMethodCommand({ restApiId: apiId, resourceId, httpMethod: 'POST' }));
    const resource = await client().send(new GetResourceCommand({ restApiId: apiId, resourceId }));
    assert.deepEqual(Object.keys(resource.resourceMethods ?? {}), ['GET']);
  });

  it('stores models and request validators', async () => {
    const api = await client().send(new CreateRestApiCommand({ name: 'models' }));
    const defaults = await client().send(new GetModelsCommand({ restApiId: api.id }));
    assert.deepEqual(defaults.items?.map((model) => model.name).sort(), ['Empty', 'Error']);
    const schema = JSON.stringify({ type: 'object', required: ['name'] });
    const created = await client().send(new CreateModelCommand({ restApiId: api.id, name: 'Pet', contentType: 'application/json', schema }));
    assert.match(created.id!, ID);
    assert.equal((await client().send(new GetModelCommand({ restApiId: api.id, modelName: 'Pet' }))).schema, schema);
    const validator = await client().send(new CreateRequestValidatorCommand({ restApiId: api.id, name: 'body', validateRequestBody: true }));
    assert.deepEqual({ ...validator, $metadata: undefined }, { $metadata: undefined, id: validator.id, name: 'body', validateRequestBody: true, validateRequestParameters: false });
    const validators = await client().send(new GetRequestValidatorsCommand({ restApiId: api.id }));
    assert.equal(validators.items?.length, 1);

    const cases: [() => Promise<unknown>, string, string, number][] = [
      [() => client().send(new CreateModelCommand({ restApiId: api.id, name: 'Pet', contentType: 'application/json', schema })), 'ConflictException', 'Model name already exists for this REST API', 409],
      [() => client().send(new CreateModelCommand({ restApiId: api.id, name: 'Bad', contentType: 'application/json', schema: '{nope' })), 'BadRequestException', 'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]', 400],
      [() => client().send(new GetModelCommand({ restApiId: api.id, modelName: 'Ghost' })), 'NotFoundException', 'Invalid model name specified: Ghost', 404],
      [() => client().send(new GetRequestValidatorCommand({ restApiId: api.id, requestValidatorId: 'abc123' })), 'NotFoundException', 'Invalid Request Validator identifier specified', 404],
      [() => client().send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE', requestModels: { 'application/json': 'Ghost' } })), 'BadRequestException', 'Invalid model identifier specified: Ghost', 400],
    ];
    for (const [call, name, message, status] of cases) {
      const error = await rejection(call());
      assert.deepEqual([error.name, error.message, error.$metadata.httpStatusCode], [name, message, status]);
    }
    await client().send(new DeleteModelCommand({ restApiId: api.id, modelName: 'Pet' }));
    await client().send(new DeleteRequestValidatorCommand({ restApiId: api.id, requestValidatorId: validator.id }));
    assert.deepEqual((await client().send(new GetRequestValidatorsCommand({ restApiId: api.id }))).items, []);
  });

  it('manages API keys, usage plans and authorizers', async () => {
    const key = await client().send(new CreateApiKeyCommand({ name: 'k', value: 'a-given-key-value-of-20plus' }));
    assert.equal(key.enabled, false);
    assert.equal((await client().send(new GetApiKeyCommand({ apiKey: key.id }))).value, undefined);
    assert.equal((await client().send(new GetApiKeyCommand({ apiKey: key.id, includeValue: true }))).value, 'a-given-key-value-of-20plus');
    const plan = await client().send(new CreateUsagePlanCommand({ name: 'basic', throttle: { rateLimit: 10, burstLimit: 5 } }));
    await client().send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    assert.deepEqual((await client().send(new GetUsagePlansCommand({ keyId: key.id }))).items?.map((item) => item.name), ['basic']);
    const { apiId, resourceId } = await apiWithMethod();
    const authorizer = await client().send(new CreateAuthorizerCommand({
      restApiId: apiId, name: 'auth', type: 'REQUEST', identitySource: 'method.request.header.Auth',
      authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:auth/invocations',
    }));
    assert.equal(authorizer.authorizerResultTtlInSeconds, 300);
    assert.equal((await client().send(new GetAuthorizersCommand({ restApiId: apiId }))).items?.length, 1);

    const cases: [() => Promise<unknown>, string, string, number][] = [
      [() => client().send(new CreateApiKeyCommand({ value: 'short' })), 'BadRequestException', 'API Key value should be at least 20 characters', 400],
      [() => client().send(new CreateApiKeyCommand({ value: 'a-given-key-value-of-20plus' })), 'ConflictException', 'API Key already exists', 409],
      [() => client().send(new GetApiKeyCommand({ apiKey: 'nosuchkey0' })), 'NotFoundException', 'Invalid API Key identifier specified', 404],
      [() => client().send(new GetUsagePlanCommand({ usagePlanId: 'nope00' })), 'NotFoundException', 'Invalid Usage Plan ID specified: nope00', 404],
      [() => client().send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' })), 'ConflictException', `Usage Plan ${plan.id!} already contains API Key ${key.id!}`, 409],
      [() => client().send(new GetAuthorizerCommand({ restApiId: apiId, authorizerId: 'nope00' })), 'NotFoundException', 'Invalid Authorizer identifier specified', 404],
      [() => client().send(new PutMethodCommand({ restApiId: apiId, resourceId, httpMethod: 'PUT', authorizationType: 'CUSTOM', authorizerId: 'nope00' })), 'BadRequestException', 'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.', 400],
    ];
    for (const [call, name, message, status] of cases) {
      const error = await rejection(call());
      assert.deepEqual([error.name, error.message, error.$metadata.httpStatusCode], [name, message, status]);
    }
    await client().send(new DeleteApiKeyCommand({ apiKey: key.id }));
    assert.deepEqual((await client().send(new GetApiKeysCommand({}))).items, []);
    await client().send(new DeleteUsagePlanCommand({ usagePlanId: plan.id }));
    await client().send(new DeleteAuthorizerCommand({ restApiId: apiId, authorizerId: authorizer.id }));
  });

  it('deploys to stages and patches stage variables', async () => {
    const { apiId, resourceId } = await apiWithMethod();
    const empty = await client().send(new CreateRestApiCommand({ name: 'empty' }));
    const noMethods = await rejection(client().send(new CreateDeploymentCommand({ restApiId: empty.id, stageName: 'prod' })));
    assert.deepEqual([noMethods.name, noMethods.message], ['BadRequestException', "The REST API doesn't contain any methods"]);
    const noIntegration = await rejection(client().send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' })));
    assert.deepEqual([noIntegration.name, noIntegration.message], ['BadRequestException', 'No integration defined for method']);

    await client().send(new PutIntegrationCommand({ restApiId: apiId, resourceId, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    const deployment = await client().send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod', variables: { alias: 'live' } }));
    assert.match(deployment.id!, ID);
    const prod = await client().send(new GetStageCommand({ restApiId: apiId, stageName: 'prod' }));
    assert.equal(prod.deploymentId, deployment.id);
    assert.deepEqual(prod.variables, { alias: 'live' });

    const dev = await client().send(new CreateStageCommand({ restApiId: apiId, stageName: 'dev', deploymentId: deployment.id, description: 'for devs' }));
    assert.equal(dev.description, 'for devs');
    const duplicate = await rejection(client().send(new CreateStageCommand({ restApiId: apiId, stageName: 'dev', deploymentId: deployment.id })));
    assert.deepEqual([duplicate.name, duplicate.message, duplicate.$metadata.httpStatusCode], ['ConflictException', 'Stage already exists', 409]);
    const badDeployment = await rejection(client().send(new CreateStageCommand({ restApiId: apiId, stageName: 'qa', deploymentId: 'nosuchdep0' })));
    assert.deepEqual([badDeployment.name, badDeployment.message], ['NotFoundException', 'Invalid Deployment identifier specified']);

    const updated = await client().send(new UpdateStageCommand({
      restApiId: apiId, stageName: 'prod',
      patchOperations: [
        { op: 'replace', path: '/variables/alias', value: 'blue' },
        { op: 'replace', path: '/variables/extra', value: 'x' },
        { op: 'remove', path: '/variables/extra' },
        { op: 'replace', path: '/description', value: 'production' },
      ],
    }));
    assert.deepEqual(updated.variables, { alias: 'blue' });
    assert.equal(updated.description, 'production');
    const badPath = await rejection(client().send(new UpdateStageCommand({ restApiId: apiId, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/nope', value: 'x' }] })));
    assert.equal(badPath.name, 'BadRequestException');
    assert.match(badPath.message, /^Invalid patch path '\/nope' specified for op 'replace'/);

    const stages = await client().send(new GetStagesCommand({ restApiId: apiId }));
    assert.deepEqual(stages.item?.map((stage) => stage.stageName).sort(), ['dev', 'prod']);
    const inUse = await rejection(client().send(new DeleteDeploymentCommand({ restApiId: apiId, deploymentId: deployment.id })));
    assert.deepEqual([inUse.name, inUse.message], ['BadRequestException', 'Active stages pointing to this deployment must be moved or deleted']);
    await client().send(new DeleteStageCommand({ restApiId: apiId, stageName: 'dev' }));
    await client().send(new DeleteStageCommand({ restApiId: apiId, stageName: 'prod' }));
    const gone = await rejection(client().send(new GetStageCommand({ restApiId: apiId, stageName: 'prod' })));
    assert.deepEqual([gone.name, gone.message, gone.$metadata.httpStatusCode], ['NotFoundException', 'Invalid Stage identifier specified', 404]);
    await client().send(new DeleteDeploymentCommand({ restApiId: apiId, deploymentId: deployment.id }));
    const deployments = await client().send(new GetDeploymentsCommand({ restApiId: apiId }));
    assert.deepEqual(deployments.items, []);
  });
});
