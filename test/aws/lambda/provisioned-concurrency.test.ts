import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetAccountSettingsCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  LambdaClient,
  ListProvisionedConcurrencyConfigsCommand,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutProvisionedConcurrencyConfigCommand,
} from '@aws-sdk/client-lambda';
import type { GetProvisionedConcurrencyConfigCommandOutput } from '@aws-sdk/client-lambda';
import type { Nimbus } from '../../../src/index.js';
import { startNimbus } from '../../../src/index.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';

const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';
const ARN = 'arn:aws:lambda:us-east-1:000000000000:function';

const HANDLER = `
const initType = process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
export const handler = async () => ({ initType, version: process.env.AWS_LAMBDA_FUNCTION_VERSION });
`;

interface AwsError extends Error {
  $metadata: { httpStatusCode?: number };
}

async function rejectsWith(promise: Promise<unknown>, name: string, message: string, status: number): Promise<void> {
  await assert.rejects(promise, (error: AwsError) => {
    assert.equal(error.name, name);
    assert.equal(error.message, message);
    assert.equal(error.$metadata.httpStatusCode, status);
    return true;
  });
}

const decode = (payload: Uint8Array | undefined): unknown => JSON.parse(Buffer.from(payload ?? []).toString('utf8'));
const tail = (logResult: string | undefined): string => Buffer.from(logResult ?? '', 'base64').toString('utf8');

/**
 * Provisioned environments are real processes that start in the background: this polls the config until it
 * leaves IN_PROGRESS, the way a client waits for it on AWS (there is no waiter for it in the SDK).
 */
async function settled(client: LambdaClient, name: string, qualifier: string): Promise<GetProvisionedConcurrencyConfigCommandOutput> {
  for (let attempt = 0; attempt < 1500; attempt++) {
    const config = await client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: qualifier }));
    if (config.Status !== 'IN_PROGRESS') return config;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`provisioned concurrency of ${name}:${qualifier} never left IN_PROGRESS`);
}

async function createPublished(client: LambdaClient, name: string, code = HANDLER): Promise<void> {
  await client.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await zip({ 'index.mjs': code }) } }));
  await client.send(new PublishVersionCommand({ FunctionName: name }));
}

describe('Lambda provisioned concurrency and account settings through @aws-sdk/client-lambda', () => {
  const nimbus = useNimbus();
  const lambda = (): LambdaClient => new LambdaClient(clientSettings(nimbus()));

  it('provisions a version: IN_PROGRESS, then READY, and its invocations are warm from the start', async () => {
    await createPublished(lambda(), 'warm');
    const put = await lambda().send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: '1', ProvisionedConcurrentExecutions: 2 }));
    assert.equal(put.$metadata.httpStatusCode, 202);
    assert.deepEqual(
      [put.RequestedProvisionedConcurrentExecutions, put.AvailableProvisionedConcurrentExecutions, put.AllocatedProvisionedConcurrentExecutions, put.Status],
      [2, 0, 0, 'IN_PROGRESS'],
    );
    assert.match(put.LastModified!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);

    const ready = await settled(lambda(), 'warm', '1');
    assert.deepEqual([ready.Status, ready.AvailableProvisionedConcurrentExecutions, ready.AllocatedProvisionedConcurrentExecutions, ready.StatusReason], ['READY', 2, 2, undefined]);

    const provisioned = await lambda().send(new InvokeCommand({ FunctionName: 'warm', Qualifier: '1', LogType: 'Tail' }));
    assert.deepEqual(decode(provisioned.Payload), { initType: 'provisioned-concurrency', version: '1' });
    assert.match(tail(provisioned.LogResult), /REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms/);
    assert.doesNotMatch(tail(provisioned.LogResult), /Init Duration|INIT_START/);

    const onDemand = await lambda().send(new InvokeCommand({ FunctionName: 'warm', LogType: 'Tail' }));
    assert.deepEqual(decode(onDemand.Payload), { initType: 'on-demand', version: '$LATEST' });
    assert.match(tail(onDemand.LogResult), /Init Duration: [\d.]+ ms/);

    const listed = await lambda().send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'warm' }));
    assert.deepEqual(listed.ProvisionedConcurrencyConfigs?.map((config) => [config.FunctionArn, config.Status, config.RequestedProvisionedConcurrentExecutions]), [[`${ARN}:warm:1`, 'READY', 2]]);

    const deleted = await lambda().send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: '1' }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await rejectsWith(
      lambda().send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: '1' })),
      'ProvisionedConcurrencyConfigNotFoundException', 'No Provisioned Concurrency Config found for this function', 404,
    );
    assert.deepEqual((await lambda().send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'warm' }))).ProvisionedConcurrencyConfigs, []);
  });

  it('provisions an alias, which a version provisioned through it conflicts with, until the alias goes', async () => {
    await createPublished(lambda(), 'aliased');
    await lambda().send(new CreateAliasCommand({ FunctionName: 'aliased', Name: 'live', FunctionVersion: '1' }));
    await lambda().send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'aliased', Qualifier: 'live', ProvisionedConcurrentExecutions: 1 }));
    await rejectsWith(
      lambda().send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'aliased', Qualifier: '1', ProvisionedConcurrentExecutions: 1 })),
      'ResourceConflictException', 'Version is pointed by a Provisioned Concurrency alias', 409,
    );
    assert.equal((await settled(lambda(), 'aliased', 'live')).Status, 'READY');
    const invoked = await lambda().send(new InvokeCommand({ FunctionName: 'aliased', Qualifier: 'live', LogType: 'Tail' }));
    assert.deepEqual(decode(invoked.Payload), { initType: 'provisioned-concurrency', version: '1' });
    assert.doesNotMatch(tail(invoked.LogResult), /Init Duration/);

    // Deleting the alias deletes its configuration.
    await lambda().send(new DeleteAliasCommand({ FunctionName: 'aliased', Name: 'live' }));
    await rejectsWith(
      lambda().send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'aliased', Qualifier: 'live' })),
      'ResourceNotFoundException', `Cannot find alias arn: ${ARN}:aliased:live`, 404,
    );
    assert.deepEqual((await lambda().send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'aliased' }))).ProvisionedConcurrencyConfigs, []);

    await lambda().send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'aliased', Qualifier: '1', ProvisionedConcurrentExecutions: 1 }));
    await lambda().send(new CreateAliasCommand({ FunctionName: 'aliased', Name: 'again', FunctionVersion: '1' }));
    await rejectsWith(
      lambda().send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'aliased', Qualifier: 'again', ProvisionedConcurrentExecutions: 1 })),
      'ResourceConflictException', "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version", 409,
    );
    assert.equal((await settled(lambda(), 'aliased', '1')).Status, 'READY');
  });

  it('reports FAILED when an environment fails to initialise', async () => {
    await createPublished(lambda(), 'broken', 'throw new Error("no config");\nexport const handler = async () => 1;');
    await lambda().send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'broken', Qualifier: '1', ProvisionedConcurrentExecutions: 1 }));
    const failed = await settled(lambda(), 'broken', '1');
    assert.deepEqual(
      [failed.Status, failed.StatusReason, failed.AllocatedProvisionedConcurrentExecutions, failed.AvailableProvisionedConcurrentExecutions],
      ['FAILED', 'FUNCTION_ERROR_INIT_FAILURE', 0, 0],
    );
  });

  it('answers Lambda errors for $LATEST, missing targets and concurrency limits', async () => {
    await createPublished(lambda(), 'limits', 'export const handler = async () => 1;');
    const put = (name: string, qualifier: string, count: number): Promise<unknown> =>
      lambda().send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: qualifier, ProvisionedConcurrentExecutions: count }));
    const unpublished = 'The function resource provided must be an alias or a published version.';
    const cases: [() => Promise<unknown>, string, string, number][] = [
      [() => put('limits', '$LATEST', 1), 'InvalidParameterValueException', 'Provisioned Concurrency Configs cannot be applied to unpublished function versions.', 400],
      [() => lambda().send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'limits', Qualifier: '$LATEST' })), 'InvalidParameterValueException', unpublished, 400],
      [() => lambda().send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'limits', Qualifier: '$LATEST' })), 'InvalidParameterValueException', unpublished, 400],
      [() => put('limits', '10', 1), 'ResourceNotFoundException', `Function not found: ${ARN}:limits:10`, 404],
      [() => put('limits', 'noalias', 1), 'ResourceNotFoundException', `Cannot find alias arn: ${ARN}:limits:noalias`, 404],
      [() => put('nothing', '1', 1), 'ResourceNotFoundException', `Function not found: ${ARN}:nothing:1`, 404],
      [() => put('nothing', 'noalias', 1), 'ResourceNotFoundException', `Cannot find alias arn: ${ARN}:nothing:noalias`, 404],
      [() => lambda().send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'limits', Qualifier: '1' })), 'ProvisionedConcurrencyConfigNotFoundException', 'No Provisioned Concurrency Config found for this function', 404],
      [() => lambda().send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'nothing' })), 'ResourceNotFoundException', `Function not found: ${ARN}:nothing`, 404],
      [() => put('limits', '1', 0), 'ValidationException', "1 validation error detected: Value '0' at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1", 400],
      [() => put('limits', '1', 1001), 'InvalidParameterValueException', "Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [1000].", 400],
      [() => put('limits', '1', 901), 'InvalidParameterValueException', "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].", 400],
    ];
    for (const [call, name, message, status] of cases) await rejectsWith(call(), name, message, status);

    // With reserved concurrency, provisioned concurrency comes out of the reservation.
    await lambda().send(new PutFunctionConcurrencyCommand({ FunctionName: 'limits', ReservedConcurrentExecutions: 1 }));
    await rejectsWith(put('limits', '1', 2), 'InvalidParameterValueException', 'Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function', 400);
    await put('limits', '1', 1);
    await rejectsWith(
      lambda().send(new PutFunctionConcurrencyCommand({ FunctionName: 'limits', ReservedConcurrentExecutions: 0 })),
      'InvalidParameterValueException', " ReservedConcurrentExecutions  0 should not be lower than function's total provisioned concurrency [1].", 400,
    );
    // Deleting the function takes its configurations with it.
    await lambda().send(new DeleteFunctionCommand({ FunctionName: 'limits' }));
    await createPublished(lambda(), 'limits', 'export const handler = async () => 1;');
    await rejectsWith(
      lambda().send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'limits', Qualifier: '1' })),
      'ProvisionedConcurrencyConfigNotFoundException', 'No Provisioned Concurrency Config found for this function', 404,
    );
  });

  it('reports the account\'s limits and what its functions, versions and layers use', async () => {
    const empty = await lambda().send(new GetAccountSettingsCommand({}));
    assert.deepEqual(empty.AccountLimit, {
      TotalCodeSize: 80530636800, CodeSizeUnzipped: 262144000, CodeSizeZipped: 52428800, ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000,
    });
    assert.deepEqual(empty.AccountUsage, { TotalCodeSize: 0, FunctionCount: 0 });

    const code = await zip({ 'index.mjs': 'export const handler = async () => 1;' });
    const layer = await zip({ 'data.txt': 'layer' });
    await lambda().send(new CreateFunctionCommand({ FunctionName: 'counted', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: code } }));
    await lambda().send(new PublishVersionCommand({ FunctionName: 'counted' }));
    await lambda().send(new CreateFunctionCommand({ FunctionName: 'reserved', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: code } }));
    await lambda().send(new PutFunctionConcurrencyCommand({ FunctionName: 'reserved', ReservedConcurrentExecutions: 50 }));
    await lambda().send(new PublishLayerVersionCommand({ LayerName: 'counted-layer', Content: { ZipFile: layer } }));
    await lambda().send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'counted', Qualifier: '1', ProvisionedConcurrentExecutions: 1 }));

    const settings = await lambda().send(new GetAccountSettingsCommand({}));
    // $LATEST and version 1 of `counted`, $LATEST of `reserved`, and the layer version.
    assert.deepEqual(settings.AccountUsage, { TotalCodeSize: 3 * code.length + layer.length, FunctionCount: 2 });
    // Reserved concurrency only, as the API reference defines it.
    assert.equal(settings.AccountLimit?.UnreservedConcurrentExecutions, 1000 - 50);
    await settled(lambda(), 'counted', '1');
  });
});

describe('Lambda provisioned concurrency across a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-provisioned-'));
  let running: Nimbus | undefined;
  after(async () => {
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts the provisioned environments again when Lambda loads after a restart', async () => {
    running = await startNimbus({ ephemeral: false, dataDir });
    const before = new LambdaClient(clientSettings(running));
    await createPublished(before, 'durable');
    await before.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'durable', Qualifier: '1', ProvisionedConcurrentExecutions: 1 }));
    assert.equal((await settled(before, 'durable', '1')).Status, 'READY');
    await running.stop();

    running = await startNimbus({ ephemeral: false, dataDir });
    const after = new LambdaClient(clientSettings(running));
    const restored = await settled(after, 'durable', '1');
    assert.deepEqual([restored.Status, restored.AllocatedProvisionedConcurrentExecutions], ['READY', 1]);
    const invoked = await after.send(new InvokeCommand({ FunctionName: 'durable', Qualifier: '1', LogType: 'Tail' }));
    assert.deepEqual(decode(invoked.Payload), { initType: 'provisioned-concurrency', version: '1' });
    assert.doesNotMatch(tail(invoked.LogResult), /Init Duration/);
  });
});
