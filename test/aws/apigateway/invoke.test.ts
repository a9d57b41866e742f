import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  APIGatewayClient, CreateApiKeyCommand, CreateAuthorizerCommand, CreateDeploymentCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, GetUsagePlanKeysCommand, CreateModelCommand, CreateRequestValidatorCommand, CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand,
  FlushStageAuthorizersCacheCommand, GetStageCommand, PutIntegrationResponseCommand, PutMethodCommand, UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import type { PutIntegrationCommandInput } from '@aws-sdk/client-api-gateway';
import { CreateAliasCommand, CreateFunctionCommand, LambdaClient, PublishVersionCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { ManualClock } from '../../../src/shared/clock.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';
import { rawRequest } from '../../helpers/raw-http.js';

const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';
const START = Date.UTC(2024, 2, 12, 19, 3, 58, 390);

// Answers with the event it got, unless the path asks for a broken answer or an error.
const HANDLER = `
export const handler = async (event, context) => {
  if (event.path?.endsWith('/malformed')) return { status: 'not a proxy response' };
  if (event.path?.endsWith('/numberbody')) return { statusCode: 200, body: 42 };
  if (event.action === 'fail') throw new Error('Not Found: ' + event.id);
  if (event.action) return { echoed: event, version: context.functionVersion };
  return {
    statusCode: 201,
    headers: { 'content-type': 'application/json', 'x-single': 'one' },
    multiValueHeaders: { 'x-multi': ['a', 'b'] },
    body: JSON.stringify({ event, invoked: context.invokedFunctionArn, version: context.functionVersion }),
  };
};
`;

// A TOKEN authorizer: the token names the outcome; `calls` counts how often it really ran.
const AUTHORIZER = `
let calls = 0;
export const handler = async (event) => {
  calls++;
  if (event.authorizationToken === 'unauthorized') throw new Error('Unauthorized');
  const resource = event.authorizationToken === 'elsewhere' ? 'arn:aws:execute-api:us-east-1:000000000000:other/*' : event.methodArn.split('/')[0] + '/*';
  return {
    principalId: 'user-' + event.authorizationToken,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: event.authorizationToken === 'deny' ? 'Deny' : 'Allow', Resource: resource }] },
    context: { user: 'alice', calls },
  };
};
`;

const lambdaUri = (target: string): string => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${target}/invocations`;
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:echo';

describe('Invoking deployed REST APIs', () => {
  const clock = new ManualClock(START);
  const nimbus = useNimbus({ clock });
  const apigw = (): APIGatewayClient => new APIGatewayClient(clientSettings(nimbus()));
  const lambda = (): LambdaClient => new LambdaClient(clientSettings(nimbus()));
  const port = (): number => Number(new URL(nimbus().endpoint).port);

  async function createFunction(): Promise<void> {
    await lambda().send(new CreateFunctionCommand({
      FunctionName: 'echo', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await zip({ 'index.mjs': HANDLER }) },
    }));
    await waitUntilFunctionActiveV2({ client: lambda(), maxWaitTime: 30 }, { FunctionName: 'echo' });
  }

  /** An API whose `paths` (e.g. ['pets', '{petId}']) each get `method` with `integration`; returns the API id and resource ids by path. */
  async function createApi(routes: { path: string[]; method: string; apiKeyRequired?: boolean; integration: Omit<PutIntegrationCommandInput, 'restApiId' | 'resourceId' | 'httpMethod'> }[]): Promise<{ apiId: string; ids: Map<string, string> }> {
    const api = await apigw().send(new CreateRestApiCommand({ name: 'invoke' }));
    const ids = new Map<string, string>([['/', api.rootResourceId!]]);
    for (const route of routes) {
      let parentPath = '/';
      for (const part of route.path) {
        const path = parentPath === '/' ? `/${part}` : `${parentPath}/${part}`;
        if (!ids.has(path)) {
          const resource = await apigw().send(new CreateResourceCommand({ restApiId: api.id, parentId: ids.get(parentPath), pathPart: part }));
          ids.set(path, resource.id!);
        }
        parentPath = path;
      }
      const resourceId = ids.get(parentPath)!;
      await apigw().send(new PutMethodCommand({ restApiId: api.id, resourceId, httpMethod: route.method, authorizationType: 'NONE', apiKeyRequired: route.apiKeyRequired }));
      await apigw().send(new PutIntegrationCommand({ restApiId: api.id, resourceId, httpMethod: route.method, ...route.integration }));
    }
    return { apiId: api.id!, ids };
  }

  it('serves an AWS_PROXY Lambda through both address forms with the v1 proxy event', async () => {
    await createFunction();
    const { apiId, ids } = await createApi([{ path: ['pets', '{petId}'], method: 'ANY', integration: { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(FUNCTION_ARN) } }]);
    await apigw().send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod', variables: { color: 'blue' } }));

    const byPath = await fetch(`${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_/pets/42?tag=a&tag=b&one=1`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-custom': 'yes' }, body: '{"name":"rex"}',
    });
    assert.equal(byPath.status, 201);
    assert.equal(byPath.headers.get('x-single'), 'one');
    assert.equal(byPath.headers.get('x-multi'), 'a, b');
    const answer = await byPath.json() as { event: Record<string, unknown>; invoked: string };
    const { event } = answer;
    assert.equal(answer.invoked, FUNCTION_ARN);
    assert.equal(event.resource, '/pets/{petId}');
    assert.equal(event.path, '/pets/42');
    assert.equal(event.httpMethod, 'POST');
    assert.equal((event.headers as Record<string, string>)['x-custom'], 'yes');
    assert.deepEqual((event.multiValueHeaders as Record<string, string[]>)['x-custom'], ['yes']);
    assert.deepEqual(event.queryStringParameters, { tag: 'b', one: '1' });
    assert.deepEqual(event.multiValueQueryStringParameters, { tag: ['a', 'b'], one: ['1'] });
    assert.deepEqual(event.pathParameters, { petId: '42' });
    assert.deepEqual(event.stageVariables, { color: 'blue' });
    assert.equal(event.body, '{"name":"rex"}');
    assert.equal(event.isBase64Encoded, false);
    const context = event.requestContext as Record<string, unknown>;
    assert.equal(context.accountId, '000000000000');
    assert.equal(context.apiId, apiId);
    assert.equal(context.stage, 'prod');
    assert.equal(context.resourceId, ids.get('/pets/{petId}'));
    assert.equal(context.resourcePath, '/pets/{petId}');
    assert.equal(context.httpMethod, 'POST');
    assert.equal(context.path, '/prod/pets/42');
    assert.equal(context.protocol, 'HTTP/1.1');
    assert.equal(context.requestTimeEpoch, START);
    assert.equal(context.requestTime, '12/Mar/2024:19:03:58 +0000');
    assert.match(String(context.requestId), /^[0-9a-f-]{36}$/);
    assert.equal((context.identity as Record<string, unknown>).sourceIp, '127.0.0.1');

    const host = `${apiId}.execute-api.localhost:${String(port())}`;
    const byHost = await rawRequest(port(), { method: 'GET', host, path: '/prod/pets/7' });
    assert.equal(byHost.status, 201);
    const hostEvent = (JSON.parse(byHost.text) as { event: Record<string, unknown> }).event;
    assert.equal(hostEvent.path, '/pets/7');
    assert.equal(hostEvent.body, null);
    assert.equal(hostEvent.queryStringParameters, null);
    assert.equal((hostEvent.requestContext as Record<string, unknown>).domainName, host);

    // No resource, no method: AWS's 403 Missing Authentication Token; no stage: a bare 403 Forbidden.
    const noStage = await rawRequest(port(), { method: 'GET', host, path: '/staging/pets/1' });
    assert.deepEqual([noStage.status, JSON.parse(noStage.text)], [403, { message: 'Forbidden' }]);
    for (const [method, path] of [['GET', '/prod/nothing'], ['GET', '/prod/pets']]) {
      const missing = await rawRequest(port(), { method, host, path });
      assert.equal(missing.status, 403);
      assert.deepEqual(JSON.parse(missing.text), { message: 'Missing Authentication Token' });
      assert.equal(missing.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
    }
  });

  it('routes {proxy+}, chooses the alias from a stage variable and freezes the API at deployment', async () => {
    await createFunction();
    await lambda().send(new PublishVersionCommand({ FunctionName: 'echo' }));
    await lambda().send(new CreateAliasCommand({ FunctionName: 'echo', Name: 'live', FunctionVersion: '1' }));
    const { apiId, ids } = await createApi([
      { path: ['{proxy+}'], method: 'ANY', integration: { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(`${FUNCTION_ARN}:\${stageVariables.alias}`) } },
      { path: ['fixed'], method: 'GET', integration: { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } } },
    ]);
    await apigw().send(new PutIntegrationResponseCommand({ restApiId: apiId, resourceId: ids.get('/fixed'), httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"fixed": true}' } }));
    await apigw().send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod', variables: { alias: 'live' } }));

    const greedy = await fetch(`${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_/a/b/c`);
    const body = await greedy.json() as { event: Record<string, unknown>; invoked: string; version: string };
    assert.equal(body.event.resource, '/{proxy+}');
    assert.deepEqual(body.event.pathParameters, { proxy: 'a/b/c' });
    assert.equal(body.invoked, `${FUNCTION_ARN}:live`);
    assert.equal(body.version, '1');

    // A literal resource wins over {proxy+}.
    const literal = await fetch(`${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_/fixed`);
    assert.deepEqual(await literal.json(), { fixed: true });

    // Changing the stage variable repoints the stage at once; changing the API needs a deployment.
    await apigw().send(new UpdateStageCommand({ restApiId: apiId, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/variables/alias', value: 'nosuchalias' }] }));
    const broken = await fetch(`${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_/x`);
    assert.equal(broken.status, 500);
    assert.deepEqual(await broken.json(), { message: 'Internal server error' });
    await apigw().send(new PutIntegrationResponseCommand({ restApiId: apiId, resourceId: ids.get('/fixed'), httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"fixed": "again"}' } }));
    const frozen = await fetch(`${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_/fixed`);
    assert.deepEqual(await frozen.json(), { fixed: true });
    await apigw().send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
    const redeployed = await fetch(`${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_/fixed`);
    assert.deepEqual(await redeployed.json(), { fixed: 'again' });
  });

  it('answers 502 Internal server error for answers outside the proxy contract', async () => {
    await createFunction();
    const { apiId } = await createApi([{ path: ['{proxy+}'], method: 'ANY', integration: { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(FUNCTION_ARN) } }]);
    await apigw().send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
    for (const path of ['malformed', 'numberbody']) {
      const response = await fetch(`${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_/${path}`);
      assert.equal(response.status, 502);
      assert.deepEqual(await response.json(), { message: 'Internal server error' });
    }
  });

  it('maps an AWS (non-proxy) Lambda integration with VTL templates and selection patterns', async () => {
    await createFunction();
    const { apiId, ids } = await createApi([{
      path: ['items', '{id}'], method: 'POST',
      integration: {
        type: 'AWS', integrationHttpMethod: 'POST', uri: lambdaUri(FUNCTION_ARN),
        requestTemplates: {
          'application/json': [
            '#set($body = $input.path(\'$\'))',
            '{"action": "$input.params(\'action\')", "id": "$input.params(\'id\')", "name": "$util.escapeJavaScript($body.name)",',
            ' "raw": $input.json(\'$.tags\'), "stage": "$context.stage", "color": "$stageVariables.color", "header": "$input.params(\'x-h\')"}',
          ].join('\n'),
        },
      },
    }]);
    const resourceId = ids.get('/items/{id}');
    await apigw().send(new PutIntegrationResponseCommand({
      restApiId: apiId, resourceId, httpMethod: 'POST', statusCode: '200',
      responseTemplates: { 'application/json': '{"id": "$input.path(\'$.echoed.id\')", "tags": $input.json(\'$.echoed.raw\'), "version": "$input.path(\'$.version\')"}' },
      responseParameters: { 'method.response.header.X-Item': 'integration.response.body.echoed.id', 'method.response.header.X-Static': "'fixed'" },
    }));
    await apigw().send(new PutIntegrationResponseCommand({
      restApiId: apiId, resourceId, httpMethod: 'POST', statusCode: '404', selectionPattern: 'Not Found: .*',
      responseTemplates: { 'application/json': '{"error": "$input.path(\'$.errorMessage\')"}' },
    }));
    await apigw().send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'test', variables: { color: 'red' } }));

    const ok = await fetch(`${nimbus().endpoint}/restapis/${apiId}/test/_user_request_/items/9?action=echo`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-h': 'hv' }, body: JSON.stringify({ name: 'say "hi"', tags: ['a', 'b'] }),
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('x-item'), '9');
    assert.equal(ok.headers.get('x-static'), 'fixed');
    assert.deepEqual(await ok.json(), { id: '9', tags: ['a', 'b'], version: '$LATEST' });

    const failed = await fetch(`${nimbus().endpoint}/restapis/${apiId}/test/_user_request_/items/5?action=fail`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
    });
    assert.equal(failed.status, 404);
    assert.deepEqual(await failed.json(), { error: 'Not Found: 5' });

    const unsupported = await fetch(`${nimbus().endpoint}/restapis/${apiId}/test/_user_request_/items/5`, {
      method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x',
    });
    // WHEN_NO_MATCH passes a body without a template straight through; Lambda cannot parse `x` as JSON: 500.
    assert.equal(unsupported.status, 500);
    assert.deepEqual(await unsupported.json(), { message: 'Internal server error' });
  });

  it('answers MOCK integrations from their templates', async () => {
    const { apiId, ids } = await createApi([{ path: ['health'], method: 'GET', integration: { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": #if($input.params(\'fail\') == "yes")500#{else}200#end}' } } }]);
    const resourceId = ids.get('/health');
    await apigw().send(new PutIntegrationResponseCommand({ restApiId: apiId, resourceId, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"status": "ok", "stage": "$context.stage", "requestTime": "$context.requestTime"}' } }));
    await apigw().send(new PutIntegrationResponseCommand({ restApiId: apiId, resourceId, httpMethod: 'GET', statusCode: '503', selectionPattern: '5\\d{2}', responseTemplates: { 'application/json': '{"status": "down"}' } }));
    await apigw().send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'v1' }));
    const ok = await fetch(`${nimbus().endpoint}/restapis/${apiId}/v1/_user_request_/health`);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('content-type'), 'application/json');
    assert.deepEqual(await ok.json(), { status: 'ok', stage: 'v1', requestTime: '12/Mar/2024:19:03:58 +0000' });
    const down = await fetch(`${nimbus().endpoint}/restapis/${apiId}/v1/_user_request_/health?fail=yes`);
    assert.equal(down.status, 503);
    assert.deepEqual(await down.json(), { status: 'down' });
  });

  it('validates required parameters and the body against a draft 4 model before integrating', async () => {
    const api = await apigw().send(new CreateRestApiCommand({ name: 'validated' }));
    const resource = await apigw().send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'pets' }));
    await apigw().send(new CreateModelCommand({
      restApiId: api.id, name: 'Pet', contentType: 'application/json',
      schema: JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', required: ['name'], properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } } }),
    }));
    const validator = await apigw().send(new CreateRequestValidatorCommand({ restApiId: api.id, name: 'all', validateRequestBody: true, validateRequestParameters: true }));
    await apigw().send(new PutMethodCommand({
      restApiId: api.id, resourceId: resource.id, httpMethod: 'POST', authorizationType: 'NONE', requestValidatorId: validator.id,
      requestParameters: { 'method.request.querystring.owner': true, 'method.request.header.x-trace': true, 'method.request.querystring.optional': false },
      requestModels: { 'application/json': 'Pet' },
    }));
    await apigw().send(new PutIntegrationCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: 'POST', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await apigw().send(new PutIntegrationResponseCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: 'POST', statusCode: '200', responseTemplates: { 'application/json': '{"created": true}' } }));
    await apigw().send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));

    const url = `${nimbus().endpoint}/restapis/${api.id!}/prod/_user_request_/pets`;
    const cases: [string, Record<string, string>, string, number, unknown][] = [
      ['?owner=me', { 'x-trace': '1' }, '{"name":"rex","age":3}', 200, { created: true }],
      ['', {}, '{"name":"rex"}', 400, { message: 'Missing required request parameters: [owner, x-trace]' }],
      ['?owner=me', { 'x-trace': '1' }, '{"age":3}', 400, { message: 'Invalid request body' }],
      ['?owner=me', { 'x-trace': '1' }, '{"name":"rex","age":-1}', 400, { message: 'Invalid request body' }],
      ['?owner=me', { 'x-trace': '1' }, 'not json', 400, { message: 'Invalid request body' }],
    ];
    for (const [query, headers, body, status, expected] of cases) {
      const response = await fetch(`${url}${query}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      assert.deepEqual([response.status, await response.json()], [status, expected], `${query} ${body}`);
    }
  });

  it('runs a TOKEN authorizer: policy honoured, context passed on, result cached for its TTL', async () => {
    await lambda().send(new CreateFunctionCommand({
      FunctionName: 'auth', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await zip({ 'index.mjs': AUTHORIZER }) },
    }));
    await waitUntilFunctionActiveV2({ client: lambda(), maxWaitTime: 30 }, { FunctionName: 'auth' });
    const api = await apigw().send(new CreateRestApiCommand({ name: 'guarded' }));
    const authorizer = await apigw().send(new CreateAuthorizerCommand({
      restApiId: api.id, name: 'token', type: 'TOKEN', identitySource: 'method.request.header.Authorization',
      authorizerUri: lambdaUri('arn:aws:lambda:us-east-1:000000000000:function:auth'), authorizerResultTtlInSeconds: 300,
    }));
    assert.match(authorizer.id!, /^[a-z0-9]{6}$/);
    const resource = await apigw().send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'me' }));
    await apigw().send(new PutMethodCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: authorizer.id }));
    await apigw().send(new PutIntegrationCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await apigw().send(new PutIntegrationResponseCommand({
      restApiId: api.id, resourceId: resource.id, httpMethod: 'GET', statusCode: '200',
      responseTemplates: { 'application/json': '{"user": "$context.authorizer.user", "principal": "$context.authorizer.principalId", "calls": $context.authorizer.calls}' },
    }));
    await apigw().send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    const call = async (token?: string): Promise<[number, unknown]> => {
      const response = await fetch(`${nimbus().endpoint}/restapis/${api.id!}/prod/_user_request_/me`, { headers: token ? { authorization: token } : {} });
      return [response.status, await response.json()];
    };

    assert.deepEqual(await call('allow'), [200, { user: 'alice', principal: 'user-allow', calls: 1 }]);
    // Cached by token: the authorizer is not called again within the TTL...
    assert.deepEqual(await call('allow'), [200, { user: 'alice', principal: 'user-allow', calls: 1 }]);
    clock.advance(301_000);
    // ...and is once the TTL has passed.
    assert.deepEqual(await call('allow'), [200, { user: 'alice', principal: 'user-allow', calls: 2 }]);
    await apigw().send(new FlushStageAuthorizersCacheCommand({ restApiId: api.id, stageName: 'prod' }));
    assert.deepEqual(await call('allow'), [200, { user: 'alice', principal: 'user-allow', calls: 3 }]);
    assert.deepEqual(await call(), [401, { message: 'Unauthorized' }]);
    assert.deepEqual(await call('unauthorized'), [401, { message: 'Unauthorized' }]);
    assert.deepEqual(await call('deny'), [403, { Message: 'User is not authorized to access this resource with an explicit deny' }]);
    assert.deepEqual(await call('elsewhere'), [403, { Message: 'User is not authorized to access this resource' }]);
  });

  it('requires an enabled API key of a usage plan covering the stage', async () => {
    const { apiId, ids } = await createApi([{ path: ['paid'], method: 'GET', apiKeyRequired: true, integration: { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } } }]);
    const resourceId = ids.get('/paid');
    await apigw().send(new PutIntegrationResponseCommand({ restApiId: apiId, resourceId, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"paid": true}' } }));
    await apigw().send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
    const enabled = await apigw().send(new CreateApiKeyCommand({ name: 'customer', enabled: true }));
    assert.match(enabled.value!, /^[a-zA-Z0-9]{40}$/);
    const disabled = await apigw().send(new CreateApiKeyCommand({ name: 'disabled', value: 'disabled-key-value-0123456789' }));
    assert.equal(disabled.enabled, false);
    const unplanned = await apigw().send(new CreateApiKeyCommand({ name: 'unplanned', enabled: true }));
    const plan = await apigw().send(new CreateUsagePlanCommand({ name: 'basic', apiStages: [{ apiId, stage: 'prod' }] }));
    for (const key of [enabled, disabled]) await apigw().send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    const keys = await apigw().send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id }));
    assert.deepEqual(keys.items?.map((key) => key.name).sort(), ['customer', 'disabled']);

    const call = async (key?: string): Promise<[number, unknown]> => {
      const response = await fetch(`${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_/paid`, { headers: key ? { 'x-api-key': key } : {} });
      return [response.status, await response.json()];
    };
    assert.deepEqual(await call(enabled.value), [200, { paid: true }]);
    for (const key of [undefined, 'not-a-key', disabled.value, unplanned.value]) assert.deepEqual(await call(key), [403, { message: 'Forbidden' }]);
  });

  it('sends a canary share of traffic to the canary deployment with its variable overrides', async () => {
    const { apiId, ids } = await createApi([{ path: ['v'], method: 'GET', integration: { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } } }]);
    const resourceId = ids.get('/v');
    const respond = (text: string): PutIntegrationResponseCommand => new PutIntegrationResponseCommand({
      restApiId: apiId, resourceId, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': `{"build": "${text}", "color": "$stageVariables.color"}` },
    });
    await apigw().send(respond('base'));
    await apigw().send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod', variables: { color: 'blue' } }));
    await apigw().send(respond('canary'));
    const canary = await apigw().send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod', canarySettings: { percentTraffic: 100, stageVariableOverrides: { color: 'green' } } }));
    const stage = await apigw().send(new GetStageCommand({ restApiId: apiId, stageName: 'prod' }));
    assert.equal(stage.canarySettings?.deploymentId, canary.id);
    assert.notEqual(stage.deploymentId, canary.id);
    const url = `${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_/v`;
    assert.deepEqual(await (await fetch(url)).json(), { build: 'canary', color: 'green' });
    await apigw().send(new UpdateStageCommand({ restApiId: apiId, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/canarySettings/percentTraffic', value: '0' }] }));
    assert.deepEqual(await (await fetch(url)).json(), { build: 'base', color: 'blue' });
    // Promoting: point the stage at the canary's deployment and drop the canary.
    await apigw().send(new UpdateStageCommand({
      restApiId: apiId, stageName: 'prod',
      patchOperations: [{ op: 'replace', path: '/deploymentId', value: canary.id }, { op: 'remove', path: '/canarySettings' }],
    }));
    assert.deepEqual(await (await fetch(url)).json(), { build: 'canary', color: 'blue' });
  });

  describe('HTTP_PROXY', () => {
    let backend: Server;
    let backendUrl = '';
    before(async () => {
      backend = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
        });
        request.on('end', () => {
          response.writeHead(request.url?.includes('/missing') ? 404 : 200, { 'content-type': 'application/json', 'x-backend': 'node' });
          response.end(JSON.stringify({ method: request.method, url: request.url, header: request.headers['x-pass'], body: Buffer.concat(chunks).toString('utf8') }));
        });
      });
      await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
      backendUrl = `http://127.0.0.1:${String((backend.address() as AddressInfo).port)}`;
    });
    after(() => {
      backend.close();
    });

    it('forwards the request to an HTTP backend and its answer back', async () => {
      const { apiId } = await createApi([{
        path: ['api', '{proxy+}'], method: 'ANY',
        integration: { type: 'HTTP_PROXY', integrationHttpMethod: 'ANY', uri: `${backendUrl}/v2/{proxy}`, requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' } },
      }]);
      await apigw().send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
      const response = await fetch(`${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_/api/users/1?x=y`, { method: 'PUT', headers: { 'x-pass': 'through' }, body: 'payload' });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('x-backend'), 'node');
      assert.deepEqual(await response.json(), { method: 'PUT', url: '/v2/users/1?x=y', header: 'through', body: 'payload' });
      // The backend's status comes back as it is: no integration response mapping in a proxy.
      const missing = await fetch(`${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_/api/missing`);
      assert.equal(missing.status, 404);
      assert.equal((await missing.json() as { method: string }).method, 'GET');
    });

    it('maps an HTTP (non-proxy) integration with templates and a status selection pattern', async () => {
      const { apiId, ids } = await createApi([{
        path: ['things', '{name}'], method: 'GET',
        integration: { type: 'HTTP', integrationHttpMethod: 'POST', uri: `${backendUrl}/\${stageVariables.target}`, requestTemplates: { 'application/json': '{"wanted": "$input.params(\'name\')"}' } },
      }]);
      const resourceId = ids.get('/things/{name}');
      await apigw().send(new PutIntegrationResponseCommand({
        restApiId: apiId, resourceId, httpMethod: 'GET', statusCode: '200',
        responseTemplates: { 'application/json': '#set($b = $util.parseJson($input.path(\'$.body\')))[$input.json(\'$.method\'), "$b.wanted"]' },
        responseParameters: { 'method.response.header.X-Backend': 'integration.response.header.x-backend' },
      }));
      await apigw().send(new PutIntegrationResponseCommand({ restApiId: apiId, resourceId, httpMethod: 'GET', statusCode: '404', selectionPattern: '404', responseTemplates: { 'application/json': '{"gone": true}' } }));
      await apigw().send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod', variables: { target: 'found' } }));
      await apigw().send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'old', variables: { target: 'missing' } }));
      const found = await fetch(`${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_/things/bolt`);
      assert.equal(found.status, 200);
      assert.equal(found.headers.get('x-backend'), 'node');
      assert.deepEqual(await found.json(), ['POST', 'bolt']);
      const gone = await fetch(`${nimbus().endpoint}/restapis/${apiId}/old/_user_request_/things/bolt`);
      assert.deepEqual([gone.status, await gone.json()], [404, { gone: true }]);
    });
  });
});
