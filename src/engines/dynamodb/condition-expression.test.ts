import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileRequestExpressions, evaluateCondition } from './index.js';
import { assertValidationError } from './test-support.js';
import type { AttributeValue, Item } from './index.js';

type Values = Record<string, AttributeValue>;
type Names = Record<string, string>;

function compileFilter(expression: string, values: Values = {}, names: Names = {}) {
  const compiled = compileRequestExpressions('Scan', {
    FilterExpression: expression,
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
  });
  return compiled.filter!;
}

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

const ITEM: Item = {
  s: { S: 'banana' },
  n: { N: '10' },
  neg: { N: '-5.5' },
  b: { B: bytes(1, 2, 3) },
  t: { BOOL: true },
  f: { BOOL: false },
  nul: { NULL: true },
  ss: { SS: ['red', 'green'] },
  ns: { NS: ['1', '5'] },
  bs: { BS: ['AQ==', 'Ag=='] },
  l: { L: [{ S: 'a' }, { N: '3' }, { M: { k: { S: 'v' } } }] },
  m: { M: { nested: { M: { deep: { S: 'x' } } }, arr: { L: [{ M: { v: { N: '1' } } }, { M: { v: { N: '2' } } }] } } },
  'dotted.tag': { S: 'yes' },
  emoji: { S: '😀' },
  blank: { S: '' },
  emptyList: { L: [] },
};

const N = (value: string): AttributeValue => ({ N: value });
const S = (value: string): AttributeValue => ({ S: value });

describe('condition evaluation', () => {
  const cases: [string, Values, Names, boolean][] = [
    // comparisons
    ['n = :v', { ':v': N('10') }, {}, true],
    ['n = :v', { ':v': N('10.00') }, {}, true],
    ['n = :v', { ':v': S('10') }, {}, false],
    ['n <> :v', { ':v': S('10') }, {}, true],
    ['n > :v', { ':v': N('9') }, {}, true],
    ['n < :v', { ':v': N('100') }, {}, true],
    ['n <= :v', { ':v': N('10') }, {}, true],
    ['n >= :v', { ':v': N('10.1') }, {}, false],
    ['neg < :v', { ':v': N('-5') }, {}, true],
    ['neg > :v', { ':v': N('-6') }, {}, true],
    ['s > :v', { ':v': S('apple') }, {}, true],
    ['s < :v', { ':v': S('banana_') }, {}, true],
    ['s > :v', { ':v': N('1') }, {}, false],
    ['s < :v', { ':v': N('1') }, {}, false],
    ['emoji > :v', { ':v': S('\uFFFD') }, {}, true],
    ['b > :v', { ':v': { B: bytes(1, 2) } }, {}, true],
    ['b = :v', { ':v': { B: 'AQID' } }, {}, true],
    ['t = :v', { ':v': { BOOL: true } }, {}, true],
    ['f = :v', { ':v': { BOOL: true } }, {}, false],
    ['nul = :v', { ':v': { NULL: true } }, {}, true],
    ['ss = :v', { ':v': { SS: ['green', 'red'] } }, {}, true],
    ['ns = :v', { ':v': { NS: ['5.0', '1'] } }, {}, true],
    ['bs <> :v', { ':v': { BS: ['AQ=='] } }, {}, true],
    ['l = :v', { ':v': { L: [S('a'), N('3'), { M: { k: S('v') } }] } }, {}, true],
    ['m.nested = :v', { ':v': { M: { deep: S('x') } } }, {}, true],
    ['blank = :v', { ':v': S('') }, {}, true],
    ['s = s2', {}, {}, false],
    [':a = :b', { ':a': N('1'), ':b': N('1.0') }, {}, true],
    [':a < :b', { ':a': S('a'), ':b': S('b') }, {}, true],
    // missing attributes
    ['absent = :v', { ':v': N('1') }, {}, false],
    ['absent <> :v', { ':v': N('1') }, {}, true],
    ['absent < :v', { ':v': N('1') }, {}, false],
    ['absent >= :v', { ':v': N('1') }, {}, false],
    ['NOT absent = :v', { ':v': N('1') }, {}, true],
    ['m.absent.deeper = :v', { ':v': N('1') }, {}, false],
    ['s.x <> :v', { ':v': N('1') }, {}, true],
    // nested paths
    ['m.nested.deep = :v', { ':v': S('x') }, {}, true],
    ['m.arr[1].v = :v', { ':v': N('2') }, {}, true],
    ['m.arr[2].v = :v', { ':v': N('2') }, {}, false],
    ['l[0] = :v', { ':v': S('a') }, {}, true],
    ['l[2].k = :v', { ':v': S('v') }, {}, true],
    ['l.a = :v', { ':v': S('a') }, {}, false],
    ['m[0] = :v', { ':v': S('a') }, {}, false],
    ['#d = :v', { ':v': S('yes') }, { '#d': 'dotted.tag' }, true],
    ['#m.#n.#d = :v', { ':v': S('x') }, { '#m': 'm', '#n': 'nested', '#d': 'deep' }, true],
    // BETWEEN and IN
    ['n BETWEEN :lo AND :hi', { ':lo': N('10'), ':hi': N('20') }, {}, true],
    ['n BETWEEN :lo AND :hi', { ':lo': N('11'), ':hi': N('20') }, {}, false],
    ['n between :lo and :hi', { ':lo': N('1'), ':hi': N('10') }, {}, true],
    ['s BETWEEN :lo AND :hi', { ':lo': S('a'), ':hi': S('c') }, {}, true],
    ['s BETWEEN :lo AND :hi', { ':lo': N('1'), ':hi': N('2') }, {}, false],
    ['absent BETWEEN :lo AND :hi', { ':lo': N('1'), ':hi': N('2') }, {}, false],
    ['n BETWEEN :lo AND :hi', { ':lo': N('10'), ':hi': N('10') }, {}, true],
    ['s IN (:a, :b)', { ':a': S('apple'), ':b': S('banana') }, {}, true],
    ['s IN (:a)', { ':a': S('apple') }, {}, false],
    ['n IN (:a, :b)', { ':a': S('10'), ':b': N('10.0') }, {}, true],
    ['ss IN (:a)', { ':a': { SS: ['red', 'green'] } }, {}, true],
    ['absent IN (:a)', { ':a': S('x') }, {}, false],
    ['s IN (s2, :a)', { ':a': S('banana') }, {}, true],
    // attribute_exists / attribute_not_exists / attribute_type
    ['attribute_exists(n)', {}, {}, true],
    ['attribute_exists(nul)', {}, {}, true],
    ['attribute_exists(absent)', {}, {}, false],
    ['attribute_not_exists(absent)', {}, {}, true],
    ['attribute_not_exists(l[5])', {}, {}, true],
    ['attribute_exists(m.arr[0].v)', {}, {}, true],
    ['attribute_exists(#d)', {}, { '#d': 'dotted.tag' }, true],
    ['attribute_exists(dotted.tag)', {}, {}, false],
    ['attribute_type(ss, :t)', { ':t': S('SS') }, {}, true],
    ['attribute_type(nul, :t)', { ':t': S('NULL') }, {}, true],
    ['attribute_type(n, :t)', { ':t': S('S') }, {}, false],
    ['attribute_type(m, :t)', { ':t': S('M') }, {}, true],
    ['attribute_type(l, :t)', { ':t': S('L') }, {}, true],
    ['attribute_type(absent, :t)', { ':t': S('S') }, {}, false],
    // begins_with
    ['begins_with(s, :p)', { ':p': S('ban') }, {}, true],
    ['begins_with(s, :p)', { ':p': S('nan') }, {}, false],
    ['begins_with(s, :p)', { ':p': S('') }, {}, true],
    ['begins_with(s, :p)', { ':p': S('banana!') }, {}, false],
    ['begins_with(b, :p)', { ':p': { B: bytes(1, 2) } }, {}, true],
    ['begins_with(b, :p)', { ':p': { B: bytes(2) } }, {}, false],
    ['begins_with(n, :p)', { ':p': S('1') }, {}, false],
    ['begins_with(b, :p)', { ':p': S('A') }, {}, false],
    ['begins_with(absent, :p)', { ':p': S('a') }, {}, false],
    ['begins_with(:v, :p)', { ':v': S('abc'), ':p': S('ab') }, {}, true],
    // contains
    ['contains(s, :v)', { ':v': S('nan') }, {}, true],
    ['contains(s, :v)', { ':v': S('xyz') }, {}, false],
    ['contains(b, :v)', { ':v': { B: bytes(2, 3) } }, {}, true],
    ['contains(b, :v)', { ':v': { B: bytes(3, 2) } }, {}, false],
    ['contains(ss, :v)', { ':v': S('red') }, {}, true],
    ['contains(ss, :v)', { ':v': S('re') }, {}, false],
    ['contains(ns, :v)', { ':v': N('5.0') }, {}, true],
    ['contains(ns, :v)', { ':v': S('5') }, {}, false],
    ['contains(bs, :v)', { ':v': { B: bytes(2) } }, {}, true],
    ['contains(l, :v)', { ':v': S('a') }, {}, true],
    ['contains(l, :v)', { ':v': N('3.0') }, {}, true],
    ['contains(l, :v)', { ':v': { M: { k: S('v') } } }, {}, true],
    ['contains(l, :v)', { ':v': S('b') }, {}, false],
    ['contains(n, :v)', { ':v': N('1') }, {}, false],
    ['contains(m, :v)', { ':v': S('nested') }, {}, false],
    ['contains(absent, :v)', { ':v': S('a') }, {}, false],
    ['NOT contains(absent, :v)', { ':v': S('a') }, {}, true],
    ['contains(s, s2)', {}, {}, false],
    // size
    ['size(s) = :v', { ':v': N('6') }, {}, true],
    ['size(emoji) = :v', { ':v': N('2') }, {}, true],
    ['size(b) = :v', { ':v': N('3') }, {}, true],
    ['size(ss) = :v', { ':v': N('2') }, {}, true],
    ['size(ns) = :v', { ':v': N('2') }, {}, true],
    ['size(bs) = :v', { ':v': N('2') }, {}, true],
    ['size(l) = :v', { ':v': N('3') }, {}, true],
    ['size(m) = :v', { ':v': N('2') }, {}, true],
    ['size(emptyList) = :v', { ':v': N('0') }, {}, true],
    ['size(blank) = :v', { ':v': N('0') }, {}, true],
    ['size(n) = :v', { ':v': N('2') }, {}, false],
    ['size(n) <> :v', { ':v': N('2') }, {}, true],
    ['size(t) >= :v', { ':v': N('0') }, {}, false],
    ['size(absent) >= :v', { ':v': N('0') }, {}, false],
    ['size(m.arr) > :v', { ':v': N('1') }, {}, true],
    ['size(:v) = :w', { ':v': S('abc'), ':w': N('3') }, {}, true],
    ['size(s) BETWEEN :lo AND :hi', { ':lo': N('1'), ':hi': N('6') }, {}, true],
    ['size(s) IN (:a, :b)', { ':a': N('5'), ':b': N('6') }, {}, true],
    ['contains(size(s), :v)', { ':v': N('6') }, {}, false],
    // logic and precedence: NOT binds tighter than AND, AND tighter than OR
    ['n = :yes OR n = :yes AND n = :no', { ':yes': N('10'), ':no': N('11') }, {}, true],
    ['(n = :yes OR n = :yes) AND n = :no', { ':yes': N('10'), ':no': N('11') }, {}, false],
    ['n = :no AND n = :no OR n = :yes', { ':yes': N('10'), ':no': N('11') }, {}, true],
    ['n = :no AND (n = :no OR n = :yes)', { ':yes': N('10'), ':no': N('11') }, {}, false],
    ['NOT n = :no AND n = :yes', { ':yes': N('10'), ':no': N('11') }, {}, true],
    ['NOT n = :yes OR n = :yes', { ':yes': N('10') }, {}, true],
    ['NOT (n = :yes OR n = :yes)', { ':yes': N('10') }, {}, false],
    ['NOT NOT n = :yes', { ':yes': N('10') }, {}, true],
    ['not (n = :yes)', { ':yes': N('10') }, {}, false],
    ['n = :no OR n = :no OR n = :no OR n = :yes', { ':yes': N('10'), ':no': N('11') }, {}, true],
    ['n = :yes AND n = :yes AND n = :no', { ':yes': N('10'), ':no': N('11') }, {}, false],
    ['n between :lo and :hi Or s in (:a)', { ':lo': N('1'), ':hi': N('20'), ':a': S('x') }, {}, true],
    ['n BETWEEN :lo AND :hi AND s = :s', { ':lo': N('1'), ':hi': N('20'), ':s': S('banana') }, {}, true],
    ['attribute_exists(n) AND attribute_not_exists(absent)', {}, {}, true],
  ];
  for (const [expression, values, names, expected] of cases) {
    it(`${expression} ${JSON.stringify(values)} → ${expected}`, () => {
      assert.equal(evaluateCondition(compileFilter(expression, values, names), ITEM), expected);
    });
  }
  it('evaluates against an absent item as an empty one', () => {
    assert.equal(evaluateCondition(compileFilter('attribute_not_exists(pk)'), {}), true);
    assert.equal(evaluateCondition(compileFilter('pk <> :v', { ':v': S('x') }), {}), true);
  });
});

describe('condition validation', () => {
  const undefinedName = (name: string): string =>
    `Invalid FilterExpression: An expression attribute name used in the document path is not defined; attribute name: ${name}`;
  const undefinedValue = (name: string): string =>
    `Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: ${name}`;
  const operandCount = (name: string, count: number): string =>
    `Invalid FilterExpression: Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${count}`;
  const operandType = (name: string, type: string): string =>
    `Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`;
  const distinct = (operator: string, path: string): string =>
    `Invalid FilterExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${path}`;
  const ANY = '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}';
  const TYPE_VALUES: [string, AttributeValue][] = [
    ['N', N('1')],
    ['B', { B: 'YQ==' }],
    ['BOOL', { BOOL: true }],
    ['NULL', { NULL: true }],
    ['L', { L: [] }],
    ['M', { M: {} }],
    ['SS', { SS: ['1'] }],
    ['NS', { NS: ['1'] }],
    ['BS', { BS: ['YQ=='] }],
  ];
  const cases: [string, Values, Names, string][] = [
    ['#missing = :v', { ':v': S('x') }, {}, undefinedName('#missing')],
    [':a < :b', {}, {}, undefinedValue(':a')],
    ['begins_with(:hello, #a, #b)', {}, {}, undefinedValue(':hello')],
    ['attribute_exists(#Pictures.RearView, :a) and a = :v', { ':v': S('x') }, {}, undefinedName('#Pictures')],
    ['(#P between :lo and :hi) and (#PC in (:cat1, :cat2))', {}, {}, undefinedName('#P')],
    ['#4g > a', {}, {}, undefinedName('#4g')],
    ['#_ > a', {}, {}, undefinedName('#_')],
    ['(a)between(b.c[45].#d)and(:a)', {}, {}, undefinedName('#d')],
    ['a = :v AND b = :w', { ':v': S('x') }, {}, undefinedValue(':w')],
    ['attribute_exists(things, a) and a = :v', { ':v': S('x') }, {}, operandCount('attribute_exists', 2)],
    ['attribute_not_exists(things, b)', {}, {}, operandCount('attribute_not_exists', 2)],
    ['attribute_type(things)', {}, {}, operandCount('attribute_type', 1)],
    ['begins_with(things)', {}, {}, operandCount('begins_with', 1)],
    ['begins_with(things, size(a), b)', {}, {}, operandCount('begins_with', 3)],
    ['contains(things)', {}, {}, operandCount('contains', 1)],
    ['size(things, a) > b', {}, {}, operandCount('size', 2)],
    ['attribute_type(a, size(a)) and a = a', {}, {}, operandType('attribute_type', 'N')],
    ['attribute_type(a, b)', {}, {}, operandType('attribute_type', ANY)],
    ['begins_with(a, size(a))', {}, {}, operandType('begins_with', 'N')],
    ['size(size(a)) > :a', { ':a': N('1') }, {}, operandType('size', 'N')],
    ['attribute_not_exists(size(:a))', { ':a': N('1') }, {}, operandType('size', 'N')],
    ['attribute_not_exists(size(:a))', { ':a': S('1') }, {}, 'Invalid FilterExpression: Operator or function requires a document path; operator or function: attribute_not_exists'],
    ['attribute_exists(:a) and a = :a', { ':a': S('1') }, {}, 'Invalid FilterExpression: Operator or function requires a document path; operator or function: attribute_exists'],
    ['attribute_type(a, :a)', { ':a': S('1') }, {}, 'Invalid FilterExpression: Invalid attribute type name found; type: 1, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}'],
    ['attribute_type(a, :a)', { ':a': S('STRING') }, {}, 'Invalid FilterExpression: Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}'],
    ['a = a AND #a = b AND :views > a', { ':views': S('x') }, { '#a': 'a' }, distinct('=', '[a]')],
    ['#a <> a', {}, { '#a': 'a' }, distinct('<>', '[a]')],
    ['a > #a', {}, { '#a': 'a' }, distinct('>', '[a]')],
    ['((a=a) OR (a=a))', {}, {}, distinct('=', '[a]')],
    ['contains(ab.bc[1].a, ab.bc[1].#a)', {}, { '#a': 'a' }, distinct('contains', '[ab, bc, [1], a]')],
    ['attribute_type(ab.bc[1].#a, ab.bc[1].a)', {}, { '#a': 'a' }, distinct('attribute_type', '[ab, bc, [1], a]')],
    ['begins_with(ab.bc[1].a, ab.bc[1].#a)', {}, { '#a': 'a' }, distinct('begins_with', '[ab, bc, [1], a]')],
    ['contains(#a, #a)', {}, { '#a': 'data' }, distinct('contains', '[data]')],
    ['a IN (b, a)', {}, {}, distinct('IN', '[a]')],
    ['a BETWEEN a AND :v', { ':v': N('1') }, {}, distinct('BETWEEN', '[a]')],
    ['a < :v', { ':v': { L: [N('1')] } }, {}, operandType('<', 'L')],
    ['a >= :v', { ':v': { BOOL: true } }, {}, operandType('>=', 'BOOL')],
    [':v <= a', { ':v': { SS: ['x'] } }, {}, operandType('<=', 'SS')],
    ['a BETWEEN :a AND :b', { ':a': { BOOL: true }, ':b': { BOOL: true } }, {}, operandType('BETWEEN', 'BOOL')],
    ['size(a) < :v', { ':v': { NULL: true } }, {}, operandType('<', 'NULL')],
    [
      'a between :b and :a',
      { ':a': S('a'), ':b': N('1') },
      {},
      'Invalid FilterExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}',
    ],
    [
      'a between :b and :a',
      { ':a': S('a'), ':b': S('b') },
      {},
      'Invalid FilterExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: AttributeValue: {S:a}',
    ],
    [
      'a BETWEEN :hi AND :lo',
      { ':hi': N('5'), ':lo': N('1') },
      {},
      'Invalid FilterExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}',
    ],
  ];
  for (const [type, value] of TYPE_VALUES) {
    cases.push(['attribute_type(a, :a)', { ':a': value }, {}, operandType('attribute_type', type)]);
    if (type === 'B') continue;
    cases.push(['begins_with(a, :a)', { ':a': value }, {}, operandType('begins_with', type)]);
    cases.push(['begins_with(:a, a)', { ':a': value }, {}, operandType('begins_with', type)]);
  }
  for (const [type, value] of TYPE_VALUES.filter(([type]) => ['N', 'BOOL', 'NULL'].includes(type))) {
    cases.push(['size(:a) > a', { ':a': value }, {}, operandType('size', type)]);
  }
  for (const [expression, values, names, message] of cases) {
    it(`${expression} ${JSON.stringify(values)} → ${message}`, () => {
      assertValidationError(() => compileFilter(expression, values, names), message);
    });
  }

  it('accepts IN with 100 candidates and rejects 101', () => {
    const values = Object.fromEntries(Array.from({ length: 101 }, (_, index) => [`:v${index}`, N(String(index))]));
    const list = (count: number): string => Object.keys(values).slice(0, count).join(', ');
    assert.doesNotThrow(() => compileFilter(`a IN (${list(100)})`, Object.fromEntries(Object.entries(values).slice(0, 100))));
    assertValidationError(
      () => compileFilter(`a IN (${list(101)})`, values),
      'Invalid FilterExpression: The IN operator is provided with too many operands; number of operands: 101',
    );
  });

  it('allows 300 operators and rejects the 301st', () => {
    const comparisons = (count: number): string => Array.from({ length: count }, () => 'a = :v').join(' OR ');
    assert.doesNotThrow(() => compileFilter(comparisons(150), { ':v': N('1') }));
    assert.doesNotThrow(() => compileFilter(`NOT (${comparisons(150)})`, { ':v': N('1') }));
    assertValidationError(
      () => compileFilter(comparisons(151), { ':v': N('1') }),
      'Invalid FilterExpression: The expression contains too many operators; operator count: 301',
    );
  });

  it('allows document paths 32 levels deep and rejects 33', () => {
    const path = (depth: number): string => Array.from({ length: depth }, () => 'a').join('.');
    assert.doesNotThrow(() => compileFilter(`attribute_exists(${path(32)})`));
    assertValidationError(
      () => compileFilter(`attribute_exists(${path(33)})`),
      'Invalid FilterExpression: The document path has too many nesting levels; nesting levels: 33',
    );
  });

  it('allows comparing a value with itself', () => {
    assert.doesNotThrow(() => compileFilter(':a > :a', { ':a': N('1') }));
  });
});
