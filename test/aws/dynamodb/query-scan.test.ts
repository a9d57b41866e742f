import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, PutItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

describe('DynamoDB Query and Scan', () => {
  const nimbus = useNimbus();
  const ddb = (): DynamoDBClient => new DynamoDBClient(clientSettings(nimbus()));

  beforeEach(async () => {
    await ddb().send(
      new CreateTableCommand({
        TableName: 'events',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
          { AttributeName: 'kind', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          { IndexName: 'byKind', KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const puts = [-10, -2.5, 0, 3, 20].map((sk) => ({ PutRequest: { Item: { pk: { S: 'p' }, sk: { N: String(sk) }, kind: { S: sk < 0 ? 'neg' : 'pos' }, body: { S: `v${sk}` } } } }));
    await ddb().send(new BatchWriteItemCommand({ RequestItems: { events: [...puts, { PutRequest: { Item: { pk: { S: 'other' }, sk: { N: '1' } } } }] } }));
  });

  const sortKeys = (items: Record<string, AttributeValue>[] | undefined): number[] => (items ?? []).map((item) => Number(item.sk.N));

  it('queries a partition in numeric order, forwards and backwards, with sort key conditions', async () => {
    const base = { TableName: 'events', ExpressionAttributeValues: { ':p': { S: 'p' } } };
    assert.deepEqual(sortKeys((await ddb().send(new QueryCommand({ ...base, KeyConditionExpression: 'pk = :p' }))).Items), [-10, -2.5, 0, 3, 20]);
    assert.deepEqual(sortKeys((await ddb().send(new QueryCommand({ ...base, KeyConditionExpression: 'pk = :p', ScanIndexForward: false }))).Items), [20, 3, 0, -2.5, -10]);
    const between = await ddb().send(
      new QueryCommand({ ...base, KeyConditionExpression: 'pk = :p AND sk BETWEEN :lo AND :hi', ExpressionAttributeValues: { ':p': { S: 'p' }, ':lo': { N: '-3' }, ':hi': { N: '3' } } }),
    );
    assert.deepEqual(sortKeys(between.Items), [-2.5, 0, 3]);
    const filtered = await ddb().send(
      new QueryCommand({ ...base, KeyConditionExpression: 'pk = :p', FilterExpression: 'begins_with(body, :v)', ExpressionAttributeValues: { ':p': { S: 'p' }, ':v': { S: 'v-' } }, Select: 'COUNT' }),
    );
    assert.equal(filtered.Items, undefined);
    assert.equal(filtered.Count, 2);
    assert.equal(filtered.ScannedCount, 5);
  });

  it('pages with Limit and ExclusiveStartKey, on the table and on a GSI', async () => {
    const seen: number[] = [];
    let start: Record<string, AttributeValue> | undefined;
    let pages = 0;
    do {
      const page = await ddb().send(new QueryCommand({ TableName: 'events', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, Limit: 2, ExclusiveStartKey: start }));
      seen.push(...sortKeys(page.Items));
      start = page.LastEvaluatedKey;
      pages += 1;
    } while (start);
    assert.deepEqual(seen, [-10, -2.5, 0, 3, 20]);
    assert.equal(pages, 3);

    const first = await ddb().send(new QueryCommand({ TableName: 'events', IndexName: 'byKind', KeyConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': { S: 'pos' } }, Limit: 1 }));
    assert.deepEqual(first.Items, [{ pk: { S: 'p' }, sk: { N: '0' }, kind: { S: 'pos' } }]);
    assert.deepEqual(first.LastEvaluatedKey, { pk: { S: 'p' }, sk: { N: '0' }, kind: { S: 'pos' } });
    const rest = await ddb().send(new QueryCommand({ TableName: 'events', IndexName: 'byKind', KeyConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': { S: 'pos' } }, ExclusiveStartKey: first.LastEvaluatedKey }));
    assert.deepEqual(sortKeys(rest.Items), [3, 20]);
  });

  it('answers the legacy KeyConditions, QueryFilter and AttributesToGet', async () => {
    const page = await ddb().send(
      new QueryCommand({
        TableName: 'events',
        KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] }, sk: { ComparisonOperator: 'GE', AttributeValueList: [{ N: '0' }] } },
        QueryFilter: { body: { ComparisonOperator: 'NE', AttributeValueList: [{ S: 'v3' }] } },
        AttributesToGet: ['sk'],
      }),
    );
    assert.deepEqual(page.Items, [{ sk: { N: '0' } }, { sk: { N: '20' } }]);
    assert.equal(page.ScannedCount, 3);
  });

  it('projects index items by the index projection and counts index read units', async () => {
    const page = await ddb().send(
      new QueryCommand({ TableName: 'events', IndexName: 'byKind', KeyConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': { S: 'neg' } }, Select: 'ALL_PROJECTED_ATTRIBUTES', ReturnConsumedCapacity: 'INDEXES' }),
    );
    assert.deepEqual(page.Items, [
      { pk: { S: 'p' }, sk: { N: '-10' }, kind: { S: 'neg' } },
      { pk: { S: 'p' }, sk: { N: '-2.5' }, kind: { S: 'neg' } },
    ]);
    assert.deepEqual(page.ConsumedCapacity, {
      TableName: 'events',
      CapacityUnits: 0.5,
      ReadCapacityUnits: 0.5,
      Table: { CapacityUnits: 0, ReadCapacityUnits: 0 },
      GlobalSecondaryIndexes: { byKind: { CapacityUnits: 0.5, ReadCapacityUnits: 0.5 } },
    });
  });

  it('rejects bad queries with DynamoDB messages', async () => {
    await assert.rejects(ddb().send(new QueryCommand({ TableName: 'events', IndexName: 'byKind', ConsistentRead: true, KeyConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': { S: 'pos' } } })), {
      name: 'ValidationException',
      message: 'Consistent reads are not supported on global secondary indexes',
    });
    await assert.rejects(ddb().send(new QueryCommand({ TableName: 'events', KeyConditionExpression: 'sk = :k', ExpressionAttributeValues: { ':k': { N: '1' } } })), {
      name: 'ValidationException',
      message: 'Query condition missed key schema element: pk',
    });
    await assert.rejects(
      ddb().send(new QueryCommand({ TableName: 'events', KeyConditionExpression: 'pk = :p', FilterExpression: 'sk > :z', ExpressionAttributeValues: { ':p': { S: 'p' }, ':z': { N: '0' } } })),
      { name: 'ValidationException', message: 'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk' },
    );
  });

  it('stops a page at 1 MB of evaluated items', async () => {
    const body = { S: 'x'.repeat(300 * 1024) };
    for (let i = 0; i < 5; i += 1) await ddb().send(new PutItemCommand({ TableName: 'events', Item: { pk: { S: 'big' }, sk: { N: String(i) }, body } }));
    const page = await ddb().send(new QueryCommand({ TableName: 'events', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'big' } } }));
    assert.equal(page.Count, 4);
    assert.deepEqual(page.LastEvaluatedKey, { pk: { S: 'big' }, sk: { N: '3' } });
  });

  it('scans with filters, segments and pagination', async () => {
    const all = await ddb().send(new ScanCommand({ TableName: 'events', FilterExpression: 'attribute_exists(body)' }));
    assert.equal(all.Count, 5);
    assert.equal(all.ScannedCount, 6);
    const segments = await Promise.all([0, 1, 2].map((Segment) => ddb().send(new ScanCommand({ TableName: 'events', Segment, TotalSegments: 3 }))));
    assert.equal(segments.reduce((sum, page) => sum + page.Count!, 0), 6);
    const limited = await ddb().send(new ScanCommand({ TableName: 'events', Limit: 4 }));
    const next = await ddb().send(new ScanCommand({ TableName: 'events', ExclusiveStartKey: limited.LastEvaluatedKey }));
    assert.equal(limited.Count! + next.Count!, 6);
    await assert.rejects(ddb().send(new ScanCommand({ TableName: 'events', Segment: 3, TotalSegments: 3 })), {
      name: 'ValidationException',
      message: 'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 3 is not less than TotalSegments: 3',
    });
  });
});
