/**
 * Asynchronous invocation: Invoke with InvocationType Event, the durable event queue, retries and event
 * age on a ManualClock, destinations and dead-letter queues, and the event invoke config operations;
 * through @aws-sdk/client-lambda, then the AWS CLI and boto3.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  CreateFunctionCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionCommand,
  GetFunctionEventInvokeConfigCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionEventInvokeConfigsCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import type { CreateFunctionCommandInput, PutFunctionEventInvokeConfigCommandInput } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { Nimbus } from '../../../src/index.js';
import { ManualClock, startNimbus } from '../../../src/index.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';

const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';
const ARN = 'arn:aws:lambda:us-east-1:000000000000:function';

/** Logs every event it gets (a destination's record included); fails when asked to. */
const HANDLER = `
export const handler = async (event, context) => {
  console.log('EVENT ' + JSON.stringify(event));
  if (event.fail) throw new Error('boom ' + event.n);
  return { echoed: event, version: context.functionVersion };
};
`;

type AwsError = Error & { $metadata: { httpStatusCode?: number } };

function rejectsWith(name: string, message: string, status: number): (error: AwsError) => boolean {
  return (error) => {
    assert.equal(error.name, name);
    assert.equal(error.message, message);
    assert.equal(error.$metadata.httpStatusCode, status);
    return true;
  };
}

/**
 * Polls `probe` until it returns a value: a bounded number of turns of the event loop, never a timed
 * sleep. The bound is generous because a cold start spawns a process, which a loaded machine slows.
 */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let turn = 0; turn < 20_000; turn++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Lambda's view of one Nimbus: function helpers and what the functions logged. */
function lambdaHelpers(nimbus: () => Nimbus) {
  const lambda = (): LambdaClient => new LambdaClient(clientSettings(nimbus()));
  const logs = (): CloudWatchLogsClient => new CloudWatchLogsClient(clientSettings(nimbus()));

  const createFunction = async (name: string, extra: Partial<CreateFunctionCommandInput> = {}): Promise<void> => {
    await lambda().send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await zip({ 'index.mjs': HANDLER }) }, ...extra }));
  };

  const invokeEvent = async (name: string, payload: unknown, qualifier?: string): Promise<string> => {
    const answer = await lambda().send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)), Qualifier: qualifier }));
    assert.equal(answer.StatusCode, 202);
    return answer.$metadata.requestId!;
  };

  const messages = async (name: string): Promise<string[]> => {
    const out: string[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const page = await logs().send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${name}`, nextToken }));
        out.push(...(page.events ?? []).map((event) => event.message ?? ''));
        nextToken = page.nextToken;
      } while (nextToken);
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') return [];
      throw error;
    }
    return out;
  };

  /** How many attempts of an event the function's log shows (every attempt reuses the request id). */
  const attempts = async (name: string, requestId: string): Promise<number> => (await messages(name)).filter((m) => m.startsWith(`START RequestId: ${requestId} `)).length;

  const waitForAttempts = (name: string, requestId: string, count: number): Promise<number> =>
    eventually(`attempt ${String(count)} of ${requestId}`, async () => {
      const seen = await attempts(name, requestId);
      return seen >= count ? seen : undefined;
    });

  /** The events a function was invoked with, as its handler logged them. */
  const received = async (name: string): Promise<Record<string, unknown>[]> =>
    (await messages(name)).filter((m) => m.includes('\tINFO\tEVENT ')).map((m) => JSON.parse(m.slice(m.indexOf('\tINFO\tEVENT ') + 12)) as Record<string, unknown>);

  const waitForRecord = (name: string): Promise<Record<string, unknown>> =>
    eventually(`a record at ${name}`, async () => (await received(name)).find((event) => 'requestContext' in event));

  return { lambda, createFunction, invokeEvent, messages, attempts, waitForAttempts, received, waitForRecord };
}

describe('Lambda asynchronous invocation through @aws-sdk/client-lambda', () => {
  const clock = new ManualClock();
  const nimbus = useNimbus({ clock });
  const { lambda, createFunction, invokeEvent, messages, attempts, waitForAttempts, received, waitForRecord } = lambdaHelpers(nimbus);

  const putConfig = (input: PutFunctionEventInvokeConfigCommandInput) => lambda().send(new PutFunctionEventInvokeConfigCommand(input));

  it('answers 202 with an empty payload at once and runs the event in the background', async () => {
    await createFunction('worker');
    const answer = await lambda().send(new InvokeCommand({ FunctionName: 'worker', InvocationType: 'Event', Payload: Buffer.from('{"n":1}') }));
    assert.equal(answer.StatusCode, 202);
    assert.equal(answer.$metadata.httpStatusCode, 202);
    assert.equal(Buffer.from(answer.Payload ?? []).length, 0);
    assert.equal(answer.ExecutedVersion, undefined);
    assert.equal(answer.FunctionError, undefined);
    const requestId = answer.$metadata.requestId!;
    const events = await eventually('the event to run', async () => {
      const seen = await received('worker');
      return seen.length ? seen : undefined;
    });
    assert.deepEqual(events, [{ n: 1 }]);
    assert.equal(await attempts('worker', requestId), 1, 'the function runs under the Invoke request id');
  });

  it('checks the function and the payload before it queues anything', async () => {
    await createFunction('picky');
    const oversized = Buffer.from(JSON.stringify('x'.repeat(1024 * 1024)));
    await assert.rejects(
      lambda().send(new InvokeCommand({ FunctionName: 'picky', InvocationType: 'Event', Payload: oversized })),
      rejectsWith('RequestEntityTooLargeException', `${String(oversized.length)} byte payload is too large for the Event invocation type (limit 1048576 bytes)`, 413),
    );
    await assert.rejects(
      lambda().send(new InvokeCommand({ FunctionName: 'absent', InvocationType: 'Event' })),
      rejectsWith('ResourceNotFoundException', `Function not found: ${ARN}:absent`, 404),
    );
    await assert.rejects(
      lambda().send(new InvokeCommand({ FunctionName: 'picky', InvocationType: 'Event', Payload: Buffer.from('not json') })),
      (error: AwsError) => error.name === 'InvalidRequestContentException' && error.$metadata.httpStatusCode === 400,
    );
    assert.deepEqual(await messages('picky'), [], 'nothing ran');
  });

  it('retries a failing event one and then two minutes later, then sends the exact record to its on-failure function', async () => {
    await createFunction('flaky');
    await createFunction('failures');
    await putConfig({ FunctionName: 'flaky', DestinationConfig: { OnFailure: { Destination: `${ARN}:failures` } } });
    const requestId = await invokeEvent('flaky', { fail: true, n: 7 });
    await waitForAttempts('flaky', requestId, 1);
    clock.advance(60_000);
    await waitForAttempts('flaky', requestId, 2);
    clock.advance(120_000);
    await waitForAttempts('flaky', requestId, 3);

    const record = await waitForRecord('failures');
    const responsePayload = record.responsePayload as { trace?: unknown };
    assert.ok(Array.isArray(responsePayload.trace));
    assert.deepEqual({ ...record, responsePayload: { ...responsePayload, trace: [] } }, {
      version: '1.0',
      timestamp: new Date(clock.now()).toISOString(),
      requestContext: { requestId, functionArn: `${ARN}:flaky:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { fail: true, n: 7 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'boom 7', trace: [] },
    });
    assert.equal(await attempts('flaky', requestId), 3, 'no attempt after the record was sent');
  });

  it('with MaximumRetryAttempts 0 sends the first failure on at once', async () => {
    await createFunction('once');
    await createFunction('sink');
    await putConfig({ FunctionName: 'once', MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: `${ARN}:sink` } } });
    const requestId = await invokeEvent('once', { fail: true, n: 1 });
    const record = await waitForRecord('sink');
    assert.deepEqual(record.requestContext, { requestId, functionArn: `${ARN}:once:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 1 });
    assert.equal(await attempts('once', requestId), 1);
  });

  it('discards an event that would be older than MaximumEventAgeInSeconds at its next attempt', async () => {
    await createFunction('aging');
    await createFunction('expired');
    await putConfig({ FunctionName: 'aging', MaximumEventAgeInSeconds: 120, DestinationConfig: { OnFailure: { Destination: `${ARN}:expired` } } });
    const requestId = await invokeEvent('aging', { fail: true, n: 2 });
    await waitForAttempts('aging', requestId, 1);
    // The second attempt is still within the age; a third would come 3 minutes in, past the 2 allowed.
    clock.advance(60_000);
    const record = await waitForRecord('expired');
    assert.deepEqual(record.requestContext, { requestId, functionArn: `${ARN}:aging:$LATEST`, condition: 'EventAgeExceeded', approximateInvokeCount: 2 });
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    assert.equal(await attempts('aging', requestId), 2);
  });

  it('sends successes of a version to the on-success destination of that version', async () => {
    await createFunction('pinned');
    await createFunction('successes');
    await lambda().send(new PublishVersionCommand({ FunctionName: 'pinned' }));
    await putConfig({ FunctionName: 'pinned', Qualifier: '1', DestinationConfig: { OnSuccess: { Destination: `${ARN}:successes` } } });
    const requestId = await invokeEvent('pinned', { n: 3 }, '1');
    const record = await waitForRecord('successes');
    assert.deepEqual(record, {
      version: '1.0',
      timestamp: new Date(clock.now()).toISOString(),
      requestContext: { requestId, functionArn: `${ARN}:pinned:1`, condition: 'Success', approximateInvokeCount: 1 },
      requestPayload: { n: 3 },
      responseContext: { statusCode: 200, executedVersion: '1' },
      responsePayload: { echoed: { n: 3 }, version: '1' },
    });
  });

  it('with reserved concurrency 0 discards events without running them', async () => {
    await createFunction('paused');
    await createFunction('refused');
    await lambda().send(new PutFunctionConcurrencyCommand({ FunctionName: 'paused', ReservedConcurrentExecutions: 0 }));
    await putConfig({ FunctionName: 'paused', DestinationConfig: { OnFailure: { Destination: `${ARN}:refused` } } });
    const requestId = await invokeEvent('paused', { n: 4 });
    const record = await waitForRecord('refused');
    assert.deepEqual(record, {
      version: '1.0',
      timestamp: new Date(clock.now()).toISOString(),
      requestContext: { requestId, functionArn: `${ARN}:paused:$LATEST`, condition: 'ZeroReservedConcurrency', approximateInvokeCount: 0 },
      requestPayload: { n: 4 },
    });
    assert.equal(await attempts('paused', requestId), 0);
  });

  it('puts a throttled event back and runs it once reserved concurrency frees up', async () => {
    await createFunction('narrow');
    await lambda().send(new PutFunctionConcurrencyCommand({ FunctionName: 'narrow', ReservedConcurrentExecutions: 1 }));
    const ids = [await invokeEvent('narrow', { n: 1 }), await invokeEvent('narrow', { n: 2 })];
    const ran = async (): Promise<number[]> => Promise.all(ids.map((id) => attempts('narrow', id)));
    await eventually('one event to run', async () => ((await ran()).includes(1) ? true : undefined));
    // The other was throttled while the first held the only slot: it waits for its back-off on the clock.
    for (let turn = 0; turn < 100; turn++) assert.equal((await ran()).filter((count) => count === 1).length, 1);
    clock.advance(1000);
    await eventually('the throttled event to run', async () => ((await ran()).every((count) => count === 1) ? true : undefined));
  });

  it('writes records for SQS, SNS and EventBridge targets to the function log until Nimbus has those services', async () => {
    const queue = 'arn:aws:sqs:us-east-1:000000000000:dead-letters';
    const topic = 'arn:aws:sns:us-east-1:000000000000:failures';
    const bus = 'arn:aws:events:us-east-1:000000000000:event-bus/default';
    await createFunction('undeliverable', { DeadLetterConfig: { TargetArn: queue } });
    await putConfig({ FunctionName: 'undeliverable', MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: topic }, OnSuccess: { Destination: bus } } });
    const failed = await invokeEvent('undeliverable', { fail: true, n: 5 });
    const succeeded = await invokeEvent('undeliverable', { n: 6 });
    const lines = await eventually('three undelivered records', async () => {
      const found = (await messages('undeliverable')).filter((m) => m.startsWith('Nimbus could not deliver'));
      return found.length === 3 ? found : undefined;
    });
    const line = (prefix: string): string => {
      const match = lines.find((m) => m.startsWith(prefix));
      assert.ok(match, `no line starting with ${prefix}:\n${lines.join('\n')}`);
      return match;
    };
    const onFailure = line(`Nimbus could not deliver the invocation record to ${topic} for request ${failed} because Amazon SNS is not available in Nimbus yet. Record: `);
    const failureRecord = JSON.parse(onFailure.slice(onFailure.indexOf('Record: ') + 8)) as { requestContext: unknown };
    assert.deepEqual(failureRecord.requestContext, { requestId: failed, functionArn: `${ARN}:undeliverable:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 1 });
    const dlq = line(`Nimbus could not deliver the event to the dead-letter queue ${queue} for request ${failed} because Amazon SQS is not available in Nimbus yet. `);
    assert.ok(dlq.endsWith(`Event: {"fail":true,"n":5} RequestID: ${failed} ErrorCode: 200 ErrorMessage: boom 5`), dlq);
    const onSuccess = line(`Nimbus could not deliver the invocation record to ${bus} for request ${succeeded} because Amazon EventBridge is not available in Nimbus yet. Record: `);
    assert.equal((JSON.parse(onSuccess.slice(onSuccess.indexOf('Record: ') + 8)) as { requestContext: { condition: string } }).requestContext.condition, 'Success');
  });

  describe('event invoke configs', () => {
    it('puts (replacing), updates (merging), gets, lists and deletes per qualifier', async () => {
      await createFunction('configured');
      await createFunction('target');
      await lambda().send(new PublishVersionCommand({ FunctionName: 'configured' }));
      const put = await putConfig({ FunctionName: 'configured', MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 3600 });
      assert.equal(put.FunctionArn, `${ARN}:configured:$LATEST`);
      assert.equal(put.MaximumRetryAttempts, 1);
      assert.equal(put.MaximumEventAgeInSeconds, 3600);
      assert.deepEqual(put.DestinationConfig, { OnSuccess: {}, OnFailure: {} });
      assert.equal(put.LastModified?.getTime(), clock.now());

      const replaced = await putConfig({ FunctionName: 'configured', DestinationConfig: { OnFailure: { Destination: `${ARN}:target` } } });
      assert.equal(replaced.MaximumRetryAttempts, undefined, 'put replaces the whole configuration');
      assert.equal(replaced.MaximumEventAgeInSeconds, undefined);

      clock.advance(1000);
      const updated = await lambda().send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'configured', MaximumRetryAttempts: 0, DestinationConfig: { OnSuccess: { Destination: `${ARN}:target:$LATEST` } } }));
      assert.equal(updated.MaximumRetryAttempts, 0);
      assert.deepEqual(updated.DestinationConfig, { OnSuccess: { Destination: `${ARN}:target:$LATEST` }, OnFailure: { Destination: `${ARN}:target` } }, 'update merges');
      assert.equal(updated.LastModified?.getTime(), clock.now());

      await putConfig({ FunctionName: `${ARN}:configured:1`, MaximumEventAgeInSeconds: 60 });
      const got = await lambda().send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'configured', Qualifier: '1' }));
      assert.equal(got.FunctionArn, `${ARN}:configured:1`);
      assert.equal(got.MaximumEventAgeInSeconds, 60);

      const first = await lambda().send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'configured', MaxItems: 1 }));
      assert.deepEqual(first.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn), [`${ARN}:configured:$LATEST`]);
      assert.ok(first.NextMarker);
      const rest = await lambda().send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'configured', Marker: first.NextMarker }));
      assert.deepEqual(rest.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn), [`${ARN}:configured:1`]);
      assert.equal(rest.NextMarker, undefined);

      const deleted = await lambda().send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'configured', Qualifier: '1' }));
      assert.equal(deleted.$metadata.httpStatusCode, 204);
      const left = await lambda().send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'configured' }));
      assert.equal(left.FunctionEventInvokeConfigs?.length, 1);
    });

    it('answers Lambda errors', async () => {
      await createFunction('strict');
      const notFound = (qualifier: string): string => `The function ${ARN}:strict:${qualifier} doesn't have an EventInvokeConfig`;
      const cases: { what: string; call: () => Promise<unknown>; name: string; message: string; status: number }[] = [
        { what: 'put without settings', call: () => putConfig({ FunctionName: 'strict' }), name: 'InvalidParameterValueException', message: 'You must specify at least one of error handling or destination setting.', status: 400 },
        { what: 'put on a missing function', call: () => putConfig({ FunctionName: 'absent', MaximumRetryAttempts: 1 }), name: 'ResourceNotFoundException', message: "The function doesn't exist.", status: 404 },
        { what: 'put on a missing alias', call: () => putConfig({ FunctionName: 'strict', Qualifier: 'live', MaximumRetryAttempts: 1 }), name: 'ResourceNotFoundException', message: "The function doesn't exist.", status: 404 },
        { what: 'a missing destination function', call: () => putConfig({ FunctionName: 'strict', DestinationConfig: { OnFailure: { Destination: `${ARN}:absent` } } }), name: 'InvalidParameterValueException', message: `The destination ARN ${ARN}:absent is invalid.`, status: 400 },
        { what: 'the function as its own destination', call: () => putConfig({ FunctionName: 'strict', DestinationConfig: { OnSuccess: { Destination: `${ARN}:strict` } } }), name: 'InvalidParameterValueException', message: "You can't specify the function as a destination for itself.", status: 400 },
        {
          what: 'an unsupported destination service',
          call: () => putConfig({ FunctionName: 'strict', DestinationConfig: { OnSuccess: { Destination: 'arn:aws:iam::000000000000:role/x' } } }),
          name: 'InvalidParameterValueException',
          message: 'The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=arn:aws:iam::000000000000:role/x), onFailure=null) is invalid.',
          status: 400,
        },
        { what: 'too many retries', call: () => putConfig({ FunctionName: 'strict', MaximumRetryAttempts: 3 }), name: 'ValidationException', message: "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2", status: 400 },
        { what: 'an event age under a minute', call: () => putConfig({ FunctionName: 'strict', MaximumEventAgeInSeconds: 59 }), name: 'ValidationException', message: "1 validation error detected: Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60", status: 400 },
        { what: 'conflicting qualifiers', call: () => putConfig({ FunctionName: 'strict:1', Qualifier: '2', MaximumRetryAttempts: 1 }), name: 'InvalidParameterValueException', message: 'The derived qualifier from the function name does not match the specified qualifier.', status: 400 },
        { what: 'get without a config', call: () => lambda().send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'strict' })), name: 'ResourceNotFoundException', message: notFound('$LATEST'), status: 404 },
        { what: 'get on a missing qualifier', call: () => lambda().send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'strict', Qualifier: 'nope' })), name: 'ResourceNotFoundException', message: notFound('nope'), status: 404 },
        { what: 'delete without a config', call: () => lambda().send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'strict' })), name: 'ResourceNotFoundException', message: notFound('$LATEST'), status: 404 },
        { what: 'update without a config', call: () => lambda().send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'strict', MaximumRetryAttempts: 1 })), name: 'ResourceNotFoundException', message: notFound('$LATEST'), status: 404 },
        { what: 'update on a missing function', call: () => lambda().send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'absent', MaximumRetryAttempts: 1 })), name: 'ResourceNotFoundException', message: "The function doesn't exist.", status: 404 },
        { what: 'list on a missing function', call: () => lambda().send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'absent' })), name: 'ResourceNotFoundException', message: "The function doesn't exist.", status: 404 },
      ];
      for (const { what, call, name, message, status } of cases) {
        await assert.rejects(call(), rejectsWith(name, message, status), what);
      }
    });
  });
});

describe('Lambda asynchronous events survive a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-async-'));
  let current: Nimbus | undefined;
  const helpers = lambdaHelpers(() => current!);
  after(async () => {
    await current?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs a queued retry after Nimbus stops and starts again', async () => {
    current = await startNimbus({ ephemeral: false, dataDir, clock: new ManualClock() });
    await helpers.createFunction('durable');
    const requestId = await helpers.invokeEvent('durable', { fail: true, n: 8 });
    await helpers.waitForAttempts('durable', requestId, 1);
    await current.stop();

    const clock = new ManualClock();
    current = await startNimbus({ ephemeral: false, dataDir, clock });
    // Lambda loads on its first request, and takes up its queue as it does.
    await helpers.lambda().send(new GetFunctionCommand({ FunctionName: 'durable' }));
    clock.advance(60_000);
    assert.equal(await helpers.waitForAttempts('durable', requestId, 2), 2);
  });
});

describe('Lambda asynchronous invocation through the AWS CLI and boto3', () => {
  const nimbus = useNimbus({ clock: new ManualClock() });
  const { createFunction, received } = lambdaHelpers(nimbus);
  const run = promisify(execFile);

  const exec = async (file: string, args: string[]): Promise<string> => {
    const { AWS_PROFILE: _profile, ...rest } = process.env;
    const env = {
      ...rest,
      AWS_ENDPOINT_URL: nimbus().endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    };
    return (await run(file, args, { env })).stdout;
  };

  it('configures and invokes asynchronously with the AWS CLI', async () => {
    await createFunction('cli');
    const put = JSON.parse(await exec('aws', ['lambda', 'put-function-event-invoke-config', '--function-name', 'cli', '--maximum-retry-attempts', '1'])) as Record<string, unknown>;
    assert.equal(put.FunctionArn, `${ARN}:cli:$LATEST`);
    assert.equal(put.MaximumRetryAttempts, 1);
    assert.deepEqual(put.DestinationConfig, { OnSuccess: {}, OnFailure: {} });
    const updated = JSON.parse(await exec('aws', ['lambda', 'update-function-event-invoke-config', '--function-name', 'cli', '--maximum-event-age-in-seconds', '600'])) as Record<string, unknown>;
    assert.deepEqual([updated.MaximumRetryAttempts, updated.MaximumEventAgeInSeconds], [1, 600]);
    const outDir = mkdtempSync(join(tmpdir(), 'nimbus-cli-'));
    const invoked = JSON.parse(await exec('aws', ['lambda', 'invoke', '--function-name', 'cli', '--invocation-type', 'Event', '--payload', '{"via":"cli"}', join(outDir, 'out.json')])) as Record<string, unknown>;
    rmSync(outDir, { recursive: true, force: true });
    assert.equal(invoked.StatusCode, 202);
    const events = await eventually('the CLI event to run', async () => {
      const seen = await received('cli');
      return seen.length ? seen : undefined;
    });
    assert.deepEqual(events, [{ via: 'cli' }]);
  });

  it('configures and invokes asynchronously with boto3', async () => {
    await createFunction('boto');
    const script = `
import json, boto3
client = boto3.client('lambda')
out = {}
out['put'] = client.put_function_event_invoke_config(FunctionName='boto', MaximumEventAgeInSeconds=120)['MaximumEventAgeInSeconds']
out['listed'] = [c['FunctionArn'] for c in client.list_function_event_invoke_configs(FunctionName='boto')['FunctionEventInvokeConfigs']]
out['status'] = client.invoke(FunctionName='boto', InvocationType='Event', Payload=b'{"via": "boto3"}')['StatusCode']
client.delete_function_event_invoke_config(FunctionName='boto')
try:
    client.get_function_event_invoke_config(FunctionName='boto')
except client.exceptions.ResourceNotFoundException as error:
    out['error'] = error.response['Error']['Message']
print(json.dumps(out))
`;
    const out = JSON.parse(await exec('python3', ['-c', script])) as Record<string, unknown>;
    assert.deepEqual(out, {
      put: 120,
      listed: [`${ARN}:boto:$LATEST`],
      status: 202,
      error: `The function ${ARN}:boto:$LATEST doesn't have an EventInvokeConfig`,
    });
    const events = await eventually('the boto3 event to run', async () => {
      const seen = await received('boto');
      return seen.length ? seen : undefined;
    });
    assert.deepEqual(events, [{ via: 'boto3' }]);
  });
});
