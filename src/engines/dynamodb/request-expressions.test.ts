import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkParameterMixing, compileRequestExpressions } from './index.js';
import { javaHashSetOrder } from './java-hash.js';
import { assertValidationError } from './test-support.js';
import type { ExpressionOperation, ExpressionRequest } from './index.js';

const MIXED = 'Can not use both expression and non-expression parameters in the same request: ';

describe('expression and legacy parameters together', () => {
  const cases: [string, ExpressionRequest, string | undefined][] = [
    [
      'Expected with ConditionExpression',
      { Expected: { pk: { Exists: false } }, ConditionExpression: 'attribute_not_exists(pk)' },
      `${MIXED}Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}`,
    ],
    [
      'AttributeUpdates with UpdateExpression',
      { AttributeUpdates: { a: {} }, UpdateExpression: 'SET a = :v' },
      `${MIXED}Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}`,
    ],
    [
      'every UpdateItem parameter',
      { AttributeUpdates: {}, Expected: {}, UpdateExpression: 'x', ConditionExpression: 'y' },
      `${MIXED}Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: {UpdateExpression, ConditionExpression}`,
    ],
    [
      'every Query parameter',
      {
        AttributesToGet: [],
        QueryFilter: {},
        ConditionalOperator: 'AND',
        KeyConditions: {},
        ProjectionExpression: 'a',
        FilterExpression: 'b',
        KeyConditionExpression: 'c',
      },
      `${MIXED}Non-expression parameters: {AttributesToGet, QueryFilter, ConditionalOperator, KeyConditions} Expression parameters: {ProjectionExpression, FilterExpression, KeyConditionExpression}`,
    ],
    [
      'Scan filters',
      { AttributesToGet: [], ScanFilter: {}, ConditionalOperator: 'OR', ProjectionExpression: 'a', FilterExpression: 'b' },
      `${MIXED}Non-expression parameters: {AttributesToGet, ScanFilter, ConditionalOperator} Expression parameters: {ProjectionExpression, FilterExpression}`,
    ],
    [
      'AttributesToGet with ProjectionExpression',
      { AttributesToGet: ['a'], ProjectionExpression: 'a' },
      `${MIXED}Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}`,
    ],
    ['KeyConditions beside a FilterExpression', { KeyConditions: {}, FilterExpression: 'a = :v' }, undefined],
    ['KeyConditions with KeyConditionExpression', { KeyConditions: {}, KeyConditionExpression: 'a = :v' }, `${MIXED}Non-expression parameters: {KeyConditions} Expression parameters: {KeyConditionExpression}`],
    ['legacy parameters alone', { Expected: {}, ConditionalOperator: 'AND' }, undefined],
    ['null parameters are absent', { Expected: null, ConditionExpression: 'a' }, undefined],
  ];
  for (const [name, request, message] of cases) {
    it(name, () => {
      if (message === undefined) assert.doesNotThrow(() => { checkParameterMixing(request); });
      else assertValidationError(() => { checkParameterMixing(request); }, message);
    });
  }
});

describe('request-level validation', () => {
  const ok = { ':v': { S: 'x' } };
  const cases: [string, ExpressionOperation, ExpressionRequest, string][] = [
    [
      'mixing comes first',
      'PutItem',
      { Expected: {}, ConditionExpression: '', ExpressionAttributeNames: {}, ExpressionAttributeValues: {} },
      `${MIXED}Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}`,
    ],
    ['names without an expression', 'GetItem', { ExpressionAttributeNames: { '#a': 'a' } }, 'ExpressionAttributeNames can only be specified when using expressions'],
    ['names checked before values', 'PutItem', { ExpressionAttributeNames: {}, ExpressionAttributeValues: {} }, 'ExpressionAttributeNames can only be specified when using expressions'],
    ['values on GetItem', 'GetItem', { ProjectionExpression: 'a', ExpressionAttributeValues: ok }, 'ExpressionAttributeValues can only be specified when using expressions'],
    ['values on PutItem', 'PutItem', { ExpressionAttributeValues: ok }, 'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null'],
    ['values on DeleteItem', 'DeleteItem', { ExpressionAttributeValues: ok }, 'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null'],
    [
      'values on UpdateItem',
      'UpdateItem',
      { ExpressionAttributeValues: ok },
      'ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null',
    ],
    [
      'values on Query with only a projection',
      'Query',
      { ProjectionExpression: 'a', ExpressionAttributeValues: ok },
      'ExpressionAttributeValues can only be specified when using expressions: FilterExpression and KeyConditionExpression are null',
    ],
    ['values on Scan', 'Scan', { ProjectionExpression: 'a', ExpressionAttributeValues: ok }, 'ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null'],
    ['empty names', 'Scan', { FilterExpression: 'a = :v', ExpressionAttributeNames: {}, ExpressionAttributeValues: ok }, 'ExpressionAttributeNames must not be empty'],
    ['empty values', 'Scan', { FilterExpression: 'a = :v', ExpressionAttributeValues: {} }, 'ExpressionAttributeValues must not be empty'],
    ['name key without #', 'Scan', { FilterExpression: 'a = :v', ExpressionAttributeNames: { a: 'a' } }, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"'],
    ['name key with a hyphen', 'Scan', { FilterExpression: 'a = :v', ExpressionAttributeNames: { '#sryLiyD8D-': 'a' } }, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "#sryLiyD8D-"'],
    ['bare # name key', 'Scan', { FilterExpression: 'a = :v', ExpressionAttributeNames: { '#': 'a' } }, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "#"'],
    ['name key with a space', 'Scan', { FilterExpression: 'a = :v', ExpressionAttributeNames: { '#a b': 'a' } }, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "#a b"'],
    ['value key as a name key', 'Scan', { FilterExpression: 'a = :v', ExpressionAttributeNames: { ':a': 'a' } }, 'ExpressionAttributeNames contains invalid key: Syntax error; key: ":a"'],
    ['empty name key', 'Scan', { FilterExpression: 'a = :v', ExpressionAttributeNames: { '': 'a' } }, 'ExpressionAttributeNames contains invalid key: The expression attribute map contains an empty key;'],
    [
      'long name key',
      'Scan',
      { FilterExpression: 'a = :v', ExpressionAttributeNames: { [`#${'a'.repeat(255)}`]: 'a' } },
      'ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: 256',
    ],
    ['value key without :', 'Scan', { FilterExpression: 'a = :v', ExpressionAttributeValues: { v: { S: 'x' } } }, 'ExpressionAttributeValues contains invalid key: Syntax error; key: "v"'],
    ['name keys before value keys', 'Scan', { FilterExpression: 'a', ExpressionAttributeNames: { a: 'a' }, ExpressionAttributeValues: { b: {} } }, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"'],
    [
      'value keys before values',
      'UpdateItem',
      { UpdateExpression: '', ExpressionAttributeValues: { ':b': {}, b: { S: 'a' } } },
      'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"',
    ],
    ['empty name value', 'Scan', { FilterExpression: '#a = :v', ExpressionAttributeNames: { '#a': '' }, ExpressionAttributeValues: ok }, 'ExpressionAttributeNames contains invalid value: Empty attribute name for key #a'],
    [
      'values before the expression',
      'UpdateItem',
      { UpdateExpression: '', ConditionExpression: '', ExpressionAttributeValues: { ':b': { NULL: false } } },
      'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: Null attribute value types must have the value of true for key :b',
    ],
    [
      'empty value',
      'PutItem',
      { ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':b': {} } },
      'ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :b',
    ],
    [
      'nested empty value',
      'PutItem',
      { ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':b': { L: [{ a: {} }] } } },
      'ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :b',
    ],
    [
      'two types',
      'PutItem',
      { ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':b': { S: 'a', N: '1' } } },
      'ExpressionAttributeValues contains invalid value: Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes for key :b',
    ],
    [
      'empty string set',
      'PutItem',
      { ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':b': { SS: [] } } },
      'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :b',
    ],
    [
      'duplicate strings',
      'PutItem',
      { ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':b': { SS: ['a', 'a'] } } },
      'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: Input collection [a, a] contains duplicates. for key :b',
    ],
    [
      'duplicate binary',
      'PutItem',
      { ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':b': { BS: ['Yg==', 'Yg=='] } } },
      'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: Input collection [Yg==, Yg==]of type BS contains duplicates. for key :b',
    ],
    [
      'empty number',
      'PutItem',
      { ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':b': { S: 'a', N: '' } } },
      'ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value for key :b',
    ],
    [
      'bad number',
      'PutItem',
      { ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':b': { NS: ['1', 'b'] } } },
      'ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: b for key :b',
    ],
    [
      'duplicate numbers',
      'PutItem',
      { ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':b': { NS: ['1', '1'] } } },
      'ExpressionAttributeValues contains invalid value: Input collection contains duplicates for key :b',
    ],
    ['empty ConditionExpression', 'PutItem', { ConditionExpression: '' }, 'Invalid ConditionExpression: The expression can not be empty;'],
    ['empty UpdateExpression', 'UpdateItem', { UpdateExpression: '' }, 'Invalid UpdateExpression: The expression can not be empty;'],
    ['empty FilterExpression', 'Scan', { FilterExpression: '' }, 'Invalid FilterExpression: The expression can not be empty;'],
    ['empty ProjectionExpression', 'GetItem', { ProjectionExpression: '' }, 'Invalid ProjectionExpression: The expression can not be empty;'],
    ['empty KeyConditionExpression', 'Query', { KeyConditionExpression: '', ExpressionAttributeValues: ok }, 'Invalid KeyConditionExpression: The expression can not be empty;'],
    [
      'long ConditionExpression',
      'PutItem',
      { ConditionExpression: `a = :v${' '.repeat(4091)}`, ExpressionAttributeValues: ok },
      'Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097',
    ],
    [
      'long UpdateExpression',
      'UpdateItem',
      { UpdateExpression: `SET a = :v${' '.repeat(4087)}`, ExpressionAttributeValues: ok },
      'Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;',
    ],
    [
      'update checked before condition',
      'UpdateItem',
      { UpdateExpression: 'SET a = :x', ConditionExpression: 'b = :y' },
      'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :x',
    ],
    [
      'key condition checked before filter and projection',
      'Query',
      { KeyConditionExpression: 'status = :v', ProjectionExpression: 'name', FilterExpression: 'data = :v', ExpressionAttributeValues: ok },
      'Invalid KeyConditionExpression: Attribute name is a reserved keyword; reserved keyword: status',
    ],
    [
      'key condition operand type before an empty filter',
      'Query',
      { KeyConditionExpression: 'attribute_type(a, :v)', FilterExpression: '', ExpressionAttributeValues: { ':v': { N: '1' } } },
      'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N',
    ],
    [
      'key condition operand type (a path) before an empty filter',
      'Query',
      { KeyConditionExpression: 'attribute_type(a, b)', FilterExpression: '' },
      'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}',
    ],
    [
      'filter checked before projection',
      'Query',
      { KeyConditionExpression: 'a = :v', ProjectionExpression: 'name', FilterExpression: 'data = :v', ExpressionAttributeValues: ok },
      'Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: data',
    ],
    [
      'projection checked after filter',
      'Query',
      { KeyConditionExpression: 'a = :v', ProjectionExpression: 'name', FilterExpression: 'b = :v', ExpressionAttributeValues: ok },
      'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name',
    ],
    [
      'undefined filter name',
      'Query',
      { KeyConditionExpression: 'pk = :pk', FilterExpression: '#missing = :fv', ExpressionAttributeValues: { ':pk': { S: 'v' }, ':fv': { S: 'x' } } },
      'Invalid FilterExpression: An expression attribute name used in the document path is not defined; attribute name: #missing',
    ],
    [
      'expression errors before unused placeholders',
      'PutItem',
      { ConditionExpression: 'a = :v AND', ExpressionAttributeNames: { '#unused': 'x' }, ExpressionAttributeValues: ok },
      'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND"',
    ],
    [
      'unused name',
      'UpdateItem',
      { UpdateExpression: 'SET attr1 = :v', ExpressionAttributeValues: ok, ExpressionAttributeNames: { '#unused': 'someattr' } },
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}',
    ],
    [
      'unused value',
      'UpdateItem',
      { UpdateExpression: 'SET attr1 = :v', ExpressionAttributeValues: { ...ok, ':unused': { S: 'extra' } } },
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}',
    ],
    [
      'unused names before unused values',
      'Scan',
      { FilterExpression: 'a = :v', ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: { ...ok, ':w': { S: 'y' } } },
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}',
    ],
    [
      'a name used only by the projection still counts for GetItem',
      'GetItem',
      { ProjectionExpression: 'a', ExpressionAttributeNames: { '#a': 'a', '#b': 'b' } },
      `Value provided in ExpressionAttributeNames unused in expressions: keys: {${javaHashSetOrder(['#a', '#b']).join(', ')}}`,
    ],
  ];
  for (const [name, operation, request, message] of cases) {
    it(`${name}: ${message}`, () => {
      assertValidationError(() => compileRequestExpressions(operation, request), message);
    });
  }
});

describe('compiled request', () => {
  it('shares placeholders across the expressions of one request', () => {
    const compiled = compileRequestExpressions('UpdateItem', {
      UpdateExpression: 'SET #a = :v',
      ConditionExpression: 'attribute_exists(#b) AND #a <> :w',
      ExpressionAttributeNames: { '#a': 'a', '#b': 'b' },
      ExpressionAttributeValues: { ':v': { N: '1.50' }, ':w': { S: 'x' } },
    });
    assert.ok(compiled.update !== undefined && compiled.condition !== undefined);
    assert.deepEqual(compiled.values, { ':v': { N: '1.5' }, ':w': { S: 'x' } });
  });
  it('compiles a Query', () => {
    const compiled = compileRequestExpressions('Query', {
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: '#f > :n',
      ProjectionExpression: '#f, pk',
      ExpressionAttributeNames: { '#f': 'f' },
      ExpressionAttributeValues: { ':pk': { S: 'p' }, ':n': { N: '1' } },
    });
    assert.ok(compiled.keyCondition !== undefined && compiled.filter !== undefined && compiled.projection !== undefined);
    assert.deepEqual(compiled.projection.paths, [['f'], ['pk']]);
  });
  it('accepts a request without expressions', () => {
    assert.deepEqual(compileRequestExpressions('GetItem', {}), { values: {} });
  });
  it('orders multiple unused keys as a Java HashSet does', () => {
    assert.deepEqual(javaHashSetOrder(['#b', '#a']), javaHashSetOrder(['#a', '#b']));
    assert.deepEqual(javaHashSetOrder([':c', ':a', ':b']).slice().sort(), [':a', ':b', ':c']);
  });
});
