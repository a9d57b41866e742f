import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { ManualClock } from '../../../src/shared/clock.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

const HOUR = 60 * 60 * 1000;

// A disabled stream's records stay readable for 24 hours
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html#Streams.Enabling).
describe('DynamoDB Streams: a disabled stream', () => {
  const clock = new ManualClock(Date.UTC(2026, 2, 4, 5, 6, 7, 890));
  const nimbus = useNimbus({ clock });
  const ddb = (): DynamoDBClient => new DynamoDBClient(clientSettings(nimbus()));
  const streams = (): DynamoDBStreamsClient => new DynamoDBStreamsClient(clientSettings(nimbus()));

  async function disabledStreamWithTwoRecords(): Promise<string> {
    const created = await ddb().send(
      new CreateTableCommand({
        TableName: 'ledger',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    await ddb().send(new PutItemCommand({ TableName: 'ledger', Item: { pk: { S: 'a' }, v: { N: '1' } } }));
    await ddb().send(new PutItemCommand({ TableName: 'ledger', Item: { pk: { S: 'b' }, v: { N: '2' } } }));
    clock.advance(HOUR);
    await ddb().send(new UpdateTableCommand({ TableName: 'ledger', StreamSpecification: { StreamEnabled: false } }));
    return created.TableDescription!.LatestStreamArn!;
  }

  async function readFromTrimHorizon(arn: string): Promise<string[]> {
    const { StreamDescription: description } = await streams().send(new DescribeStreamCommand({ StreamArn: arn }));
    const iterator = await streams().send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: description!.Shards![0].ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
    const page = await streams().send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator! }));
    return (page.Records ?? []).map((r) => `${r.eventName!}:${r.dynamodb!.NewImage!.pk.S!}`);
  }

  it('is DISABLED with a closed shard and still serves its records', async () => {
    const arn = await disabledStreamWithTwoRecords();
    // Writes after disabling are not recorded.
    await ddb().send(new PutItemCommand({ TableName: 'ledger', Item: { pk: { S: 'c' } } }));
    const { StreamDescription: description } = await streams().send(new DescribeStreamCommand({ StreamArn: arn }));
    assert.equal(description!.StreamStatus, 'DISABLED');
    assert.equal(description!.StreamViewType, 'NEW_IMAGE');
    const range = description!.Shards![0].SequenceNumberRange!;
    assert.ok(range.EndingSequenceNumber !== undefined && range.EndingSequenceNumber > range.StartingSequenceNumber!);
    assert.deepEqual(await readFromTrimHorizon(arn), ['INSERT:a', 'INSERT:b']);
    const listed = await streams().send(new ListStreamsCommand({ TableName: 'ledger' }));
    assert.deepEqual(listed.Streams?.map((s) => s.StreamArn), [arn]);
    const { Table: table } = await ddb().send(new DescribeTableCommand({ TableName: 'ledger' }));
    assert.equal(table!.LatestStreamArn, arn);
    assert.deepEqual(table!.StreamSpecification, { StreamEnabled: false, StreamViewType: 'NEW_IMAGE' });
  });

  it('stays readable until 24 hours after it was disabled, then is gone', async () => {
    const arn = await disabledStreamWithTwoRecords();
    // 23 hours after disabling the records are 24 hours old: the ones written an hour before disabling
    // are at the edge of retention but still there.
    clock.advance(23 * HOUR - 1);
    assert.deepEqual(await readFromTrimHorizon(arn), ['INSERT:a', 'INSERT:b']);
    clock.advance(HOUR + 1);
    await assert.rejects(streams().send(new DescribeStreamCommand({ StreamArn: arn })), (error: Error & { $metadata: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'ResourceNotFoundException');
      assert.equal(error.message, `Requested resource not found: Stream: ${arn} not found`);
      assert.equal(error.$metadata.httpStatusCode, 400);
      return true;
    });
    const { Table: table } = await ddb().send(new DescribeTableCommand({ TableName: 'ledger' }));
    assert.equal(table!.LatestStreamArn, undefined);
    assert.equal(table!.StreamSpecification, undefined);
  });

  it('is replaced by a new stream when the table enables one again', async () => {
    const arn = await disabledStreamWithTwoRecords();
    clock.advance(1000);
    const updated = await ddb().send(new UpdateTableCommand({ TableName: 'ledger', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
    const next = updated.TableDescription!.LatestStreamArn!;
    assert.notEqual(next, arn);
    await ddb().send(new PutItemCommand({ TableName: 'ledger', Item: { pk: { S: 'd' } } }));
    assert.deepEqual(await readFromTrimHorizon(next), ['INSERT:d']);
  });
});
