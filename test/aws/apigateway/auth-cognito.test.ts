import assert from 'node:assert/strict';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { generateKeyPairSync, sign } from 'node:crypto';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  APIGatewayClient, CreateAuthorizerCommand, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, GetAuthorizerCommand,
  PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { ManualClock } from '../../../src/shared/clock.js';
import { cliRunners } from '../../helpers/cli.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';

const START = Date.UTC(2026, 0, 15, 12, 0, 0);
const POOL_ID = 'us-east-1_NimbusTest';
const POOL_ARN = `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${POOL_ID}`;
const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

interface Key {
  kid: string;
  privateKey: KeyObject;
  jwk: JsonWebKey;
}

function rsaKey(kid: string): Key {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

const poolKey = rsaKey('pool-key');
const strangerKey = { ...rsaKey('other'), kid: 'pool-key' };

function jwt(key: Key, claims: Record<string, unknown>): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${encode({ alg: 'RS256', kid: key.kid })}.${encode(claims)}`;
  return `${signed}.${sign('sha256', Buffer.from(signed), key.privateKey).toString('base64url')}`;
}

// A local identity provider: the pool's JWKS at {issuer}/.well-known/jwks.json, as Cognito publishes it.
let idp: Server;
let issuer = '';

before(async () => {
  idp = createServer((request, response) => {
    if (request.url === `/${POOL_ID}/.well-known/jwks.json` || request.url === '/us-east-1_OtherPool/.well-known/jwks.json') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [poolKey.jwk] }));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/${POOL_ID}`;
});

after(() => {
  idp.close();
});

// Tokens are issued at the emulated time, which some tests move on.
const clock = new ManualClock(START);
const nowSeconds = (): number => clock.now() / 1000;
const idToken = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  sub: 'user-sub-1', 'cognito:username': 'alice', 'cognito:groups': ['admins', 'users'], email_verified: true, aud: 'app-client-1',
  token_use: 'id', auth_time: nowSeconds(), iss: issuer, iat: nowSeconds(), exp: nowSeconds() + 3600, ...extra,
});
const accessToken = (scope: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  sub: 'user-sub-1', 'cognito:groups': ['admins', 'users'], client_id: 'app-client-1', token_use: 'access', scope, username: 'alice', iss: issuer,
  iat: nowSeconds(), exp: nowSeconds() + 3600, ...extra,
});

describe('COGNITO_USER_POOLS authorizers on REST APIs', () => {
  const nimbus = useNimbus({ clock });
  const apigw = (): APIGatewayClient => new APIGatewayClient(clientSettings(nimbus()));

  /** An API with GET /profile (no scopes) and GET /admin (scope pets/admin), both answering with the claims they saw. */
  async function deployApi(identitySource = 'method.request.header.Authorization'): Promise<string> {
    const api = await apigw().send(new CreateRestApiCommand({ name: 'cognito' }));
    const authorizer = await apigw().send(new CreateAuthorizerCommand({
      restApiId: api.id, name: 'pool', type: 'COGNITO_USER_POOLS', providerARNs: [POOL_ARN], identitySource,
    }));
    for (const [path, scopes] of [['profile', undefined], ['admin', ['pets/admin', 'pets/owner']]] as const) {
      const resource = await apigw().send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: path }));
      await apigw().send(new PutMethodCommand({
        restApiId: api.id, resourceId: resource.id, httpMethod: 'GET', authorizationType: 'COGNITO_USER_POOLS', authorizerId: authorizer.id,
        authorizationScopes: scopes ? [...scopes] : undefined,
      }));
      await apigw().send(new PutIntegrationCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
      await apigw().send(new PutIntegrationResponseCommand({
        restApiId: api.id, resourceId: resource.id, httpMethod: 'GET', statusCode: '200',
        responseTemplates: { 'application/json': '{"sub": "$context.authorizer.claims.sub", "groups": "$context.authorizer.claims[\'cognito:groups\']"}' },
      }));
    }
    await apigw().send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    return api.id!;
  }

  const call = (apiId: string, path: string, headers: Record<string, string> = {}): Promise<Response> => fetch(`${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_/${path}`, { headers });

  it('lets valid tokens through and answers 401 Unauthorized to everything else', async () => {
    const apiId = await deployApi();
    const cases: { name: string; path: string; token?: string; status: number }[] = [
      { name: 'an ID token', path: 'profile', token: jwt(poolKey, idToken()), status: 200 },
      { name: 'no token', path: 'profile', status: 401 },
      { name: 'a Bearer prefix', path: 'profile', token: `Bearer ${jwt(poolKey, idToken())}`, status: 401 },
      { name: 'not a JWT', path: 'profile', token: 'garbage', status: 401 },
      { name: 'signed by another key', path: 'profile', token: jwt(strangerKey, idToken()), status: 401 },
      { name: 'expired', path: 'profile', token: jwt(poolKey, idToken({ exp: nowSeconds() - 1 })), status: 401 },
      { name: 'issued by another pool', path: 'profile', token: jwt(poolKey, idToken({ iss: issuer.replace(POOL_ID, 'us-east-1_OtherPool') })), status: 401 },
      { name: 'issued by an unknown host', path: 'profile', token: jwt(poolKey, idToken({ iss: `https://idp.example.com/${POOL_ID}` })), status: 401 },
      { name: 'an access token where no scopes are set', path: 'profile', token: jwt(poolKey, accessToken('pets/admin')), status: 401 },
      { name: 'an access token with one of the scopes', path: 'admin', token: jwt(poolKey, accessToken('openid pets/owner')), status: 200 },
      { name: 'an access token without the scopes', path: 'admin', token: jwt(poolKey, accessToken('openid profile')), status: 401 },
      { name: 'an ID token where scopes are set', path: 'admin', token: jwt(poolKey, idToken()), status: 401 },
    ];
    for (const testCase of cases) {
      const response = await call(apiId, testCase.path, testCase.token === undefined ? {} : { Authorization: testCase.token });
      assert.equal(response.status, testCase.status, testCase.name);
      if (testCase.status === 401) {
        assert.deepEqual(await response.json(), { message: 'Unauthorized' }, testCase.name);
        assert.equal(response.headers.get('x-amzn-errortype'), 'UnauthorizedException', testCase.name);
      } else {
        assert.deepEqual(await response.json(), { sub: 'user-sub-1', groups: 'admins,users' }, testCase.name);
      }
    }
  });

  it('reads the token from the configured header and follows the clock for expiry', async () => {
    const apiId = await deployApi('method.request.header.X-Id-Token');
    const token = jwt(poolKey, idToken());
    assert.equal((await call(apiId, 'profile', { Authorization: token })).status, 401);
    assert.equal((await call(apiId, 'profile', { 'x-id-token': token })).status, 200);
    clock.advance(3600_000);
    assert.equal((await call(apiId, 'profile', { 'x-id-token': token })).status, 401);
  });

  it('hands the claims to a Lambda proxy as requestContext.authorizer.claims, all strings', async () => {
    const lambda = new LambdaClient(clientSettings(nimbus()));
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'claims', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE,
      Code: { ZipFile: await zip({ 'index.mjs': 'export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.authorizer) });' }) },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'claims' });
    const api = await apigw().send(new CreateRestApiCommand({ name: 'claims' }));
    const authorizer = await apigw().send(new CreateAuthorizerCommand({ restApiId: api.id, name: 'pool', type: 'COGNITO_USER_POOLS', providerARNs: [POOL_ARN], identitySource: 'method.request.header.Authorization' }));
    await apigw().send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'COGNITO_USER_POOLS', authorizerId: authorizer.id }));
    await apigw().send(new PutIntegrationCommand({
      restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST',
      uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:claims/invocations',
    }));
    await apigw().send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    const issuedAt = nowSeconds();
    const response = await fetch(`${nimbus().endpoint}/restapis/${api.id!}/prod/_user_request_/`, { headers: { Authorization: jwt(poolKey, idToken({ iat: issuedAt, exp: issuedAt + 60 })) } });
    assert.equal(response.status, 200);
    const { claims } = await response.json() as { claims: Record<string, string> };
    // exp and iat read like Java's Date.toString() in UTC, e.g. "Thu Jan 15 12:00:00 UTC 2026".
    const javaDate = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/;
    assert.match(claims.iat, javaDate);
    assert.match(claims.exp, javaDate);
    assert.deepEqual({ ...claims, iat: undefined, exp: undefined }, {
      sub: 'user-sub-1', 'cognito:username': 'alice', 'cognito:groups': 'admins,users', email_verified: 'true', aud: 'app-client-1', token_use: 'id',
      auth_time: String(issuedAt), iss: issuer, iat: undefined, exp: undefined,
    });
  });

  it('creates user pool authorizers through the AWS CLI and reads them with boto3', async () => {
    const { exec, python } = cliRunners(nimbus);
    const api = JSON.parse((await exec('aws', ['apigateway', 'create-rest-api', '--name', 'cli'])).stdout) as { id: string };
    const created = await exec('aws', [
      'apigateway', 'create-authorizer', '--rest-api-id', api.id, '--name', 'pool', '--type', 'COGNITO_USER_POOLS',
      '--provider-arns', POOL_ARN, '--identity-source', 'method.request.header.Authorization',
    ]);
    assert.equal(created.code, 0, created.stderr);
    const authorizerId = (JSON.parse(created.stdout) as { id: string }).id;
    const read = await python([
      'import boto3, json, sys',
      `authorizer = boto3.client("apigateway").get_authorizer(restApiId="${api.id}", authorizerId="${authorizerId}")`,
      'print(json.dumps([authorizer["type"], authorizer["authType"], authorizer["providerARNs"]]))',
    ].join('\n'));
    assert.deepEqual(JSON.parse(read.stdout), ['COGNITO_USER_POOLS', 'cognito_user_pools', [POOL_ARN]]);
    const refused = await exec('aws', ['apigateway', 'create-authorizer', '--rest-api-id', api.id, '--name', 'bad', '--type', 'COGNITO_USER_POOLS', '--identity-source', 'method.request.header.Authorization']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /\(BadRequestException\) when calling the CreateAuthorizer operation: ProviderARNs must be specified for COGNITO_USER_POOLS authorizers/);
  });

  it('creates user pool authorizers with their provider ARNs and refuses incomplete ones', async () => {
    const api = await apigw().send(new CreateRestApiCommand({ name: 'authorizers' }));
    const created = await apigw().send(new CreateAuthorizerCommand({ restApiId: api.id, name: 'pool', type: 'COGNITO_USER_POOLS', providerARNs: [POOL_ARN], identitySource: 'method.request.header.Authorization' }));
    const read = await apigw().send(new GetAuthorizerCommand({ restApiId: api.id, authorizerId: created.id }));
    assert.deepEqual([read.type, read.authType, read.providerARNs, read.identitySource, read.authorizerResultTtlInSeconds], ['COGNITO_USER_POOLS', 'cognito_user_pools', [POOL_ARN], 'method.request.header.Authorization', 300]);
    const cases: { input: { providerARNs?: string[]; identitySource?: string }; message: string }[] = [
      { input: { identitySource: 'method.request.header.Authorization' }, message: 'ProviderARNs must be specified for COGNITO_USER_POOLS authorizers' },
      { input: { providerARNs: ['arn:aws:iam::000000000000:role/x'], identitySource: 'method.request.header.Authorization' }, message: 'Invalid provider ARN specified: arn:aws:iam::000000000000:role/x' },
      { input: { providerARNs: [POOL_ARN] }, message: 'Invalid identity source specified for COGNITO_USER_POOLS authorizer: it must be method.request.header.<name>' },
    ];
    for (const [index, testCase] of cases.entries()) {
      await assert.rejects(apigw().send(new CreateAuthorizerCommand({ restApiId: api.id, name: `bad${index}`, type: 'COGNITO_USER_POOLS', ...testCase.input })), (error: Error & { $metadata: { httpStatusCode?: number } }) => {
        assert.equal(error.name, 'BadRequestException');
        assert.equal(error.message, testCase.message);
        assert.equal(error.$metadata.httpStatusCode, 400);
        return true;
      });
    }
  });
});
