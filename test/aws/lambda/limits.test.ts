/**
 * Lambda's limits as a function meets them: reserved concurrency (throttling with Lambda's 429), the
 * timeout, a crashing runtime, the memory size, and how an alias splits traffic between two versions.
 * Each failure must leave the next invocation a fresh, working environment.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CreateFunctionCommandInput, InvocationResponse, TooManyRequestsException } from '@aws-sdk/client-lambda';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';

const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

/**
 * With `wait`, announces itself in SSM and holds its environment until the test sets /gate/release: the
 * test decides when it ends, no timing involved.
 */
const GATED_HANDLER = `
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
export const handler = async (event) => {
  if (!event.wait) return 'quick';
  await ssm.send(new PutParameterCommand({ Name: '/gate/started', Value: 'yes', Type: 'String', Overwrite: true }));
  for (;;) {
    try {
      await ssm.send(new GetParameterCommand({ Name: '/gate/release' }));
      return 'released';
    } catch (error) {
      if (error.name !== 'ParameterNotFound') throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
`;

/** Misbehaves on request; otherwise counts its invocations, so a fresh environment shows as count 1. */
const UNRULY_HANDLER = `
let count = 0;
const hoard = [];
export const handler = async (event) => {
  if (event.spin) for (;;);
  if (event.exit) process.exit(event.exit);
  if (event.hoardMb) {
    for (let i = 0; i < event.hoardMb / 10; i++) hoard.push(Buffer.alloc(10 * 1024 * 1024, 1));
    await new Promise((resolve) => setTimeout(resolve, 60_000));
  }
  return { count: ++count };
};
`;

function decode(response: InvocationResponse): unknown {
  return JSON.parse(Buffer.from(response.Payload ?? []).toString('utf8'));
}

function tail(response: InvocationResponse): string {
  return Buffer.from(response.LogResult ?? '', 'base64').toString('utf8');
}

function isThrottle(error: TooManyRequestsException & { $metadata: { httpStatusCode?: number } }): boolean {
  assert.equal(error.name, 'TooManyRequestsException');
  assert.equal(error.message, 'Rate Exceeded.');
  assert.equal(error.$metadata.httpStatusCode, 429);
  assert.equal(error.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
  return true;
}

describe('Lambda limits', () => {
  const nimbus = useNimbus();
  // Throttles are retryable: one attempt shows the 429 itself rather than the SDK's retries.
  const lambda = (): LambdaClient => new LambdaClient({ ...clientSettings(nimbus()), maxAttempts: 1 });
  const ssm = (): SSMClient => new SSMClient(clientSettings(nimbus()));

  async function create(name: string, code: string, extra: Partial<CreateFunctionCommandInput> = {}): Promise<void> {
    await lambda().send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await zip({ 'index.mjs': code }) }, ...extra }));
  }

  function invoke(name: string, event: unknown): Promise<InvocationResponse> {
    return lambda().send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), LogType: 'Tail' }));
  }

  /** Polls SSM until the function has set the parameter: a handshake, not a timer. */
  async function parameterSet(name: string): Promise<void> {
    for (;;) {
      try {
        await ssm().send(new GetParameterCommand({ Name: name }));
        return;
      } catch (error) {
        if ((error as Error).name !== 'ParameterNotFound') throw error;
      }
    }
  }

  it('throttles a second concurrent invocation beyond reserved concurrency 1, and admits it once the first ends', async () => {
    await create('gate', GATED_HANDLER, { Timeout: 60 });
    await lambda().send(new PutFunctionConcurrencyCommand({ FunctionName: 'gate', ReservedConcurrentExecutions: 1 }));
    const slow = invoke('gate', { wait: true });
    await parameterSet('/gate/started');
    await assert.rejects(invoke('gate', {}), isThrottle);
    await ssm().send(new PutParameterCommand({ Name: '/gate/release', Value: 'go', Type: 'String' }));
    const released = await slow;
    assert.equal(released.FunctionError, undefined, tail(released));
    assert.equal(decode(released), 'released');
    assert.equal(decode(await invoke('gate', {})), 'quick');
  });

  it('throttles every invocation at reserved concurrency 0 until the reservation is removed', async () => {
    await create('off', UNRULY_HANDLER);
    await lambda().send(new PutFunctionConcurrencyCommand({ FunctionName: 'off', ReservedConcurrentExecutions: 0 }));
    await assert.rejects(invoke('off', {}), isThrottle);
    await assert.rejects(invoke('off', {}), isThrottle);
    await lambda().send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'off' }));
    assert.deepEqual(decode(await invoke('off', {})), { count: 1 });
  });

  it('stops a handler at its timeout with Lambda\'s message, then starts a fresh environment', async () => {
    await create('spinner', UNRULY_HANDLER, { Timeout: 1 });
    assert.deepEqual(decode(await invoke('spinner', {})), { count: 1 });
    const timedOut = await invoke('spinner', { spin: true });
    assert.equal(timedOut.StatusCode, 200);
    assert.equal(timedOut.FunctionError, 'Unhandled');
    const { errorMessage } = decode(timedOut) as { errorMessage: string };
    assert.match(errorMessage, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z [0-9a-f-]{36} Task timed out after 1\.00 seconds$/);
    assert.match(tail(timedOut), /Task timed out after 1\.00 seconds/);
    assert.match(tail(timedOut), /Status: timeout/);
    const after = await invoke('spinner', {});
    assert.deepEqual(decode(after), { count: 1 }, 'the timed-out environment is gone');
    assert.match(tail(after), /INIT_START/);
  });

  it('reports a runtime that exits as Runtime.ExitError, then starts a fresh environment', async () => {
    await create('quitter', UNRULY_HANDLER);
    assert.deepEqual(decode(await invoke('quitter', {})), { count: 1 });
    const crashed = await invoke('quitter', { exit: 3 });
    assert.equal(crashed.FunctionError, 'Unhandled');
    const error = decode(crashed) as { errorType: string; errorMessage: string };
    assert.equal(error.errorType, 'Runtime.ExitError');
    assert.match(error.errorMessage, /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$/);
    assert.match(tail(crashed), /Status: error\tError Type: Runtime.ExitError/);
    assert.deepEqual(decode(await invoke('quitter', {})), { count: 1 });
  });

  it('kills a handler that outgrows its memory size as Runtime.OutOfMemory, then starts a fresh environment', async () => {
    await create('hoarder', UNRULY_HANDLER, { MemorySize: 128, Timeout: 30 });
    const killed = await invoke('hoarder', { hoardMb: 300 });
    assert.equal(killed.FunctionError, 'Unhandled');
    const error = decode(killed) as { errorType: string; errorMessage: string };
    assert.equal(error.errorType, 'Runtime.OutOfMemory');
    assert.match(error.errorMessage, /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: killed$/);
    assert.match(tail(killed), /Memory Size: 128 MB\tMax Memory Used: 128 MB/);
    assert.match(tail(killed), /Status: error\tError Type: Runtime.OutOfMemory/);
    assert.deepEqual(decode(await invoke('hoarder', {})), { count: 1 });
  });

  it('splits an alias\'s traffic by its version weights and reports the version that ran', async () => {
    const versionHandler = (mark: string): string => `export const handler = async (event, context) => ({ mark: '${mark}', version: context.functionVersion });`;
    await create('weighted', versionHandler('one'));
    await lambda().send(new PublishVersionCommand({ FunctionName: 'weighted' }));
    await lambda().send(new UpdateFunctionCodeCommand({ FunctionName: 'weighted', ZipFile: await zip({ 'index.mjs': versionHandler('two') }) }));
    await lambda().send(new PublishVersionCommand({ FunctionName: 'weighted' }));
    await lambda().send(new CreateAliasCommand({ FunctionName: 'weighted', Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } }));

    const runs = { '1': 0, '2': 0 };
    for (let i = 0; i < 200; i++) {
      const result = await lambda().send(new InvokeCommand({ FunctionName: 'weighted', Qualifier: 'live' }));
      const body = decode(result) as { mark: string; version: string };
      assert.equal(body.version, result.ExecutedVersion, 'ExecutedVersion names the version that ran');
      assert.equal(body.mark, result.ExecutedVersion === '1' ? 'one' : 'two');
      runs[result.ExecutedVersion as '1' | '2']++;
    }
    // 50% of 200 has a standard deviation of about 7: 60..140 is more than five of them either way.
    assert.ok(runs['2'] >= 60 && runs['2'] <= 140, `version 2 ran ${String(runs['2'])} of 200 times`);
    assert.equal(runs['1'] + runs['2'], 200);
  });
});
