import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyProjection, compileAttributesToGet, compileRequestExpressions } from './index.js';
import { assertValidationError } from './test-support.js';
import type { AttributeValue, Item } from './index.js';

function project(expression: string, item: Item, names?: Record<string, string>): Item {
  const { projection } = compileRequestExpressions('GetItem', {
    ProjectionExpression: expression,
    ...(names === undefined ? {} : { ExpressionAttributeNames: names }),
  });
  return applyProjection(projection!, item);
}

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: string): AttributeValue => ({ N: value });

const ITEM: Item = {
  pk: S('p'),
  a: { M: { b: N('1'), c: N('2'), d: { M: { e: S('deep') } } } },
  letters: { L: [S('x'), S('y'), S('z')] },
  grid: { L: [{ L: [N('1'), N('2')] }, { L: [N('3'), N('4')] }] },
  people: { L: [{ M: { n: S('ann'), age: N('3') } }, { M: { n: S('bob') } }] },
  alt: S('o'),
  'dotted.name': S('yes'),
};

describe('applying projections', () => {
  const cases: [string, Record<string, string> | undefined, Item][] = [
    ['pk', undefined, { pk: S('p') }],
    ['pk, alt', undefined, { pk: S('p'), alt: S('o') }],
    ['a.c', undefined, { a: { M: { c: N('2') } } }],
    ['a.c, a.b', undefined, { a: { M: { b: N('1'), c: N('2') } } }],
    ['a.d.e', undefined, { a: { M: { d: { M: { e: S('deep') } } } } }],
    ['letters[2], letters[0]', undefined, { letters: { L: [S('x'), S('z')] } }],
    ['letters[1]', undefined, { letters: { L: [S('y')] } }],
    ['letters[7]', undefined, {}],
    ['letters[7], letters[1]', undefined, { letters: { L: [S('y')] } }],
    ['grid[1][0]', undefined, { grid: { L: [{ L: [N('3')] }] } }],
    ['people[0].n, people[1].age', undefined, { people: { L: [{ M: { n: S('ann') } }] } }],
    ['people[1].n, people[0].age', undefined, { people: { L: [{ M: { age: N('3') } }, { M: { n: S('bob') } }] } }],
    ['a.c, letters[2], letters[0], #o', { '#o': 'alt' }, { a: { M: { c: N('2') } }, letters: { L: [S('x'), S('z')] }, alt: S('o') }],
    ['#d', { '#d': 'dotted.name' }, { 'dotted.name': S('yes') }],
    ['absent', undefined, {}],
    ['absent.x, a.gone', undefined, {}],
    ['alt.x', undefined, {}],
    ['letters.x', undefined, {}],
    ['a[0]', undefined, {}],
    ['pk, absent', undefined, { pk: S('p') }],
  ];
  for (const [expression, names, expected] of cases) {
    it(expression, () => {
      assert.deepEqual(project(expression, ITEM, names), expected);
    });
  }
  it('projects AttributesToGet without adding key attributes', () => {
    assert.deepEqual(applyProjection(compileAttributesToGet(['alt', 'absent']), ITEM), { alt: S('o') });
  });
});

describe('projection validation', () => {
  const prefix = 'Invalid ProjectionExpression: ';
  const overlap = (one: string, two: string): string =>
    `${prefix}Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`;
  const conflict = (one: string, two: string): string =>
    `${prefix}Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`;
  const cases: [string, Record<string, string> | undefined, string][] = [
    ['a, a', undefined, overlap('[a]', '[a]')],
    ['#a, #a', { '#a': 'a' }, overlap('[a]', '[a]')],
    ['#a, #b', { '#a': 'a', '#b': 'a' }, overlap('[a]', '[a]')],
    ['a, #a', { '#a': 'a' }, overlap('[a]', '[a]')],
    ['a, a.b', undefined, overlap('[a]', '[a, b]')],
    ['#a, #a.#b', { '#a': 'a', '#b': 'b' }, overlap('[a]', '[a, b]')],
    ['a.b, a', undefined, overlap('[a, b]', '[a]')],
    ['#x, #y.#b', { '#x': 'a', '#y': 'a', '#b': 'b' }, overlap('[a]', '[a, b]')],
    ['a, a.b.c', undefined, overlap('[a]', '[a, b, c]')],
    ['l, l[0]', undefined, overlap('[l]', '[l, [0]]')],
    ['l[0], l[0]', undefined, overlap('[l, [0]]', '[l, [0]]')],
    ['a.b, a.b', undefined, overlap('[a, b]', '[a, b]')],
    ['a[0], a.b', undefined, conflict('[a, [0]]', '[a, b]')],
    ['a.b, a[0]', undefined, conflict('[a, b]', '[a, [0]]')],
    ['#a, #a.#b', { '#a': 'a', '#b': '[3]' }, overlap('[a]', '[a, [3]]')],
    ['#undef', undefined, `${prefix}An expression attribute name used in the document path is not defined; attribute name: #undef`],
    ['pk, #undef, #other', undefined, `${prefix}An expression attribute name used in the document path is not defined; attribute name: #other`],
  ];
  for (const [expression, names, message] of cases) {
    it(`${expression} → ${message}`, () => {
      assertValidationError(() => project(expression, ITEM, names), message);
    });
  }
  it('names the second path by walking the first child in Java hash order', () => {
    // Paths are checked last to first; when x.y meets x the trie root holds x and m,
    // and m sits in the earlier hash bucket, so DynamoDB's walk reports [m, k].
    assertValidationError(() => project('x.y, m.k, x', ITEM), overlap('[x, y]', '[m, k]'));
  });
  it('rejects duplicate AttributesToGet', () => {
    assertValidationError(
      () => compileAttributesToGet(['a', 'b', 'a']),
      'One or more parameter values were invalid: Duplicate value in attribute name: a',
    );
  });
});
