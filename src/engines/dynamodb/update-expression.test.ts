import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyUpdate, compileRequestExpressions, updatePaths, updatedAttributes } from './index.js';
import { assertValidationError } from './test-support.js';
import type { AttributeValue, CompiledUpdate, Item } from './index.js';

type Values = Record<string, AttributeValue>;
type Names = Record<string, string>;

function compileUpdate(expression: string, values: Values = {}, names: Names = {}): CompiledUpdate {
  return compileRequestExpressions('UpdateItem', {
    UpdateExpression: expression,
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
  }).update!;
}

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: string): AttributeValue => ({ N: value });
const L = (...values: AttributeValue[]): AttributeValue => ({ L: values });

const BASE: Item = {
  pk: S('p'),
  n: N('5'),
  s: S('str'),
  l: L(S('a'), S('b'), S('c'), S('d')),
  m: { M: { k: S('v'), nested: { M: { x: N('1') } } } },
  ss: { SS: ['a', 'b'] },
  ns: { NS: ['1', '2'] },
  bs: { BS: ['AQ=='] },
  bare: L(),
};

function changed(changes: Record<string, AttributeValue | undefined>): Item {
  return Object.fromEntries(
    Object.entries({ ...BASE, ...changes }).filter((entry): entry is [string, AttributeValue] => entry[1] !== undefined),
  );
}

const MAX = '9.9999999999999999999999999999999999999E+125';

describe('applying updates', () => {
  const cases: [string, Values, Names, Item][] = [
    ['SET a = :v', { ':v': S('x') }, {}, changed({ a: S('x') })],
    ['SET n = :v', { ':v': S('x') }, {}, changed({ n: S('x') })],
    ['SET n = n + :one', { ':one': N('1') }, {}, changed({ n: N('6') })],
    ['SET n = n - :one', { ':one': N('1.5') }, {}, changed({ n: N('3.5') })],
    ['SET n = :one + n', { ':one': N('-10') }, {}, changed({ n: N('-5') })],
    ['SET n = (n + :one)', { ':one': N('1') }, {}, changed({ n: N('6') })],
    ['SET x = if_not_exists(x, :zero) + :one', { ':zero': N('0'), ':one': N('1') }, {}, changed({ x: N('1') })],
    ['SET n = if_not_exists(n, :zero) + :one', { ':zero': N('0'), ':one': N('1') }, {}, changed({ n: N('6') })],
    ['SET s = if_not_exists(s, :v)', { ':v': S('new') }, {}, BASE],
    ['SET a = if_not_exists(a, if_not_exists(b, :v))', { ':v': S('deep') }, {}, changed({ a: S('deep') })],
    ['SET l = list_append(l, :more)', { ':more': L(S('e')) }, {}, changed({ l: L(S('a'), S('b'), S('c'), S('d'), S('e')) })],
    ['SET l = list_append(:more, l)', { ':more': L(S('z')) }, {}, changed({ l: L(S('z'), S('a'), S('b'), S('c'), S('d')) })],
    ['SET x = list_append(if_not_exists(x, :empty), :more)', { ':empty': L(), ':more': L(N('1')) }, {}, changed({ x: L(N('1')) })],
    ['SET m.k = :v', { ':v': S('w') }, {}, changed({ m: { M: { k: S('w'), nested: { M: { x: N('1') } } } } })],
    ['SET m.nested.y = :v', { ':v': S('w') }, {}, changed({ m: { M: { k: S('v'), nested: { M: { x: N('1'), y: S('w') } } } } })],
    ['SET m.nested.x = m.nested.x + :one', { ':one': N('1') }, {}, changed({ m: { M: { k: S('v'), nested: { M: { x: N('2') } } } } })],
    ['SET l[1] = :v', { ':v': S('B') }, {}, changed({ l: L(S('a'), S('B'), S('c'), S('d')) })],
    ['SET l[10] = :v', { ':v': S('e') }, {}, changed({ l: L(S('a'), S('b'), S('c'), S('d'), S('e')) })],
    ['SET l[11] = :w, l[10] = :v', { ':v': S('e'), ':w': S('f') }, {}, changed({ l: L(S('a'), S('b'), S('c'), S('d'), S('e'), S('f')) })],
    ['SET bare[0] = :v', { ':v': S('first') }, {}, changed({ bare: L(S('first')) })],
    ['REMOVE l[1]', {}, {}, changed({ l: L(S('a'), S('c'), S('d')) })],
    ['REMOVE l[0], l[1]', {}, {}, changed({ l: L(S('c'), S('d')) })],
    ['REMOVE l[3], l[0]', {}, {}, changed({ l: L(S('b'), S('c')) })],
    ['SET l[1] = :v REMOVE l[0]', { ':v': S('B') }, {}, changed({ l: L(S('B'), S('c'), S('d')) })],
    ['SET l[9] = :v REMOVE l[0]', { ':v': S('e') }, {}, changed({ l: L(S('b'), S('c'), S('d'), S('e')) })],
    ['REMOVE l[9]', {}, {}, BASE],
    ['REMOVE absent', {}, {}, BASE],
    ['REMOVE m.k', {}, {}, changed({ m: { M: { nested: { M: { x: N('1') } } } } })],
    ['REMOVE m.absent', {}, {}, BASE],
    ['REMOVE n, s', {}, {}, changed({ n: undefined, s: undefined })],
    ['SET n = s, s = n', {}, {}, changed({ n: S('str'), s: N('5') })],
    ['ADD n :one', { ':one': N('1') }, {}, changed({ n: N('6') })],
    ['ADD n :v', { ':v': N('-5') }, {}, changed({ n: N('0') })],
    ['ADD x :one', { ':one': N('1') }, {}, changed({ x: N('1') })],
    ['ADD ss :set', { ':set': { SS: ['b', 'c'] } }, {}, changed({ ss: { SS: ['a', 'b', 'c'] } })],
    ['ADD ns :set', { ':set': { NS: ['2.0', '3'] } }, {}, changed({ ns: { NS: ['1', '2', '3'] } })],
    ['ADD bs :set', { ':set': { BS: ['AQ==', 'Ag=='] } }, {}, changed({ bs: { BS: ['AQ==', 'Ag=='] } })],
    ['ADD fresh :set', { ':set': { SS: ['x'] } }, {}, changed({ fresh: { SS: ['x'] } })],
    ['ADD m.nested.x :one', { ':one': N('1') }, {}, changed({ m: { M: { k: S('v'), nested: { M: { x: N('2') } } } } })],
    ['DELETE ss :a', { ':a': { SS: ['a', 'z'] } }, {}, changed({ ss: { SS: ['b'] } })],
    ['DELETE ss :ab', { ':ab': { SS: ['a', 'b'] } }, {}, changed({ ss: undefined })],
    ['DELETE ns :one', { ':one': { NS: ['1.0'] } }, {}, changed({ ns: { NS: ['2'] } })],
    ['DELETE bs :b', { ':b': { BS: ['AQ=='] } }, {}, changed({ bs: undefined })],
    ['DELETE absent :a', { ':a': { SS: ['a'] } }, {}, BASE],
    ['SET #a = :v', { ':v': S('x') }, { '#a': 'dotted.name' }, changed({ 'dotted.name': S('x') })],
    ['SET #s = :v', { ':v': S('x') }, { '#s': 'status' }, changed({ status: S('x') })],
    [
      'SET a = :v REMOVE n ADD ns :set DELETE ss :a',
      { ':v': S('x'), ':set': { NS: ['9'] }, ':a': { SS: ['a'] } },
      {},
      changed({ a: S('x'), n: undefined, ns: { NS: ['1', '2', '9'] }, ss: { SS: ['b'] } }),
    ],
    ['SET m.nested = :map', { ':map': { M: { q: S('r') } } }, {}, changed({ m: { M: { k: S('v'), nested: { M: { q: S('r') } } } } })],
    ['SET n = :max', { ':max': N(MAX) }, {}, changed({ n: N(`99999999999999999999999999999999999999${'0'.repeat(88)}`) })],
  ];
  for (const [expression, values, names, expected] of cases) {
    it(`${expression} ${JSON.stringify(values)}`, () => {
      assert.deepEqual(applyUpdate(compileUpdate(expression, values, names), BASE), expected);
    });
  }
  it('creates an item from nothing', () => {
    assert.deepEqual(applyUpdate(compileUpdate('SET a = :v ADD c :one', { ':v': S('x'), ':one': N('1') }), {}), { a: S('x'), c: N('1') });
  });
  it('does not modify its input', () => {
    const before = JSON.stringify(BASE);
    applyUpdate(compileUpdate('SET l[0] = :v, m.k = :v REMOVE s', { ':v': S('x') }), BASE);
    assert.equal(JSON.stringify(BASE), before);
  });
});

describe('update runtime errors', () => {
  const NOT_FOUND = 'The provided expression refers to an attribute that does not exist in the item';
  const BAD_TYPE = 'An operand in the update expression has an incorrect data type';
  const BAD_PATH = 'The document path provided in the update expression is invalid for update';
  const NESTING = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';
  let deep: AttributeValue = S('leaf');
  for (let level = 0; level < 32; level += 1) deep = { M: { a: deep } };
  const cases: [string, Values, string][] = [
    ['SET a = b', {}, NOT_FOUND],
    ['SET a = m.absent', {}, NOT_FOUND],
    ['SET a = list_append(absent, :l)', { ':l': L() }, NOT_FOUND],
    ['SET a = list_append(:l, absent)', { ':l': L() }, NOT_FOUND],
    ['SET a = list_append(s, :l)', { ':l': L() }, BAD_TYPE],
    ['SET a = list_append(s, absent)', {}, BAD_TYPE],
    ['SET a = s + :one', { ':one': N('1') }, BAD_TYPE],
    ['SET a = :one - s', { ':one': N('1') }, BAD_TYPE],
    ['SET a = absent + :one', { ':one': N('1') }, NOT_FOUND],
    ['SET a = if_not_exists(n, absent)', {}, NOT_FOUND],
    ['SET a = if_not_exists(absent, elsewhere)', {}, NOT_FOUND],
    ['ADD s :one', { ':one': N('1') }, BAD_TYPE],
    ['ADD ss :set', { ':set': { NS: ['1'] } }, BAD_TYPE],
    ['ADD n :set', { ':set': { SS: ['1'] } }, BAD_TYPE],
    ['DELETE ss :set', { ':set': { NS: ['1'] } }, BAD_TYPE],
    ['DELETE s :set', { ':set': { SS: ['s'] } }, BAD_TYPE],
    ['SET a.b = :v', { ':v': S('x') }, BAD_PATH],
    ['SET absent[1] = :v', { ':v': S('x') }, BAD_PATH],
    ['SET m[0] = :v', { ':v': S('x') }, BAD_PATH],
    ['SET l.a = :v', { ':v': S('x') }, BAD_PATH],
    ['SET s.a = :v', { ':v': S('x') }, BAD_PATH],
    ['SET l[1].z = :v', { ':v': S('x') }, BAD_PATH],
    ['SET l[9].z = :v', { ':v': S('x') }, BAD_PATH],
    ['SET m.absent.deeper = :v', { ':v': S('x') }, BAD_PATH],
    ['REMOVE s.a', {}, BAD_PATH],
    ['REMOVE absent.a', {}, BAD_PATH],
    ['REMOVE absent[1]', {}, BAD_PATH],
    ['REMOVE m[1]', {}, BAD_PATH],
    ['REMOVE l.x', {}, BAD_PATH],
    ['ADD absent.a :one', { ':one': N('1') }, BAD_PATH],
    ['ADD l[0].x :one', { ':one': N('1') }, BAD_PATH],
    ['DELETE m.k[0] :a', { ':a': { SS: ['a'] } }, BAD_PATH],
    ['SET n = :big + :big', { ':big': N('9E125') }, 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    // A result needing more than 38 digits is an overflow to DynamoDB, however small (number-value.ts).
    ['SET n = :max + :max', { ':max': N(MAX) }, 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    ['SET n = :big - :one', { ':big': N('1e50'), ':one': N('1') }, 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    ['ADD n :tiny', { ':tiny': N('1e-130') }, 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    ['SET a = :deep', { ':deep': deep }, NESTING],
  ];
  for (const [expression, values, message] of cases) {
    it(`${expression} → ${message}`, () => {
      const update = compileUpdate(expression, values);
      assertValidationError(() => applyUpdate(update, BASE), message);
    });
  }
});

describe('UPDATED_OLD and UPDATED_NEW', () => {
  const cases: [string, Values, Item | undefined, Item | undefined][] = [
    ['SET n = n + :one, m.k = :v', { ':one': N('1'), ':v': S('w') }, { n: N('5'), m: { M: { k: S('v') } } }, { n: N('6'), m: { M: { k: S('w') } } }],
    ['REMOVE s', {}, { s: S('str') }, undefined],
    ['SET a = :v', { ':v': S('x') }, undefined, { a: S('x') }],
    ['SET l[1] = :v, l[3] = :v', { ':v': S('x') }, { l: L(S('b'), S('d')) }, { l: L(S('x'), S('x')) }],
    ['SET l[10] = :v', { ':v': S('x') }, undefined, undefined],
    ['ADD ss :set DELETE ns :n', { ':set': { SS: ['c'] }, ':n': { NS: ['1'] } }, { ss: { SS: ['a', 'b'] }, ns: { NS: ['1', '2'] } }, { ss: { SS: ['a', 'b', 'c'] }, ns: { NS: ['2'] } }],
  ];
  for (const [expression, values, oldPart, newPart] of cases) {
    it(expression, () => {
      const update = compileUpdate(expression, values);
      assert.deepEqual(updatedAttributes(update, BASE), oldPart);
      assert.deepEqual(updatedAttributes(update, applyUpdate(update, BASE)), newPart);
    });
  }
  it('lists written and read paths', () => {
    const update = compileUpdate('SET a = if_not_exists(b.c, :v) REMOVE d[1]', { ':v': S('x') });
    assert.deepEqual(updatePaths(update), { targets: [['a'], ['d', 1]], all: [['a'], ['d', 1], ['b', 'c']] });
  });
});

describe('update validation', () => {
  const prefix = 'Invalid UpdateExpression: ';
  const overlap = (one: string, two: string): string =>
    `${prefix}Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`;
  const conflict = (one: string, two: string): string =>
    `${prefix}Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`;
  const operandType = (operator: string, type: string): string =>
    `${prefix}Incorrect operand type for operator or function; operator: ${operator}, operand type: ${type}`;
  const functionType = (operator: string, type: string): string =>
    `${prefix}Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`;
  const x = S('x');
  const cases: [string, Values, Names, string][] = [
    ['SET a = :v, a.b = :v', { ':v': x }, {}, overlap('[a]', '[a, b]')],
    ['SET a.b = :v, a = :v', { ':v': x }, {}, overlap('[a, b]', '[a]')],
    ['SET a = :v, a = :w', { ':v': x, ':w': x }, {}, overlap('[a]', '[a]')],
    ['SET #v = :a, #v = :b', { ':a': x, ':b': x }, { '#v': 'val' }, overlap('[val]', '[val]')],
    ['SET a = :v REMOVE a', { ':v': x }, {}, overlap('[a]', '[a]')],
    ['REMOVE a.b[1] ADD a.b :n', { ':n': N('1') }, {}, overlap('[a, b, [1]]', '[a, b]')],
    ['set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a, :v)', { ':v': x }, { '#c': 'c' }, overlap('[c, [1], a]', '[c]')],
    ['set #c[3].#d = a, #c[3] = a', {}, { '#c': 'c', '#d': '[3]' }, overlap('[c, [3], [3]]', '[c, [3]]')],
    ['set #c[3].#d = a, #c.#d[3] = if_not_exists(a, :v)', { ':v': x }, { '#c': 'c', '#d': '[3]' }, conflict('[c, [3], [3]]', '[c, [3], [3]]')],
    ['remove a.#c set a[1] = #d', {}, { '#c': 'c', '#d': '[3]' }, conflict('[a, c]', '[a, [1]]')],
    ['SET a[0] = :v, a.b = :v', { ':v': x }, {}, conflict('[a, [0]]', '[a, b]')],
    ['SET a = :x, b = :y', {}, {}, `${prefix}An expression attribute value used in expression is not defined; attribute value: :y`],
    ['SET #a = :v', {}, {}, `${prefix}An expression attribute name used in the document path is not defined; attribute name: #a`],
    ['SET a = #b, #c = :v', { ':v': x }, {}, `${prefix}An expression attribute name used in the document path is not defined; attribute name: #c`],
    ['SET a = #b', {}, {}, `${prefix}An expression attribute name used in the document path is not defined; attribute name: #b`],
    ['SET #c = if_not_exists(:c)', {}, { '#a': 'a' }, `${prefix}An expression attribute name used in the document path is not defined; attribute name: #c`],
    ['set a = if_not_exists(c)', {}, {}, `${prefix}Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1`],
    ['set a = list_append(c)', {}, {}, `${prefix}Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1`],
    ['set a = list_append(c, :l, :l)', { ':l': L() }, {}, `${prefix}Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 3`],
    ['set a = if_not_exists(:a, c)', { ':a': x }, {}, `${prefix}Operator or function requires a document path; operator or function: if_not_exists`],
    ['set a = if_not_exists(if_not_exists(a, b), c)', {}, {}, `${prefix}Operator or function requires a document path; operator or function: if_not_exists`],
    ['SET a = if_not_exists(b, b)', {}, {}, `${prefix}The first operand must be distinct from the remaining operands for this operator or function; operator: if_not_exists, first operand: [b]`],
    ['set b = list_append(:a, a), c = if_not_exists(a, :a) add a.b :a', { ':a': x }, {}, operandType('ADD', 'STRING')],
    ['SET a = :v REMOVE b', {}, {}, `${prefix}An expression attribute value used in expression is not defined; attribute value: :v`],
  ];
  const addDeleteTypes: [string, AttributeValue, string][] = [
    ['ADD', x, 'STRING'],
    ['DELETE', x, 'STRING'],
    ['ADD', { NULL: true }, 'NULL'],
    ['DELETE', { NULL: true }, 'NULL'],
    ['ADD', { BOOL: false }, 'BOOLEAN'],
    ['DELETE', { BOOL: false }, 'BOOLEAN'],
    ['ADD', { B: 'YQ==' }, 'BINARY'],
    ['DELETE', { B: 'YQ==' }, 'BINARY'],
    ['ADD', { M: { a: L(N('1')) } }, 'MAP'],
    ['DELETE', { M: {} }, 'MAP'],
    ['ADD', L(N('1')), 'LIST'],
    ['DELETE', L(), 'LIST'],
    ['DELETE', N('1'), 'NUMBER'],
  ];
  for (const [action, value, type] of addDeleteTypes) cases.push([`${action} a.b :a`, { ':a': value }, {}, operandType(action, type)]);
  const functionTypes: [string, AttributeValue, string][] = [
    ['S', x, 'S'],
    ['N', N('1'), 'N'],
    ['B', { B: 'YQ==' }, 'B'],
    ['BOOL', { BOOL: true }, 'BOOL'],
    ['NULL', { NULL: true }, 'NULL'],
    ['SS', { SS: ['a'] }, 'SS'],
    ['NS', { NS: ['1'] }, 'NS'],
    ['BS', { BS: ['YQ=='] }, 'BS'],
    ['M', { M: {} }, 'M'],
    ['L', L(), 'L'],
  ];
  for (const [name, value, type] of functionTypes) {
    if (name !== 'L') cases.push(['set a = list_append(:a, a)', { ':a': value }, {}, functionType('list_append', type)]);
    if (name === 'N') continue;
    cases.push(['set a = a + :a', { ':a': value }, {}, functionType('+', type)]);
    cases.push(['set a = :a - a', { ':a': value }, {}, functionType('-', type)]);
  }
  for (const [expression, values, names, message] of cases) {
    it(`${expression} ${JSON.stringify(values)} → ${message}`, () => {
      assertValidationError(() => compileUpdate(expression, values, names), message);
    });
  }
  it('accepts ADD of numbers and sets and DELETE of sets', () => {
    for (const [action, value] of [['ADD', N('1')], ['ADD', { SS: ['a'] }], ['ADD', { NS: ['1'] }], ['ADD', { BS: ['YQ=='] }], ['DELETE', { SS: ['a'] }], ['DELETE', { NS: ['1'] }], ['DELETE', { BS: ['YQ=='] }]] as const) {
      assert.doesNotThrow(() => compileUpdate(`${action} a :a`, { ':a': value }));
    }
  });
});
