/**
 * Answers ScyllaDB's Alternator suite (pytest and boto3, checked against real DynamoDB) showed Nimbus
 * getting wrong: table names the item operations refuse, DeleteTable's reduced description, updates that
 * only remove attributes from a missing item, local index reads of unprojected attributes, duplicated
 * attribute definitions, overflowing update arithmetic and expressions nested past the parser's depth.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { failureOf } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

describe('DynamoDB answers the Alternator suite showed', () => {
  const nimbus = useNimbus();
  let dynamodb: DynamoDBClient;

  beforeEach(async () => {
    dynamodb = new DynamoDBClient(clientSettings(nimbus()));
    await dynamodb.send(new CreateTableCommand({
      TableName: 'items',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'lsk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      LocalSecondaryIndexes: [{ IndexName: 'by-lsk', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'lsk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
    }));
  });

  it('refuses an item operation on a table name that breaks the naming rules with a ValidationException', async () => {
    const failure = await failureOf(() => dynamodb.send(new GetItemCommand({ TableName: 'a!', Key: { pk: { S: 'x' }, sk: { S: 'y' } } })));
    assert.deepEqual(failure, {
      name: 'ValidationException',
      message: "2 validation errors detected: Value 'a!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value 'a!' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
      status: 400,
    });
    // A valid name that names no table is still not found.
    assert.equal((await failureOf(() => dynamodb.send(new GetItemCommand({ TableName: 'absent', Key: { pk: { S: 'x' } } })))).name, 'ResourceNotFoundException');
  });

  it('answers DeleteTable with a description without the key schema, definitions or indexes', async () => {
    const { TableDescription } = await dynamodb.send(new DeleteTableCommand({ TableName: 'items' }));
    assert.equal(TableDescription?.TableName, 'items');
    assert.equal(TableDescription?.TableStatus, 'DELETING');
    assert.equal(TableDescription?.KeySchema, undefined);
    assert.equal(TableDescription?.AttributeDefinitions, undefined);
    assert.equal(TableDescription?.LocalSecondaryIndexes, undefined);
    assert.equal(TableDescription?.CreationDateTime, undefined);
  });

  it('does not create a missing item for an update that only removes attributes, and does for any other', async () => {
    const key = { pk: { S: 'p' }, sk: { S: 'gone' } };
    await dynamodb.send(new UpdateItemCommand({ TableName: 'items', Key: key, UpdateExpression: 'REMOVE a' }));
    assert.equal((await dynamodb.send(new GetItemCommand({ TableName: 'items', Key: key }))).Item, undefined);
    await dynamodb.send(new UpdateItemCommand({ TableName: 'items', Key: key, AttributeUpdates: {} }));
    assert.deepEqual((await dynamodb.send(new GetItemCommand({ TableName: 'items', Key: key }))).Item, key);
  });

  it('reads unprojected attributes through a local index with ALL_ATTRIBUTES', async () => {
    const item = { pk: { S: 'p' }, sk: { S: 's' }, lsk: { S: 'l' }, extra: { S: 'not projected' } };
    await dynamodb.send(new PutItemCommand({ TableName: 'items', Item: item }));
    const all = await dynamodb.send(new QueryCommand({ TableName: 'items', IndexName: 'by-lsk', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, Select: 'ALL_ATTRIBUTES' }));
    assert.deepEqual(all.Items, [item]);
    const projected = await dynamodb.send(new QueryCommand({ TableName: 'items', IndexName: 'by-lsk', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } }));
    assert.deepEqual(projected.Items, [{ pk: item.pk, sk: item.sk, lsk: item.lsk }]);
  });

  it('refuses an attribute defined twice', async () => {
    const failure = await failureOf(() => dynamodb.send(new CreateTableCommand({
      TableName: 'twice',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'pk', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    })));
    assert.deepEqual(failure, { name: 'ValidationException', message: 'Attribute Name is duplicated: pk', status: 400 });
  });

  it('reports update arithmetic past 38 digits as an overflow', async () => {
    const failure = await failureOf(() => dynamodb.send(new UpdateItemCommand({
      TableName: 'items',
      Key: { pk: { S: 'p' }, sk: { S: 'n' } },
      UpdateExpression: 'SET n = :big - :one',
      ExpressionAttributeValues: { ':big': { N: '1e50' }, ':one': { N: '1' } },
    })));
    assert.deepEqual(failure, { name: 'ValidationException', message: 'Number overflow. Attempting to store a number with magnitude larger than supported range', status: 400 });
  });

  it('refuses an expression nested deeper than the parser goes, without failing the request', async () => {
    const depth = 2000;
    const condition = `${'('.repeat(depth)}attribute_exists(a)${')'.repeat(depth)}`;
    const failure = await failureOf(() => dynamodb.send(new PutItemCommand({ TableName: 'items', Item: { pk: { S: 'p' }, sk: { S: 'deep' } }, ConditionExpression: condition })));
    assert.equal(failure.name, 'ValidationException');
    assert.equal(failure.status, 400);
  });
});
