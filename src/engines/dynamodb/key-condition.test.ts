import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileRequestExpressions, matchesSortKey, planKeyCondition, planKeyConditions } from './index.js';
import { assertValidationError } from './test-support.js';
import type { AttributeValue, ConditionInput, KeyConditionPlan, KeySchema, SortKeyCondition } from './index.js';

const COMPOSITE: KeySchema = { partitionKey: { name: 'pk', type: 'S' }, sortKey: { name: 'sk', type: 'S' } };
const HASH_ONLY: KeySchema = { partitionKey: { name: 'pk', type: 'S' } };
const NUMERIC: KeySchema = { partitionKey: { name: 'pk', type: 'S' }, sortKey: { name: 'sk', type: 'N' } };

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: string): AttributeValue => ({ N: value });

type Values = Record<string, AttributeValue>;

function plan(expression: string, schema: KeySchema, values: Values, names: Record<string, string> = {}): KeyConditionPlan {
  const { keyCondition } = compileRequestExpressions('Query', {
    KeyConditionExpression: expression,
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
  });
  return planKeyCondition(keyCondition!, schema);
}

/** Every :placeholder in the expression as a string value. */
function valuesOf(expression: string): Values {
  return Object.fromEntries([...expression.matchAll(/:[A-Za-z0-9_]+/g)].map(([name]) => [name, S(name)]));
}

describe('key condition plans', () => {
  const cases: [string, KeySchema, Values, Record<string, string>, KeyConditionPlan][] = [
    ['pk = :p', COMPOSITE, { ':p': S('x') }, {}, { partitionKey: { name: 'pk', value: S('x') } }],
    ['pk = :p', HASH_ONLY, { ':p': S('x') }, {}, { partitionKey: { name: 'pk', value: S('x') } }],
    [':p = pk', COMPOSITE, { ':p': S('x') }, {}, { partitionKey: { name: 'pk', value: S('x') } }],
    [
      '#pk = :pk AND :lo <= #sk',
      COMPOSITE,
      { ':pk': S('x'), ':lo': S('a') },
      { '#pk': 'pk', '#sk': 'sk' },
      { partitionKey: { name: 'pk', value: S('x') }, sortKey: { name: 'sk', operator: 'GE', values: [S('a')] } },
    ],
    ['pk = :p AND sk = :s', COMPOSITE, { ':p': S('x'), ':s': S('y') }, {}, { partitionKey: { name: 'pk', value: S('x') }, sortKey: { name: 'sk', operator: 'EQ', values: [S('y')] } }],
    ['sk = :s AND pk = :p', COMPOSITE, { ':p': S('x'), ':s': S('y') }, {}, { partitionKey: { name: 'pk', value: S('x') }, sortKey: { name: 'sk', operator: 'EQ', values: [S('y')] } }],
    ['pk = :p AND sk < :s', COMPOSITE, { ':p': S('x'), ':s': S('y') }, {}, { partitionKey: { name: 'pk', value: S('x') }, sortKey: { name: 'sk', operator: 'LT', values: [S('y')] } }],
    ['pk = :p AND sk <= :s', COMPOSITE, { ':p': S('x'), ':s': S('y') }, {}, { partitionKey: { name: 'pk', value: S('x') }, sortKey: { name: 'sk', operator: 'LE', values: [S('y')] } }],
    ['pk = :p AND sk > :s', COMPOSITE, { ':p': S('x'), ':s': S('y') }, {}, { partitionKey: { name: 'pk', value: S('x') }, sortKey: { name: 'sk', operator: 'GT', values: [S('y')] } }],
    ['pk = :p AND :s > sk', COMPOSITE, { ':p': S('x'), ':s': S('y') }, {}, { partitionKey: { name: 'pk', value: S('x') }, sortKey: { name: 'sk', operator: 'LT', values: [S('y')] } }],
    ['pk = :p AND :s <= sk', COMPOSITE, { ':p': S('x'), ':s': S('y') }, {}, { partitionKey: { name: 'pk', value: S('x') }, sortKey: { name: 'sk', operator: 'GE', values: [S('y')] } }],
    [
      'pk = :p AND sk BETWEEN :a AND :b',
      NUMERIC,
      { ':p': S('x'), ':a': N('1'), ':b': N('5') },
      {},
      { partitionKey: { name: 'pk', value: S('x') }, sortKey: { name: 'sk', operator: 'BETWEEN', values: [N('1'), N('5')] } },
    ],
    [
      'pk = :p AND begins_with(sk, :s)',
      COMPOSITE,
      { ':p': S('x'), ':s': S('y') },
      {},
      { partitionKey: { name: 'pk', value: S('x') }, sortKey: { name: 'sk', operator: 'BEGINS_WITH', values: [S('y')] } },
    ],
    ['(pk = :p) AND (sk >= :s)', COMPOSITE, { ':p': S('x'), ':s': S('y') }, {}, { partitionKey: { name: 'pk', value: S('x') }, sortKey: { name: 'sk', operator: 'GE', values: [S('y')] } }],
  ];
  for (const [expression, schema, values, names, expected] of cases) {
    it(expression, () => {
      assert.deepEqual(plan(expression, schema, values, names), expected);
    });
  }
});

describe('key condition errors', () => {
  const invalidOperator = (operator: string): string => `Invalid operator used in KeyConditionExpression: ${operator}`;
  const invalidCondition = (reason: string): string => `Invalid condition in KeyConditionExpression: ${reason}`;
  const cases: [string, KeySchema, Values, string][] = [
    ['sk = :v', COMPOSITE, valuesOf(':v'), 'Query condition missed key schema element: pk'],
    ['attr1 = :v', COMPOSITE, valuesOf(':v'), 'Query condition missed key schema element: pk'],
    ['pk = :a AND extra = :b', COMPOSITE, valuesOf(':a :b'), 'Query condition missed key schema element: sk'],
    ['pk = :a AND extra = :b', HASH_ONLY, valuesOf(':a :b'), 'Query key condition not supported'],
    ['pk = :a AND sk = :b', HASH_ONLY, valuesOf(':a :b'), 'Query key condition not supported'],
    ['pk > :a', COMPOSITE, valuesOf(':a'), 'Query key condition not supported'],
    ['begins_with(pk, :a)', COMPOSITE, valuesOf(':a'), 'Query key condition not supported'],
    ['pk = :a AND sk = :b AND extra = :c', COMPOSITE, valuesOf(':a :b :c'), 'Conditions can be of length 1 or 2 only'],
    ['pk = :n', COMPOSITE, { ':n': N('1') }, 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
    ['pk = :a AND sk = :b', NUMERIC, valuesOf(':a :b'), 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
    ['pk = :a AND sk <> :b', COMPOSITE, valuesOf(':a :b'), invalidOperator('<>')],
    ['a > b and size(b) > c or a > c', COMPOSITE, {}, invalidOperator('OR')],
    ['a in (:b, :c)', COMPOSITE, valuesOf(':b :c'), invalidOperator('IN')],
    ['attribute_exists(a)', COMPOSITE, {}, invalidOperator('attribute_exists')],
    ['attribute_not_exists(a)', COMPOSITE, {}, invalidOperator('attribute_not_exists')],
    ['attribute_type(a, :a)', COMPOSITE, { ':a': S('S') }, invalidOperator('attribute_type')],
    ['contains(a.d, :b)', COMPOSITE, valuesOf(':b'), invalidOperator('contains')],
    ['not a > :b', COMPOSITE, valuesOf(':b'), invalidOperator('NOT')],
    [':a between size(b) and size(a) and b > :b', COMPOSITE, valuesOf(':a :b'), invalidCondition('BETWEEN operator must have the key attribute as its first operand')],
    ['begins_with(:a, b) and a > :b', COMPOSITE, valuesOf(':a :b'), invalidCondition('begins_with operator must have the key attribute as its first operand')],
    ['size(b) > a AND a.b > b AND b > c', COMPOSITE, {}, 'KeyConditionExpressions cannot contain nested operations'],
    ['a > size(b.d)', COMPOSITE, {}, 'KeyConditionExpressions cannot contain nested operations'],
    ['a between size(b) and size(a)', COMPOSITE, {}, 'KeyConditionExpressions cannot contain nested operations'],
    ['b > a.b', COMPOSITE, {}, invalidCondition('Multiple attribute names used in one condition')],
    ['b between c[1] and d', COMPOSITE, {}, invalidCondition('Multiple attribute names used in one condition')],
    ['a between b and size(a)', COMPOSITE, {}, invalidCondition('Multiple attribute names used in one condition')],
    ['begins_with(a, b)', COMPOSITE, {}, invalidCondition('Multiple attribute names used in one condition')],
    ['b.d > a AND c.d > e.f', COMPOSITE, {}, 'KeyConditionExpressions cannot have conditions on nested attributes'],
    ['a.d > c', COMPOSITE, {}, 'KeyConditionExpressions cannot have conditions on nested attributes'],
    ['b[0] > a', COMPOSITE, {}, 'KeyConditionExpressions cannot have conditions on nested attributes'],
    ['pk = :a AND sk.foo = :v', COMPOSITE, valuesOf(':a :v'), 'KeyConditionExpressions cannot have conditions on nested attributes'],
    [':b > :a AND a < :b', COMPOSITE, { ':a': N('1'), ':b': N('1') }, invalidCondition('No key attribute specified')],
    [':a > b AND :a < :b', COMPOSITE, { ':a': N('1'), ':b': N('1') }, invalidCondition('No key attribute specified')],
    ['b > :a AND b < :a and c = :a and d = :a', COMPOSITE, { ':a': N('1') }, 'KeyConditionExpressions must only contain one condition per key'],
    ['(a > :a and b > :a) and (b > :a and c > :a)', COMPOSITE, { ':a': N('1') }, 'KeyConditionExpressions must only contain one condition per key'],
    [
      'pk = :a AND begins_with(sk, :n)',
      NUMERIC,
      { ':a': S('a'), ':n': N('1') },
      'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
    ],
    [
      'a between :b and :a',
      COMPOSITE,
      { ':a': S('a'), ':b': N('1') },
      'Invalid KeyConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}',
    ],
    [
      'attribute_type(a, :a)',
      COMPOSITE,
      { ':a': N('1') },
      'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N',
    ],
  ];
  for (const [expression, schema, values, message] of cases) {
    it(`${expression} → ${message}`, () => {
      assertValidationError(() => plan(expression, schema, values), message);
    });
  }
});

describe('sort key matching', () => {
  const cases: [SortKeyCondition, AttributeValue | undefined, boolean][] = [
    [{ name: 'sk', operator: 'EQ', values: [N('1')] }, N('1.0'), true],
    [{ name: 'sk', operator: 'LT', values: [N('1')] }, N('-2'), true],
    [{ name: 'sk', operator: 'LE', values: [N('1')] }, N('1'), true],
    [{ name: 'sk', operator: 'GT', values: [S('b')] }, S('a'), false],
    [{ name: 'sk', operator: 'GE', values: [S('b')] }, S('ba'), true],
    [{ name: 'sk', operator: 'BETWEEN', values: [N('1'), N('3')] }, N('3'), true],
    [{ name: 'sk', operator: 'BETWEEN', values: [N('1'), N('3')] }, N('3.5'), false],
    [{ name: 'sk', operator: 'BEGINS_WITH', values: [S('ab')] }, S('abc'), true],
    [{ name: 'sk', operator: 'BEGINS_WITH', values: [S('ab')] }, S('a'), false],
    [{ name: 'sk', operator: 'BEGINS_WITH', values: [{ B: 'AQ==' }] }, { B: new Uint8Array([1, 2]) }, true],
    [{ name: 'sk', operator: 'EQ', values: [S('a')] }, undefined, false],
  ];
  for (const [condition, value, expected] of cases) {
    it(`${condition.operator} ${JSON.stringify(condition.values)} on ${JSON.stringify(value)} → ${expected}`, () => {
      assert.equal(matchesSortKey(condition, value), expected);
    });
  }
});

describe('legacy KeyConditions', () => {
  const eq = (value: AttributeValue): ConditionInput => ({ ComparisonOperator: 'EQ', AttributeValueList: [value] });
  it('plans an equality and a sort key condition', () => {
    assert.deepEqual(
      planKeyConditions({ pk: eq(S('p')), sk: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [S('a')] } }, COMPOSITE),
      { partitionKey: { name: 'pk', value: S('p') }, sortKey: { name: 'sk', operator: 'BEGINS_WITH', values: [S('a')] } },
    );
  });
  const cases: [string, Record<string, ConditionInput>, KeySchema, string][] = [
    ['NULL on the partition key', { pk: { ComparisonOperator: 'NULL' } }, COMPOSITE, 'Attempted conditional constraint is not an indexable operation'],
    ['IN on the sort key', { pk: eq(S('p')), sk: { ComparisonOperator: 'IN', AttributeValueList: [S('a')] } }, COMPOSITE, 'Attempted conditional constraint is not an indexable operation'],
    ['NE on the sort key', { pk: eq(S('p')), sk: { ComparisonOperator: 'NE', AttributeValueList: [S('a')] } }, COMPOSITE, 'Attempted conditional constraint is not an indexable operation'],
    ['GT on the partition key', { pk: { ComparisonOperator: 'GT', AttributeValueList: [S('a')] } }, COMPOSITE, 'Query key condition not supported'],
    ['sort key only', { sk: eq(S('a')) }, COMPOSITE, 'Query condition missed key schema element: pk'],
    ['wrong type', { pk: eq(N('1')) }, COMPOSITE, 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
    ['three conditions', { pk: eq(S('p')), sk: eq(S('s')), x: eq(S('x')) }, COMPOSITE, 'Conditions can be of length 1 or 2 only'],
    [
      'two values for EQ',
      { pk: { ComparisonOperator: 'EQ', AttributeValueList: [S('a'), S('b')] } },
      COMPOSITE,
      'One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator',
    ],
    [
      'BEGINS_WITH on a number',
      { pk: eq(S('p')), sk: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [N('1')] } },
      NUMERIC,
      'One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type',
    ],
  ];
  for (const [name, conditions, schema, message] of cases) {
    it(`${name} → ${message}`, () => {
      assertValidationError(() => planKeyConditions(conditions, schema), message);
    });
  }
});
