import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  UpdateMapRunCommand,
} from '@aws-sdk/client-sfn';
import type { ExecutionListItem, SFNClient } from '@aws-sdk/client-sfn';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../../../src/shared/clock.js';
import { rejection } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { ACCOUNT, ROLE, definition, historyTypes, settle, sfnClient, untilEvent } from './sfn-helpers.js';

function distributedMap(processor: Record<string, unknown>, fields: Record<string, unknown> = {}, executionType = 'STANDARD'): string {
  return definition({
    Spread: {
      Type: 'Map', ItemsPath: '$.items', Label: 'spread', End: true, ...fields,
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: executionType }, StartAt: Object.keys(processor)[0], States: processor },
    },
  });
}

async function run(sfn: SFNClient, name: string, source: string, input: unknown): Promise<{ stateMachineArn: string; executionArn: string }> {
  const stateMachineArn = (await sfn.send(new CreateStateMachineCommand({ name, definition: source, roleArn: ROLE }))).stateMachineArn ?? '';
  const executionArn = (await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }))).executionArn ?? '';
  return { stateMachineArn, executionArn };
}

async function mapRunOf(sfn: SFNClient, executionArn: string): Promise<string> {
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  return history.events?.find((event) => event.type === 'MapRunStarted')?.mapRunStartedEventDetails?.mapRunArn ?? '';
}

/** The Map Run's children, newest first: children started together tie on startDate and then order by ARN (random), so tests compare sets. */
async function childrenOf(sfn: SFNClient, mapRunArn: string): Promise<ExecutionListItem[]> {
  return (await sfn.send(new ListExecutionsCommand({ mapRunArn }))).executions ?? [];
}

/** Children sorted by their input, which is what tells them apart. */
async function describeChildren(sfn: SFNClient, mapRunArn: string): Promise<{ executionArn: string; input: string; status: string; redriveCount: number }[]> {
  const described = await Promise.all((await childrenOf(sfn, mapRunArn)).map((child) => sfn.send(new DescribeExecutionCommand({ executionArn: child.executionArn }))));
  return described
    .map((child) => ({ executionArn: child.executionArn ?? '', input: child.input ?? '', status: child.status ?? '', redriveCount: child.redriveCount ?? 0 }))
    .sort((a, b) => a.input.localeCompare(b.input));
}

describe('Distributed Map child workflow executions', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const nimbus = useNimbus({ clock });

  it('lists each batch as a child execution with its own input, output and history', async () => {
    const sfn = sfnClient(nimbus());
    const { stateMachineArn, executionArn } = await run(sfn, 'batcher', distributedMap(
      { Count: { Type: 'Pass', Parameters: { 'count.$': 'States.ArrayLength($.Items)' }, End: true } },
      { ItemBatcher: { MaxItemsPerBatch: 2 } },
    ), { items: [1, 2, 3, 4, 5] });
    assert.equal((await settle(sfn, executionArn)).status, 'SUCCEEDED');
    const mapRunArn = await mapRunOf(sfn, executionArn);

    const children = await childrenOf(sfn, mapRunArn);
    const childMachine = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:batcher/spread`;
    assert.equal(children.length, 3);
    for (const child of children) {
      assert.match(child.executionArn ?? '', new RegExp(`^arn:aws:states:us-east-1:${ACCOUNT}:execution:batcher/spread:[0-9a-f-]{36}$`));
      assert.deepEqual([child.stateMachineArn, child.mapRunArn, child.status, child.name], [childMachine, mapRunArn, 'SUCCEEDED', child.executionArn?.split(':').at(-1)]);
    }
    assert.deepEqual(children.map((child) => child.itemCount).sort(), [1, 2, 2]);

    const described = await Promise.all(children.map((child) => sfn.send(new DescribeExecutionCommand({ executionArn: child.executionArn }))));
    assert.deepEqual(described.map((child) => [child.input, child.output]).sort(), [
      ['{"Items":[1,2]}', '{"count":2}'], ['{"Items":[3,4]}', '{"count":2}'], ['{"Items":[5]}', '{"count":1}'],
    ]);
    assert.deepEqual([described[0].mapRunArn, described[0].stateMachineArn, described[0].redriveStatus], [mapRunArn, childMachine, 'NOT_REDRIVABLE']);

    const history = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: children[0].executionArn }))).events ?? [];
    assert.deepEqual(history.map((event) => [event.id, event.previousEventId, event.type]), [
      [1, 0, 'ExecutionStarted'], [2, 0, 'PassStateEntered'], [3, 2, 'PassStateExited'], [4, 3, 'ExecutionSucceeded'],
    ]);
    assert.equal(history[0].executionStartedEventDetails?.roleArn, ROLE);

    const machine = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: children[0].executionArn }));
    assert.deepEqual([machine.stateMachineArn, machine.mapRunArn, machine.label], [childMachine, mapRunArn, 'spread']);
    assert.equal((JSON.parse(machine.definition ?? '{}') as { StartAt?: string }).StartAt, 'Count');
    // The configuration is the parent's state machine's.
    const parentMachine = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    assert.deepEqual([machine.revisionId, machine.updateDate?.getTime()], [parentMachine.revisionId, parentMachine.creationDate?.getTime()]);

    // The children are not executions of the parent's state machine.
    const parentListing = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    assert.deepEqual(parentListing.executions?.map((item) => [item.executionArn, item.mapRunArn, item.itemCount]), [[executionArn, undefined, undefined]]);
  });

  it('keeps no Express children, yet counts them in the Map Run', async () => {
    const sfn = sfnClient(nimbus());
    const { executionArn } = await run(sfn, 'quick', distributedMap({ Echo: { Type: 'Pass', End: true } }, {}, 'EXPRESS'), { items: ['a', 'b'] });
    assert.equal((await settle(sfn, executionArn)).status, 'SUCCEEDED');
    const mapRunArn = await mapRunOf(sfn, executionArn);
    assert.deepEqual(await childrenOf(sfn, mapRunArn), []);
    const counts = (await sfn.send(new DescribeMapRunCommand({ mapRunArn }))).executionCounts;
    assert.deepEqual([counts?.succeeded, counts?.total], [2, 2]);
  });

  it('stops one child on its own, then aborts the rest when the parent stops', async () => {
    const sfn = sfnClient(nimbus());
    const { executionArn } = await run(sfn, 'sleepers', distributedMap({ Nap: { Type: 'Wait', Seconds: 60, End: true } }, { MaxConcurrency: 2, ToleratedFailureCount: 1 }), { items: [1, 2, 3] });
    await untilEvent(sfn, executionArn, 'MapRunStarted');
    const mapRunArn = await mapRunOf(sfn, executionArn);
    const first = await childrenOf(sfn, mapRunArn);
    assert.deepEqual(first.map((child) => child.status), ['RUNNING', 'RUNNING']);

    // The stopped child frees its slot: the third item starts, and one stopped child is within the tolerance.
    const stop = await sfn.send(new StopExecutionCommand({ executionArn: first[0].executionArn, error: 'Operator', cause: 'not needed' }));
    assert.ok(stop.stopDate instanceof Date);
    const stoppedChild = await sfn.send(new DescribeExecutionCommand({ executionArn: first[0].executionArn }));
    assert.deepEqual([stoppedChild.status, stoppedChild.error, stoppedChild.cause, stoppedChild.redriveStatus], ['ABORTED', 'Operator', 'not needed', 'REDRIVABLE_BY_MAP_RUN']);
    const childHistory = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: first[0].executionArn }))).events ?? [];
    assert.deepEqual(childHistory.map((event) => event.type), ['ExecutionStarted', 'WaitStateEntered', 'WaitStateAborted', 'ExecutionAborted']);
    assert.deepEqual(childHistory[3].executionAbortedEventDetails, { error: 'Operator', cause: 'not needed' });
    const afterOne = await childrenOf(sfn, mapRunArn);
    assert.deepEqual(afterOne.map((child) => child.status).sort(), ['ABORTED', 'RUNNING', 'RUNNING']);
    const partly = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    assert.deepEqual([partly.status, partly.executionCounts?.aborted, partly.executionCounts?.running, partly.executionCounts?.pending], ['RUNNING', 1, 2, 0]);

    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Enough', cause: 'test' }));
    assert.equal((await settle(sfn, executionArn)).status, 'ABORTED');
    const mapRun = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    assert.deepEqual([mapRun.status, mapRun.executionCounts?.aborted, mapRun.executionCounts?.running], ['ABORTED', 3, 0]);
    const stopped = await childrenOf(sfn, mapRunArn);
    assert.deepEqual(stopped.map((child) => child.status), ['ABORTED', 'ABORTED', 'ABORTED']);
    assert.ok(stopped.every((child) => child.stopDate instanceof Date));
    const byParent = stopped.find((child) => child.executionArn !== first[0].executionArn);
    assert.deepEqual(await historyTypes(sfn, byParent?.executionArn ?? ''), ['ExecutionStarted', 'WaitStateEntered', 'WaitStateAborted', 'ExecutionAborted']);
    const aborted = await sfn.send(new ListExecutionsCommand({ mapRunArn, statusFilter: 'ABORTED' }));
    assert.equal(aborted.executions?.length, 3);
  });

  it('settles a stopped child as an unsuccessful item within the tolerance', async () => {
    const sfn = sfnClient(nimbus());
    const { executionArn } = await run(sfn, 'tolerant', distributedMap({ Nap: { Type: 'Wait', Seconds: 60, End: true } }, { ToleratedFailureCount: 1 }), { items: ['a', 'b'] });
    await untilEvent(sfn, executionArn, 'MapRunStarted');
    const mapRunArn = await mapRunOf(sfn, executionArn);
    const [child] = await describeChildren(sfn, mapRunArn);
    await sfn.send(new StopExecutionCommand({ executionArn: child.executionArn, error: 'Operator', cause: 'skip a' }));
    clock.advance(60_000);
    const done = await settle(sfn, executionArn);
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    assert.deepEqual(JSON.parse(done.output ?? ''), [{ Error: 'Operator', Cause: 'skip a' }, 'b']);
    const counts = (await sfn.send(new DescribeMapRunCommand({ mapRunArn }))).executionCounts;
    assert.deepEqual([counts?.succeeded, counts?.aborted, counts?.failed], [1, 1, 0]);
  });

  it('starts more children at once after UpdateMapRun raises MaxConcurrency', async () => {
    const sfn = sfnClient(nimbus());
    const { executionArn } = await run(sfn, 'widened', distributedMap({ Nap: { Type: 'Wait', Seconds: 10, End: true } }, { MaxConcurrency: 1 }), { items: [1, 2, 3] });
    await untilEvent(sfn, executionArn, 'MapRunStarted');
    const mapRunArn = await mapRunOf(sfn, executionArn);
    assert.equal((await childrenOf(sfn, mapRunArn)).length, 1);
    await sfn.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency: 3 }));
    assert.deepEqual((await childrenOf(sfn, mapRunArn)).map((child) => child.status), ['RUNNING', 'RUNNING', 'RUNNING']);
    clock.advance(10_000);
    assert.equal((await settle(sfn, executionArn)).status, 'SUCCEEDED');
    assert.deepEqual((await childrenOf(sfn, mapRunArn)).map((child) => child.status), ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  });

  it('redrives only the failed children, under their own ARNs, when the parent is redriven', async () => {
    const sfn = sfnClient(nimbus());
    // The second item writes to a table that does not exist yet: its child fails until the table is there.
    const processor = { Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { 'TableName.$': '$.table', Item: { id: { 'S.$': '$.id' } } }, End: true } };
    const dynamodb = new DynamoDBClient(clientSettings(nimbus()));
    const table = (name: string): CreateTableCommand => new CreateTableCommand({ TableName: name, AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' });
    await dynamodb.send(table('present'));
    const { executionArn } = await run(sfn, 'writer', distributedMap(processor), { items: [{ table: 'present', id: 'a' }, { table: 'later', id: 'b' }] });
    const failed = await settle(sfn, executionArn);
    assert.equal(failed.status, 'FAILED');
    const mapRunArn = await mapRunOf(sfn, executionArn);
    const before = await describeChildren(sfn, mapRunArn);
    assert.deepEqual(before.map((child) => [child.input, child.status]), [['{"table":"later","id":"b"}', 'FAILED'], ['{"table":"present","id":"a"}', 'SUCCEEDED']]);
    const failedChild = await sfn.send(new DescribeExecutionCommand({ executionArn: before[0].executionArn }));
    assert.deepEqual([failedChild.error, failedChild.redriveStatus], ['DynamoDB.ResourceNotFoundException', 'REDRIVABLE_BY_MAP_RUN']);
    const direct = await rejection(sfn.send(new RedriveExecutionCommand({ executionArn: before[0].executionArn })));
    assert.deepEqual([direct.name, direct.message], ['ExecutionNotRedrivable', 'Execution cannot be redriven: a Map Run child execution is redriven by redriving its parent execution.']);

    await dynamodb.send(table('later'));
    clock.advance(1000);
    await sfn.send(new RedriveExecutionCommand({ executionArn }));
    const done = await settle(sfn, executionArn);
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    const after = await describeChildren(sfn, mapRunArn);
    assert.deepEqual(after.map((child) => [child.executionArn, child.status, child.redriveCount]), [
      [before[0].executionArn, 'SUCCEEDED', 1], [before[1].executionArn, 'SUCCEEDED', 0],
    ]);
    const rerun = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: before[0].executionArn }))).events ?? [];
    const redriven = rerun.findIndex((event) => event.type === 'ExecutionRedriven');
    assert.deepEqual(rerun.slice(redriven - 2, redriven + 2).map((event) => event.type), ['TaskFailed', 'ExecutionFailed', 'ExecutionRedriven', 'TaskStateEntered']);
    assert.deepEqual([rerun[redriven].executionRedrivenEventDetails, rerun[redriven + 1].previousEventId], [{ redriveCount: 1 }, rerun[redriven].id]);
    assert.deepEqual(rerun.at(-1)?.type, 'ExecutionSucceeded');
    assert.deepEqual(rerun.map((event) => event.id), rerun.map((_, i) => i + 1));
    const mapRun = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    assert.deepEqual([mapRun.status, mapRun.executionCounts?.succeeded, mapRun.executionCounts?.failed, mapRun.redriveCount], ['SUCCEEDED', 2, 0, 1]);
  });
});
