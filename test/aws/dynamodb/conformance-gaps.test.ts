/**
 * Answers an independent suite written against the real service (dynalite's) showed Nimbus getting wrong,
 * and one where that suite is older than the service: an empty key value is worded "are not valid." by
 * every operation that takes a key today (GetItem's "were invalid:" in the suite dates from May 2020).
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { rawRequest } from '../../helpers/raw-http.js';
import { failureOf } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

interface Failure {
  name: string;
  message: string;
  status: number | undefined;
}

function validation(message: string): Failure {
  return { name: 'ValidationException', message, status: 400 };
}

describe('DynamoDB conformance gaps', () => {
  const nimbus = useNimbus();
  const ddb = (): DynamoDBClient => new DynamoDBClient(clientSettings(nimbus()));

  describe('an empty key value', () => {
    const table = 'keys';
    beforeEach(async () => {
      await ddb().send(
        new CreateTableCommand({
          TableName: table,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'B' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    });

    const emptyString: Record<string, AttributeValue> = { pk: { S: '' }, sk: { B: Buffer.from('x') } };
    const emptyBinary: Record<string, AttributeValue> = { pk: { S: 'a' }, sk: { B: new Uint8Array(0) } };
    const STRING = 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk';
    const BINARY = 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: sk';
    const cases: [string, (c: DynamoDBClient, key: Record<string, AttributeValue>) => Promise<unknown>][] = [
      ['GetItem', (c, key) => c.send(new GetItemCommand({ TableName: table, Key: key }))],
      ['DeleteItem', (c, key) => c.send(new DeleteItemCommand({ TableName: table, Key: key }))],
      ['UpdateItem', (c, key) => c.send(new UpdateItemCommand({ TableName: table, Key: key, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }))],
      ['PutItem', (c, key) => c.send(new PutItemCommand({ TableName: table, Item: key }))],
      ['BatchGetItem', (c, key) => c.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: [key] } } }))],
      ['BatchWriteItem', (c, key) => c.send(new BatchWriteItemCommand({ RequestItems: { [table]: [{ DeleteRequest: { Key: key } }] } }))],
    ];
    for (const [operation, send] of cases) {
      it(`${operation} words an empty string and an empty binary key value alike`, async () => {
        assert.deepEqual(await failureOf(() => send(ddb(), emptyString)), validation(STRING));
        assert.deepEqual(await failureOf(() => send(ddb(), emptyBinary)), validation(BINARY));
      });
    }
  });

  describe('a Query key condition', () => {
    const OPERAND = 'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: ';
    const cases: [string, ConstructorParameters<typeof QueryCommand>[0], string][] = [
      ['a value of the wrong type, beside an empty filter', { TableName: 'abc', KeyConditionExpression: 'attribute_type(a, :a)', FilterExpression: '', ExpressionAttributeValues: { ':a': { N: '1' } } }, `${OPERAND}N`],
      ['a path where a type name belongs, beside an empty filter', { TableName: 'abc', KeyConditionExpression: 'attribute_type(a, b)', FilterExpression: '' }, `${OPERAND}{NS,SS,L,BS,N,M,B,BOOL,NULL,S}`],
      [
        'a sound operand, beside an empty filter',
        { TableName: 'abc', KeyConditionExpression: 'attribute_type(a, :a)', FilterExpression: '', ProjectionExpression: '', ExpressionAttributeValues: { ':a': { S: 'N' } } },
        'Invalid FilterExpression: The expression can not be empty;',
      ],
    ];
    for (const [name, input, message] of cases) {
      it(`is checked before the filter: ${name}`, async () => {
        assert.deepEqual(await failureOf(() => ddb().send(new QueryCommand(input))), validation(message));
      });
    }
  });

  describe('an update of an index key', () => {
    const table = 'indexed';
    const key = { pk: { S: 'p' }, sk: { S: 's' } };
    beforeEach(async () => {
      await ddb().send(
        new CreateTableCommand({
          TableName: table,
          AttributeDefinitions: ['pk', 'sk', 'c', 'd'].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
          LocalSecondaryIndexes: [
            { IndexName: 'byC', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'c', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
          ],
          GlobalSecondaryIndexes: [{ IndexName: 'byD', KeySchema: [{ AttributeName: 'd', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    });

    const mismatch = (attribute: string, actual: string, index: string): string =>
      `One or more parameter values were invalid: Type mismatch for Index Key ${attribute} Expected: S Actual: ${actual} IndexName: ${index}`;
    const n = { ':n': { N: '1' } };
    const cases: [string, Omit<ConstructorParameters<typeof UpdateItemCommand>[0], 'TableName' | 'Key'>, string][] = [
      ['ADD of a number', { UpdateExpression: 'ADD c :n', ExpressionAttributeValues: n }, mismatch('c', 'N', 'byC')],
      ['SET of an arithmetic result', { UpdateExpression: 'SET e = c[1], c = x + :n', ExpressionAttributeValues: n }, mismatch('c', 'N', 'byC')],
      ['SET of a list_append', { UpdateExpression: 'SET d = list_append(:l, :l)', ExpressionAttributeValues: { ':l': { L: [] } } }, mismatch('d', 'L', 'byD')],
      ['reported before a path into another index key', { UpdateExpression: 'SET d.a = x ADD c :n', ExpressionAttributeValues: n }, mismatch('c', 'N', 'byC')],
      ['AttributeUpdates PUT of a number', { AttributeUpdates: { e: { Value: { N: '2' } }, c: { Value: { N: '1' } } } }, mismatch('c', 'N', 'byC')],
      ['a path into an index key', { UpdateExpression: 'ADD d.b :n', ExpressionAttributeValues: n }, "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: d"],
    ];
    for (const [name, update, message] of cases) {
      it(`is refused before the item is read: ${name}`, async () => {
        assert.deepEqual(await failureOf(() => ddb().send(new UpdateItemCommand({ TableName: table, Key: key, ...update }))), validation(message));
      });
    }

    const SCALARS = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: ";
    const filters: [string, () => Promise<unknown>, string][] = [
      ['a Query filter into an index key', () => ddb().send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p', FilterExpression: 'attribute_exists(d.c) AND c = :n', ExpressionAttributeValues: { ':p': { S: 'p' }, ':n': { N: '1' } } })), `${SCALARS}IndexKey: d`],
      ['a Query filter naming the queried key first', () => ddb().send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p', FilterExpression: 'sk[1] = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } })), 'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk'],
      ['a Scan filter into a table key', () => ddb().send(new ScanCommand({ TableName: table, FilterExpression: 'attribute_exists(#k.b.c)', ExpressionAttributeNames: { '#k': 'pk' } })), `${SCALARS}Key: pk`],
      ['a Scan filter into an index key', () => ddb().send(new ScanCommand({ TableName: table, FilterExpression: 'c[0] = :s', ExpressionAttributeValues: { ':s': { S: 'x' } } })), `${SCALARS}IndexKey: c`],
    ];
    for (const [name, send, message] of filters) {
      it(`may not be reached into by ${name}`, async () => {
        assert.deepEqual(await failureOf(send), validation(message));
      });
    }

    it('may not start a Scan segment from a key of another segment', async () => {
      for (const pk of ['0', '1', '2', '3', '4', '5']) await ddb().send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, sk: { S: 's' } } }));
      const segmentOne = await ddb().send(new ScanCommand({ TableName: table, Segment: 1, TotalSegments: 2 }));
      const start = segmentOne.Items?.[0];
      assert.ok(start);
      assert.deepEqual(
        await failureOf(() => ddb().send(new ScanCommand({ TableName: table, Segment: 0, TotalSegments: 2, ExclusiveStartKey: { pk: start.pk, sk: start.sk } }))),
        validation('The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: 2 Segment: 0'),
      );
      const resumed = await ddb().send(new ScanCommand({ TableName: table, Segment: 1, TotalSegments: 2, ExclusiveStartKey: { pk: start.pk, sk: start.sk } }));
      assert.equal(resumed.$metadata.httpStatusCode, 200);
    });

    it('is refused once applied when only the stored item tells the type', async () => {
      await ddb().send(new PutItemCommand({ TableName: table, Item: { ...key, x: { N: '5' } } }));
      assert.deepEqual(
        await failureOf(() => ddb().send(new UpdateItemCommand({ TableName: table, Key: key, UpdateExpression: 'SET c = x' }))),
        validation('The update expression attempted to update the secondary index key to unsupported type'),
      );
    });

    it('is written when the type matches', async () => {
      const updated = await ddb().send(
        new UpdateItemCommand({ TableName: table, Key: key, UpdateExpression: 'SET c = :s', ExpressionAttributeValues: { ':s': { S: 'v' } }, ReturnValues: 'ALL_NEW' }),
      );
      assert.deepEqual(updated.Attributes, { ...key, c: { S: 'v' } });
    });
  });

  describe('an index throughput update', () => {
    const table = 'provisioned';
    beforeEach(async () => {
      await ddb().send(
        new CreateTableCommand({
          TableName: table,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        }),
      );
    });

    const BLOCKED = 'This operation cannot be performed with given input values. Please contact DynamoDB service team for more info: Action Blocked: IndexUpdate';
    const cases: [string, number, number, Failure][] = [
      ['more read capacity than DynamoDB accepts', 1_000_000_000_001, 1_000_000_000_001, validation(BLOCKED)],
      ['more write capacity than DynamoDB accepts', 1_000_000_000_000, 1_000_000_000_001, validation(BLOCKED)],
      ['a capacity within bounds, for an index that does not exist', 5, 5, { name: 'ResourceNotFoundException', message: 'Requested resource not found: Index: abc not found', status: 400 }],
    ];
    it('creates or deletes one index per call', async () => {
      const create = (name: string) => ({ Create: { IndexName: name, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } });
      assert.deepEqual(
        await failureOf(() => ddb().send(new UpdateTableCommand({ TableName: table, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], GlobalSecondaryIndexUpdates: [create('one'), { Delete: { IndexName: 'two' } }] }))),
        { name: 'LimitExceededException', message: 'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table', status: 400 },
      );
    });

    for (const [name, read, write, expected] of cases) {
      it(`answers ${name}`, async () => {
        const update = { IndexName: 'abc', ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: write } };
        assert.deepEqual(await failureOf(() => ddb().send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: [{ Update: update }] }))), expected);
      });
    }
  });

  describe('a request without a body', () => {
    it('answers a bare SerializationException', async () => {
      const answer = await rawRequest(Number(new URL(nimbus().endpoint).port), {
        method: 'POST',
        path: '/',
        headers: {
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc',
        },
      });
      assert.equal(answer.status, 400);
      assert.deepEqual(JSON.parse(answer.text), { __type: 'com.amazon.coral.service#SerializationException' });
    });
  });
});
