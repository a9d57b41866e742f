import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  APIGatewayClient, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { ManualClock } from '../../../src/shared/clock.js';
import { awsEnvironment } from '../../helpers/cli.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';
import { NodeSha256 } from '../../helpers/sha256.js';
import type { HttpAnswer } from '../../helpers/raw-http.js';
import { rawRequest } from '../../helpers/raw-http.js';

const START = Date.UTC(2026, 0, 15, 12, 0, 0);
const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';



interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

describe('AWS_IAM authorization on REST APIs', () => {
  const clock = new ManualClock(START);
  const nimbus = useNimbus({ clock });
  const apigw = (): APIGatewayClient => new APIGatewayClient(clientSettings(nimbus()));
  const port = (): number => Number(new URL(nimbus().endpoint).port);

  /** GET and POST /secure with AWS_IAM, answering with the caller's identity as $context shows it. */
  async function deployApi(): Promise<string> {
    const api = await apigw().send(new CreateRestApiCommand({ name: 'iam' }));
    const resource = await apigw().send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'secure' }));
    for (const httpMethod of ['GET', 'POST']) {
      await apigw().send(new PutMethodCommand({ restApiId: api.id, resourceId: resource.id, httpMethod, authorizationType: 'AWS_IAM' }));
      await apigw().send(new PutIntegrationCommand({ restApiId: api.id, resourceId: resource.id, httpMethod, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
      await apigw().send(new PutIntegrationResponseCommand({
        restApiId: api.id, resourceId: resource.id, httpMethod, statusCode: '200',
        responseTemplates: { 'application/json': '{"accessKey": "$context.identity.accessKey", "accountId": "$context.identity.accountId", "caller": "$context.identity.caller", "userArn": "$context.identity.userArn"}' },
      }));
    }
    await apigw().send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    return api.id!;
  }

  /** Signs as the AWS SDK would for execute-api, at the emulated time unless told otherwise. */
  async function signedCall(apiId: string, credentials: Credentials, options: { method?: string; body?: string; region?: string; query?: Record<string, string>; signingDate?: Date } = {}): Promise<HttpAnswer> {
    const path = `/restapis/${apiId}/prod/_user_request_/secure`;
    const host = `127.0.0.1:${String(port())}`;
    const signer = new SignatureV4({ service: 'execute-api', region: options.region ?? 'us-east-1', sha256: NodeSha256, credentials });
    const signed = await signer.sign({
      method: options.method ?? 'GET', protocol: 'http:', hostname: '127.0.0.1', port: port(), path, query: options.query ?? {},
      headers: { host, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) }, body: options.body,
    }, { signingDate: options.signingDate ?? new Date(clock.now()) });
    // Spaces travel as %20, as SDKs write them: SigV4 takes a '+' literally.
    const query = Object.entries(options.query ?? {}).map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
    return rawRequest(port(), { method: options.method ?? 'GET', path: query ? `${path}?${query}` : path, headers: signed.headers, body: options.body });
  }

  const TEST_KEYS = { accessKeyId: 'test', secretAccessKey: 'test' };

  it('answers unsigned and badly signed requests with 403 and AWS messages', async () => {
    const apiId = await deployApi();
    const path = `/restapis/${apiId}/prod/_user_request_/secure`;
    const unsigned = await rawRequest(port(), { method: 'GET', path });
    assert.deepEqual([unsigned.status, JSON.parse(unsigned.text), unsigned.headers['x-amzn-errortype']], [403, { message: 'Missing Authentication Token' }, 'MissingAuthenticationTokenException']);

    const bearer = await rawRequest(port(), { method: 'GET', path, headers: { Authorization: 'Bearer abc' } });
    assert.equal(bearer.status, 403);
    assert.equal(bearer.headers['x-amzn-errortype'], 'IncompleteSignatureException');
    assert.deepEqual(JSON.parse(bearer.text), {
      message: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=Bearer abc",
    });

    const cases: { name: string; call: () => Promise<HttpAnswer>; message: RegExp }[] = [
      { name: 'a wrong secret', call: () => signedCall(apiId, { accessKeyId: 'test', secretAccessKey: 'not-test' }), message: /^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\. Consult the service documentation for details\.\n\nThe Canonical String for this request should have been\n'GET\n\/restapis\// },
      { name: 'another region', call: () => signedCall(apiId, TEST_KEYS, { region: 'eu-west-1' }), message: /^Credential should be scoped to a valid region, not 'eu-west-1'\. $/ },
      { name: 'an old signature', call: () => signedCall(apiId, TEST_KEYS, { signingDate: new Date(clock.now() - 600_000) }), message: /^Signature expired: 20260115T115000Z is now earlier than 20260115T115500Z \(20260115T120000Z - 5 min\.\)$/ },
    ];
    for (const testCase of cases) {
      const answer = await testCase.call();
      assert.equal(answer.status, 403, testCase.name);
      assert.equal(answer.headers['x-amzn-errortype'], 'InvalidSignatureException', testCase.name);
      assert.match((JSON.parse(answer.text) as { message: string }).message, testCase.message, testCase.name);
    }
  });

  it('lets well-signed requests through with the caller in requestContext.identity', async () => {
    const apiId = await deployApi();
    const root = await signedCall(apiId, TEST_KEYS, { method: 'POST', body: '{"pet":"rex"}', query: { page: '2', q: 'a b' } });
    assert.equal(root.status, 200, root.text);
    assert.deepEqual(JSON.parse(root.text), { accessKey: 'test', accountId: '000000000000', caller: '000000000000', userArn: 'arn:aws:iam::000000000000:root' });

    // A 12-digit key acts as that account; Nimbus cannot know its secret, so all but the signature value is checked.
    const account = await signedCall(apiId, { accessKeyId: '111122223333', secretAccessKey: 'whatever' });
    assert.deepEqual(JSON.parse(account.text), { accessKey: '111122223333', accountId: '111122223333', caller: '111122223333', userArn: 'arn:aws:iam::111122223333:root' });
  });

  it('verifies STS session credentials with their secret and token', async () => {
    const apiId = await deployApi();
    const sts = new STSClient(clientSettings(nimbus()));
    const { Credentials: issued } = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/deployer', RoleSessionName: 'ci' }));
    const credentials = { accessKeyId: issued!.AccessKeyId!, secretAccessKey: issued!.SecretAccessKey!, sessionToken: issued!.SessionToken! };

    const ok = await signedCall(apiId, credentials);
    assert.equal(ok.status, 200, ok.text);
    const identity = JSON.parse(ok.text) as Record<string, string>;
    assert.equal(identity.accessKey, credentials.accessKeyId);
    assert.equal(identity.accountId, '444455556666');
    assert.match(identity.caller, /^AROA[A-Z0-9]+:ci$/);
    assert.equal(identity.userArn, 'arn:aws:sts::444455556666:assumed-role/deployer/ci');

    const wrongSecret = await signedCall(apiId, { ...credentials, secretAccessKey: 'x'.repeat(40) });
    assert.equal(wrongSecret.status, 403);
    assert.match((JSON.parse(wrongSecret.text) as { message: string }).message, /^The request signature we calculated does not match/);

    const noToken = await signedCall(apiId, { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey });
    assert.deepEqual([noToken.status, JSON.parse(noToken.text)], [403, { message: 'The security token included in the request is invalid.' }]);

    clock.advance(3600_000);
    const expired = await signedCall(apiId, credentials);
    assert.deepEqual([expired.status, JSON.parse(expired.text), expired.headers['x-amzn-errortype']], [403, { message: 'The security token included in the request is expired' }, 'ExpiredTokenException']);
  });

  it('accepts a request signed by botocore, an independent signer', async () => {
    const apiId = await deployApi();
    const url = `http://127.0.0.1:${String(port())}/restapis/${apiId}/prod/_user_request_/secure?x=1`;
    // botocore signs with the wall clock: the emulated clock is far from it, so this API is served at real time.
    const script = [
      'import sys, urllib.request',
      'from botocore.auth import SigV4Auth',
      'from botocore.awsrequest import AWSRequest',
      'from botocore.credentials import Credentials',
      'request = AWSRequest(method="POST", url=sys.argv[1], data=b\'{"a":1}\', headers={"content-type": "application/json"})',
      'SigV4Auth(Credentials("test", "test"), "execute-api", "us-east-1").add_auth(request)',
      'prepared = request.prepare()',
      'answer = urllib.request.urlopen(urllib.request.Request(prepared.url, data=prepared.body, headers=dict(prepared.headers), method="POST"))',
      'print(answer.status, answer.read().decode())',
    ].join('\n');
    clock.advance(Date.now() - clock.now());
    const { stdout } = await promisify(execFile)('python3', ['-c', script, url], { env: awsEnvironment(nimbus().endpoint) });
    assert.equal(stdout.trim(), '200 {"accessKey": "test", "accountId": "000000000000", "caller": "000000000000", "userArn": "arn:aws:iam::000000000000:root"}');
  });

  it('hands the identity to a Lambda proxy', async () => {
    const lambda = new LambdaClient(clientSettings(nimbus()));
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'identity', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE,
      Code: { ZipFile: await zip({ 'index.mjs': 'export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.identity) });' }) },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'identity' });
    const api = await apigw().send(new CreateRestApiCommand({ name: 'identity' }));
    const resource = await apigw().send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'secure' }));
    await apigw().send(new PutMethodCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: 'GET', authorizationType: 'AWS_IAM' }));
    await apigw().send(new PutIntegrationCommand({
      restApiId: api.id, resourceId: resource.id, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST',
      uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:identity/invocations',
    }));
    await apigw().send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    const answer = await signedCall(api.id!, TEST_KEYS);
    assert.equal(answer.status, 200, answer.text);
    const identity = JSON.parse(answer.text) as Record<string, unknown>;
    assert.deepEqual(
      [identity.accessKey, identity.accountId, identity.caller, identity.user, identity.userArn, identity.sourceIp, identity.cognitoIdentityId],
      ['test', '000000000000', '000000000000', '000000000000', 'arn:aws:iam::000000000000:root', '127.0.0.1', null],
    );
  });
});
