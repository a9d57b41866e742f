import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import type { StreamViewType } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { ManualClock } from '../../../src/shared/clock.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

describe('DynamoDB Streams through @aws-sdk/client-dynamodb-streams', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
  const nimbus = useNimbus({ clock });
  const ddb = (): DynamoDBClient => new DynamoDBClient(clientSettings(nimbus()));
  const streams = (): DynamoDBStreamsClient => new DynamoDBStreamsClient(clientSettings(nimbus()));

  async function tableWithStream(name: string, viewType: StreamViewType): Promise<string> {
    const created = await ddb().send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
      }),
    );
    return created.TableDescription!.LatestStreamArn!;
  }

  async function writeThree(name: string): Promise<void> {
    await ddb().send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, v: { N: '1' } } }));
    await ddb().send(new UpdateItemCommand({ TableName: name, Key: { pk: { S: 'a' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } }));
    await ddb().send(new DeleteItemCommand({ TableName: name, Key: { pk: { S: 'a' } } }));
  }

  async function readAll(arn: string, type: 'TRIM_HORIZON' | 'LATEST' = 'TRIM_HORIZON'): Promise<_Record[]> {
    const description = await streams().send(new DescribeStreamCommand({ StreamArn: arn }));
    const shardId = description.StreamDescription!.Shards![0].ShardId!;
    const iterator = await streams().send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: type }));
    const page = await streams().send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator! }));
    return page.Records ?? [];
  }

  const images: { viewType: StreamViewType; newImage: boolean; oldImage: boolean }[] = [
    { viewType: 'KEYS_ONLY', newImage: false, oldImage: false },
    { viewType: 'NEW_IMAGE', newImage: true, oldImage: false },
    { viewType: 'OLD_IMAGE', newImage: false, oldImage: true },
    { viewType: 'NEW_AND_OLD_IMAGES', newImage: true, oldImage: true },
  ];
  for (const { viewType, newImage, oldImage } of images) {
    it(`records INSERT, MODIFY and REMOVE with ${viewType}`, async () => {
      const arn = await tableWithStream('orders', viewType);
      await writeThree('orders');
      const records = await readAll(arn);
      assert.deepEqual(
        records.map((r) => r.eventName),
        ['INSERT', 'MODIFY', 'REMOVE'],
      );
      const [insert, modify, remove] = records as [_Record, _Record, _Record];
      for (const record of records) {
        assert.equal(record.eventVersion, '1.1');
        assert.equal(record.eventSource, 'aws:dynamodb');
        assert.equal(record.awsRegion, 'us-east-1');
        assert.match(record.eventID!, /^[0-9a-f]{32}$/);
        assert.deepEqual(record.dynamodb!.Keys, { pk: { S: 'a' } });
        assert.equal(record.dynamodb!.StreamViewType, viewType);
        assert.match(record.dynamodb!.SequenceNumber!, /^\d{21}$/);
        assert.equal(record.dynamodb!.ApproximateCreationDateTime!.getTime(), Math.floor(clock.now() / 1000) * 1000);
        assert.ok(record.dynamodb!.SizeBytes! > 0);
      }
      assert.ok(insert.dynamodb!.SequenceNumber! < modify.dynamodb!.SequenceNumber! && modify.dynamodb!.SequenceNumber! < remove.dynamodb!.SequenceNumber!);
      assert.deepEqual(insert.dynamodb!.NewImage, newImage ? { pk: { S: 'a' }, v: { N: '1' } } : undefined);
      assert.equal(insert.dynamodb!.OldImage, undefined);
      assert.deepEqual(modify.dynamodb!.NewImage, newImage ? { pk: { S: 'a' }, v: { N: '2' } } : undefined);
      assert.deepEqual(modify.dynamodb!.OldImage, oldImage ? { pk: { S: 'a' }, v: { N: '1' } } : undefined);
      assert.equal(remove.dynamodb!.NewImage, undefined);
      assert.deepEqual(remove.dynamodb!.OldImage, oldImage ? { pk: { S: 'a' }, v: { N: '2' } } : undefined);
    });
  }

  it('writes no record for an update that changes nothing', async () => {
    const arn = await tableWithStream('same', 'NEW_AND_OLD_IMAGES');
    await ddb().send(new PutItemCommand({ TableName: 'same', Item: { pk: { S: 'a' }, v: { N: '1' } } }));
    await ddb().send(new PutItemCommand({ TableName: 'same', Item: { pk: { S: 'a' }, v: { N: '1' } } }));
    await ddb().send(new UpdateItemCommand({ TableName: 'same', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }));
    assert.deepEqual(
      (await readAll(arn)).map((r) => r.eventName),
      ['INSERT'],
    );
  });

  it('lists and describes streams with their shard', async () => {
    const arn = await tableWithStream('listed', 'KEYS_ONLY');
    await tableWithStream('other', 'NEW_IMAGE');
    assert.match(arn, /^arn:aws:dynamodb:us-east-1:000000000000:table\/listed\/stream\/2026-01-02T03:04:05\.678$/);
    const all = await streams().send(new ListStreamsCommand({}));
    assert.deepEqual(
      all.Streams!.map((s) => s.TableName),
      ['listed', 'other'],
    );
    const first = await streams().send(new ListStreamsCommand({ Limit: 1 }));
    assert.equal(first.LastEvaluatedStreamArn, arn);
    const rest = await streams().send(new ListStreamsCommand({ Limit: 1, ExclusiveStartStreamArn: first.LastEvaluatedStreamArn }));
    assert.deepEqual(
      rest.Streams!.map((s) => s.TableName),
      ['other'],
    );
    assert.equal(rest.LastEvaluatedStreamArn, undefined);
    const filtered = await streams().send(new ListStreamsCommand({ TableName: 'listed' }));
    assert.deepEqual(filtered.Streams, [{ StreamArn: arn, TableName: 'listed', StreamLabel: '2026-01-02T03:04:05.678' }]);

    await ddb().send(new PutItemCommand({ TableName: 'listed', Item: { pk: { S: 'a' } } }));
    const { StreamDescription: description } = await streams().send(new DescribeStreamCommand({ StreamArn: arn }));
    assert.equal(description!.StreamStatus, 'ENABLED');
    assert.equal(description!.StreamViewType, 'KEYS_ONLY');
    assert.equal(description!.TableName, 'listed');
    assert.deepEqual(description!.KeySchema, [{ AttributeName: 'pk', KeyType: 'HASH' }]);
    assert.equal(description!.Shards!.length, 1);
    const shard = description!.Shards![0];
    assert.match(shard.ShardId!, /^shardId-\d{20}-[0-9a-f]{8}$/);
    assert.match(shard.SequenceNumberRange!.StartingSequenceNumber!, /^\d{21}$/);
    assert.equal(shard.SequenceNumberRange!.EndingSequenceNumber, undefined);
  });

  it('positions iterators at TRIM_HORIZON, LATEST, AT_ and AFTER_SEQUENCE_NUMBER', async () => {
    const arn = await tableWithStream('positions', 'KEYS_ONLY');
    await writeThree('positions');
    const all = await readAll(arn);
    const sequence = all.map((r) => r.dynamodb!.SequenceNumber!);
    const { StreamDescription: description } = await streams().send(new DescribeStreamCommand({ StreamArn: arn }));
    const shardId = description!.Shards![0].ShardId!;
    const read = async (type: 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER' | 'LATEST', sequenceNumber?: string) => {
      const iterator = await streams().send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: type, SequenceNumber: sequenceNumber }));
      return streams().send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator! }));
    };
    const at = await read('AT_SEQUENCE_NUMBER', sequence[1]);
    assert.deepEqual(
      at.Records!.map((r) => r.eventName),
      ['MODIFY', 'REMOVE'],
    );
    const after = await read('AFTER_SEQUENCE_NUMBER', sequence[1]);
    assert.deepEqual(
      after.Records!.map((r) => r.eventName),
      ['REMOVE'],
    );
    const latest = await read('LATEST');
    assert.deepEqual(latest.Records, []);
    await ddb().send(new PutItemCommand({ TableName: 'positions', Item: { pk: { S: 'b' } } }));
    const next = await streams().send(new GetRecordsCommand({ ShardIterator: latest.NextShardIterator! }));
    assert.deepEqual(
      next.Records!.map((r) => r.dynamodb!.Keys),
      [{ pk: { S: 'b' } }],
    );

    const limited = await streams().send(new GetRecordsCommand({ ShardIterator: (await streams().send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!, Limit: 2 }));
    assert.equal(limited.Records!.length, 2);
    const rest = await streams().send(new GetRecordsCommand({ ShardIterator: limited.NextShardIterator! }));
    assert.equal(rest.Records!.length, 2);
  });

  it('expires iterators after 15 minutes and trims records after 24 hours', async () => {
    const arn = await tableWithStream('aging', 'KEYS_ONLY');
    await ddb().send(new PutItemCommand({ TableName: 'aging', Item: { pk: { S: 'old' } } }));
    const { StreamDescription: description } = await streams().send(new DescribeStreamCommand({ StreamArn: arn }));
    const shardId = description!.Shards![0].ShardId!;
    const oldSequence = (await readAll(arn))[0].dynamodb!.SequenceNumber!;
    const iterator = await streams().send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
    clock.advance(15 * 60 * 1000 + 1);
    await assert.rejects(streams().send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator! })), (error: Error & { $metadata: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'ExpiredIteratorException');
      assert.equal(error.message, 'Iterator expired. The iterator was created over 15 minutes ago.');
      assert.equal(error.$metadata.httpStatusCode, 400);
      return true;
    });
    clock.advance(24 * 60 * 60 * 1000);
    await ddb().send(new PutItemCommand({ TableName: 'aging', Item: { pk: { S: 'new' } } }));
    assert.deepEqual(
      (await readAll(arn)).map((r) => r.dynamodb!.Keys),
      [{ pk: { S: 'new' } }],
    );
    await assert.rejects(streams().send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: oldSequence })), { name: 'TrimmedDataAccessException' });
  });

  it('names the DynamoDB service as userIdentity of a Time to Live deletion', async () => {
    const arn = await tableWithStream('expiring', 'OLD_IMAGE');
    await ddb().send(new UpdateTimeToLiveCommand({ TableName: 'expiring', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    await ddb().send(new PutItemCommand({ TableName: 'expiring', Item: { pk: { S: 'a' }, expires: { N: String(Math.floor(clock.now() / 1000) + 60) } } }));
    await ddb().send(new DeleteItemCommand({ TableName: 'expiring', Key: { pk: { S: 'a' } } }));
    await ddb().send(new PutItemCommand({ TableName: 'expiring', Item: { pk: { S: 'b' }, expires: { N: String(Math.floor(clock.now() / 1000) + 60) } } }));
    clock.advance(10 * 60 * 1000);
    const records = await readAll(arn);
    assert.deepEqual(
      records.map((r) => [r.eventName, r.dynamodb!.Keys!.pk.S, r.userIdentity]),
      [
        ['INSERT', 'a', undefined],
        ['REMOVE', 'a', undefined],
        ['INSERT', 'b', undefined],
        ['REMOVE', 'b', { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' }],
      ],
    );
  });

  it('answers ResourceNotFoundException for an unknown stream', async () => {
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/missing/stream/2026-01-01T00:00:00.000';
    await assert.rejects(streams().send(new DescribeStreamCommand({ StreamArn: arn })), (error: Error & { $metadata: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'ResourceNotFoundException');
      assert.equal(error.message, `Requested resource not found: Stream: ${arn} not found`);
      assert.equal(error.$metadata.httpStatusCode, 400);
      return true;
    });
    const real = await tableWithStream('present', 'KEYS_ONLY');
    await assert.rejects(streams().send(new GetShardIteratorCommand({ StreamArn: real, ShardId: 'shardId-00000000000000000000-00000000', ShardIteratorType: 'LATEST' })), {
      name: 'ResourceNotFoundException',
      message: 'Requested resource not found: Shard does not exist',
    });
  });
});

describe('DynamoDB Streams through the AWS CLI and boto3', () => {
  const nimbus = useNimbus();
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

  async function streamWithTwoRecords(): Promise<string> {
    const ddb = new DynamoDBClient(clientSettings(nimbus()));
    const created = await ddb.send(
      new CreateTableCommand({
        TableName: 'wire',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    await ddb.send(new PutItemCommand({ TableName: 'wire', Item: { pk: { S: 'a' }, blob: { B: Buffer.from('hi') } } }));
    await ddb.send(new DeleteItemCommand({ TableName: 'wire', Key: { pk: { S: 'a' } } }));
    return created.TableDescription!.LatestStreamArn!;
  }

  it('reads a stream with the AWS CLI', async () => {
    const arn = await streamWithTwoRecords();
    const listed = JSON.parse(await exec('aws', ['dynamodbstreams', 'list-streams', '--table-name', 'wire'])) as { Streams: { StreamArn: string }[] };
    assert.deepEqual(
      listed.Streams.map((s) => s.StreamArn),
      [arn],
    );
    const described = JSON.parse(await exec('aws', ['dynamodbstreams', 'describe-stream', '--stream-arn', arn])) as { StreamDescription: { Shards: { ShardId: string }[] } };
    const shardId = described.StreamDescription.Shards[0].ShardId;
    const iterator = JSON.parse(await exec('aws', ['dynamodbstreams', 'get-shard-iterator', '--stream-arn', arn, '--shard-id', shardId, '--shard-iterator-type', 'TRIM_HORIZON'])) as { ShardIterator: string };
    const page = JSON.parse(await exec('aws', ['dynamodbstreams', 'get-records', '--shard-iterator', iterator.ShardIterator])) as { Records: { eventName: string; dynamodb: { NewImage?: unknown } }[] };
    assert.deepEqual(
      page.Records.map((r) => r.eventName),
      ['INSERT', 'REMOVE'],
    );
    assert.deepEqual(page.Records[0].dynamodb.NewImage, { pk: { S: 'a' }, blob: { B: Buffer.from('hi').toString('base64') } });
  });

  it('reads a stream with boto3', async () => {
    const arn = await streamWithTwoRecords();
    const script = `
import json, sys, boto3
client = boto3.client('dynamodbstreams')
arn = sys.argv[1]
shard = client.describe_stream(StreamArn=arn)['StreamDescription']['Shards'][0]['ShardId']
iterator = client.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType='TRIM_HORIZON')['ShardIterator']
records = client.get_records(ShardIterator=iterator, Limit=1)
rest = client.get_records(ShardIterator=records['NextShardIterator'])
try:
    client.describe_stream(StreamArn=arn + 'x')
    error = None
except client.exceptions.ResourceNotFoundException as e:
    error = e.response['Error']['Code']
print(json.dumps({
    'first': [r['eventName'] for r in records['Records']],
    'blob': records['Records'][0]['dynamodb']['NewImage']['blob']['B'].decode(),
    'created': records['Records'][0]['dynamodb']['ApproximateCreationDateTime'].year > 2000,
    'rest': [r['eventName'] for r in rest['Records']],
    'error': error,
}))
`;
    const result = JSON.parse(await exec('python3', ['-c', script, arn])) as Record<string, unknown>;
    assert.deepEqual(result, { first: ['INSERT'], blob: 'hi', created: true, rest: ['REMOVE'], error: 'ResourceNotFoundException' });
  });
});
