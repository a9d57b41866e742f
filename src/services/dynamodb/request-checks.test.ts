import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BatchGetItemInput, BatchWriteItemInput, DeleteItemInput, GetItemInput, PutItemInput, QueryInput, ScanInput, UpdateItemInput } from '../../generated/dynamodb.js';
import { messageOf } from '../../engines/dynamodb/test-support.js';
import { checkBatchGetItem, checkBatchPutKey, checkBatchWriteItem, checkDeleteItem, checkGetItem, checkPutItem, checkQuery, checkScan, checkUpdateItem } from './request-checks.js';

const INVALID = 'One or more parameter values were invalid: ';
const EMPTY_VALUE = 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';

interface Case<T> {
  name: string;
  input: T;
  message: string | undefined;
}

function table<T>(title: string, check: (input: T) => void, cases: Case<T>[]): void {
  describe(title, () => {
    for (const { name, input, message } of cases) {
      it(name, () => {
        assert.equal(messageOf(() => { check(input); }), message);
      });
    }
  });
}

const TableName = 'no-such-table';

table<GetItemInput>('GetItem request checks', checkGetItem, [
  { name: 'a valid request passes', input: { TableName, Key: { a: { S: 'x' } }, ProjectionExpression: '#a', ExpressionAttributeNames: { '#a': 'a' } }, message: undefined },
  {
    name: 'mixing comes before the key values',
    input: { TableName, Key: { a: {} }, AttributesToGet: ['a'], ProjectionExpression: '' },
    message: 'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
  },
  {
    name: 'names without an expression come before the key values',
    input: { TableName, Key: { a: {} }, AttributesToGet: ['a'], ExpressionAttributeNames: {} },
    message: 'ExpressionAttributeNames can only be specified when using expressions',
  },
  { name: 'key values come before AttributesToGet duplicates', input: { TableName, Key: { a: { SS: [] } }, AttributesToGet: ['a', 'a'] }, message: `${INVALID}An string set  may not be empty` },
  { name: 'AttributesToGet duplicates', input: { TableName, Key: {}, AttributesToGet: ['a', 'a'] }, message: `${INVALID}Duplicate value in attribute name: a` },
  { name: 'key values come before the expressions', input: { TableName, Key: { a: {} }, ProjectionExpression: '' }, message: EMPTY_VALUE },
  { name: 'an empty projection', input: { TableName, Key: {}, ProjectionExpression: '' }, message: 'Invalid ProjectionExpression: The expression can not be empty;' },
  {
    name: 'unused names',
    input: { TableName, Key: {}, ProjectionExpression: 'a', ExpressionAttributeNames: { '#a': 'a', '#b': 'b' } },
    message: 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}',
  },
]);

table<PutItemInput>('PutItem request checks', checkPutItem, [
  { name: 'a valid request passes', input: { TableName, Item: { a: { S: 'x' } }, ConditionExpression: 'attribute_not_exists(a)' }, message: undefined },
  { name: 'item values first', input: { TableName, Item: { a: { NULL: false } }, ReturnValues: 'ALL_NEW' }, message: `${INVALID}Null attribute value types must have the value of true` },
  { name: 'ReturnValues', input: { TableName, Item: {}, ReturnValues: 'ALL_NEW' }, message: 'ReturnValues can only be ALL_OLD or NONE' },
  { name: 'item size', input: { TableName, Item: { a: { S: 'x'.repeat(400 * 1024) } } }, message: 'Item size has exceeded the maximum allowed size' },
  {
    name: 'Expected before the expressions',
    input: { TableName, Item: {}, Expected: { a: { Exists: true } } },
    message: `${INVALID}Value must be provided when Exists is true for Attribute: a`,
  },
  { name: 'a condition syntax error', input: { TableName, Item: {}, ConditionExpression: 'a =' }, message: 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "="' },
]);

table<DeleteItemInput>('DeleteItem request checks', checkDeleteItem, [
  { name: 'a valid request passes', input: { TableName, Key: { a: { S: 'x' } } }, message: undefined },
  { name: 'key values', input: { TableName, Key: { a: { N: 'b' } } }, message: 'The parameter cannot be converted to a numeric value: b' },
  {
    name: 'values without an expression',
    input: { TableName, Key: {}, ExpressionAttributeValues: {} },
    message: 'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null',
  },
]);

table<UpdateItemInput>('UpdateItem request checks', checkUpdateItem, [
  { name: 'a valid request passes', input: { TableName, Key: { a: { S: 'x' } }, UpdateExpression: 'SET b = :b', ExpressionAttributeValues: { ':b': { S: 'y' } } }, message: undefined },
  { name: 'AttributeUpdates without a value', input: { TableName, Key: {}, AttributeUpdates: { b: { Action: 'PUT' } } }, message: `${INVALID}Only DELETE action is allowed when no attribute value is specified` },
  { name: 'AttributeUpdates ADD on a string', input: { TableName, Key: {}, AttributeUpdates: { b: { Action: 'ADD', Value: { S: 'x' } } } }, message: `${INVALID}ADD action is not supported for the type S` },
  {
    name: 'unused values',
    input: { TableName, Key: {}, UpdateExpression: 'REMOVE b', ExpressionAttributeValues: { ':b': { S: 'y' } } },
    message: 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}',
  },
]);

table<QueryInput>('Query request checks', checkQuery, [
  { name: 'a valid request passes', input: { TableName, KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': { S: 'x' } } }, message: undefined },
  {
    name: 'a Limit under 1 is named, its value not echoed',
    input: { TableName, KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': { S: 'x' } }, Limit: 0 },
    message: "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
  },
  {
    name: 'a bad starting key says so',
    input: { TableName, KeyConditionExpression: '', ExclusiveStartKey: { a: { S: 'a', N: '1' } } },
    message: 'The provided starting key is invalid: Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
  },
  { name: 'but not for its numbers', input: { TableName, KeyConditionExpression: '', ExclusiveStartKey: { a: { N: 'b' } } }, message: 'The parameter cannot be converted to a numeric value: b' },
  { name: 'a key condition is required', input: { TableName }, message: 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.' },
  {
    name: 'KeyConditions values are checked',
    input: { TableName, KeyConditions: { a: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'x' }, { S: 'y' }] } } },
    message: `${INVALID}Invalid number of argument(s) for the EQ ComparisonOperator`,
  },
  {
    name: 'at most two KeyConditions',
    input: {
      TableName,
      KeyConditions: {
        a: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'x' }] },
        b: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'x' }] },
        c: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'x' }] },
      },
    },
    message: 'Conditions can be of length 1 or 2 only',
  },
  { name: 'an empty key condition expression', input: { TableName, KeyConditionExpression: '' }, message: 'Invalid KeyConditionExpression: The expression can not be empty;' },
]);

table<ScanInput>('Scan request checks', checkScan, [
  { name: 'a valid request passes', input: { TableName, Segment: 1, TotalSegments: 2 }, message: undefined },
  { name: 'Segment needs TotalSegments', input: { TableName, Segment: 1 }, message: 'The TotalSegments parameter is required but was not present in the request when Segment parameter is present' },
  { name: 'TotalSegments needs Segment', input: { TableName, TotalSegments: 2 }, message: 'The Segment parameter is required but was not present in the request when parameter TotalSegments is present' },
  {
    name: 'Segment is below TotalSegments',
    input: { TableName, Segment: 2, TotalSegments: 2 },
    message: 'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 2 is not less than TotalSegments: 2',
  },
  { name: 'ScanFilter values', input: { TableName, ScanFilter: { a: { ComparisonOperator: 'NULL', AttributeValueList: [{ S: 'x' }] } } }, message: `${INVALID}Invalid number of argument(s) for the NULL ComparisonOperator` },
]);

table<BatchGetItemInput>('BatchGetItem request checks', checkBatchGetItem, [
  { name: 'a valid request passes', input: { RequestItems: { [TableName]: { Keys: [{ a: { S: 'x' } }, { a: { S: 'y' } }] } } }, message: undefined },
  { name: 'duplicate keys', input: { RequestItems: { [TableName]: { Keys: [{ a: { S: 'x' } }, { a: { S: 'x' } }] } } }, message: 'Provided list of item keys contains duplicates' },
  {
    name: 'more than 100 keys for one table',
    input: { RequestItems: { [TableName]: { Keys: Array.from({ length: 101 }, (_, i) => ({ a: { S: String(i) } })) } } },
    message: `1 validation error detected: Value at 'RequestItems.${TableName}.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100`,
  },
  {
    name: 'more than 100 keys across tables',
    input: {
      RequestItems: {
        [TableName]: { Keys: Array.from({ length: 60 }, (_, i) => ({ a: { S: String(i) } })) },
        other: { Keys: Array.from({ length: 41 }, (_, i) => ({ a: { S: String(i) } })) },
      },
    },
    message: 'Too many items requested for the BatchGetItem call',
  },
  { name: 'AttributesToGet duplicates', input: { RequestItems: { [TableName]: { Keys: [{ a: { S: 'x' } }], AttributesToGet: ['b', 'b'] } } }, message: `${INVALID}Duplicate value in attribute name: b` },
]);

table<BatchWriteItemInput>('BatchWriteItem request checks', checkBatchWriteItem, [
  { name: 'a valid request passes', input: { RequestItems: { [TableName]: [{ PutRequest: { Item: { a: { S: 'x' } } } }, { DeleteRequest: { Key: { a: { S: 'y' } } } }] } }, message: undefined },
  {
    name: 'an empty write request',
    input: { RequestItems: { [TableName]: [{}] } },
    message: 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
  },
  { name: 'put item values', input: { RequestItems: { [TableName]: [{ PutRequest: { Item: { a: { BS: [] } } } }] } }, message: `${INVALID}Binary sets should not be empty` },
  { name: 'put item size', input: { RequestItems: { [TableName]: [{ PutRequest: { Item: { a: { S: 'x'.repeat(400 * 1024) } } } }] } }, message: 'Item size has exceeded the maximum allowed size' },
]);

describe('BatchWriteItem put keys', () => {
  const schema = { partitionKey: { name: 'a', type: 'S' as const }, sortKey: { name: 'b', type: 'N' as const } };
  const cases: [string, Parameters<typeof checkBatchPutKey>[0], string | undefined][] = [
    ['both keys', { a: { S: 'x' }, b: { N: '1' }, c: { BOOL: true } }, undefined],
    ['a missing sort key', { a: { S: 'x' } }, 'The provided key element does not match the schema'],
    ['a partition key of another type', { a: { N: '1' }, b: { N: '1' } }, 'The provided key element does not match the schema'],
  ];
  for (const [name, item, message] of cases) {
    it(name, () => {
      assert.equal(messageOf(() => { checkBatchPutKey(item, schema); }), message);
    });
  }
});
