import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeEndpointsCommand,
  DescribeLimitsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  QueryCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../../../src/shared/clock.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

async function rejects(promise: Promise<unknown>, name: string, message: string | RegExp, status = 400): Promise<void> {
  await assert.rejects(promise, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, name);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    assert.equal(error.$metadata?.httpStatusCode, status);
    return true;
  });
}

const simple = (TableName: string): CreateTableCommandInput => ({
  TableName,
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
});

describe('DynamoDB tables', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const nimbus = useNimbus({ clock });
  const ddb = (): DynamoDBClient => new DynamoDBClient(clientSettings(nimbus()));

  it('creates a table (CREATING in the response), then describes it ACTIVE with indexes', async () => {
    const created = await ddb().send(
      new CreateTableCommand({
        TableName: 'orders',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
          { AttributeName: 'lsiKey', AttributeType: 'S' },
          { AttributeName: 'gsiKey', AttributeType: 'B' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        LocalSecondaryIndexes: [
          { IndexName: 'byLsi', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'lsiKey', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byGsi',
            KeySchema: [{ AttributeName: 'gsiKey', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
            ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
          },
        ],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 6 },
        Tags: [{ Key: 'team', Value: 'core' }],
      }),
    );
    const description = created.TableDescription!;
    assert.equal(description.TableStatus, 'CREATING');
    assert.equal(description.TableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/orders');
    assert.match(description.TableId!, /^[0-9a-f-]{36}$/);
    assert.deepEqual(description.CreationDateTime, new Date(Date.UTC(2026, 0, 1)));

    const { Table: table } = await ddb().send(new DescribeTableCommand({ TableName: 'orders' }));
    assert.equal(table!.TableStatus, 'ACTIVE');
    assert.equal(table!.ItemCount, 0);
    assert.equal(table!.TableSizeBytes, 0);
    assert.equal(table!.ProvisionedThroughput!.ReadCapacityUnits, 5);
    assert.equal(table!.LocalSecondaryIndexes![0].IndexArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/orders/index/byLsi');
    assert.equal(table!.GlobalSecondaryIndexes![0].IndexStatus, 'ACTIVE');
    assert.deepEqual(table!.GlobalSecondaryIndexes![0].Projection, { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] });
    assert.equal(table!.GlobalSecondaryIndexes![0].ProvisionedThroughput!.WriteCapacityUnits, 3);

    await ddb().send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'a' }, sk: { N: '1' }, lsiKey: { S: 'x' } } }));
    const after = await ddb().send(new DescribeTableCommand({ TableName: 'orders' }));
    assert.equal(after.Table!.ItemCount, 1);
    assert.equal(after.Table!.LocalSecondaryIndexes![0].ItemCount, 1);
    assert.equal(after.Table!.GlobalSecondaryIndexes![0].ItemCount, 0);
  });

  const invalid = 'One or more parameter values were invalid: ';
  const cases: { name: string; input: Partial<CreateTableCommandInput>; message: string }[] = [
    {
      name: 'an undefined key attribute',
      input: { AttributeDefinitions: [{ AttributeName: 'other', AttributeType: 'S' }] },
      message: `${invalid}Some index key attributes are not defined in AttributeDefinitions. Keys: [pk], AttributeDefinitions: [other]`,
    },
    {
      name: 'an extra attribute definition',
      input: { AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'extra', AttributeType: 'S' }] },
      message: `${invalid}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`,
    },
    {
      name: 'a RANGE key first',
      input: { KeySchema: [{ AttributeName: 'pk', KeyType: 'RANGE' }] },
      message: 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type',
    },
    {
      name: 'PROVISIONED without throughput',
      input: { BillingMode: 'PROVISIONED' },
      message: 'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    },
    {
      name: 'PAY_PER_REQUEST with throughput',
      input: { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
      message: `${invalid}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`,
    },
    {
      name: 'an LSI on a hash-only table',
      input: {
        LocalSecondaryIndexes: [{ IndexName: 'lsi', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'pk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
      },
      message: `${invalid}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`,
    },
    {
      name: 'INCLUDE without NonKeyAttributes',
      input: { GlobalSecondaryIndexes: [{ IndexName: 'gsi', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE' } }] },
      message: `${invalid}ProjectionType is INCLUDE, but NonKeyAttributes is not specified`,
    },
  ];
  for (const { name, input, message } of cases) {
    it(`rejects ${name}`, async () => {
      await rejects(ddb().send(new CreateTableCommand({ ...simple('bad'), ...input })), 'ValidationException', message);
    });
  }

  it('answers ResourceInUseException and ResourceNotFoundException with DynamoDB messages', async () => {
    await ddb().send(new CreateTableCommand(simple('table1')));
    await rejects(ddb().send(new CreateTableCommand(simple('table1'))), 'ResourceInUseException', 'Table already exists: table1');
    await rejects(ddb().send(new DescribeTableCommand({ TableName: 'missing' })), 'ResourceNotFoundException', 'Requested resource not found: Table: missing not found');
    await rejects(ddb().send(new GetItemCommand({ TableName: 'missing', Key: { pk: { S: 'a' } } })), 'ResourceNotFoundException', 'Requested resource not found');
    const deleted = await ddb().send(new DeleteTableCommand({ TableName: 'table1' }));
    assert.equal(deleted.TableDescription!.TableStatus, 'DELETING');
    await rejects(ddb().send(new DeleteTableCommand({ TableName: 'table1' })), 'ResourceNotFoundException', 'Requested resource not found: Table: table1 not found');
  });

  it('lists tables in pages', async () => {
    for (const name of ['ccc', 'aaa', 'bbb']) await ddb().send(new CreateTableCommand(simple(name)));
    const first = await ddb().send(new ListTablesCommand({ Limit: 2 }));
    assert.deepEqual(first.TableNames, ['aaa', 'bbb']);
    assert.equal(first.LastEvaluatedTableName, 'bbb');
    const second = await ddb().send(new ListTablesCommand({ ExclusiveStartTableName: 'bbb' }));
    assert.deepEqual(second.TableNames, ['ccc']);
    assert.equal(second.LastEvaluatedTableName, undefined);
  });

  it('updates billing mode and adds a GSI with backfill, then deletes it', async () => {
    await ddb().send(new CreateTableCommand(simple('users')));
    await ddb().send(new PutItemCommand({ TableName: 'users', Item: { pk: { S: '1' }, colour: { S: 'red' } } }));
    await ddb().send(new PutItemCommand({ TableName: 'users', Item: { pk: { S: '2' } } }));
    const updated = await ddb().send(
      new UpdateTableCommand({
        TableName: 'users',
        AttributeDefinitions: [{ AttributeName: 'colour', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byColour', KeySchema: [{ AttributeName: 'colour', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
      }),
    );
    assert.equal(updated.TableDescription!.TableStatus, 'UPDATING');
    const found = await ddb().send(
      new QueryCommand({ TableName: 'users', IndexName: 'byColour', KeyConditionExpression: 'colour = :c', ExpressionAttributeValues: { ':c': { S: 'red' } } }),
    );
    assert.deepEqual(found.Items, [{ pk: { S: '1' }, colour: { S: 'red' } }]);

    await ddb().send(new UpdateTableCommand({ TableName: 'users', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 8 }, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byColour' } }] }));
    const { Table: table } = await ddb().send(new DescribeTableCommand({ TableName: 'users' }));
    assert.equal(table!.GlobalSecondaryIndexes, undefined);
    assert.equal(table!.ProvisionedThroughput!.WriteCapacityUnits, 8);
    await rejects(
      ddb().send(new QueryCommand({ TableName: 'users', IndexName: 'byColour', KeyConditionExpression: 'colour = :c', ExpressionAttributeValues: { ':c': { S: 'red' } } })),
      'ValidationException',
      'The table does not have the specified index: byColour',
    );
  });

  it('tags, untags and lists tags by ARN', async () => {
    const { TableDescription: table } = await ddb().send(new CreateTableCommand(simple('tagged')));
    const ResourceArn = table!.TableArn!;
    await ddb().send(new TagResourceCommand({ ResourceArn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await ddb().send(new UntagResourceCommand({ ResourceArn, TagKeys: ['a'] }));
    const { Tags } = await ddb().send(new ListTagsOfResourceCommand({ ResourceArn }));
    assert.deepEqual(Tags, [{ Key: 'b', Value: '2' }]);
  });

  it('expires items by Time to Live, on read and by the clock sweep', async () => {
    await ddb().send(new CreateTableCommand(simple('ttl')));
    assert.deepEqual((await ddb().send(new DescribeTimeToLiveCommand({ TableName: 'ttl' }))).TimeToLiveDescription, { TimeToLiveStatus: 'DISABLED' });
    const enabled = await ddb().send(new UpdateTimeToLiveCommand({ TableName: 'ttl', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    assert.deepEqual(enabled.TimeToLiveSpecification, { Enabled: true, AttributeName: 'expires' });
    await rejects(
      ddb().send(new UpdateTimeToLiveCommand({ TableName: 'ttl', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } })),
      'ValidationException',
      'TimeToLive is already enabled',
    );
    const nowSeconds = Math.floor(clock.now() / 1000);
    await ddb().send(new PutItemCommand({ TableName: 'ttl', Item: { pk: { S: 'soon' }, expires: { N: String(nowSeconds + 30) } } }));
    await ddb().send(new PutItemCommand({ TableName: 'ttl', Item: { pk: { S: 'later' }, expires: { N: String(nowSeconds + 3600) } } }));
    clock.advance(31_000);
    assert.equal((await ddb().send(new GetItemCommand({ TableName: 'ttl', Key: { pk: { S: 'soon' } } }))).Item, undefined);
    clock.advance(3600_000);
    assert.equal((await ddb().send(new DescribeTableCommand({ TableName: 'ttl' }))).Table!.ItemCount, 0);
  });

  it('describes limits and endpoints', async () => {
    const limits = await ddb().send(new DescribeLimitsCommand({}));
    assert.equal(limits.TableMaxWriteCapacityUnits, 40000);
    const endpoints = await ddb().send(new DescribeEndpointsCommand({}));
    assert.deepEqual(endpoints.Endpoints, [{ Address: 'dynamodb.us-east-1.amazonaws.com', CachePeriodInMinutes: 1440 }]);
  });
});
