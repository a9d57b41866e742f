import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../../../src/shared/clock.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

describe('DynamoDB batches and transactions', () => {
  const clock = new ManualClock();
  const nimbus = useNimbus({ clock });
  const ddb = (): DynamoDBClient => new DynamoDBClient(clientSettings(nimbus()));
  const k = (id: string) => ({ id: { S: id } });

  beforeEach(async () => {
    await ddb().send(
      new CreateTableCommand({ TableName: 'accounts', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }),
    );
  });

  it('writes and reads batches', async () => {
    const written = await ddb().send(
      new BatchWriteItemCommand({ RequestItems: { accounts: [{ PutRequest: { Item: { ...k('a'), n: { N: '1' } } } }, { PutRequest: { Item: { ...k('b'), n: { N: '2' } } } }] }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    assert.deepEqual(written.UnprocessedItems, {});
    assert.deepEqual(written.ConsumedCapacity, [{ TableName: 'accounts', CapacityUnits: 2, WriteCapacityUnits: 2 }]);
    const read = await ddb().send(new BatchGetItemCommand({ RequestItems: { accounts: { Keys: [k('a'), k('b'), k('zzz')], ProjectionExpression: 'n' } } }));
    assert.deepEqual(read.Responses!.accounts.map((item) => item.n.N).sort(), ['1', '2']);
    assert.deepEqual(read.UnprocessedKeys, {});
  });

  it('rejects duplicate keys and oversized batches', async () => {
    await assert.rejects(ddb().send(new BatchGetItemCommand({ RequestItems: { accounts: { Keys: [k('a'), k('a')] } } })), {
      name: 'ValidationException',
      message: 'Provided list of item keys contains duplicates',
    });
    await assert.rejects(ddb().send(new BatchWriteItemCommand({ RequestItems: { accounts: [{ PutRequest: { Item: k('a') } }, { DeleteRequest: { Key: k('a') } }] } })), {
      name: 'ValidationException',
      message: 'Provided list of item keys contains duplicates',
    });
    const keys = Array.from({ length: 101 }, (_, i) => k(`id${i}`));
    await assert.rejects(ddb().send(new BatchGetItemCommand({ RequestItems: { accounts: { Keys: keys } } })), { name: 'ValidationException' });
  });

  it('commits a transaction atomically and cancels with reasons in order', async () => {
    await ddb().send(new PutItemCommand({ TableName: 'accounts', Item: { ...k('a'), balance: { N: '10' } } }));
    await ddb().send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Update: { TableName: 'accounts', Key: k('a'), UpdateExpression: 'SET balance = balance - :v', ConditionExpression: 'balance >= :v', ExpressionAttributeValues: { ':v': { N: '4' } } } },
          { Put: { TableName: 'accounts', Item: { ...k('b'), balance: { N: '4' } }, ConditionExpression: 'attribute_not_exists(id)' } },
        ],
      }),
    );
    const error = await ddb()
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'accounts', Item: { ...k('c'), balance: { N: '1' } } } },
            { ConditionCheck: { TableName: 'accounts', Key: k('a'), ConditionExpression: 'balance > :v', ExpressionAttributeValues: { ':v': { N: '100' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
          ],
        }),
      )
      .catch((e: unknown) => e);
    assert.ok(error instanceof TransactionCanceledException);
    assert.equal(error.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]');
    assert.deepEqual(error.CancellationReasons, [
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { ...k('a'), balance: { N: '6' } } },
    ]);
    assert.equal((await ddb().send(new GetItemCommand({ TableName: 'accounts', Key: k('c') }))).Item, undefined);
    const got = await ddb().send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'accounts', Key: k('a') } }, { Get: { TableName: 'accounts', Key: k('missing') } }] }));
    assert.deepEqual(got.Responses, [{ Item: { ...k('a'), balance: { N: '6' } } }, {}]);
  });

  it('refuses two operations on one item', async () => {
    await assert.rejects(
      ddb().send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'accounts', Item: k('a') } }, { Delete: { TableName: 'accounts', Key: k('a') } }] })),
      { name: 'ValidationException', message: 'Transaction request cannot include multiple operations on one item' },
    );
  });

  it('makes ClientRequestToken idempotent for ten minutes', async () => {
    const request = (n: string) =>
      new TransactWriteItemsCommand({ ClientRequestToken: 'token-1', TransactItems: [{ Update: { TableName: 'accounts', Key: k('a'), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: n } } } }] });
    await ddb().send(request('1'));
    await ddb().send(request('1'));
    assert.equal((await ddb().send(new GetItemCommand({ TableName: 'accounts', Key: k('a') }))).Item!.n.N, '1');
    await assert.rejects(ddb().send(request('2')), { name: 'IdempotentParameterMismatchException' });
    clock.advance(10 * 60 * 1000 + 1);
    await ddb().send(request('1'));
    assert.equal((await ddb().send(new GetItemCommand({ TableName: 'accounts', Key: k('a') }))).Item!.n.N, '2');
  });
});
