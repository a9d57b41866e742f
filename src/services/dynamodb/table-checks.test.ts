import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CreateTableInput, KeySchemaElement, UpdateTableInput } from '../../generated/dynamodb.js';
import { messageOf } from '../../engines/dynamodb/test-support.js';
import { checkCreateTable, checkTableName, checkTableOperationInput, checkTaggingInput, checkTagResource, checkUntagResource, checkUpdateTable } from './table-checks.js';

const INVALID = 'One or more parameter values were invalid: ';
const NAME_LENGTH = 'TableName must be at least 3 characters long and at most 255 characters long';

describe('table name checks', () => {
  const cases: [string, string, string | undefined][] = [
    ['a valid name', 'orders-2024_v1.0', undefined],
    ['an ARN', 'arn:aws:dynamodb:us-east-1:000000000000:table/orders', undefined],
    ['two characters', 'ab', NAME_LENGTH],
    ['256 characters', 'a'.repeat(256), NAME_LENGTH],
    ['a character outside the pattern', 'abc;', "1 validation error detected: Value 'abc;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"],
  ];
  for (const [name, tableName, message] of cases) {
    it(name, () => {
      assert.equal(messageOf(() => { checkTableName(tableName); }), message);
    });
  }
});

describe('TableName before the model constraints, on table operations only', () => {
  const REQUIRED = "The parameter 'TableName' is required but was not present in the request";
  const cases: [string, string, Record<string, unknown>, string | undefined][] = [
    ['DescribeTable without TableName', 'DescribeTable', {}, REQUIRED],
    ['CreateTable without TableName', 'CreateTable', { KeySchema: [] }, REQUIRED],
    ['DeleteTable with an empty TableName', 'DeleteTable', { TableName: '' }, NAME_LENGTH],
    ['UpdateTable with a short TableName', 'UpdateTable', { TableName: 'a;' }, NAME_LENGTH],
    ['DescribeTimeToLive with a long TableName', 'DescribeTimeToLive', { TableName: 'a'.repeat(256) }, NAME_LENGTH],
    ["CreateTable with a short TableName (left to the model's validator)", 'CreateTable', { TableName: 'ab' }, undefined],
    ['DescribeTable with a table ARN', 'DescribeTable', { TableName: 'arn:aws:dynamodb:us-east-1:000000000000:table/orders' }, undefined],
    ['GetItem (left to the model constraints)', 'GetItem', {}, undefined],
  ];
  for (const [name, operation, input, message] of cases) {
    it(name, () => {
      assert.equal(messageOf(() => { checkTableOperationInput(operation, input); }), message);
    });
  }
});

const hash = (name: string) => ({ AttributeName: name, KeyType: 'HASH' as const });
const range = (name: string) => ({ AttributeName: name, KeyType: 'RANGE' as const });
const defs = (...names: string[]) => names.map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const }));
const base: CreateTableInput = { TableName: 'orders', AttributeDefinitions: defs('a', 'b'), KeySchema: [hash('a'), range('b')], BillingMode: 'PAY_PER_REQUEST' };
const lsi = (name: string, keys: KeySchemaElement[] = [hash('a'), range('c')]) => ({ IndexName: name, KeySchema: keys, Projection: { ProjectionType: 'ALL' as const } });
const gsi = (name: string, keys: KeySchemaElement[] = [hash('c')]) => ({ IndexName: name, KeySchema: keys, Projection: { ProjectionType: 'ALL' as const } });

describe('CreateTable checks, in DynamoDB order', () => {
  const cases: [string, Partial<CreateTableInput>, string | undefined][] = [
    ['a valid table', {}, undefined],
    ['a valid table with indexes', { AttributeDefinitions: defs('a', 'b', 'c'), LocalSecondaryIndexes: [lsi('byC')], GlobalSecondaryIndexes: [gsi('byC2')] }, undefined],
    ['PROVISIONED without throughput', { BillingMode: undefined, KeySchema: [hash('z')] }, `${INVALID}ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`],
    ['throughput with PAY_PER_REQUEST', { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }, `${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`],
    ['too much capacity', { BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1_000_000_000_001, WriteCapacityUnits: 1 } }, 'Given value 1000000000001 for ReadCapacityUnits is out of bounds'],
    ['more keys than definitions', { AttributeDefinitions: defs('a') }, 'Invalid KeySchema: Some index key attribute have no definition'],
    ['an undefined key', { AttributeDefinitions: defs('a', 'c') }, `${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [a, b], AttributeDefinitions: [a, c]`],
    ['the same name twice', { KeySchema: [hash('a'), range('a')] }, 'Both the Hash Key and the Range Key element in the KeySchema have the same name'],
    ['RANGE first', { KeySchema: [range('a'), hash('b')] }, 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type'],
    ['an unused definition', { AttributeDefinitions: defs('a', 'b', 'c') }, `${INVALID}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`],
    ['an empty LSI list', { LocalSecondaryIndexes: [] }, `${INVALID}List of LocalSecondaryIndexes is empty`],
    ['an LSI on a hash-only table', { AttributeDefinitions: defs('a', 'c'), KeySchema: [hash('a')], LocalSecondaryIndexes: [lsi('byC')] }, `${INVALID}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`],
    ['an LSI with another hash key', { AttributeDefinitions: defs('a', 'b', 'c'), LocalSecondaryIndexes: [lsi('byC', [hash('b'), range('c')])] }, `${INVALID}Index KeySchema does not have the same leading hash key as table KeySchema for index: byC. index hash key: b, table hash key: a`],
    ['an LSI without a range key', { AttributeDefinitions: defs('a', 'b'), LocalSecondaryIndexes: [lsi('byA', [hash('a')])] }, `${INVALID}Index KeySchema does not have a range key for index: byA`],
    ['an empty GSI list', { GlobalSecondaryIndexes: [] }, `${INVALID}List of GlobalSecondaryIndexes is empty`],
    ['a GSI on an undefined attribute', { GlobalSecondaryIndexes: [gsi('byC', [hash('c'), range('d')])] }, `${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [c, d], AttributeDefinitions: [a, b]`],
    [
      'a GSI with throughput on PAY_PER_REQUEST',
      { AttributeDefinitions: defs('a', 'b', 'c'), GlobalSecondaryIndexes: [{ ...gsi('byC'), ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }] },
      `${INVALID}ProvisionedThroughput should not be specified for index: byC when BillingMode is PAY_PER_REQUEST`,
    ],
    [
      'NonKeyAttributes without INCLUDE',
      { AttributeDefinitions: defs('a', 'b', 'c'), GlobalSecondaryIndexes: [{ ...gsi('byC'), Projection: { ProjectionType: 'KEYS_ONLY', NonKeyAttributes: ['x'] } }] },
      `${INVALID}ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified`,
    ],
    ['a duplicate index name', { AttributeDefinitions: defs('a', 'b', 'c'), LocalSecondaryIndexes: [lsi('byC')], GlobalSecondaryIndexes: [gsi('byC')] }, `${INVALID}Duplicate index name: byC`],
    [
      'six LSIs',
      { AttributeDefinitions: defs('a', 'b', 'c'), LocalSecondaryIndexes: Array.from({ length: 6 }, (_, i) => lsi(`i${i}x`)) },
      `${INVALID}Number of LocalSecondaryIndexes exceeds per-table limit of 5`,
    ],
  ];
  for (const [name, changes, message] of cases) {
    it(name, () => {
      assert.equal(messageOf(() => { checkCreateTable({ ...base, ...changes }); }), message);
    });
  }
});

describe('UpdateTable checks', () => {
  const cases: [string, UpdateTableInput, string | undefined][] = [
    ['a billing change', { TableName: 'orders', BillingMode: 'PAY_PER_REQUEST' }, undefined],
    ['deletion protection alone', { TableName: 'orders', DeletionProtectionEnabled: true }, undefined],
    ['nothing to change', { TableName: 'orders' }, 'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required'],
    ['PROVISIONED without throughput', { TableName: 'orders', BillingMode: 'PROVISIONED' }, `${INVALID}ProvisionedThroughput must be specified when BillingMode is PROVISIONED`],
    ['too much capacity', { TableName: 'orders', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1_000_000_000_001 } }, 'Given value 1000000000001 for WriteCapacityUnits is out of bounds'],
    ['an empty index update', { TableName: 'orders', GlobalSecondaryIndexUpdates: [{}] }, `${INVALID}One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null`],
    [
      'two updates of one index',
      { TableName: 'orders', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byC' } }, { Update: { IndexName: 'byC', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } }] },
      `${INVALID}Only one global secondary index update per index is allowed simultaneously. Index: byC`,
    ],
  ];
  for (const [name, input, message] of cases) {
    it(name, () => {
      assert.equal(messageOf(() => { checkUpdateTable(input); }), message);
    });
  }
});

describe('tagging ResourceArn checks', () => {
  const caller = { accessKeyId: 'test', arn: 'arn:aws:iam::000000000000:root', userId: '000000000000' };
  const ctx = { account: '000000000000', region: 'us-east-1', requestId: 'r', service: 'dynamodb', operation: 'TagResource', caller };
  const table = 'arn:aws:dynamodb:us-east-1:000000000000:table/orders';
  const denied = (resource: string): string => `User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:TagResource on resource: ${resource}`;
  const invalid = (arn: string): string => `Invalid TableArn: Invalid ResourceArn provided as input ${arn}`;
  const cases: [string, string, number, { name: string; message: string } | undefined][] = [
    ['a table ARN with tags', table, 1, undefined],
    ['not an ARN', 'abcd', 1, { name: 'ValidationException', message: "One or more parameter values were invalid: ARNs must start with 'arn:': abcd" }],
    ['an ARN too short to name a service resource', 'arn:not/a/good/format', 1, { name: 'AccessDeniedException', message: denied('arn:not/a/good/format') }],
    ['an ARN of another service', 'arn:aws:s3:::bucket/key', 1, { name: 'AccessDeniedException', message: denied('arn:aws:s3:::bucket/key') }],
    [
      'a DynamoDB ARN that is not a table',
      'arn:aws:dynamodb:us-east-1:000000000000:global-table/orders',
      1,
      { name: 'ValidationException', message: 'One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: arn:aws:dynamodb:us-east-1:000000000000:global-table/orders' },
    ],
    ["another account's table", 'arn:aws:dynamodb:us-east-1:111111111111:table/orders', 1, { name: 'AccessDeniedException', message: denied('arn:aws:dynamodb:us-east-1:111111111111:table/orders') }],
    ["another region's table", 'arn:aws:dynamodb:eu-west-1:000000000000:table/orders', 1, { name: 'ValidationException', message: invalid('arn:aws:dynamodb:eu-west-1:000000000000:table/orders') }],
    ['a table ARN with a short name', 'arn:aws:dynamodb:us-east-1:000000000000:table/ab', 1, { name: 'ValidationException', message: invalid('arn:aws:dynamodb:us-east-1:000000000000:table/ab') }],
    ['no tags', table, 0, { name: 'ValidationException', message: 'Atleast one Tag needs to be provided as Input.' }],
  ];
  for (const [name, arn, tagCount, expected] of cases) {
    it(name, () => {
      try {
        checkTagResource(arn, tagCount, ctx);
        assert.equal(expected, undefined);
      } catch (error) {
        assert.deepEqual({ name: (error as { code?: string }).code ?? (error as Error).name, message: (error as Error).message }, expected);
      }
    });
  }

  const before: [string, string, Record<string, unknown>, { name: string; message: string } | undefined][] = [
    ['no ResourceArn', 'UntagResource', {}, { name: 'ValidationException', message: 'Invalid TableArn' }],
    ['an empty ResourceArn, before the model refuses it', 'ListTagsOfResource', { ResourceArn: '' }, { name: 'AccessDeniedException', message: 'User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:ListTagsOfResource on resource: *' }],
    ['not an ARN is left for after the model', 'TagResource', { ResourceArn: 'abcd' }, undefined],
    ['an ARN of another service, before the missing Tags', 'TagResource', { ResourceArn: 'arn:aws:sqs:us-east-1:000000000000:q' }, { name: 'AccessDeniedException', message: denied('arn:aws:sqs:us-east-1:000000000000:q') }],
    ['a DynamoDB ARN that is not a table is left for later', 'TagResource', { ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:x/g' }, undefined],
    ['another operation', 'DescribeTable', {}, undefined],
  ];
  for (const [name, operation, input, expected] of before) {
    it(`before the model: ${name}`, () => {
      try {
        checkTaggingInput(operation, input, caller);
        assert.equal(expected, undefined);
      } catch (error) {
        assert.deepEqual({ name: (error as { code?: string }).code ?? (error as Error).name, message: (error as Error).message }, expected);
      }
    });
  }

  it('untagging needs at least one key', () => {
    assert.equal(messageOf(() => { checkUntagResource(table, 0, ctx); }), 'Atleast one Tag Key needs to be provided as Input.');
  });
});
