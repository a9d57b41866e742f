import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { failureOf } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

/**
 * DynamoDB validates a request before it looks its table up: a malformed request against a table that
 * does not exist answers ValidationException, and only a well-formed one ResourceNotFoundException.
 */
describe('DynamoDB request validation order', () => {
  const nimbus = useNimbus();
  const ddb = (): DynamoDBClient => new DynamoDBClient(clientSettings(nimbus()));


  const missing = 'no-such-table';
  const cases: { name: string; send: (client: DynamoDBClient) => Promise<unknown>; error: string; message: string }[] = [
    {
      name: 'GetItem with a bad projection',
      send: (c) => c.send(new GetItemCommand({ TableName: missing, Key: { id: { S: 'x' } }, ProjectionExpression: 'a,,b' })),
      error: 'ValidationException',
      message: 'Invalid ProjectionExpression: Syntax error; token: ",", near: ",,b"',
    },
    {
      name: 'PutItem with an empty set',
      send: (c) => c.send(new PutItemCommand({ TableName: missing, Item: { id: { S: 'x' }, tags: { SS: [] } } })),
      error: 'ValidationException',
      message: 'One or more parameter values were invalid: An string set  may not be empty',
    },
    {
      name: 'UpdateItem with an unused value',
      send: (c) => c.send(new UpdateItemCommand({ TableName: missing, Key: { id: { S: 'x' } }, UpdateExpression: 'REMOVE a', ExpressionAttributeValues: { ':v': { S: 'y' } } })),
      error: 'ValidationException',
      message: 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}',
    },
    {
      name: 'Query with an unsupported key condition operator',
      send: (c) => c.send(new QueryCommand({ TableName: missing, KeyConditionExpression: 'attribute_exists(id)' })),
      error: 'ValidationException',
      message: 'Invalid operator used in KeyConditionExpression: attribute_exists',
    },
    {
      name: 'Scan with Segment beyond TotalSegments',
      send: (c) => c.send(new ScanCommand({ TableName: missing, Segment: 3, TotalSegments: 2 })),
      error: 'ValidationException',
      message: 'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 3 is not less than TotalSegments: 2',
    },
    {
      name: 'a well-formed GetItem',
      send: (c) => c.send(new GetItemCommand({ TableName: missing, Key: { id: { S: 'x' } } })),
      error: 'ResourceNotFoundException',
      message: 'Requested resource not found',
    },
  ];

  for (const { name, send, error, message } of cases) {
    it(`${name} against a missing table answers ${error}`, async () => {
      assert.deepEqual(await failureOf(() => send(ddb())), { name: error, message, status: 400 });
    });
  }

  describe('Query ExclusiveStartKey', () => {
    beforeEach(async () => {
      await ddb().send(
        new CreateTableCommand({
          TableName: 'events',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    });

    const startKeyCases: { name: string; condition: string; start: Record<string, AttributeValue>; message: string }[] = [
      { name: 'a missing attribute', condition: 'pk = :p', start: { pk: { S: 'a' } }, message: 'The provided starting key is invalid' },
      { name: 'a wrong type', condition: 'pk = :p', start: { pk: { N: '1' }, sk: { S: 'a' } }, message: 'The provided key element does not match the schema' },
      { name: 'another partition', condition: 'pk = :p', start: { pk: { S: 'other' }, sk: { S: 'a' } }, message: 'The provided starting key is outside query boundaries based on provided conditions' },
      { name: 'a sort key outside the condition', condition: 'pk = :p AND sk > :p', start: { pk: { S: 'a' }, sk: { S: 'a' } }, message: 'The provided starting key does not match the range key predicate' },
    ];
    for (const { name, condition, start, message } of startKeyCases) {
      it(`rejects ${name}`, async () => {
        const query = new QueryCommand({ TableName: 'events', KeyConditionExpression: condition, ExpressionAttributeValues: { ':p': { S: 'a' } }, ExclusiveStartKey: start });
        assert.deepEqual(await failureOf(() => ddb().send(query)), { name: 'ValidationException', message, status: 400 });
      });
    }

    it('resumes from a start key inside the condition', async () => {
      const page = await ddb().send(
        new QueryCommand({ TableName: 'events', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } }, ExclusiveStartKey: { pk: { S: 'a' }, sk: { S: 'm' } } }),
      );
      assert.deepEqual(page.Items, []);
    });
  });
});
