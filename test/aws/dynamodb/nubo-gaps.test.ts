/**
 * Answers the nubo-db/dynamodb-conformance suite (TypeScript and the SDK, each test checked against real
 * DynamoDB in 2026) showed Nimbus getting wrong: DynamoDB's newer validation wording, a throughput update
 * that changes nothing, key errors inside a read transaction, the 4 MB transaction limit, nested paths in
 * PartiQL SELECT, and the tagging operations' ARN checks.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  CreateTableCommand,
  DynamoDBClient,
  ExecuteStatementCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TagResourceCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import type { RejectedCall } from '../../helpers/assertions.js';
import { failureOf, rejection } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

const ARN_PREFIX = 'arn:aws:dynamodb:us-east-1:000000000000:table/';

describe('DynamoDB answers the nubo-db conformance suite showed', () => {
  const nimbus = useNimbus();
  let dynamodb: DynamoDBClient;

  beforeEach(async () => {
    dynamodb = new DynamoDBClient(clientSettings(nimbus()));
    await dynamodb.send(new CreateTableCommand({
      TableName: 'items',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    }));
  });

  it("sizes CreateTable's name with the model validator's words", async () => {
    const failure = await failureOf(() => dynamodb.send(new CreateTableCommand({
      TableName: 'ab',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    })));
    assert.deepEqual(failure, {
      name: 'ValidationException',
      message: "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
      status: 400,
    });
  });

  it('prints a key schema of three elements as Java prints it', async () => {
    const failure = await failureOf(() => dynamodb.send(new CreateTableCommand({
      TableName: 'three',
      AttributeDefinitions: ['a', 'b', 'c'].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
      KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'b', KeyType: 'RANGE' }, { AttributeName: 'c', KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
    })));
    assert.equal(
      failure.message,
      "1 validation error detected: Value '[KeySchemaElement(attributeName=a, keyType=HASH), KeySchemaElement(attributeName=b, keyType=RANGE), KeySchemaElement(attributeName=c, keyType=RANGE)]' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2",
    );
  });

  it("names Query's Limit in words of its own, and Scan's as the model does", async () => {
    const query = await failureOf(() => dynamodb.send(new QueryCommand({ TableName: 'items', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'x' } }, Limit: 0 })));
    assert.equal(query.message, "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
    const scan = await failureOf(() => dynamodb.send(new ScanCommand({ TableName: 'items', Limit: 0 })));
    assert.equal(scan.message, "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
  });

  it('refuses a throughput update that changes nothing', async () => {
    const failure = await failureOf(() => dynamodb.send(new UpdateTableCommand({ TableName: 'items', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } })));
    assert.deepEqual(failure, {
      name: 'ValidationException',
      message:
        'The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for the table: 5. Requested WriteCapacityUnits: 5. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
      status: 400,
    });
    const changed = await dynamodb.send(new UpdateTableCommand({ TableName: 'items', ProvisionedThroughput: { ReadCapacityUnits: 6, WriteCapacityUnits: 5 } }));
    assert.equal(changed.TableDescription?.ProvisionedThroughput?.ReadCapacityUnits, 6);
  });

  it('cancels a read transaction whose key does not fit its table, the first such action only', async () => {
    const failure = await rejection(dynamodb.send(new TransactGetItemsCommand({
      TransactItems: [
        { Get: { TableName: 'items', Key: { pk: { S: 'fine' } } } },
        { Get: { TableName: 'items', Key: {} } },
        { Get: { TableName: 'items', Key: { other: { S: 'x' } } } },
      ],
    })));
    assert.equal(failure.name, 'TransactionCanceledException');
    assert.equal(failure.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError, None]');
    assert.deepEqual((failure as RejectedCall & { CancellationReasons?: unknown }).CancellationReasons, [
      { Code: 'None' },
      { Code: 'ValidationError', Message: 'The provided key element does not match the schema' },
      { Code: 'None' },
    ]);
  });

  it('refuses a write transaction whose items add up past 4 MB, and takes one just under', async () => {
    const puts = (count: number, prefix: string) =>
      Array.from({ length: count }, (_, i) => ({ Put: { TableName: 'items', Item: { pk: { S: `${prefix}-${i}` }, payload: { S: 'x'.repeat(350_000) } } } }));
    await dynamodb.send(new TransactWriteItemsCommand({ TransactItems: puts(11, 'fits') }));
    const failure = await failureOf(() => dynamodb.send(new TransactWriteItemsCommand({ TransactItems: puts(12, 'over') })));
    assert.equal(failure.name, 'ValidationException');
    assert.match(failure.message, /4MB limit/);
    // Scan pages stop at 1 MB read, so a few items a page: count every page.
    let written = 0;
    let start: Record<string, AttributeValue> | undefined;
    for (let page = 0; page < 20; page += 1) {
      const output = await dynamodb.send(new ScanCommand({ TableName: 'items', Select: 'COUNT', ...(start ? { ExclusiveStartKey: start } : {}) }));
      written += output.Count ?? 0;
      start = output.LastEvaluatedKey;
      if (!start) break;
    }
    assert.equal(written, 11);
  });

  it('answers a nested path in a PartiQL SELECT as a top-level attribute', async () => {
    await dynamodb.send(new PutItemCommand({ TableName: 'items', Item: { pk: { S: 'p' }, mymap: { M: { nested: { S: 'deep' } } } } }));
    const output = await dynamodb.send(new ExecuteStatementCommand({ Statement: `SELECT mymap.nested, pk FROM "items" WHERE pk = 'p'` }));
    assert.deepEqual(output.Items, [{ nested: { S: 'deep' }, pk: { S: 'p' } }]);
  });

  describe('tagging ARNs', () => {
    const cases: [string, string, { name: string; message: string }][] = [
      ['not an ARN', 'not-a-valid-arn', { name: 'ValidationException', message: "One or more parameter values were invalid: ARNs must start with 'arn:': not-a-valid-arn" }],
      [
        "another account's table",
        'arn:aws:dynamodb:us-east-1:111122223333:table/items',
        { name: 'AccessDeniedException', message: 'User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:TagResource on resource: arn:aws:dynamodb:us-east-1:111122223333:table/items' },
      ],
      ["another region's table", 'arn:aws:dynamodb:eu-west-1:000000000000:table/items', { name: 'ValidationException', message: 'Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:eu-west-1:000000000000:table/items' }],
      ['a missing table of this account', `${ARN_PREFIX}missing`, { name: 'ResourceNotFoundException', message: `Requested resource not found: ResourceArn: ${ARN_PREFIX}missing not found` }],
    ];
    for (const [name, arn, expected] of cases) {
      it(`TagResource on ${name}`, async () => {
        const failure = await failureOf(() => dynamodb.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'env', Value: 'test' }] })));
        assert.deepEqual(failure, { ...expected, status: 400 });
      });
    }

    it("tags this account's table", async () => {
      await dynamodb.send(new TagResourceCommand({ ResourceArn: `${ARN_PREFIX}items`, Tags: [{ Key: 'env', Value: 'test' }] }));
      const output = await dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: `${ARN_PREFIX}items` }));
      assert.deepEqual(output.Tags, [{ Key: 'env', Value: 'test' }]);
    });
  });
});
