import assert from 'node:assert/strict';
import type { KeyObject } from 'node:crypto';
import { generateKeyPairSync, sign } from 'node:crypto';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApiGatewayV2Client, CreateApiCommand, CreateAuthorizerCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import type { CreateAuthorizerCommandInput, CreateRouteCommandInput } from '@aws-sdk/client-apigatewayv2';
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { ManualClock } from '../../../src/shared/clock.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';
import type { HttpAnswer } from '../../helpers/raw-http.js';
import { rawRequest } from '../../helpers/raw-http.js';

const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';
const START = Date.UTC(2024, 2, 12, 19, 3, 58, 390);
const arnOf = (name: string): string => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

const ECHO = `
export const handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
`;

// A REQUEST authorizer: the first identity value names the outcome; `calls` counts how often it really ran.
const AUTHORIZER = `
let calls = 0;
export const handler = async (event) => {
  calls++;
  if (event.version === '1.0') {
    return {
      principalId: 'user-1',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: event.identitySource === 'allow' ? 'Allow' : 'Deny', Resource: event.methodArn }] },
      context: { calls, type: event.type },
    };
  }
  const [token] = event.identitySource;
  if (token === 'boom') throw new Error('boom');
  if (token === 'unauthorized') throw new Error('Unauthorized');
  return { isAuthorized: token === 'allow', context: { calls, routeArn: event.routeArn, version: event.version } };
};
`;

type Event = Record<string, unknown> & { requestContext: Record<string, unknown> };
const authorizerOf = (answer: HttpAnswer): Record<string, unknown> => (JSON.parse(answer.text) as Event).requestContext.authorizer as Record<string, unknown>;

describe('HTTP API authorizers', () => {
  const clock = new ManualClock(START);
  const nimbus = useNimbus({ clock });
  const v2 = (): ApiGatewayV2Client => new ApiGatewayV2Client(clientSettings(nimbus()));
  const lambda = (): LambdaClient => new LambdaClient(clientSettings(nimbus()));
  const port = (): number => Number(new URL(nimbus().endpoint).port);
  const hostOf = (apiId: string): string => `${apiId}.execute-api.localhost:${String(port())}`;

  // An identity provider: an RSA key pair whose public half a local JWKS endpoint serves.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let jwks: Server;
  let issuer = '';
  before(async () => {
    jwks = createServer((req, res) => {
      if (req.url !== '/.well-known/jwks.json') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'key-1', use: 'sig', alg: 'RS256' }] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${String((jwks.address() as AddressInfo).port)}`;
  });
  after(() => {
    jwks.close();
  });

  function token(claims: Record<string, unknown>, key: KeyObject = privateKey): string {
    const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(clock.now() / 1000);
    const unsigned = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'key-1' })}.${encode({ iss: issuer, aud: 'my-app', sub: 'user-1', iat: now, exp: now + 3600, ...claims })}`;
    return `${unsigned}.${sign('sha256', Buffer.from(unsigned), key).toString('base64url')}`;
  }

  async function createFunction(name: string, code: string): Promise<void> {
    await lambda().send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await zip({ 'index.mjs': code }) } }));
    await waitUntilFunctionActiveV2({ client: lambda(), maxWaitTime: 30 }, { FunctionName: name });
  }

  /** An HTTP API on a $default auto-deploy stage whose routes all reach the echo function, protected as each says. */
  async function createApi(authorizer: Omit<CreateAuthorizerCommandInput, 'ApiId' | 'Name'>, routes: Record<string, Omit<CreateRouteCommandInput, 'ApiId' | 'RouteKey'>>): Promise<string> {
    await createFunction('echo', ECHO);
    const api = await v2().send(new CreateApiCommand({ Name: 'auth', ProtocolType: 'HTTP' }));
    const apiId = api.ApiId!;
    const created = await v2().send(new CreateAuthorizerCommand({ ApiId: apiId, Name: 'auth', ...authorizer }));
    const integration = await v2().send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: arnOf('echo'), PayloadFormatVersion: '2.0' }));
    for (const [routeKey, settings] of Object.entries(routes)) {
      await v2().send(new CreateRouteCommand({
        ApiId: apiId, RouteKey: routeKey, Target: `integrations/${integration.IntegrationId!}`,
        ...(settings.AuthorizationType && settings.AuthorizationType !== 'NONE' && settings.AuthorizationType !== 'AWS_IAM' ? { AuthorizerId: created.AuthorizerId } : {}), ...settings,
      }));
    }
    await v2().send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true }));
    return apiId;
  }

  it('JWT: verifies the bearer token against the issuer’s JWKS and audience, and passes the claims on', async () => {
    const apiId = await createApi(
      { AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Issuer: issuer, Audience: ['my-app'] } },
      { 'GET /jwt': { AuthorizationType: 'JWT' } },
    );
    const missing = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/jwt' });
    assert.equal(missing.status, 401);
    assert.deepEqual(JSON.parse(missing.text), { message: 'Unauthorized' });

    const allowed = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/jwt', headers: { authorization: `Bearer ${token({ groups: ['a', 'b'], scope: 'read write' })}` } });
    assert.equal(allowed.status, 200);
    const { jwt } = authorizerOf(allowed) as { jwt: { claims: Record<string, string>; scopes: string[] } };
    assert.equal(jwt.claims.sub, 'user-1');
    assert.equal(jwt.claims.groups, '[a b]');
    assert.equal(jwt.claims.exp, String(Math.floor(START / 1000) + 3600));
    assert.deepEqual(jwt.scopes, ['read', 'write']);
    // The token alone (without "Bearer ") is accepted too.
    assert.equal((await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/jwt', headers: { authorization: token({}) } })).status, 200);

    const wrongAudience = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/jwt', headers: { authorization: `Bearer ${token({ aud: 'other' })}` } });
    assert.equal(wrongAudience.status, 401);
    assert.deepEqual(JSON.parse(wrongAudience.text), { message: 'Unauthorized' });
    assert.equal(wrongAudience.headers['www-authenticate'], 'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"');

    const forged = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/jwt', headers: { authorization: `Bearer ${token({}, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)}` } });
    assert.equal(forged.status, 401);

    const later = token({});
    clock.advance(3601_000);
    const expired = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/jwt', headers: { authorization: `Bearer ${later}` } });
    assert.equal(expired.status, 401);
    assert.match(String(expired.headers['www-authenticate']), /error="invalid_token"/);
  });

  it('JWT: a route’s authorization scopes need one of them in the scope or scp claim, else 403 Forbidden', async () => {
    const apiId = await createApi(
      { AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Issuer: issuer, Audience: ['my-app'] } },
      { 'GET /admin': { AuthorizationType: 'JWT', AuthorizationScopes: ['admin', 'root'] } },
    );
    const cases: [Record<string, unknown>, number][] = [[{ scope: 'read admin' }, 200], [{ scp: ['root'] }, 200], [{ scope: 'read' }, 403], [{}, 403]];
    for (const [claims, status] of cases) {
      const answer = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/admin', headers: { authorization: `Bearer ${token(claims)}` } });
      assert.equal(answer.status, status, JSON.stringify(claims));
      if (status === 403) {
        assert.deepEqual(JSON.parse(answer.text), { message: 'Forbidden' });
        assert.match(String(answer.headers['www-authenticate']), /error="insufficient_scope"/);
      }
    }
  });

  it('Lambda (payload 2.0, simple responses): allows, denies with 403, caches by identity values for the TTL, and passes the context on', async () => {
    await createFunction('authorizer', AUTHORIZER);
    const apiId = await createApi(
      { AuthorizerType: 'REQUEST', AuthorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arnOf('authorizer')}/invocations`, AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true, IdentitySource: ['$request.header.x-token'], AuthorizerResultTtlInSeconds: 300 },
      { 'GET /guarded': { AuthorizationType: 'CUSTOM' }, 'GET /open': { AuthorizationType: 'NONE' } },
    );
    const missing = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/guarded' });
    assert.equal(missing.status, 401);
    assert.deepEqual(JSON.parse(missing.text), { message: 'Unauthorized' });
    assert.equal((await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/open' })).status, 200);

    const first = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/guarded', headers: { 'x-token': 'allow' } });
    assert.equal(first.status, 200);
    const { lambda: context } = authorizerOf(first) as { lambda: Record<string, unknown> };
    assert.deepEqual(context, { calls: 1, routeArn: `arn:aws:execute-api:us-east-1:000000000000:${apiId}/$default/GET/guarded`, version: '2.0' });
    // Within the TTL the cached answer serves; after it the authorizer runs again.
    assert.equal((authorizerOf(await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/guarded', headers: { 'x-token': 'allow' } })).lambda as Record<string, unknown>).calls, 1);
    clock.advance(301_000);
    assert.equal((authorizerOf(await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/guarded', headers: { 'x-token': 'allow' } })).lambda as Record<string, unknown>).calls, 2);

    const denied = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/guarded', headers: { 'x-token': 'deny' } });
    assert.equal(denied.status, 403);
    assert.deepEqual(JSON.parse(denied.text), { message: 'Forbidden' });
    const failing = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/guarded', headers: { 'x-token': 'boom' } });
    assert.equal(failing.status, 500);
    assert.deepEqual(JSON.parse(failing.text), { message: 'Internal Server Error' });
    const unauthorized = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/guarded', headers: { 'x-token': 'unauthorized' } });
    assert.equal(unauthorized.status, 401);
  });

  it('Lambda (payload 1.0): the IAM policy decides against the method ARN; the context reaches the integration', async () => {
    await createFunction('authorizer', AUTHORIZER);
    const apiId = await createApi(
      { AuthorizerType: 'REQUEST', AuthorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arnOf('authorizer')}/invocations`, AuthorizerPayloadFormatVersion: '1.0', IdentitySource: ['$request.querystring.who'], AuthorizerResultTtlInSeconds: 0 },
      { 'GET /policy': { AuthorizationType: 'CUSTOM' } },
    );
    const allowed = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/policy?who=allow' });
    assert.equal(allowed.status, 200);
    assert.deepEqual(authorizerOf(allowed), { lambda: { calls: 1, type: 'REQUEST' } });
    // TTL 0: no caching.
    assert.deepEqual(authorizerOf(await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/policy?who=allow' })), { lambda: { calls: 2, type: 'REQUEST' } });
    const denied = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/policy?who=deny' });
    assert.equal(denied.status, 403);
    assert.deepEqual(JSON.parse(denied.text), { message: 'Forbidden' });
  });

  it('AWS_IAM routes need a valid SigV4 signature (verified as for REST APIs; see http-integrations.test.ts)', async () => {
    const apiId = await createApi({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Issuer: issuer } }, { 'GET /iam': { AuthorizationType: 'AWS_IAM' } });
    const unsigned = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/iam' });
    assert.equal(unsigned.status, 403);
    assert.deepEqual(JSON.parse(unsigned.text), { message: 'Forbidden' });
    const forged = await rawRequest(port(), { method: 'GET', host: hostOf(apiId), path: '/iam', headers: { authorization: `AWS4-HMAC-SHA256 Credential=test/20240312/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}` } });
    assert.equal(forged.status, 403);
    assert.match((JSON.parse(forged.text) as { message: string }).message, /^Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header\./);
  });
});
