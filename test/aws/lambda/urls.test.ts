import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  LambdaClient,
  ListFunctionUrlConfigsCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionUrlConfigCommand,
} from '@aws-sdk/client-lambda';
import { ManualClock } from '../../../src/shared/clock.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';
import { rawRequest } from '../../helpers/raw-http.js';

const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';
const FORBIDDEN = { Message: 'Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html' };

/** One handler serves every response case, chosen by the path, so a test needs one warm environment. */
const WEB_HANDLER = `
export const handler = async (event) => {
  switch (event.rawPath) {
    case '/string': return 'Hello, world!';
    case '/number': return 42;
    case '/object': return { message: 'Hello, world!' };
    case '/custom': return { statusCode: 201, headers: { 'Content-Type': 'text/plain', 'My-Custom-Header': 'Custom Value', 'X-Count': 3 }, body: 'created', cookies: ['Cookie_1=Value1; Max-Age=60', 'Cookie_2=Value2'] };
    case '/binary': return { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0, 1, 2, 255]).toString('base64'), isBase64Encoded: true };
    case '/empty': return { statusCode: 204 };
    case '/object-body': return { statusCode: 200, body: { nested: true } };
    case '/multi': return { statusCode: 200, multiValueHeaders: { 'x-multi': ['a', 'b'] }, body: 'ok' };
    case '/bad-status': return { statusCode: 'teapot', body: 'x' };
    case '/throw': throw new Error('deliberate failure');
    case '/cors': return { statusCode: 200, headers: { 'access-control-allow-origin': 'https://evil.example' }, body: 'ok' };
    default: return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) };
  }
};
`;

/** 12/Mar/2020:19:03:58 +0000, from the parts of an RFC 7231 date. */
function accessLogTime(ms: number): string {
  const [, day, month, year, time] = new Date(ms).toUTCString().split(' ');
  return `${day}/${month}/${year}:${time} +0000`;
}

const urlId = (functionUrl: string): string => /^http:\/\/([a-z0-9]{32})\.lambda-url\./.exec(functionUrl)![1];

describe('Lambda function URLs', () => {
  const clock = new ManualClock(Date.UTC(2024, 2, 12, 19, 3, 58, 390));
  const nimbus = useNimbus({ clock });
  const lambda = (): LambdaClient => new LambdaClient(clientSettings(nimbus()));
  const port = (): number => nimbus().port;
  /** The path form of a URL on the Nimbus endpoint. */
  const pathForm = (functionUrl: string, path = '/'): string => `${nimbus().endpoint}/_nimbus/lambda-url/${urlId(functionUrl)}${path}`;

  async function createFunction(name: string, code = WEB_HANDLER): Promise<void> {
    await lambda().send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await zip({ 'index.mjs': code }) } }));
  }

  /** The two statements a public URL needs since October 2025 (what the console adds for AuthType NONE). */
  async function allowPublic(name: string, qualifier?: string): Promise<void> {
    await lambda().send(new AddPermissionCommand({ FunctionName: name, Qualifier: qualifier, StatementId: 'FunctionURLAllowPublicAccess', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }));
    await lambda().send(new AddPermissionCommand({ FunctionName: name, Qualifier: qualifier, StatementId: 'FunctionURLInvokeAllowPublicAccess', Action: 'lambda:InvokeFunction', Principal: '*', InvokedViaFunctionUrl: true }));
  }

  async function publicUrl(name: string): Promise<string> {
    await createFunction(name);
    const { FunctionUrl } = await lambda().send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' }));
    await allowPublic(name);
    return FunctionUrl!;
  }

  describe('configuration', () => {
    it('creates, reads, updates, lists and deletes URL configs for $LATEST and an alias', async () => {
      await createFunction('web');
      const createdAt = new Date(clock.now()).toISOString();
      const created = await lambda().send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE', Cors: { AllowOrigins: ['https://example.com'], MaxAge: 300 } }));
      assert.equal(created.$metadata.httpStatusCode, 201);
      assert.match(created.FunctionUrl!, new RegExp(`^http://[a-z0-9]{32}\\.lambda-url\\.us-east-1\\.localhost:${String(port())}/$`));
      assert.equal(created.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:web');
      assert.equal(created.AuthType, 'NONE');
      assert.deepEqual(created.Cors, { AllowOrigins: ['https://example.com'], MaxAge: 300 });
      assert.equal(created.CreationTime, createdAt);
      assert.equal(created.InvokeMode, 'BUFFERED');

      clock.advance(60_000);
      const updated = await lambda().send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'AWS_IAM' }));
      assert.equal(updated.FunctionUrl, created.FunctionUrl, 'the URL never changes');
      assert.equal(updated.AuthType, 'AWS_IAM');
      assert.deepEqual(updated.Cors, created.Cors, 'an update keeps what it does not name');
      assert.equal(updated.CreationTime, createdAt);
      assert.equal(updated.LastModifiedTime, new Date(clock.now()).toISOString());
      const got = await lambda().send(new GetFunctionUrlConfigCommand({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:web' }));
      assert.equal(got.FunctionUrl, created.FunctionUrl);
      assert.equal(got.AuthType, 'AWS_IAM');

      await lambda().send(new PublishVersionCommand({ FunctionName: 'web' }));
      await lambda().send(new CreateAliasCommand({ FunctionName: 'web', Name: 'live', FunctionVersion: '1' }));
      const aliased = await lambda().send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', Qualifier: 'live', AuthType: 'NONE' }));
      assert.equal(aliased.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:web:live');
      assert.notEqual(urlId(aliased.FunctionUrl!), urlId(created.FunctionUrl!));
      const viaName = await lambda().send(new GetFunctionUrlConfigCommand({ FunctionName: 'web:live' }));
      assert.equal(viaName.FunctionUrl, aliased.FunctionUrl);

      const listed = await lambda().send(new ListFunctionUrlConfigsCommand({ FunctionName: 'web' }));
      assert.deepEqual(listed.FunctionUrlConfigs!.map((c) => c.FunctionArn), ['arn:aws:lambda:us-east-1:000000000000:function:web', 'arn:aws:lambda:us-east-1:000000000000:function:web:live']);
      const page = await lambda().send(new ListFunctionUrlConfigsCommand({ FunctionName: 'web', MaxItems: 1 }));
      assert.equal(page.FunctionUrlConfigs!.length, 1);
      const rest = await lambda().send(new ListFunctionUrlConfigsCommand({ FunctionName: 'web', Marker: page.NextMarker }));
      assert.deepEqual(rest.FunctionUrlConfigs!.map((c) => c.FunctionArn), ['arn:aws:lambda:us-east-1:000000000000:function:web:live']);
      assert.equal(rest.NextMarker, undefined);

      const deleted = await lambda().send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'web' }));
      assert.equal(deleted.$metadata.httpStatusCode, 204);
      const after = await lambda().send(new ListFunctionUrlConfigsCommand({ FunctionName: 'web' }));
      assert.deepEqual(after.FunctionUrlConfigs!.map((c) => c.FunctionArn), ['arn:aws:lambda:us-east-1:000000000000:function:web:live']);
      const recreated = await lambda().send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE' }));
      assert.notEqual(recreated.FunctionUrl, created.FunctionUrl, 'a new URL config gets a new address');
    });

    const errorCases: { title: string; send: (client: LambdaClient) => Promise<unknown>; name: string; message: string; status: number }[] = [
      {
        title: 'a second config for the same qualifier',
        send: (c) => c.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE' })),
        name: 'ResourceConflictException',
        message: 'Failed to create function url config for [functionArn = arn:aws:lambda:us-east-1:000000000000:function:web]. Error message:  FunctionUrlConfig exists for this Lambda function',
        status: 409,
      },
      {
        title: 'a version number as Qualifier',
        send: (c) => c.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', Qualifier: '1', AuthType: 'NONE' })),
        name: 'ValidationException',
        message: "1 validation error detected: Value '1' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)",
        status: 400,
      },
      {
        title: 'a version number inside the function name',
        send: (c) => c.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web:1' })),
        name: 'ValidationException',
        message: "1 validation error detected: Value '1' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)",
        status: 400,
      },
      {
        title: 'a function that does not exist',
        send: (c) => c.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'nope', AuthType: 'NONE' })),
        name: 'ResourceNotFoundException',
        message: 'Function does not exist',
        status: 404,
      },
      {
        title: 'an alias that does not exist',
        send: (c) => c.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', Qualifier: 'missing', AuthType: 'NONE' })),
        name: 'ResourceNotFoundException',
        message: 'Function does not exist',
        status: 404,
      },
      {
        title: 'reading a config that does not exist',
        send: (c) => c.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web', Qualifier: 'missing' })),
        name: 'ResourceNotFoundException',
        message: 'The resource you requested does not exist.',
        status: 404,
      },
      {
        title: 'deleting a config that does not exist',
        send: (c) => c.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'nope' })),
        name: 'ResourceNotFoundException',
        message: 'The resource you requested does not exist.',
        status: 404,
      },
      {
        title: 'response streaming',
        send: (c) => c.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'web', InvokeMode: 'RESPONSE_STREAM' })),
        name: 'NotImplemented',
        message: 'InvokeMode RESPONSE_STREAM (response streaming through a function URL) is not implemented in Nimbus yet',
        status: 501,
      },
    ];
    for (const c of errorCases) {
      it(`rejects ${c.title}`, async () => {
        await createFunction('web');
        await lambda().send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE' }));
        await assert.rejects(c.send(lambda()), (error: Error & { $metadata: { httpStatusCode?: number } }) => {
          assert.equal(error.name, c.name);
          assert.equal(error.message, c.message);
          assert.equal(error.$metadata.httpStatusCode, c.status);
          return true;
        });
      });
    }
  });

  describe('serving', () => {
    it('builds the payload format 2.0 event from a request to the URL host name', async () => {
      const functionUrl = await publicUrl('web');
      const id = urlId(functionUrl);
      const host = `${id}.lambda-url.us-east-1.localhost:${String(port())}`;
      const answer = await rawRequest(port(), { method: 'POST', host, path: '/my/path?parameter1=value1&parameter1=value2&parameter2=a%20b', headers: [
        'X-Repeated', 'one', 'X-Repeated', 'two', 'Cookie', 'cookie1=a; cookie2=b', 'User-Agent', 'agent/1.0', 'Content-Type', 'application/json',
      ], body: Buffer.from('{"key1":"value1"}') });
      assert.equal(answer.status, 200);
      const event = JSON.parse(answer.text) as Record<string, unknown> & { headers: Record<string, string>; requestContext: Record<string, unknown> };
      assert.equal(event.version, '2.0');
      assert.equal(event.routeKey, '$default');
      assert.equal(event.rawPath, '/my/path');
      assert.equal(event.rawQueryString, 'parameter1=value1&parameter1=value2&parameter2=a%20b');
      assert.deepEqual(event.queryStringParameters, { parameter1: 'value1,value2', parameter2: 'a b' });
      assert.deepEqual(event.cookies, ['cookie1=a', 'cookie2=b']);
      assert.equal(event.headers['x-repeated'], 'one,two');
      assert.equal(event.headers.host, host);
      assert.equal(event.headers['content-type'], 'application/json');
      assert.equal(event.headers['x-forwarded-proto'], 'http');
      assert.equal(event.headers.cookie, undefined, 'cookies move out of the headers');
      assert.equal(event.body, '{"key1":"value1"}');
      assert.equal(event.isBase64Encoded, false);
      assert.deepEqual(event.requestContext, {
        accountId: 'anonymous',
        apiId: id,
        domainName: `${id}.lambda-url.us-east-1.localhost`,
        domainPrefix: id,
        http: { method: 'POST', path: '/my/path', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'agent/1.0' },
        requestId: answer.headers['x-amzn-requestid'],
        routeKey: '$default',
        stage: '$default',
        time: accessLogTime(clock.now()),
        timeEpoch: clock.now(),
      });
    });

    it('passes a binary body base64-encoded, and serves the same URL by its path form', async () => {
      const functionUrl = await publicUrl('web');
      const bytes = Buffer.from([0, 159, 146, 150, 255]);
      const response = await fetch(pathForm(functionUrl, '/upload?x=1'), { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
      assert.equal(response.status, 200);
      const event = (await response.json()) as { body: string; isBase64Encoded: boolean; rawPath: string; rawQueryString: string };
      assert.equal(event.rawPath, '/upload');
      assert.equal(event.rawQueryString, 'x=1');
      assert.equal(event.isBase64Encoded, true);
      assert.deepEqual(Buffer.from(event.body, 'base64'), bytes);

      const empty = (await (await fetch(pathForm(functionUrl))).json()) as Record<string, unknown>;
      assert.equal(empty.rawPath, '/');
      assert.equal(empty.body, undefined);
      assert.equal(empty.isBase64Encoded, false);
      assert.equal(empty.queryStringParameters, undefined);
    });

    it('maps what the function returns to the HTTP response as Lambda does', async () => {
      const functionUrl = await publicUrl('web');
      const cases: { path: string; status: number; contentType?: string; body: string | Buffer; headers?: Record<string, string | string[]>; absent?: string[] }[] = [
        { path: '/string', status: 200, contentType: 'application/json', body: '"Hello, world!"' },
        { path: '/number', status: 200, contentType: 'application/json', body: '42' },
        { path: '/object', status: 200, contentType: 'application/json', body: '{"message":"Hello, world!"}' },
        { path: '/custom', status: 201, contentType: 'text/plain', body: 'created', headers: { 'my-custom-header': 'Custom Value', 'x-count': '3', 'set-cookie': ['Cookie_1=Value1; Max-Age=60', 'Cookie_2=Value2'] } },
        { path: '/binary', status: 200, contentType: 'application/octet-stream', body: Buffer.from([0, 1, 2, 255]) },
        { path: '/empty', status: 204, body: '' },
        { path: '/object-body', status: 200, contentType: 'application/json', body: '{"nested":true}' },
        { path: '/multi', status: 200, contentType: 'application/json', body: 'ok', absent: ['x-multi'] },
        { path: '/bad-status', status: 502, body: 'Internal Server Error' },
        { path: '/throw', status: 502, body: 'Internal Server Error' },
      ];
      const host = `${urlId(functionUrl)}.lambda-url.us-east-1.localhost:${String(port())}`;
      for (const c of cases) {
        const answer = await rawRequest(port(), { method: 'GET', host, path: c.path });
        assert.equal(answer.status, c.status, c.path);
        if (c.contentType) assert.equal(answer.headers['content-type'], c.contentType, c.path);
        assert.deepEqual(answer.body, Buffer.from(c.body), c.path);
        for (const [name, value] of Object.entries(c.headers ?? {})) assert.deepEqual(answer.headers[name], value, `${c.path} ${name}`);
        for (const name of c.absent ?? []) assert.equal(answer.headers[name], undefined, `${c.path} ${name}: format 2.0 has no multiValueHeaders`);
      }
    });

    it('answers CORS preflights from the configuration and adds CORS headers to responses', async () => {
      await createFunction('web');
      const { FunctionUrl } = await lambda().send(new CreateFunctionUrlConfigCommand({
        FunctionName: 'web',
        AuthType: 'AWS_IAM',
        Cors: { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['x-custom'], ExposeHeaders: ['x-exposed'], MaxAge: 600, AllowCredentials: true },
      }));
      const preflight = await fetch(pathForm(FunctionUrl!, '/anything'), {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-custom' },
      });
      assert.equal(preflight.status, 200, 'a preflight needs no signature and does not reach the function');
      assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example');
      assert.equal(preflight.headers.get('access-control-allow-methods'), 'GET,POST');
      assert.equal(preflight.headers.get('access-control-allow-headers'), 'x-custom');
      assert.equal(preflight.headers.get('access-control-allow-credentials'), 'true');
      assert.equal(preflight.headers.get('access-control-max-age'), '600');

      const refused = await fetch(pathForm(FunctionUrl!), { method: 'OPTIONS', headers: { origin: 'https://other.example', 'access-control-request-method': 'GET' } });
      assert.equal(refused.status, 200);
      assert.equal(refused.headers.get('access-control-allow-origin'), null);

      await lambda().send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE' }));
      await allowPublic('web');
      const actual = await fetch(pathForm(FunctionUrl!, '/cors'), { headers: { origin: 'https://app.example' } });
      assert.equal(actual.status, 200);
      assert.equal(actual.headers.get('access-control-allow-origin'), 'https://app.example', 'the configured headers win over the function');
      assert.equal(actual.headers.get('access-control-expose-headers'), 'x-exposed');
      assert.equal(actual.headers.get('access-control-allow-credentials'), 'true');
    });

    it('requires a SigV4 signature for AWS_IAM and reports the signer in the event', async () => {
      await createFunction('web');
      const { FunctionUrl } = await lambda().send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'AWS_IAM' }));
      const unsigned = await fetch(pathForm(FunctionUrl!));
      assert.equal(unsigned.status, 403);
      assert.equal(unsigned.headers.get('x-amzn-errortype'), 'AccessDeniedException');
      assert.deepEqual(await unsigned.json(), FORBIDDEN);

      const authorization = 'AWS4-HMAC-SHA256 Credential=000000000000/20240312/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';
      const foreign = await fetch(pathForm(FunctionUrl!), { headers: { authorization: authorization.replace('000000000000', '111122223333') } });
      assert.equal(foreign.status, 403, 'another account needs the function policy to allow it');

      const signed = await fetch(pathForm(FunctionUrl!), { headers: { authorization } });
      assert.equal(signed.status, 200);
      const event = (await signed.json()) as { requestContext: Record<string, unknown> };
      assert.equal(event.requestContext.accountId, '000000000000');
      assert.deepEqual(event.requestContext.authorizer, {
        iam: { accessKey: '000000000000', accountId: '000000000000', callerId: '000000000000', cognitoIdentity: null, principalOrgId: null, userArn: 'arn:aws:iam::000000000000:root', userId: '000000000000' },
      });
    });

    it('refuses a NONE URL until the policy allows both InvokeFunctionUrl and InvokeFunction to everyone', async () => {
      await createFunction('web');
      const { FunctionUrl } = await lambda().send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE' }));
      const noPolicy = await fetch(pathForm(FunctionUrl!));
      assert.equal(noPolicy.status, 403);
      assert.deepEqual(await noPolicy.json(), FORBIDDEN);

      await lambda().send(new AddPermissionCommand({ FunctionName: 'web', StatementId: 'url', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }));
      assert.equal((await fetch(pathForm(FunctionUrl!))).status, 403, 'lambda:InvokeFunction is required too');
      await lambda().send(new AddPermissionCommand({ FunctionName: 'web', StatementId: 'invoke', Action: 'lambda:InvokeFunction', Principal: '*', InvokedViaFunctionUrl: true }));
      assert.equal((await fetch(pathForm(FunctionUrl!, '/string'))).status, 200);

      const unknown = await fetch(`${nimbus().endpoint}/_nimbus/lambda-url/${'0'.repeat(32)}/`);
      assert.equal(unknown.status, 403);
      assert.deepEqual(await unknown.json(), { Message: null });
    });

    it('routes a URL on an alias to the alias version, and answers 429 when throttled', async () => {
      await createFunction('versioned', 'export const handler = async () => "one";');
      await lambda().send(new PublishVersionCommand({ FunctionName: 'versioned' }));
      await lambda().send(new UpdateFunctionCodeCommand({ FunctionName: 'versioned', ZipFile: await zip({ 'index.mjs': 'export const handler = async () => "two";' }) }));
      await lambda().send(new CreateAliasCommand({ FunctionName: 'versioned', Name: 'live', FunctionVersion: '1' }));
      const live = await lambda().send(new CreateFunctionUrlConfigCommand({ FunctionName: 'versioned', Qualifier: 'live', AuthType: 'NONE' }));
      const latest = await lambda().send(new CreateFunctionUrlConfigCommand({ FunctionName: 'versioned', AuthType: 'NONE' }));
      await allowPublic('versioned', 'live');
      assert.equal((await fetch(pathForm(latest.FunctionUrl!))).status, 403, "the alias's policy does not open $LATEST");
      await allowPublic('versioned');
      assert.equal(await (await fetch(pathForm(live.FunctionUrl!))).text(), '"one"');
      assert.equal(await (await fetch(pathForm(latest.FunctionUrl!))).text(), '"two"');

      await lambda().send(new PutFunctionConcurrencyCommand({ FunctionName: 'versioned', ReservedConcurrentExecutions: 0 }));
      const throttled = await fetch(pathForm(latest.FunctionUrl!));
      assert.equal(throttled.status, 429);
      assert.deepEqual(await throttled.json(), { Message: 'Rate Exceeded.' });
    });
  });
});
