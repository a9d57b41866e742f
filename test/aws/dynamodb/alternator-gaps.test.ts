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
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  QueryCommand,
  TagResourceCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { failureOf } from '../../helpers/assertions.js';
import { rawRequest } from '../../helpers/raw-http.js';
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

  describe('tags', () => {
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/items';
    const tags = (count: number, from = 0) => Array.from({ length: count }, (_, i) => ({ Key: `k${String(from + i)}`, Value: 'v' }));

    it('keeps at most 50 tags on a table, refusing more as a ValidationException', async () => {
      await dynamodb.send(new TagResourceCommand({ ResourceArn: arn, Tags: tags(40) }));
      const failure = await failureOf(() => dynamodb.send(new TagResourceCommand({ ResourceArn: arn, Tags: tags(20, 40) })));
      assert.deepEqual(failure, { name: 'ValidationException', message: 'Too many tags: a resource can have at most 50 tags', status: 400 });
      assert.equal((await dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags?.length, 40);
    });

    it('creates no table when its tags are too many', async () => {
      const failure = await failureOf(() => dynamodb.send(new CreateTableCommand({
        TableName: 'tagged',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        Tags: tags(100),
      })));
      assert.equal(failure.name, 'ValidationException');
      assert.equal((await failureOf(() => dynamodb.send(new DescribeTableCommand({ TableName: 'tagged' })))).name, 'ResourceNotFoundException');
    });

    it('takes letters of any script but refuses characters outside the allowed set', async () => {
      await dynamodb.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'законные буквы', Value: 'ѮѮ value:+-=._/@' }] }));
      for (const text of ['hi!', 'd%g', '"hello"']) {
        assert.equal((await failureOf(() => dynamodb.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: text, Value: 'dog' }] })))).name, 'ValidationException');
        assert.equal((await failureOf(() => dynamodb.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'dog', Value: text }] })))).name, 'ValidationException');
      }
    });
  });

  describe('malformed requests sent by hand', () => {
    const headersFor = (target: string) => ({
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${target}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc',
    });
    const send = async (target: string, body: string) => {
      const answer = await rawRequest(Number(new URL(nimbus().endpoint).port), { method: 'POST', path: '/', headers: headersFor(target), body });
      return { status: answer.status, ...(JSON.parse(answer.text) as { __type: string; message?: string; Message?: string }) };
    };
    const notNull = (path: string) => `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`;
    const cases: [string, string, string, string][] = [
      ['a null list of writes', 'BatchWriteItem', '{"RequestItems": {"items": null}}', notNull('requestItems.items.member')],
      ['a null write', 'BatchWriteItem', '{"RequestItems": {"items": [null]}}', notNull('requestItems.items.member.1.member')],
      ['a null key to get', 'BatchGetItem', '{"RequestItems": {"items": {"Keys": [null]}}}', notNull('requestItems.items.member.keys.1.member')],
      ['a null transaction action', 'TransactWriteItems', '{"TransactItems": [null]}', notNull('transactItems.1.member')],
      ['a null read in a transaction', 'TransactGetItems', '{"TransactItems": [{"Get": {"TableName": "items", "Key": {"pk": {"S": "a"}, "sk": {"S": "b"}}}}, null]}', notNull('transactItems.2.member')],
    ];
    for (const [name, target, body, message] of cases) {
      it(`refuses ${name} as a member that must not be null`, async () => {
        assert.deepEqual(await send(target, body), { status: 400, __type: 'com.amazon.coral.validate#ValidationException', message });
      });
    }

    it('answers TagResource and UntagResource with an empty body', async () => {
      const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/items';
      for (const [target, body] of [['TagResource', `{"ResourceArn": "${arn}", "Tags": [{"Key": "k", "Value": "v"}]}`], ['UntagResource', `{"ResourceArn": "${arn}", "TagKeys": ["k"]}`]]) {
        const answer = await rawRequest(Number(new URL(nimbus().endpoint).port), { method: 'POST', path: '/', headers: headersFor(target), body });
        assert.deepEqual({ status: answer.status, text: answer.text }, { status: 200, text: '' });
      }
    });

    it('refuses a request over 16 MB with a 413, and takes one just under', async () => {
      const padded = (bytes: number) => `{"TableName": "items", ${' '.repeat(bytes)}"Item": {"pk": {"S": "big"}, "sk": {"S": "x"}}}`;
      const port = Number(new URL(nimbus().endpoint).port);
      const over = await rawRequest(port, { method: 'POST', path: '/', headers: headersFor('PutItem'), body: padded(16 * 1024 * 1024) });
      assert.equal(over.status, 413);
      assert.equal((JSON.parse(over.text) as { __type: string }).__type, 'RequestEntityTooLargeException');
      const under = await rawRequest(port, { method: 'POST', path: '/', headers: headersFor('PutItem'), body: padded(16 * 1024 * 1024 - 200) });
      assert.equal(under.status, 200);
    });

    it('answers a body that is not JSON with a bare SerializationException', async () => {
      assert.deepEqual(await send('PutItem', '{broken json'), { status: 400, __type: 'com.amazon.coral.service#SerializationException' });
    });

    it('refuses base64 with characters outside the alphabet', async () => {
      assert.deepEqual(await send('PutItem', '{"TableName": "items", "Item": {"pk": {"S": "a"}, "sk": {"S": "b"}, "c": {"B": "YWJj??!!"}}}'), {
        status: 400,
        __type: 'com.amazon.coral.service#SerializationException',
        Message: 'Invalid last non-pad Base64 character dectected',
      });
    });
  });
});
