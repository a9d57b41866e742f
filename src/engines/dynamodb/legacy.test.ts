import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyAttributeUpdates,
  attributeUpdatesResult,
  checkQueryFilterKeys,
  compileAttributeUpdates,
  compileExpected,
  compileLegacyFilter,
  evaluateLegacyConditions,
} from './index.js';
import { assertValidationError } from './test-support.js';
import type { AttributeValue, AttributeValueUpdateInput, ConditionInput, ExpectedInput, Item } from './index.js';

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: string): AttributeValue => ({ N: value });
const INVALID = 'One or more parameter values were invalid: ';

const ITEM: Item = {
  pk: S('p'),
  s: S('abdef'),
  n: N('1234'),
  b: { B: new Uint8Array([0x61, 0x62, 0x64]) },
  ss: { SS: ['abd', 'bde'] },
  ns: { NS: ['123', '234'] },
  bs: { BS: ['YmRl'] },
  l: { L: [S('x'), N('1'), { BOOL: true }, { NULL: true }] },
  m: { M: { k: S('v') } },
  t: { BOOL: true },
  'dotted.name': S('yes'),
};

const op = (ComparisonOperator: string, ...AttributeValueList: AttributeValue[]): ConditionInput => ({ ComparisonOperator, AttributeValueList });

describe('legacy comparison operators', () => {
  const cases: [string, ConditionInput, boolean][] = [
    ['s', op('EQ', S('abdef')), true],
    ['s', op('EQ', S('abd')), false],
    ['n', op('EQ', N('1234.0')), true],
    ['n', op('EQ', S('1234')), false],
    ['absent', op('EQ', S('x')), false],
    ['ss', op('EQ', { SS: ['bde', 'abd'] }), true],
    ['m', op('EQ', { M: { k: S('v') } }), true],
    ['l', op('EQ', { L: [S('x'), N('1'), { BOOL: true }, { NULL: true }] }), true],
    ['s', op('NE', S('abd')), true],
    ['n', op('NE', S('1234')), true],
    ['absent', op('NE', S('x')), true],
    ['n', op('LT', N('2000')), true],
    ['n', op('LE', N('1234')), true],
    ['n', op('GT', N('1234')), false],
    ['n', op('GE', N('1234')), true],
    ['s', op('GT', S('abc')), true],
    ['s', op('GT', N('1')), false],
    ['absent', op('LT', N('1')), false],
    ['absent', op('NULL'), true],
    ['s', op('NULL'), false],
    ['s', op('NOT_NULL'), true],
    ['absent', op('NOT_NULL'), false],
    ['s', op('CONTAINS', S('bde')), true],
    ['ss', op('CONTAINS', S('bde')), true],
    ['ss', op('CONTAINS', S('bd')), false],
    ['b', op('CONTAINS', { B: 'YmQ=' }), true],
    ['bs', op('CONTAINS', { B: 'YmRl' }), true],
    ['b', op('CONTAINS', S('bd')), false],
    ['ns', op('CONTAINS', N('234.0')), true],
    ['n', op('CONTAINS', N('234')), false],
    ['l', op('CONTAINS', S('x')), true],
    ['l', op('CONTAINS', N('1')), true],
    ['l', op('CONTAINS', { BOOL: true }), true],
    ['l', op('CONTAINS', { NULL: true }), true],
    ['absent', op('CONTAINS', S('x')), false],
    ['s', op('NOT_CONTAINS', S('bde')), false],
    ['s', op('NOT_CONTAINS', S('xyz')), true],
    ['b', op('NOT_CONTAINS', S('bde')), true],
    ['ss', op('NOT_CONTAINS', S('bde')), false],
    ['absent', op('NOT_CONTAINS', S('x')), false],
    ['s', op('BEGINS_WITH', S('ab')), true],
    ['s', op('BEGINS_WITH', S('b')), false],
    ['b', op('BEGINS_WITH', { B: 'YQ==' }), true],
    ['ss', op('BEGINS_WITH', S('ab')), false],
    ['s', op('IN', S('x'), S('abdef')), true],
    ['n', op('IN', N('1'), N('2')), false],
    ['absent', op('IN', S('x')), false],
    ['n', op('BETWEEN', N('1000'), N('2000')), true],
    ['n', op('BETWEEN', N('1234'), N('1234')), true],
    ['n', op('BETWEEN', N('1235'), N('2000')), false],
    ['s', op('BETWEEN', N('1'), N('2')), false],
    ['dotted.name', op('EQ', S('yes')), true],
  ];
  for (const [attribute, condition, expected] of cases) {
    it(`${attribute} ${condition.ComparisonOperator ?? ''} ${JSON.stringify(condition.AttributeValueList)} → ${expected}`, () => {
      assert.equal(evaluateLegacyConditions(compileLegacyFilter({ [attribute]: condition }), ITEM), expected);
    });
  }
});

describe('ConditionalOperator', () => {
  const both = { s: op('EQ', S('abdef')), n: op('EQ', N('0')) };
  it('defaults to AND', () => {
    assert.equal(evaluateLegacyConditions(compileLegacyFilter(both), ITEM), false);
  });
  it('applies AND and OR', () => {
    assert.equal(evaluateLegacyConditions(compileLegacyFilter(both, 'AND'), ITEM), false);
    assert.equal(evaluateLegacyConditions(compileLegacyFilter(both, 'OR'), ITEM), true);
    assert.equal(evaluateLegacyConditions(compileExpected({ s: { Value: S('x') }, n: { Value: N('1234') } }, 'OR'), ITEM), true);
  });
  it('accepts an empty filter without an operator', () => {
    assert.equal(evaluateLegacyConditions(compileLegacyFilter({}), ITEM), true);
    assert.equal(evaluateLegacyConditions(compileExpected(undefined), ITEM), true);
  });
  it('needs two or more conditions', () => {
    assertValidationError(() => compileLegacyFilter(undefined, 'AND'), 'ConditionalOperator cannot be used without Filter or Expected');
    assertValidationError(
      () => compileExpected({ s: { Exists: true, Value: S('x') } }, 'OR'),
      'ConditionalOperator can only be used when Filter or Expected has two or more elements',
    );
  });
});

describe('legacy condition validation', () => {
  const count = (operator: string): string => `${INVALID}Invalid number of argument(s) for the ${operator} ComparisonOperator`;
  const type = (operator: string, valueType: string): string => `${INVALID}ComparisonOperator ${operator} is not valid for ${valueType} AttributeValue type`;
  const cases: [ConditionInput, string][] = [
    [op('EQ'), count('EQ')],
    [op('NE'), count('NE')],
    [op('LE'), count('LE')],
    [op('CONTAINS'), count('CONTAINS')],
    [op('NOT_CONTAINS'), count('NOT_CONTAINS')],
    [op('BEGINS_WITH'), count('BEGINS_WITH')],
    [op('IN'), count('IN')],
    [op('BETWEEN'), count('BETWEEN')],
    [op('BETWEEN', S('a')), count('BETWEEN')],
    [op('BETWEEN', S('a'), S('b'), S('c')), count('BETWEEN')],
    [op('NULL', S('a')), count('NULL')],
    [op('NOT_NULL', S('a')), count('NOT_NULL')],
    [op('EQ', S('a'), S('a')), count('EQ')],
    [op('GT', S('a'), S('a')), count('GT')],
    [op('LT', { BOOL: true }), type('LT', 'BOOL')],
    [op('LE', { NULL: true }), type('LE', 'NULL')],
    [op('GT', { SS: ['a'] }), type('GT', 'SS')],
    [op('GE', { M: {} }), type('GE', 'M')],
    [op('IN', { L: [] }), type('IN', 'L')],
    [op('IN', { NS: ['1'] }), type('IN', 'NS')],
    [op('CONTAINS', { SS: ['a'] }), type('CONTAINS', 'SS')],
    [op('NOT_CONTAINS', { L: [] }), type('NOT_CONTAINS', 'L')],
    [op('BEGINS_WITH', N('1')), type('BEGINS_WITH', 'N')],
    [op('BEGINS_WITH', { BOOL: true }), type('BEGINS_WITH', 'BOOL')],
    [op('BETWEEN', { BOOL: true }, { BOOL: true }), type('BETWEEN', 'BOOL')],
    [op('IN', S('a'), N('1')), `${INVALID}AttributeValues inside AttributeValueList must be of same type`],
    [op('BETWEEN', N('1'), S('a')), `${INVALID}AttributeValues inside AttributeValueList must be of same type`],
    [op('BETWEEN', N('2'), N('1')), 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'],
    [op('BETWEEN', S('b'), S('a')), 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'],
    [{ ComparisonOperator: 'EQ', AttributeValueList: [N('1'), { S: 'a', N: '1' }] }, 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes'],
    [{ ComparisonOperator: 'EQ', AttributeValueList: [{}] }, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
    [op('LIKE', S('a')), 'Comparison type does not exist in DynamoDB'],
  ];
  for (const [condition, message] of cases) {
    it(`${condition.ComparisonOperator ?? ''} ${JSON.stringify(condition.AttributeValueList)} → ${message}`, () => {
      assertValidationError(() => compileLegacyFilter({ a: condition }), message);
    });
  }
  it('accepts EQ and NE on every type', () => {
    for (const value of [{ SS: ['a'] }, { L: [] }, { M: {} }, { BOOL: true }, { NULL: true }] as const) {
      assert.doesNotThrow(() => compileLegacyFilter({ a: op('EQ', value), b: op('NE', value) }));
    }
  });
  it('rejects key attributes in a QueryFilter', () => {
    assertValidationError(
      () => { checkQueryFilterKeys(compileLegacyFilter({ x: op('NULL'), sk: op('NULL') }), ['pk', 'sk']); },
      'QueryFilter can only contain non-primary key attributes: Primary key attribute: sk',
    );
    assert.doesNotThrow(() => { checkQueryFilterKeys(compileLegacyFilter({ x: op('NULL') }), ['pk', 'sk']); });
  });
});

describe('Expected', () => {
  const evaluations: [Record<string, ExpectedInput>, boolean][] = [
    [{ s: { Value: S('abdef') } }, true],
    [{ s: { Value: S('x') } }, false],
    [{ s: { Exists: true, Value: S('abdef') } }, true],
    [{ absent: { Exists: false } }, true],
    [{ s: { Exists: false } }, false],
    [{ absent: { Value: S('x') } }, false],
    [{ n: { ComparisonOperator: 'GT', AttributeValueList: [N('1000')] } }, true],
    [{ n: { ComparisonOperator: 'GT', Value: N('2000') } }, false],
    [{ absent: { ComparisonOperator: 'NULL' } }, true],
    [{ s: { ComparisonOperator: 'NOT_NULL' } }, true],
    [{ s: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [S('ab')] } }, true],
    [{ s: { Value: S('abdef') }, absent: { Exists: false } }, true],
  ];
  for (const [expected, result] of evaluations) {
    it(`${JSON.stringify(expected)} → ${result}`, () => {
      assert.equal(evaluateLegacyConditions(compileExpected(expected), ITEM), result);
    });
  }
  const forA = ' for Attribute: a';
  const errors: [ExpectedInput, string][] = [
    [{ Exists: true, ComparisonOperator: 'EQ', Value: S('a') }, `${INVALID}Exists and ComparisonOperator cannot be used together${forA}`],
    [{ Value: S('a'), AttributeValueList: [S('a')], ComparisonOperator: 'EQ' }, `${INVALID}Value and AttributeValueList cannot be used together${forA}`],
    [{ AttributeValueList: [S('a')] }, `${INVALID}AttributeValueList can only be used with a ComparisonOperator${forA}`],
    [{ Exists: false, Value: S('a') }, `${INVALID}Value cannot be used when Exists is false${forA}`],
    [{ ComparisonOperator: 'LT' }, `${INVALID}Value or AttributeValueList must be used with ComparisonOperator: LT${forA}`],
    [{}, `${INVALID}Value must be provided when Exists is null${forA}`],
    [{ Exists: true }, `${INVALID}Value must be provided when Exists is true${forA}`],
    [{ ComparisonOperator: 'NULL', Value: S('a') }, `${INVALID}Invalid number of argument(s) for the NULL ComparisonOperator`],
    [{ ComparisonOperator: 'BETWEEN', AttributeValueList: [S('a')] }, `${INVALID}Invalid number of argument(s) for the BETWEEN ComparisonOperator`],
    [{ ComparisonOperator: 'IN', AttributeValueList: [S('a'), N('1')] }, `${INVALID}AttributeValues inside AttributeValueList must be of same type`],
    [{ Value: { SS: [] } }, `${INVALID}An string set  may not be empty`],
  ];
  for (const [expected, message] of errors) {
    it(`${JSON.stringify(expected)} → ${message}`, () => {
      assertValidationError(() => compileExpected({ a: expected }), message);
    });
  }
});

describe('AttributeUpdates', () => {
  const apply = (updates: Record<string, AttributeValueUpdateInput>, item: Item = ITEM): Item => applyAttributeUpdates(compileAttributeUpdates(updates), item);
  const cases: [string, Record<string, AttributeValueUpdateInput>, Record<string, AttributeValue | undefined>][] = [
    ['PUT replaces', { s: { Action: 'PUT', Value: S('new') } }, { s: S('new') }],
    ['PUT is the default', { fresh: { Value: N('1.0') } }, { fresh: N('1') }],
    ['DELETE without a value removes', { s: { Action: 'DELETE' } }, { s: undefined }],
    ['DELETE of a missing attribute does nothing', { absent: { Action: 'DELETE' } }, {}],
    ['DELETE removes set members', { ss: { Action: 'DELETE', Value: { SS: ['bde', 'zzz'] } } }, { ss: { SS: ['abd'] } }],
    ['DELETE of every member removes the set', { ns: { Action: 'DELETE', Value: { NS: ['123.0', '234'] } } }, { ns: undefined }],
    ['DELETE from a missing set does nothing', { absent: { Action: 'DELETE', Value: { SS: ['a'] } } }, {}],
    ['ADD to a number', { n: { Action: 'ADD', Value: N('-234') } }, { n: N('1000') }],
    ['ADD creates a number', { counter: { Action: 'ADD', Value: N('5') } }, { counter: N('5') }],
    ['ADD to a set', { ss: { Action: 'ADD', Value: { SS: ['abd', 'c'] } } }, { ss: { SS: ['abd', 'bde', 'c'] } }],
    ['ADD to a binary set', { bs: { Action: 'ADD', Value: { BS: ['YmRl', 'AQ=='] } } }, { bs: { BS: ['YmRl', 'AQ=='] } }],
    ['ADD appends to a list', { l: { Action: 'ADD', Value: { L: [S('x')] } } }, { l: { L: [S('x'), N('1'), { BOOL: true }, { NULL: true }, S('x')] } }],
    ['ADD creates a list', { fresh: { Action: 'ADD', Value: { L: [S('x')] } } }, { fresh: { L: [S('x')] } }],
    [
      'several updates',
      { s: { Action: 'PUT', Value: S('n') }, n: { Action: 'ADD', Value: N('1') }, ss: { Action: 'DELETE', Value: { SS: ['abd'] } } },
      { s: S('n'), n: N('1235'), ss: { SS: ['bde'] } },
    ],
  ];
  for (const [name, updates, changes] of cases) {
    it(name, () => {
      const expected = Object.fromEntries(
        Object.entries({ ...ITEM, ...changes }).filter((entry): entry is [string, AttributeValue] => entry[1] !== undefined),
      );
      assert.deepEqual(apply(updates), expected);
    });
  }
  const errors: [Record<string, AttributeValueUpdateInput>, string][] = [
    [{ a: { Action: 'PUT' } }, `${INVALID}Only DELETE action is allowed when no attribute value is specified`],
    [{ a: { Action: 'ADD' } }, `${INVALID}Only DELETE action is allowed when no attribute value is specified`],
    [{ a: {} }, `${INVALID}Only DELETE action is allowed when no attribute value is specified`],
    [{ a: { Action: 'DELETE', Value: N('1') } }, `${INVALID}DELETE action with value is not supported for the type N`],
    [{ a: { Action: 'DELETE', Value: { L: [] } } }, `${INVALID}DELETE action with value is not supported for the type L`],
    [{ a: { Action: 'ADD', Value: S('x') } }, `${INVALID}ADD action is not supported for the type S`],
    [{ a: { Action: 'ADD', Value: { B: 'Yg==' } } }, `${INVALID}ADD action is not supported for the type B`],
    [{ a: { Action: 'ADD', Value: { M: {} } } }, `${INVALID}ADD action is not supported for the type M`],
    [{ a: { Action: 'PUT', Value: { NULL: false } } }, `${INVALID}Null attribute value types must have the value of true`],
  ];
  for (const [updates, message] of errors) {
    it(`${JSON.stringify(updates)} → ${message}`, () => {
      assertValidationError(() => compileAttributeUpdates(updates), message);
    });
  }
  const mismatches: Record<string, AttributeValueUpdateInput>[] = [
    { s: { Action: 'ADD', Value: N('1') } },
    { n: { Action: 'ADD', Value: { SS: ['a'] } } },
    { ss: { Action: 'ADD', Value: { NS: ['1'] } } },
    { ss: { Action: 'DELETE', Value: { NS: ['1'] } } },
    { s: { Action: 'DELETE', Value: { SS: ['abdef'] } } },
  ];
  for (const updates of mismatches) {
    it(`${JSON.stringify(updates)} → Type mismatch for attribute to update`, () => {
      assertValidationError(() => apply(updates), 'Type mismatch for attribute to update');
    });
  }
  it('returns the written attributes for UPDATED_OLD and UPDATED_NEW', () => {
    const updates = compileAttributeUpdates({ s: { Action: 'DELETE' }, n: { Action: 'ADD', Value: N('1') }, fresh: { Value: S('f') } });
    assert.deepEqual(attributeUpdatesResult(updates, ITEM), { s: S('abdef'), n: N('1234') });
    assert.deepEqual(attributeUpdatesResult(updates, applyAttributeUpdates(updates, ITEM)), { n: N('1235'), fresh: S('f') });
  });
});
