import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { itemSize } from '../../../src/engines/dynamodb/index.js';
import { partitionPrefix } from '../../../src/services/dynamodb/item-store.js';
import { DEFAULT_ACCOUNT } from '../../../src/shared/ids.js';
import { scopedName } from '../../../src/store/store.js';
import { clientSettings, TEST_REGION, useNimbus } from '../../helpers/nimbus.js';

const GB = 1024 ** 3;

describe('DynamoDB item collection metrics', () => {
  const nimbus = useNimbus();
  const ddb = (): DynamoDBClient => new DynamoDBClient(clientSettings(nimbus()));

  beforeEach(async () => {
    await ddb().send(
      new CreateTableCommand({
        TableName: 'threads',
        AttributeDefinitions: [
          { AttributeName: 'forum', AttributeType: 'S' },
          { AttributeName: 'subject', AttributeType: 'S' },
          { AttributeName: 'posted', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'forum', KeyType: 'HASH' },
          { AttributeName: 'subject', KeyType: 'RANGE' },
        ],
        LocalSecondaryIndexes: [{ IndexName: 'byPosted', KeySchema: [{ AttributeName: 'forum', KeyType: 'HASH' }, { AttributeName: 'posted', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await ddb().send(
      new CreateTableCommand({
        TableName: 'plain',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });

  /** The size record Nimbus keeps for a collection, to check the sizes and to stand in for 10 GB of data. */
  async function collectionSizes() {
    const table = await ddb().send(new DescribeTableCommand({ TableName: 'threads' }));
    return nimbus().store.collection<{ bytes: number }>(scopedName('dynamodb', DEFAULT_ACCOUNT, TEST_REGION, `item-collections/${table.Table!.TableId!}`));
  }

  const small = { ItemCollectionKey: { forum: { S: 'ec2' } }, SizeEstimateRangeGB: [0, 1] };

  it('reports the written collection on PutItem, UpdateItem and DeleteItem when asked for SIZE', async () => {
    const put = await ddb().send(
      new PutItemCommand({ TableName: 'threads', Item: { forum: { S: 'ec2' }, subject: { S: 'a' }, posted: { N: '1' } }, ReturnItemCollectionMetrics: 'SIZE' }),
    );
    assert.deepEqual(put.ItemCollectionMetrics, small);
    const update = await ddb().send(
      new UpdateItemCommand({
        TableName: 'threads',
        Key: { forum: { S: 'ec2' }, subject: { S: 'a' } },
        UpdateExpression: 'SET body = :b',
        ExpressionAttributeValues: { ':b': { S: 'hello' } },
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    assert.deepEqual(update.ItemCollectionMetrics, small);
    const deleted = await ddb().send(new DeleteItemCommand({ TableName: 'threads', Key: { forum: { S: 'ec2' }, subject: { S: 'a' } }, ReturnItemCollectionMetrics: 'SIZE' }));
    assert.deepEqual(deleted.ItemCollectionMetrics, small);
  });

  it('leaves the metrics out for NONE, by default, and for tables without local secondary indexes', async () => {
    const cases: [string, Record<string, unknown>, 'SIZE' | 'NONE' | undefined][] = [
      ['threads', { forum: { S: 'ec2' }, subject: { S: 'a' } }, 'NONE'],
      ['threads', { forum: { S: 'ec2' }, subject: { S: 'b' } }, undefined],
      ['plain', { id: { S: 'x' } }, 'SIZE'],
    ];
    for (const [TableName, Item, ReturnItemCollectionMetrics] of cases) {
      const output = await ddb().send(new PutItemCommand({ TableName, Item: Item as never, ...(ReturnItemCollectionMetrics ? { ReturnItemCollectionMetrics } : {}) }));
      assert.equal(output.ItemCollectionMetrics, undefined, `${TableName} ${String(ReturnItemCollectionMetrics)}`);
    }
  });

  it('sizes a collection as its items plus their LSI entries with 100 bytes of overhead each', async () => {
    const withEntry = { forum: { S: 'ec2' }, subject: { S: 'a' }, posted: { N: '1' }, body: { S: 'text' } };
    const withoutEntry = { forum: { S: 'ec2' }, subject: { S: 'b' } };
    await ddb().send(new PutItemCommand({ TableName: 'threads', Item: withEntry }));
    await ddb().send(new PutItemCommand({ TableName: 'threads', Item: withoutEntry }));
    const sizes = await collectionSizes();
    const entry = itemSize({ forum: { S: 'ec2' }, subject: { S: 'a' }, posted: { N: '1' } }) + 100;
    assert.equal(sizes.get(partitionPrefix({ S: 'ec2' }))?.bytes, itemSize(withEntry) + entry + itemSize(withoutEntry));
    await ddb().send(new DeleteItemCommand({ TableName: 'threads', Key: { forum: { S: 'ec2' }, subject: { S: 'a' } } }));
    await ddb().send(new DeleteItemCommand({ TableName: 'threads', Key: { forum: { S: 'ec2' }, subject: { S: 'b' } } }));
    assert.equal(sizes.get(partitionPrefix({ S: 'ec2' })), undefined);
  });

  it('estimates in whole gigabytes around the size', async () => {
    await ddb().send(new PutItemCommand({ TableName: 'threads', Item: { forum: { S: 'ec2' }, subject: { S: 'a' } } }));
    const sizes = await collectionSizes();
    sizes.put(partitionPrefix({ S: 'ec2' }), { bytes: 1.5 * GB });
    const output = await ddb().send(new PutItemCommand({ TableName: 'threads', Item: { forum: { S: 'ec2' }, subject: { S: 'b' } }, ReturnItemCollectionMetrics: 'SIZE' }));
    assert.deepEqual(output.ItemCollectionMetrics?.SizeEstimateRangeGB, [1, 2]);
  });

  it('lists one entry per collection written by BatchWriteItem and TransactWriteItems', async () => {
    const batch = await ddb().send(
      new BatchWriteItemCommand({
        RequestItems: {
          threads: [
            { PutRequest: { Item: { forum: { S: 'ec2' }, subject: { S: 'a' } } } },
            { PutRequest: { Item: { forum: { S: 's3' }, subject: { S: 'a' } } } },
            { DeleteRequest: { Key: { forum: { S: 'ec2' }, subject: { S: 'b' } } } },
          ],
          plain: [{ PutRequest: { Item: { id: { S: 'x' } } } }],
        },
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    assert.deepEqual(batch.ItemCollectionMetrics, {
      threads: [small, { ItemCollectionKey: { forum: { S: 's3' } }, SizeEstimateRangeGB: [0, 1] }],
    });
    const transaction = await ddb().send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Update: { TableName: 'threads', Key: { forum: { S: 'ec2' }, subject: { S: 'a' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1' } } } },
          { ConditionCheck: { TableName: 'threads', Key: { forum: { S: 's3' }, subject: { S: 'a' } }, ConditionExpression: 'attribute_exists(forum)' } },
        ],
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    assert.deepEqual(transaction.ItemCollectionMetrics, { threads: [small] });
    const none = await ddb().send(new BatchWriteItemCommand({ RequestItems: { plain: [{ PutRequest: { Item: { id: { S: 'y' } } } }] }, ReturnItemCollectionMetrics: 'SIZE' }));
    assert.equal(none.ItemCollectionMetrics, undefined);
  });

  it('refuses writes that grow a collection past 10 GB, and nothing else', async () => {
    await ddb().send(new PutItemCommand({ TableName: 'threads', Item: { forum: { S: 'ec2' }, subject: { S: 'a' } } }));
    const sizes = await collectionSizes();
    sizes.put(partitionPrefix({ S: 'ec2' }), { bytes: 10 * GB - 10 });
    const message = 'The total size of an item collection has exceeded the maximum limit of 10 gigabytes.';
    await assert.rejects(ddb().send(new PutItemCommand({ TableName: 'threads', Item: { forum: { S: 'ec2' }, subject: { S: 'b' } } })), (error: Error & { $metadata: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'ItemCollectionSizeLimitExceededException');
      assert.equal(error.message, message);
      assert.equal(error.$metadata.httpStatusCode, 400);
      return true;
    });
    const missing = await ddb().send(new GetItemCommand({ TableName: 'threads', Key: { forum: { S: 'ec2' }, subject: { S: 'b' } } }));
    assert.equal(missing.Item, undefined);

    const error = await ddb()
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'plain', Item: { id: { S: 'x' } } } },
            { Put: { TableName: 'threads', Item: { forum: { S: 'ec2' }, subject: { S: 'c' } } } },
          ],
        }),
      )
      .catch((e: unknown) => e);
    assert.ok(error instanceof TransactionCanceledException);
    assert.deepEqual(error.CancellationReasons, [{ Code: 'None' }, { Code: 'ItemCollectionSizeLimitExceeded', Message: message }]);
    assert.equal((await ddb().send(new GetItemCommand({ TableName: 'plain', Key: { id: { S: 'x' } } }))).Item, undefined);

    // Other collections, and writes that shrink this one, go through.
    await ddb().send(new PutItemCommand({ TableName: 'threads', Item: { forum: { S: 's3' }, subject: { S: 'a' } } }));
    await ddb().send(new DeleteItemCommand({ TableName: 'threads', Key: { forum: { S: 'ec2' }, subject: { S: 'a' } } }));
  });
});
