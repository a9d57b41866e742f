import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

async function rejects(promise: Promise<unknown>, name: string, message: string, check?: (error: Record<string, unknown>) => void): Promise<void> {
  await assert.rejects(promise, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, name);
    assert.equal(error.message, message);
    assert.equal(error.$metadata?.httpStatusCode, 400);
    check?.(error as unknown as Record<string, unknown>);
    return true;
  });
}

describe('DynamoDB items', () => {
  const nimbus = useNimbus();
  const ddb = (): DynamoDBClient => new DynamoDBClient(clientSettings(nimbus()));

  beforeEach(async () => {
    await ddb().send(
      new CreateTableCommand({
        TableName: 'items',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });

  const key = { pk: { S: 'a' }, sk: { N: '1' } };

  it('puts, gets (binary and sets round-trip), projects and deletes with ALL_OLD', async () => {
    const item = { ...key, data: { B: Buffer.from([0, 1, 255]) }, tags: { SS: ['x', 'y'] }, nested: { M: { n: { N: '1.50' } } } };
    await ddb().send(new PutItemCommand({ TableName: 'items', Item: item }));
    const got = await ddb().send(new GetItemCommand({ TableName: 'items', Key: key, ConsistentRead: true }));
    assert.deepEqual(got.Item!.data.B, new Uint8Array([0, 1, 255]));
    assert.deepEqual(got.Item!.tags.SS, ['x', 'y']);
    assert.equal(got.Item!.nested.M!.n.N, '1.5');
    const projected = await ddb().send(new GetItemCommand({ TableName: 'items', Key: key, ProjectionExpression: 'nested.n, #t', ExpressionAttributeNames: { '#t': 'tags' } }));
    assert.deepEqual(Object.keys(projected.Item!).sort(), ['nested', 'tags']);
    const deleted = await ddb().send(new DeleteItemCommand({ TableName: 'items', Key: key, ReturnValues: 'ALL_OLD' }));
    assert.equal(deleted.Attributes!.pk.S, 'a');
    assert.equal((await ddb().send(new GetItemCommand({ TableName: 'items', Key: key }))).Item, undefined);
  });

  it('answers ConditionalCheckFailedException, with the item for ALL_OLD', async () => {
    await ddb().send(new PutItemCommand({ TableName: 'items', Item: { ...key, v: { N: '1' } } }));
    await rejects(
      ddb().send(new PutItemCommand({ TableName: 'items', Item: key, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
      'ConditionalCheckFailedException',
      'The conditional request failed',
      (error) => { assert.deepEqual(error.Item, { ...key, v: { N: '1' } }); },
    );
    await rejects(
      ddb().send(new DeleteItemCommand({ TableName: 'items', Key: key, Expected: { v: { Value: { N: '2' } } } })),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
  });

  it('updates with ReturnValues and creates missing items', async () => {
    const created = await ddb().send(
      new UpdateItemCommand({ TableName: 'items', Key: key, UpdateExpression: 'SET #c = if_not_exists(#c, :zero) + :one', ExpressionAttributeNames: { '#c': 'count' }, ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' } }, ReturnValues: 'ALL_NEW' }),
    );
    assert.deepEqual(created.Attributes, { ...key, count: { N: '1' } });
    const old = await ddb().send(new UpdateItemCommand({ TableName: 'items', Key: key, UpdateExpression: 'ADD #c :one SET extra = :one', ExpressionAttributeNames: { '#c': 'count' }, ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues: 'UPDATED_OLD' }));
    assert.deepEqual(old.Attributes, { count: { N: '1' } });
    const legacy = await ddb().send(new UpdateItemCommand({ TableName: 'items', Key: key, AttributeUpdates: { extra: { Action: 'DELETE' } }, ReturnValues: 'ALL_NEW' }));
    assert.deepEqual(legacy.Attributes, { ...key, count: { N: '2' } });
  });

  it('validates keys, updates of keys, return values and item size with DynamoDB messages', async () => {
    await rejects(ddb().send(new GetItemCommand({ TableName: 'items', Key: { pk: { S: 'a' } } })), 'ValidationException', 'The provided key element does not match the schema');
    await rejects(ddb().send(new PutItemCommand({ TableName: 'items', Item: { pk: { S: 'a' } } })), 'ValidationException', 'One or more parameter values were invalid: Missing the key sk in the item');
    await rejects(
      ddb().send(new PutItemCommand({ TableName: 'items', Item: { ...key, g: { N: '1' } } })),
      'ValidationException',
      'One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N IndexName: byG',
    );
    await rejects(
      ddb().send(new UpdateItemCommand({ TableName: 'items', Key: key, UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': { S: 'b' } } })),
      'ValidationException',
      'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
    );
    await rejects(ddb().send(new PutItemCommand({ TableName: 'items', Item: key, ReturnValues: 'ALL_NEW' })), 'ValidationException', 'ReturnValues can only be ALL_OLD or NONE');
    await rejects(ddb().send(new PutItemCommand({ TableName: 'items', Item: { ...key, big: { S: 'x'.repeat(400 * 1024) } } })), 'ValidationException', 'Item size has exceeded the maximum allowed size');
  });

  it('reports consumed capacity in DynamoDB units', async () => {
    const put = await ddb().send(new PutItemCommand({ TableName: 'items', Item: { ...key, g: { S: 'G' }, body: { S: 'x'.repeat(1500) } }, ReturnConsumedCapacity: 'INDEXES' }));
    assert.deepEqual(put.ConsumedCapacity, {
      TableName: 'items',
      CapacityUnits: 3,
      WriteCapacityUnits: 3,
      Table: { CapacityUnits: 2, WriteCapacityUnits: 2 },
      GlobalSecondaryIndexes: { byG: { CapacityUnits: 1, WriteCapacityUnits: 1 } },
    });
    const eventual = await ddb().send(new GetItemCommand({ TableName: 'items', Key: key, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(eventual.ConsumedCapacity, { TableName: 'items', CapacityUnits: 0.5, ReadCapacityUnits: 0.5 });
    const strong = await ddb().send(new GetItemCommand({ TableName: 'items', Key: key, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal(strong.ConsumedCapacity!.CapacityUnits, 1);
  });

  it('works through the lib-dynamodb document client', async () => {
    const doc = DynamoDBDocumentClient.from(ddb());
    await doc.send(new PutCommand({ TableName: 'items', Item: { pk: 'doc', sk: 2, list: [1, 'two', { three: true }] } }));
    await doc.send(new UpdateCommand({ TableName: 'items', Key: { pk: 'doc', sk: 2 }, UpdateExpression: 'SET #l[0] = :v', ExpressionAttributeNames: { '#l': 'list' }, ExpressionAttributeValues: { ':v': 10 } }));
    const { Item } = await doc.send(new GetCommand({ TableName: 'items', Key: { pk: 'doc', sk: 2 } }));
    assert.deepEqual(Item, { pk: 'doc', sk: 2, list: [10, 'two', { three: true }] });
  });
});
