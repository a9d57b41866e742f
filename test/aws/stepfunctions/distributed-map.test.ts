import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStateMachineCommand,
  DescribeMapRunCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  UpdateMapRunCommand,
} from '@aws-sdk/client-sfn';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../../../src/shared/clock.js';
import { rejection } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { ACCOUNT, ROLE, definition, historyTypes, settle, sfnClient, untilEvent } from './sfn-helpers.js';

function distributedMap(processor: Record<string, unknown>, fields: Record<string, unknown> = {}): string {
  return definition({
    Spread: {
      Type: 'Map', ItemsPath: '$.items', Label: 'spread', End: true, ...fields,
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: Object.keys(processor)[0], States: processor },
    },
  });
}

async function run(sfn: SFNClient, name: string, source: string, input: unknown): Promise<string> {
  const stateMachineArn = (await sfn.send(new CreateStateMachineCommand({ name, definition: source, roleArn: ROLE }))).stateMachineArn;
  return (await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }))).executionArn ?? '';
}

async function mapRunOf(sfn: SFNClient, executionArn: string): Promise<string> {
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  return history.events?.find((event) => event.type === 'MapRunStarted')?.mapRunStartedEventDetails?.mapRunArn ?? '';
}

describe('Distributed Map', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const nimbus = useNimbus({ clock });

  it('runs batches of selected items and describes the Map Run', async () => {
    const sfn = sfnClient(nimbus());
    const executionArn = await run(sfn, 'batcher', distributedMap(
      { Sum: { Type: 'Pass', Parameters: { 'count.$': 'States.ArrayLength($.Items)', 'tag.$': '$.BatchInput.tag' }, End: true } },
      { ItemSelector: { 'n.$': '$$.Map.Item.Value' }, ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { 'tag.$': '$.tag' } }, ToleratedFailurePercentage: 10 },
    ), { items: [1, 2, 3, 4, 5], tag: 'x' });
    const done = await settle(sfn, executionArn);
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    assert.deepEqual(JSON.parse(done.output ?? ''), [{ count: 2, tag: 'x' }, { count: 2, tag: 'x' }, { count: 1, tag: 'x' }]);
    assert.deepEqual(await historyTypes(sfn, executionArn), ['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);

    const mapRunArn = await mapRunOf(sfn, executionArn);
    assert.match(mapRunArn, new RegExp(`^arn:aws:states:us-east-1:${ACCOUNT}:mapRun:batcher/spread:[0-9a-f-]{36}$`));
    const described = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    assert.equal(described.status, 'SUCCEEDED');
    assert.equal(described.executionArn, executionArn);
    assert.deepEqual([described.maxConcurrency, described.toleratedFailureCount, described.toleratedFailurePercentage], [0, 0, 10]);
    assert.deepEqual(described.itemCounts, { pending: 0, running: 0, succeeded: 5, failed: 0, timedOut: 0, aborted: 0, total: 5, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 });
    assert.deepEqual(described.executionCounts, { pending: 0, running: 0, succeeded: 3, failed: 0, timedOut: 0, aborted: 0, total: 3, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 });
    assert.ok(described.stopDate instanceof Date);

    const listed = await sfn.send(new ListMapRunsCommand({ executionArn }));
    assert.deepEqual(listed.mapRuns?.map((item) => [item.mapRunArn, item.executionArn, item.stateMachineArn]), [[mapRunArn, executionArn, `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:batcher/spread`]]);
  });

  it('UpdateMapRun raises MaxConcurrency of a running Map Run', async () => {
    const sfn = sfnClient(nimbus());
    const executionArn = await run(sfn, 'slow', distributedMap({ Nap: { Type: 'Wait', Seconds: 10, End: true } }, { MaxConcurrency: 1 }), { items: [1, 2, 3] });
    await untilEvent(sfn, executionArn, 'MapRunStarted');
    const mapRunArn = await mapRunOf(sfn, executionArn);
    const running = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    assert.deepEqual([running.status, running.itemCounts?.running, running.itemCounts?.pending], ['RUNNING', 1, 2]);

    await sfn.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency: 5, toleratedFailureCount: 1 }));
    const updated = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    assert.deepEqual([updated.maxConcurrency, updated.toleratedFailureCount, updated.itemCounts?.running, updated.itemCounts?.pending], [5, 1, 3, 0]);

    clock.advance(10_000);
    assert.equal((await settle(sfn, executionArn)).status, 'SUCCEEDED');
    const late = await rejection(sfn.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency: 1 })));
    assert.deepEqual([late.name, late.message], ['ValidationException', `Map Run '${mapRunArn}' is SUCCEEDED and cannot be updated.`]);
  });

  it('fails the Map Run past the tolerated failures, and a redrive reruns only the failed items', async () => {
    const sfn = sfnClient(nimbus());
    const processor = { Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { 'TableName.$': '$.table', Item: { id: { 'S.$': '$.id' } } }, End: true } };
    const dynamodb = new DynamoDBClient(clientSettings(nimbus()));
    const table = (name: string): CreateTableCommand => new CreateTableCommand({ TableName: name, AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' });
    await dynamodb.send(table('present'));
    // One item at a time, so the failure of the second aborts nothing and leaves the third pending.
    const executionArn = await run(sfn, 'writer', distributedMap(processor, { MaxConcurrency: 1, ItemSelector: { 'table.$': '$$.Map.Item.Value.table', 'id.$': '$$.Map.Item.Value.id' } }), {
      items: [{ table: 'present', id: 'a' }, { table: 'later', id: 'b' }, { table: 'present', id: 'c' }],
    });
    const failed = await settle(sfn, executionArn);
    assert.deepEqual([failed.status, failed.error, failed.cause], ['FAILED', 'States.ExceedToleratedFailureThreshold', 'The specified tolerated failure threshold was exceeded']);
    const mapRunArn = await mapRunOf(sfn, executionArn);
    const history = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
    const mapRunFailed = history.find((event) => event.type === 'MapRunFailed');
    assert.deepEqual(mapRunFailed?.mapRunFailedEventDetails, { error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded' });
    const afterFailure = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    assert.deepEqual([afterFailure.status, afterFailure.itemCounts?.succeeded, afterFailure.itemCounts?.failed, afterFailure.itemCounts?.pending], ['FAILED', 1, 1, 1]);

    await dynamodb.send(table('later'));
    await sfn.send(new RedriveExecutionCommand({ executionArn }));
    const done = await settle(sfn, executionArn);
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    const types = await historyTypes(sfn, executionArn);
    assert.deepEqual(types.slice(types.indexOf('ExecutionRedriven')), ['ExecutionRedriven', 'MapRunRedriven', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
    const redriven = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    assert.deepEqual([redriven.status, redriven.redriveCount, redriven.itemCounts?.succeeded, redriven.itemCounts?.failed], ['SUCCEEDED', 1, 3, 0]);
    assert.ok(redriven.redriveDate instanceof Date);
  });

  const s3Cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['ItemReader', { ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'b', Key: 'items.json' } } }, 'States.ItemReaderFailed', /^The resource 'arn:aws:states:::s3:getObject' is an Amazon S3 integration, and Nimbus does not serve Amazon S3 yet\./],
    ['ResultWriter', { ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b', Prefix: 'out' } } }, 'States.ResultWriterFailed', /^The resource 'arn:aws:states:::s3:putObject' is an Amazon S3 integration/],
  ];
  for (const [name, fields, error, cause] of s3Cases) {
    it(`fails clearly with an S3 ${name}`, async () => {
      const sfn = sfnClient(nimbus());
      const executionArn = await run(sfn, name.toLowerCase(), distributedMap({ Echo: { Type: 'Pass', End: true } }, fields), { items: [1] });
      const failed = await settle(sfn, executionArn);
      assert.equal(failed.status, 'FAILED');
      assert.equal(failed.error, error);
      assert.match(failed.cause ?? '', cause);
    });
  }

  it('answers the Map Run API errors', async () => {
    const sfn = sfnClient(nimbus());
    const unknown = `arn:aws:states:us-east-1:${ACCOUNT}:mapRun:nothing/here:00000000-0000-0000-0000-000000000000`;
    const cases: [string, Promise<unknown>, string, string][] = [
      ['DescribeMapRun of an unknown run', sfn.send(new DescribeMapRunCommand({ mapRunArn: unknown })), 'ResourceNotFound', `Resource not found: '${unknown}'`],
      ['UpdateMapRun with nothing to change', sfn.send(new UpdateMapRunCommand({ mapRunArn: unknown })), 'ResourceNotFound', `Resource not found: '${unknown}'`],
      ['ListExecutions by an unknown Map Run', sfn.send(new ListExecutionsCommand({ mapRunArn: unknown })), 'ResourceNotFound', `Resource not found: '${unknown}'`],
      ['ListExecutions by a malformed Map Run ARN', sfn.send(new ListExecutionsCommand({ mapRunArn: `arn:aws:states:us-east-1:${ACCOUNT}:execution:nothing:here` })), 'InvalidArn', "Invalid Arn: 'Resource type not valid in this context: execution'"],
    ];
    for (const [label, call, name, message] of cases) {
      const error = await rejection(call);
      assert.deepEqual([error.name, error.message], [name, message], label);
    }
  });
});
