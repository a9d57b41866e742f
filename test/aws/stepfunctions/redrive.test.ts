import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { startNimbus } from '../../../src/index.js';
import type { Nimbus } from '../../../src/index.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { rejection } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { ACCOUNT, ROLE, definition, historyTypes, settle, sfnClient, untilEvent } from './sfn-helpers.js';

const DAY = 24 * 3_600_000;

/** Writes to a table that does not exist until the test creates it: fails first, succeeds after. */
const RECORDER = definition({
  Prepare: { Type: 'Pass', Result: 'ready', ResultPath: '$.prepared', Next: 'Record' },
  Record: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'ledger', Item: { id: { S: 'a' } } }, ResultPath: null, Next: 'Finish' },
  Finish: { Type: 'Pass', Result: 'done', ResultPath: '$.finished', End: true },
});

async function createLedger(nimbus: Nimbus): Promise<void> {
  await new DynamoDBClient(clientSettings(nimbus)).send(new CreateTableCommand({
    TableName: 'ledger', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST',
  }));
}

async function failedExecution(sfn: SFNClient, name = 'recorder'): Promise<{ stateMachineArn: string; executionArn: string }> {
  const stateMachineArn = (await sfn.send(new CreateStateMachineCommand({ name, definition: RECORDER, roleArn: ROLE }))).stateMachineArn ?? '';
  const executionArn = (await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'first', input: '{"order":7}' }))).executionArn ?? '';
  const failed = await settle(sfn, executionArn);
  assert.equal(failed.status, 'FAILED');
  return { stateMachineArn, executionArn };
}

describe('RedriveExecution', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const nimbus = useNimbus({ clock });

  it('continues a failed execution from the failed state, under the same ARN, keeping its history', async () => {
    const sfn = sfnClient(nimbus());
    const { executionArn } = await failedExecution(sfn);
    const before = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    assert.equal(before.error, 'DynamoDB.ResourceNotFoundException');
    assert.deepEqual([before.redriveCount, before.redriveStatus, before.redriveStatusReason, before.redriveDate], [0, 'REDRIVABLE', undefined, undefined]);

    await createLedger(nimbus());
    clock.advance(60_000);
    const redriven = await sfn.send(new RedriveExecutionCommand({ executionArn }));
    assert.equal(redriven.redriveDate?.getTime(), clock.now());
    const done = await settle(sfn, executionArn);
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    assert.deepEqual(JSON.parse(done.output ?? ''), { order: 7, prepared: 'ready', finished: 'done' });
    assert.deepEqual([done.redriveCount, done.redriveDate?.getTime(), done.error, done.cause], [1, clock.now(), undefined, undefined]);
    assert.deepEqual([done.redriveStatus, done.redriveStatusReason], ['NOT_REDRIVABLE', 'Execution is SUCCEEDED and cannot be redriven.']);

    const history = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
    const types = history.map((event) => event.type);
    const failedAt = types.indexOf('ExecutionFailed');
    assert.deepEqual(types.slice(failedAt), [
      'ExecutionFailed', 'ExecutionRedriven', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded',
    ]);
    // The first Pass state ran once: its result was kept.
    assert.equal(types.filter((type) => type === 'PassStateEntered').length, 2);
    const redrivenEvent = history[failedAt + 1];
    assert.deepEqual(redrivenEvent.executionRedrivenEventDetails, { redriveCount: 1 });
    assert.equal(redrivenEvent.previousEventId, history[failedAt].id);
  });

  it('lists redriveCount and filters by redriveFilter', async () => {
    const sfn = sfnClient(nimbus());
    const { stateMachineArn, executionArn } = await failedExecution(sfn);
    const other = (await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'second' }))).executionArn ?? '';
    await settle(sfn, other);
    await sfn.send(new RedriveExecutionCommand({ executionArn }));
    await settle(sfn, executionArn);
    const cases: ['REDRIVEN' | 'NOT_REDRIVEN' | undefined, string[]][] = [
      ['REDRIVEN', [executionArn]],
      ['NOT_REDRIVEN', [other]],
      [undefined, [other, executionArn]],
    ];
    for (const [redriveFilter, expected] of cases) {
      const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn, redriveFilter }));
      assert.deepEqual((listed.executions ?? []).map((item) => item.executionArn).sort(), [...expected].sort(), String(redriveFilter));
    }
    const item = (await sfn.send(new ListExecutionsCommand({ stateMachineArn, redriveFilter: 'REDRIVEN' }))).executions?.[0];
    assert.equal(item?.redriveCount, 1);
    assert.ok(item?.redriveDate instanceof Date);
  });

  it('redrives an aborted execution from the state it was stopped in', async () => {
    const sfn = sfnClient(nimbus());
    const stateMachineArn = (await sfn.send(new CreateStateMachineCommand({
      name: 'napper', roleArn: ROLE, definition: definition({ Nap: { Type: 'Wait', Seconds: 10, Next: 'Up' }, Up: { Type: 'Pass', Result: 1, ResultPath: '$.up', End: true } }),
    }))).stateMachineArn ?? '';
    const executionArn = (await sfn.send(new StartExecutionCommand({ stateMachineArn }))).executionArn ?? '';
    await untilEvent(sfn, executionArn, 'WaitStateEntered');
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Halt' }));
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn }))).redriveStatus, 'REDRIVABLE');
    await sfn.send(new RedriveExecutionCommand({ executionArn }));
    assert.equal((await settle(sfn, executionArn, 3)).status, 'RUNNING');
    clock.advance(10_000);
    const done = await settle(sfn, executionArn);
    assert.equal(done.status, 'SUCCEEDED');
    const types = await historyTypes(sfn, executionArn);
    assert.deepEqual(types.slice(types.indexOf('ExecutionAborted')), ['ExecutionAborted', 'ExecutionRedriven', 'WaitStateEntered', 'WaitStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  });

  it('answers the same redriveDate for a repeated clientToken while the redrive runs', async () => {
    const sfn = sfnClient(nimbus());
    const stateMachineArn = (await sfn.send(new CreateStateMachineCommand({ name: 'napper', roleArn: ROLE, definition: definition({ Nap: { Type: 'Wait', Seconds: 10, End: true } }) }))).stateMachineArn ?? '';
    const executionArn = (await sfn.send(new StartExecutionCommand({ stateMachineArn }))).executionArn ?? '';
    await untilEvent(sfn, executionArn, 'WaitStateEntered');
    await sfn.send(new StopExecutionCommand({ executionArn }));
    const first = await sfn.send(new RedriveExecutionCommand({ executionArn, clientToken: 'token-1' }));
    clock.advance(1000);
    const again = await sfn.send(new RedriveExecutionCommand({ executionArn, clientToken: 'token-1' }));
    assert.equal(again.redriveDate?.getTime(), first.redriveDate?.getTime());
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn }))).redriveCount, 1);
  });

  it('refuses what cannot be redriven, with AWS errors', async () => {
    const sfn = sfnClient(nimbus());
    const { stateMachineArn, executionArn } = await failedExecution(sfn);
    const waiting = (await sfn.send(new CreateStateMachineCommand({ name: 'waiting', roleArn: ROLE, definition: definition({ Nap: { Type: 'Wait', Seconds: 10, End: true } }) }))).stateMachineArn ?? '';
    const running = (await sfn.send(new StartExecutionCommand({ stateMachineArn: waiting }))).executionArn ?? '';
    await untilEvent(sfn, running, 'WaitStateEntered');
    const succeeded = (await sfn.send(new StartExecutionCommand({ stateMachineArn: (await sfn.send(new CreateStateMachineCommand({ name: 'quick', roleArn: ROLE, definition: definition({ Done: { Type: 'Succeed' } }) }))).stateMachineArn }))).executionArn ?? '';
    await settle(sfn, succeeded);
    const expressArn = `arn:aws:states:us-east-1:${ACCOUNT}:express:fast:some-run`;
    const missing = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:nobody`;
    const cases: [string, string, string, string][] = [
      ['running', running, 'ExecutionNotRedrivable', 'Execution is RUNNING and cannot be redriven.'],
      ['succeeded', succeeded, 'ExecutionNotRedrivable', 'Execution is SUCCEEDED and cannot be redriven.'],
      ['express', expressArn, 'ExecutionNotRedrivable', 'Execution with type EXPRESS cannot be redriven.'],
      ['missing', missing, 'ExecutionDoesNotExist', `Execution Does Not Exist: '${missing}'`],
      ['not an ARN', 'nonsense', 'InvalidArn', "Invalid Arn: 'Invalid ARN prefix: nonsense'"],
    ];
    for (const [label, arn, name, message] of cases) {
      const error = await rejection(sfn.send(new RedriveExecutionCommand({ executionArn: arn })));
      assert.deepEqual([error.name, error.message, error.$metadata.httpStatusCode], [name, message, 400], label);
    }
    const describedRunning = await sfn.send(new DescribeExecutionCommand({ executionArn: running }));
    assert.deepEqual([describedRunning.redriveStatus, describedRunning.redriveStatusReason], ['NOT_REDRIVABLE', 'Execution is RUNNING and cannot be redriven.']);

    // 14 days after it stopped, a failed execution can no longer be redriven.
    clock.advance(14 * DAY + 1000);
    const late = await rejection(sfn.send(new RedriveExecutionCommand({ executionArn })));
    assert.deepEqual([late.name, late.message], ['ExecutionNotRedrivable', 'Execution redrivable period exceeded.']);
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn }))).redriveStatusReason, 'Execution redrivable period exceeded.');
  });

  it('refuses an execution whose state machine was deleted', async () => {
    const sfn = sfnClient(nimbus());
    const { stateMachineArn, executionArn } = await failedExecution(sfn);
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));
    const error = await rejection(sfn.send(new RedriveExecutionCommand({ executionArn })));
    assert.deepEqual([error.name, error.message], ['ExecutionNotRedrivable', 'State machine is in DELETING status.']);
  });
});

describe('RedriveExecution after a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-sfn-redrive-'));
  const running: Nimbus[] = [];
  after(async () => {
    for (const nimbus of running) await nimbus.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('redrives an execution that failed before Nimbus restarted', async () => {
    const first = await startNimbus({ ephemeral: false, dataDir });
    running.push(first);
    const { executionArn } = await failedExecution(sfnClient(first));
    for (const nimbus of running.splice(0)) await nimbus.stop();

    const second = await startNimbus({ ephemeral: false, dataDir });
    running.push(second);
    await createLedger(second);
    const sfn = sfnClient(second);
    await sfn.send(new RedriveExecutionCommand({ executionArn }));
    const done = await settle(sfn, executionArn);
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    assert.deepEqual(JSON.parse(done.output ?? ''), { order: 7, prepared: 'ready', finished: 'done' });
    assert.equal(done.redriveCount, 1);
  });
});
