import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  AddPermissionCommand,
  CreateFunctionUrlConfigCommand,
  GetFunctionEventInvokeConfigCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  PutFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';

const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

const NODE_HANDLER = `
let invocations = 0;
const coldAt = Date.now();
console.log('initialising');
export const handler = async (event, context) => {
  invocations++;
  console.log('got', JSON.stringify(event));
  if (event.fail) throw new TypeError('deliberate failure');
  return { invocations, coldAt, name: context.functionName, version: context.functionVersion, region: process.env.AWS_REGION, greeting: process.env.GREETING, remaining: context.getRemainingTimeInMillis() > 0 };
};
`;

const decode = (payload: Uint8Array | undefined): unknown => JSON.parse(Buffer.from(payload ?? []).toString('utf8'));

describe('Lambda functions through @aws-sdk/client-lambda', () => {
  const nimbus = useNimbus();
  const lambda = (): LambdaClient => new LambdaClient(clientSettings(nimbus()));

  async function createNodeFunction(name: string, extra: Partial<ConstructorParameters<typeof CreateFunctionCommand>[0]> = {}): Promise<void> {
    await lambda().send(new CreateFunctionCommand({
      FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE,
      Code: { ZipFile: await zip({ 'index.mjs': NODE_HANDLER }) }, ...extra,
    }));
  }

  it('creates a function that becomes active, runs for real and stays warm', async () => {
    const created = await lambda().send(new CreateFunctionCommand({
      FunctionName: 'hello', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE,
      Code: { ZipFile: await zip({ 'index.mjs': NODE_HANDLER }) }, Environment: { Variables: { GREETING: 'hi' } },
    }));
    assert.equal(created.State, 'Pending');
    assert.equal(created.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:hello');
    assert.equal(created.Timeout, 3);
    assert.equal(created.MemorySize, 128);
    assert.match(created.CodeSha256!, /^[A-Za-z0-9+/]{43}=$/);
    await waitUntilFunctionActiveV2({ client: lambda(), maxWaitTime: 30 }, { FunctionName: 'hello' });

    const first = await lambda().send(new InvokeCommand({ FunctionName: 'hello', Payload: Buffer.from('{"n":1}'), LogType: 'Tail' }));
    assert.equal(first.StatusCode, 200);
    assert.equal(first.ExecutedVersion, '$LATEST');
    assert.equal(first.FunctionError, undefined);
    const body = decode(first.Payload) as Record<string, unknown>;
    assert.deepEqual({ ...body, coldAt: 0 }, { invocations: 1, coldAt: 0, name: 'hello', version: '$LATEST', region: 'us-east-1', greeting: 'hi', remaining: true });
    const tail = Buffer.from(first.LogResult!, 'base64').toString();
    assert.match(tail, /INIT_START Runtime Version: nodejs20.x/);
    assert.match(tail, /START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
    assert.match(tail, /\tINFO\tgot {"n":1}/);
    assert.match(tail, /REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms/);

    const second = await lambda().send(new InvokeCommand({ FunctionName: 'hello', Payload: Buffer.from('{"n":2}'), LogType: 'Tail' }));
    const warm = decode(second.Payload) as Record<string, unknown>;
    assert.equal(warm.invocations, 2, 'the global scope survives between invocations');
    assert.equal(warm.coldAt, body.coldAt);
    assert.doesNotMatch(Buffer.from(second.LogResult!, 'base64').toString(), /Init Duration/);
  });

  it('returns unhandled errors with the Lambda error payload', async () => {
    await createNodeFunction('failing');
    const result = await lambda().send(new InvokeCommand({ FunctionName: 'failing', Payload: Buffer.from('{"fail":true}') }));
    assert.equal(result.StatusCode, 200);
    assert.equal(result.FunctionError, 'Unhandled');
    const error = decode(result.Payload) as { errorType: string; errorMessage: string; trace: string[] };
    assert.equal(error.errorType, 'TypeError');
    assert.equal(error.errorMessage, 'deliberate failure');
    assert.ok(Array.isArray(error.trace));
  });

  it('writes START, output, END and REPORT to /aws/lambda/<name>', async () => {
    await createNodeFunction('logged');
    const invoked = await lambda().send(new InvokeCommand({ FunctionName: 'logged', Payload: Buffer.from('{"x":1}') }));
    const requestId = invoked.$metadata.requestId;
    assert.ok(requestId);
    const logs = new CloudWatchLogsClient(clientSettings(nimbus()));
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/logged' }));
    assert.equal(streams.logStreams?.length, 1);
    assert.match(streams.logStreams[0].logStreamName!, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    const events = await logs.send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/logged', logStreamName: streams.logStreams[0].logStreamName!, startFromHead: true }));
    const messages = (events.events ?? []).map((e) => e.message ?? '');
    assert.ok(messages.some((m) => m.startsWith('START RequestId: ')));
    assert.ok(messages.some((m) => m.includes('\tINFO\tgot {"x":1}')));
    assert.ok(messages.some((m) => m.startsWith('END RequestId: ')));
    assert.ok(messages.some((m) => m.startsWith('REPORT RequestId: ')));
  });

  it('shows every invocation\'s lines to a read right after it, even while Nimbus is too busy to write them at once', async () => {
    await createNodeFunction('busy');
    const logs = new CloudWatchLogsClient(clientSettings(nimbus()));
    for (let round = 0; round < 3; round++) {
      // Nimbus runs in this process: a busy loop here is a saturated Nimbus, which holds its log lines back.
      const until = performance.now() + 80;
      while (performance.now() < until);
      const invoked = await lambda().send(new InvokeCommand({ FunctionName: 'busy', Payload: Buffer.from(`{"round":${String(round)}}`) }));
      const events = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/busy' }));
      const messages = (events.events ?? []).map((e) => e.message ?? '');
      assert.ok(messages.some((m) => m.startsWith(`REPORT RequestId: ${invoked.$metadata.requestId!}`)), `round ${String(round)}: ${messages.join(' | ')}`);
    }
  });

  it('answers Lambda errors for missing functions, bad payloads, duplicates and bad zips', async () => {
    await assert.rejects(lambda().send(new InvokeCommand({ FunctionName: 'nope' })), (error: Error & { $metadata: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'ResourceNotFoundException');
      assert.equal(error.message, 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope');
      assert.equal(error.$metadata.httpStatusCode, 404);
      return true;
    });
    await createNodeFunction('dup');
    await assert.rejects(createNodeFunction('dup'), (error: Error) => error.name === 'ResourceConflictException' && error.message === 'Function already exist: dup');
    await assert.rejects(lambda().send(new InvokeCommand({ FunctionName: 'dup', Payload: Buffer.from('not json') })), (error: Error) => error.name === 'InvalidRequestContentException' && error.message.startsWith('Could not parse request body into json'));
    await assert.rejects(
      lambda().send(new CreateFunctionCommand({ FunctionName: 'badzip', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: Buffer.from('not a zip') } })),
      (error: Error) => error.name === 'InvalidParameterValueException' && error.message === 'Could not unzip uploaded file. Please check your file, then try to upload again.',
    );
    await assert.rejects(
      createNodeFunction('toolong', { Timeout: 901 }),
      (error: Error) => error.name === 'ValidationException' && error.message.includes("Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900"),
    );
    await assert.rejects(
      createNodeFunction('reserved', { Environment: { Variables: { AWS_REGION: 'x' } } }),
      (error: Error) => error.name === 'InvalidParameterValueException' && error.message.endsWith('Reserved keys used in this request: AWS_REGION'),
    );
  });

  it('reports a missing handler and a syntax error as Lambda does, without taking Nimbus down', async () => {
    await createNodeFunction('nohandler', { Handler: 'index.missing' });
    const missing = await lambda().send(new InvokeCommand({ FunctionName: 'nohandler' }));
    assert.equal(missing.FunctionError, 'Unhandled');
    assert.deepEqual(
      { ...(decode(missing.Payload) as object), trace: undefined },
      { errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.missing is undefined or not exported', trace: undefined },
    );
    await lambda().send(new CreateFunctionCommand({ FunctionName: 'syntax', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await zip({ 'index.mjs': 'export const handler = async () => {' }) } }));
    const syntax = await lambda().send(new InvokeCommand({ FunctionName: 'syntax' }));
    assert.equal((decode(syntax.Payload) as { errorType: string }).errorType, 'Runtime.UserCodeSyntaxError');
  });

  it('publishes versions, updates code and configuration, lists and deletes', async () => {
    await createNodeFunction('versioned');
    const v1 = await lambda().send(new PublishVersionCommand({ FunctionName: 'versioned' }));
    assert.equal(v1.Version, '1');
    assert.equal(v1.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:versioned:1');
    const again = await lambda().send(new PublishVersionCommand({ FunctionName: 'versioned' }));
    assert.equal(again.Version, '1', 'nothing changed, so nothing new is published');
    await lambda().send(new UpdateFunctionCodeCommand({ FunctionName: 'versioned', ZipFile: await zip({ 'index.mjs': 'export const handler = async () => "v2";' }) }));
    const v2 = await lambda().send(new PublishVersionCommand({ FunctionName: 'versioned' }));
    assert.equal(v2.Version, '2');
    assert.equal(Buffer.from((await lambda().send(new InvokeCommand({ FunctionName: 'versioned', Qualifier: '2' }))).Payload!).toString(), '"v2"');
    const old = await lambda().send(new InvokeCommand({ FunctionName: 'versioned:1', Payload: Buffer.from('{}') }));
    assert.equal(old.ExecutedVersion, '1');
    assert.equal((decode(old.Payload) as { version: string }).version, '1');
    const updated = await lambda().send(new UpdateFunctionConfigurationCommand({ FunctionName: 'versioned', Timeout: 10, MemorySize: 256 }));
    assert.equal(updated.Timeout, 10);
    assert.equal(updated.LastUpdateStatus, 'InProgress');
    const versions = await lambda().send(new ListVersionsByFunctionCommand({ FunctionName: 'versioned' }));
    assert.deepEqual(versions.Versions?.map((v) => v.Version), ['$LATEST', '1', '2']);
    await createNodeFunction('other');
    const listed = await lambda().send(new ListFunctionsCommand({ MaxItems: 1 }));
    assert.equal(listed.Functions?.length, 1);
    assert.ok(listed.NextMarker);
    const rest = await lambda().send(new ListFunctionsCommand({ Marker: listed.NextMarker }));
    assert.deepEqual([...(listed.Functions ?? []), ...(rest.Functions ?? [])].map((f) => f.FunctionName).sort(), ['other', 'versioned']);
    const all = await lambda().send(new ListFunctionsCommand({ FunctionVersion: 'ALL' }));
    assert.equal(all.Functions?.length, 4);
    const got = await lambda().send(new GetFunctionCommand({ FunctionName: 'versioned' }));
    const download = await fetch(got.Code!.Location!);
    assert.equal(download.status, 200);
    assert.equal(Buffer.from(await download.arrayBuffer()).subarray(0, 2).toString(), 'PK');
    await lambda().send(new DeleteFunctionCommand({ FunctionName: 'versioned' }));
    await assert.rejects(lambda().send(new GetFunctionCommand({ FunctionName: 'versioned' })), { name: 'ResourceNotFoundException' });
  });

  it('forgets URL configs, policies and event invoke configs when a function is deleted and created again', async () => {
    await createNodeFunction('reborn');
    await lambda().send(new CreateFunctionUrlConfigCommand({ FunctionName: 'reborn', AuthType: 'NONE' }));
    await lambda().send(new AddPermissionCommand({ FunctionName: 'reborn', StatementId: 's1', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com' }));
    await lambda().send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'reborn', MaximumRetryAttempts: 0 }));
    await lambda().send(new DeleteFunctionCommand({ FunctionName: 'reborn' }));
    await createNodeFunction('reborn');
    await assert.rejects(lambda().send(new GetFunctionUrlConfigCommand({ FunctionName: 'reborn' })), { name: 'ResourceNotFoundException' });
    await assert.rejects(lambda().send(new GetPolicyCommand({ FunctionName: 'reborn' })), { name: 'ResourceNotFoundException' });
    await assert.rejects(lambda().send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'reborn' })), { name: 'ResourceNotFoundException' });
  });

  it('gives each execution environment a private temporary directory, removed with it', async () => {
    await lambda().send(new CreateFunctionCommand({
      FunctionName: 'tmp', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE,
      Code: { ZipFile: await zip({ 'index.mjs': "import { tmpdir } from 'node:os'; import { writeFileSync } from 'node:fs'; export const handler = async () => { writeFileSync(tmpdir() + '/scratch', 'x'); return tmpdir(); };" }) },
    }));
    const first = decode((await lambda().send(new InvokeCommand({ FunctionName: 'tmp' }))).Payload) as string;
    assert.match(first, /nimbus-lambda-tmp-/);
    await lambda().send(new UpdateFunctionConfigurationCommand({ FunctionName: 'tmp', Description: 'new environment' }));
    const second = decode((await lambda().send(new InvokeCommand({ FunctionName: 'tmp' }))).Payload) as string;
    assert.notEqual(second, first);
    assert.equal(existsSync(first), false, 'the retired environment took its directory with it');
  });
});
