import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceError } from '../shared/errors.js';
import { coralBase64Problem } from './coral.js';
import { jsonRpcProtocol } from './json-rpc.js';
import { loadServiceModel } from './model.js';
import { wireRequest } from './test-support.js';

const dynamodb = loadServiceModel('dynamodb');
const ssm = loadServiceModel('ssm');

function dynamoRequest(operation: string, body: unknown): ReturnType<typeof wireRequest> {
  return wireRequest({ headers: { 'x-amz-target': `DynamoDB_20120810.${operation}`, 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(body) });
}

/** Parses a DynamoDB request and answers the SerializationException message it fails with. */
function serializationMessage(operation: string, body: unknown): string {
  const request = dynamoRequest(operation, body);
  try {
    jsonRpcProtocol.parseInput(dynamodb, dynamodb.operations[operation], request);
  } catch (error) {
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, 'SerializationException');
    return error.message;
  }
  assert.fail('the request parsed');
}

describe('Coral deserialization messages (DynamoDB)', () => {
  const cases: [string, string, unknown, string][] = [
    // A string member.
    ['GetItem', 'TableName', true, 'TRUE_VALUE cannot be converted to String'],
    ['GetItem', 'TableName', false, 'FALSE_VALUE cannot be converted to String'],
    ['GetItem', 'TableName', 23, 'NUMBER_VALUE cannot be converted to String'],
    ['GetItem', 'TableName', 2147483648, 'NUMBER_VALUE cannot be converted to String'],
    ['GetItem', 'TableName', 34.56, 'DECIMAL_VALUE cannot be converted to String'],
    ['GetItem', 'TableName', [], 'Unrecognized collection type class java.lang.String'],
    ['GetItem', 'TableName', {}, 'Start of structure or map found where not expected'],
    // A boolean member.
    ['GetItem', 'ConsistentRead', '23', 'Unexpected token received from parser'],
    ['GetItem', 'ConsistentRead', 23, 'NUMBER_VALUE cannot be converted to Boolean'],
    ['GetItem', 'ConsistentRead', 34.56, 'DECIMAL_VALUE cannot be converted to Boolean'],
    ['GetItem', 'ConsistentRead', [], 'Unrecognized collection type class java.lang.Boolean'],
    ['GetItem', 'ConsistentRead', {}, 'Start of structure or map found where not expected'],
    // An integer member.
    ['Scan', 'Limit', '23', 'STRING_VALUE cannot be converted to Integer'],
    ['Scan', 'Limit', true, 'TRUE_VALUE cannot be converted to Integer'],
    ['Scan', 'Limit', [], 'Unrecognized collection type class java.lang.Integer'],
    // A list member.
    ['GetItem', 'AttributesToGet', '23', 'Unexpected field type'],
    ['GetItem', 'AttributesToGet', 34.56, 'Unexpected field type'],
    ['GetItem', 'AttributesToGet', {}, 'Start of structure or map found where not expected'],
    // A map member, of strings and of structures.
    ['GetItem', 'ExpressionAttributeNames', true, 'Unexpected field type'],
    ['GetItem', 'ExpressionAttributeNames', [], 'Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>'],
    ['GetItem', 'Key', [], 'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>'],
    ['GetItem', 'Key', 'x', 'Unexpected field type'],
  ];
  for (const [operation, member, value, message] of cases) {
    it(`${operation}.${member} = ${JSON.stringify(value)}`, () => {
      assert.equal(serializationMessage(operation, { TableName: 'table', Key: { a: { S: 'b' } }, [member]: value }), message);
    });
  }

  const nested: [string, unknown, string][] = [
    ['a structure as a map value', { Attr: 'x' }, 'Unexpected value type in payload'],
    ['a structure as a map value, given a list', { Attr: [] }, 'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue'],
    ['a string inside an attribute value', { Attr: { S: true } }, 'TRUE_VALUE cannot be converted to String'],
    ['a blob given a number', { Attr: { B: 23 } }, 'only base-64-encoded strings are convertible to bytes'],
    ['a blob given a list', { Attr: { B: [] } }, 'Unrecognized collection type class java.nio.ByteBuffer'],
    ['a blob of the wrong length', { Attr: { B: '23456' } }, 'Base64 encoded length is expected a multiple of 4 bytes but found: 5'],
    ['a blob set member with stray bits', { Attr: { BS: ['+/+='] } }, 'Invalid last non-pad Base64 character dectected'],
    ['a list of values given a scalar', { Attr: { L: [1] } }, 'Unexpected value type in payload'],
    ['a map of values given a list', { Attr: { M: [] } }, 'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>'],
  ];
  for (const [why, key, message] of nested) {
    it(why, () => {
      assert.equal(serializationMessage('GetItem', { TableName: 'table', Key: key }), message);
    });
  }
});

describe('Coral: a collection held directly in another collection, given a scalar', () => {
  const cast =
    "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of loader 'bootstrap')";
  const cases: [string, string, unknown, string][] = [
    ['a list as a map value', 'BatchWriteItem', { RequestItems: { abc: 23 } }, cast],
    ['a map as a list member', 'BatchGetItem', { RequestItems: { abc: { Keys: [true] } } }, cast],
    ['a list as a map value, given an object', 'BatchWriteItem', { RequestItems: { abc: {} } }, 'Start of structure or map found where not expected'],
    ['a map as a list member, given a list', 'BatchGetItem', { RequestItems: { abc: { Keys: [[]] } } }, 'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>'],
    ['a list as a structure field stays a field type error', 'BatchGetItem', { RequestItems: { abc: { Keys: 23 } } }, 'Unexpected field type'],
  ];
  for (const [why, operation, body, message] of cases) {
    it(why, () => {
      assert.equal(serializationMessage(operation, body), message);
    });
  }
});

describe('Coral: booleans inside attribute values', () => {
  const cases: [unknown, boolean][] = [
    ['no', false],
    ['true', true],
    ['TRUE', true],
    ['yes', false],
    ['0', false],
  ];
  for (const [value, read] of cases) {
    it(`NULL: ${JSON.stringify(value)} reads as ${String(read)}`, () => {
      const input = jsonRpcProtocol.parseInput(dynamodb, dynamodb.operations.GetItem, dynamoRequest('GetItem', { TableName: 'table', Key: { a: { NULL: value } } }));
      assert.deepEqual(input.Key, { a: { NULL: read } });
    });
  }

  for (const text of ['23', '-1', '2.5e3']) {
    it(`NULL and BOOL given the number-like string ${JSON.stringify(text)} are a serialization error`, () => {
      assert.equal(serializationMessage('GetItem', { TableName: 'table', Key: { a: { NULL: text } } }), 'Unexpected token received from parser');
      assert.equal(serializationMessage('GetItem', { TableName: 'table', Key: { a: { BOOL: text } } }), 'Unexpected token received from parser');
    });
  }

  it('a top-level boolean given a string is still a serialization error', () => {
    assert.equal(serializationMessage('GetItem', { TableName: 'table', Key: { a: { S: 'b' } }, ConsistentRead: 'true' }), 'Unexpected token received from parser');
  });
});

describe('Coral base64', () => {
  const cases: [string, string | undefined][] = [
    ['', undefined],
    ['YQ==', undefined],
    ['YWI=', undefined],
    ['YWJj', undefined],
    ['YR==', 'Invalid last non-pad Base64 character dectected'],
    ['YWJ=', 'Invalid last non-pad Base64 character dectected'],
    ['=+/=', 'Invalid last non-pad Base64 character dectected'],
    ['YWJj??!!', 'Invalid last non-pad Base64 character dectected'],
    ['YW?j', 'Invalid last non-pad Base64 character dectected'],
    ['\u00ffdog', 'Invalid last non-pad Base64 character dectected'],
    ['ZmVmZQ=!', 'Invalid last non-pad Base64 character dectected'],
    ['YW-_', 'Invalid last non-pad Base64 character dectected'],
    ['abc', 'Base64 encoded length is expected a multiple of 4 bytes but found: 3'],
  ];
  for (const [text, problem] of cases) {
    it(JSON.stringify(text), () => {
      assert.equal(coralBase64Problem(text), problem);
    });
  }
});

describe('error types on the wire', () => {
  const cases: [string, ServiceError, Record<string, unknown>][] = [
    ['a modelled DynamoDB error', new ServiceError('ResourceNotFoundException', 'Requested resource not found'), { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' }],
    ['a validation error', new ServiceError('ValidationException', '1 validation error detected'), { __type: 'com.amazon.coral.validate#ValidationException', message: '1 validation error detected' }],
    ['a serialization error', new ServiceError('SerializationException', 'Unexpected field type'), { __type: 'com.amazon.coral.service#SerializationException', Message: 'Unexpected field type' }],
  ];
  for (const [why, error, body] of cases) {
    it(why, () => {
      const response = jsonRpcProtocol.serializeError(dynamodb, error, { requestId: 'r', method: 'POST' });
      assert.deepEqual(JSON.parse(String(response.body)), body);
      assert.equal(response.status, 400);
    });
  }

  it('services without a recorded namespace answer the bare code', () => {
    const response = jsonRpcProtocol.serializeError(ssm, new ServiceError('ParameterNotFound', 'not found'), { requestId: 'r', method: 'POST' });
    assert.equal((JSON.parse(String(response.body)) as { __type: string }).__type, 'ParameterNotFound');
  });
});
