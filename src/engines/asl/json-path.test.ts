import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JsonPathNotFoundError, JsonPathSyntaxError, isDefinite, normalizedPath, parseJsonPath, readAll, readDefinite } from './json-path.js';
import { applyResultPath } from './result-path.js';
import { StateFailure } from './state-errors.js';
import type { JsonObject, JsonValue } from './json-value.js';

const STORE: JsonObject = {
  store: {
    book: [
      { category: 'reference', author: 'Nigel Rees', title: 'Sayings of the Century', price: 8.95 },
      { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword of Honour', price: 12.99 },
      { category: 'fiction', author: 'Herman Melville', title: 'Moby Dick', isbn: '0-553-21311-3', price: 8.99 },
      { category: 'fiction', author: 'J. R. R. Tolkien', title: 'The Lord of the Rings', isbn: '0-395-19395-8', price: 22.99 },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  'odd key': 1,
  'store.book': 'dotted',
  vals: [0, 10, 20, 30, 40, 50],
};

describe('JsonPath: definite paths', () => {
  const cases: ReadonlyArray<readonly [string, JsonValue]> = [
    ['$', STORE],
    ['$.store.bicycle.color', 'red'],
    ["$['store']['bicycle']['price']", 19.95],
    ['$["odd key"]', 1],
    ['$.store\\.book', 'dotted'],
    ['$.store.book[0].title', 'Sayings of the Century'],
    ['$.store.book[-1].author', 'J. R. R. Tolkien'],
    ['$.vals[2]', 20],
    ["$.store.['bicycle'].color", 'red'],
  ];
  for (const [path, expected] of cases) {
    it(path, () => {
      const parsed = parseJsonPath(path);
      assert.equal(isDefinite(parsed), true);
      assert.deepEqual(readDefinite(parsed, STORE), expected);
    });
  }
});

describe('JsonPath: indefinite paths return every match', () => {
  const cases: ReadonlyArray<readonly [string, JsonValue]> = [
    ['$.store.book[*].author', ['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']],
    ['$..author', ['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']],
    ['$.store.*.color', ['red']],
    ['$..book[2].title', ['Moby Dick']],
    ['$.vals[-3:]', [30, 40, 50]],
    ['$.vals[1:3]', [10, 20]],
    ['$.vals[:2]', [0, 10]],
    ['$.vals[::2]', [0, 20, 40]],
    ['$.vals[::-2]', [50, 30, 10]],
    ['$.vals[0,2,4]', [0, 20, 40]],
    ["$.store.bicycle['color','price']", ['red', 19.95]],
    ['$.store.book[?(@.isbn)].title', ['Moby Dick', 'The Lord of the Rings']],
    ['$.store.book[?(@.price < 10)].title', ['Sayings of the Century', 'Moby Dick']],
    ["$.store.book[?(@.category == 'fiction' && @.price > 20)].title", ['The Lord of the Rings']],
    ["$.store.book[?(@.category != 'fiction' || @.price >= 22.99)].title", ['Sayings of the Century', 'The Lord of the Rings']],
    ['$.store.book[?(!@.isbn)].price', [8.95, 12.99]],
    ['$.store.book[?(@.author =~ /.*Tolkien/)].price', [22.99]],
    ["$.store.book[?(@.category in ['reference'])].price", [8.95]],
    ['$.store.book[?(@.price > $.store.bicycle.price)].title', ['The Lord of the Rings']],
    ['$..price', [8.95, 12.99, 8.99, 22.99, 19.95]],
    ['$.missing[*]', []],
    ['$.store.book[10:]', []],
  ];
  for (const [path, expected] of cases) {
    it(path, () => {
      const parsed = parseJsonPath(path);
      assert.equal(isDefinite(parsed), false);
      assert.deepEqual(readAll(parsed, STORE), expected);
    });
  }
});

describe('JsonPath: Jayway errors for definite paths that do not resolve', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['$.NoSuchInputPath', "No results for path: $['NoSuchInputPath']"],
    ['$.no.such.result.path', "Missing property in path $['no']"],
    ['$.store.missing', "No results for path: $['store']['missing']"],
    ['$.vals[10]', 'No results for path: $[\'vals\'][10]'],
    ['$.vals.x', "No results for path: $['vals']['x']"],
  ];
  for (const [path, message] of cases) {
    it(`${path} → ${message}`, () => {
      assert.throws(() => readDefinite(parseJsonPath(path), STORE), (error: unknown) => error instanceof JsonPathNotFoundError && error.message === message);
    });
  }
});

describe('JsonPath: syntax errors', () => {
  for (const path of ['store', '$.', '$[', "$['a'", '$.a[?(@.b]', '$.a[x]', '$..']) {
    it(`rejects ${JSON.stringify(path)}`, () => {
      assert.throws(() => parseJsonPath(path), JsonPathSyntaxError);
    });
  }
});

describe('JsonPath: normalized form', () => {
  it('renders names and indexes the way Jayway messages do', () => {
    assert.equal(normalizedPath(parseJsonPath('$.a[0].b')), "$['a'][0]['b']");
  });
});

describe('ResultPath', () => {
  const input = { master: { detail: [1, 2, 3] } };
  const cases: ReadonlyArray<readonly [string | null | undefined, JsonValue]> = [
    [undefined, 6],
    ['$', 6],
    [null, input],
    ['$.master.detail', { master: { detail: 6 } }],
    ['$.master.result.sum', { master: { detail: [1, 2, 3], result: { sum: 6 } } }],
    ['$.master.detail[1]', { master: { detail: [1, 6, 3] } }],
    ["$['new key']", { master: { detail: [1, 2, 3] }, 'new key': 6 }],
  ];
  for (const [path, expected] of cases) {
    it(`${String(path)} places the result`, () => {
      assert.deepEqual(applyResultPath(input, path, 6), expected);
    });
  }

  it('does not modify the raw input', () => {
    applyResultPath(input, '$.master.detail', 6);
    assert.deepEqual(input, { master: { detail: [1, 2, 3] } });
  });

  const failures: ReadonlyArray<readonly [JsonValue, string]> = [
    ['foo', '$.x'],
    [{ a: 'text' }, '$.a.b'],
    [{ a: [1] }, '$.a[3]'],
  ];
  for (const [raw, path] of failures) {
    it(`cannot apply ${path} to ${JSON.stringify(raw)}`, () => {
      assert.throws(
        () => applyResultPath(raw, path, 1),
        (error: unknown) => error instanceof StateFailure && error.error === 'States.Runtime' && error.detail === `Unable to apply ReferencePath ${path} to input ${JSON.stringify(raw)}`,
      );
    });
  }
});
