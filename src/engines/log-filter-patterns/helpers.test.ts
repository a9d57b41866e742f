import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { splitLogLine } from './log-line-fields.js';
import { parseEventNumber, parsePatternNumber } from './number-literal.js';
import { compileWildcardString } from './wildcard-string.js';

describe('splitLogLine', () => {
  const cases: ReadonlyArray<readonly [string, readonly string[]]> = [
    [
      '127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534',
      ['127.0.0.1', 'Prod', 'frank', '10/Oct/2000:13:25:15 -0700', 'GET /index.html HTTP/1.0', '404', '1534'],
    ],
    ['  a   b\tc  ', ['a', 'b', 'c']],
    ['', []],
    ['"" []', ['', '']],
    ['a "unclosed quote to end', ['a', 'unclosed quote to end']],
    ['a [unclosed bracket', ['a', 'unclosed bracket']],
    ['"x"y', ['x', 'y']],
    ['key="a b"', ['key="a', 'b"']],
  ];
  for (const [line, expected] of cases) {
    it(`splits ${JSON.stringify(line)}`, () => {
      assert.deepEqual(
        splitLogLine(line).map((field) => field.value),
        expected,
      );
    });
  }
});

describe('compileWildcardString', () => {
  const cases: ReadonlyArray<readonly [string, string, boolean]> = [
    ['*Event', 'PutEvent', true],
    ['*Event', 'EventId', false],
    ['Event*', 'EventId', true],
    ['Event*', 'PutEvent', false],
    ['*vent*', 'PutEvents', true],
    ['Ev*ent', 'Event', false],
    ['Ev*ent', 'Ev*ent', true],
    ['*', '', true],
    ['*', 'anything', true],
    ['**', 'anything', true],
    ['exact', 'exact', true],
    ['exact', 'exactly', false],
    ['', '', true],
  ];
  for (const [pattern, subject, expected] of cases) {
    it(`${JSON.stringify(pattern)} vs ${JSON.stringify(subject)} is ${expected}`, () => {
      assert.equal(compileWildcardString(pattern)(subject), expected);
    });
  }
});

describe('number literals', () => {
  const patternNumbers: ReadonlyArray<readonly [string, number | undefined]> = [
    ['400', 400],
    ['+1000', 1000],
    ['-5', -5],
    ['55.5', 55.5],
    ['10e3', 10000],
    ['1e-3', 0.001],
    ['1e+3', 1000],
    ['4*', undefined],
    ['1.2.3', undefined],
    ['.5', undefined],
    ['0x10', undefined],
    ['', undefined],
  ];
  for (const [text, expected] of patternNumbers) {
    it(`pattern literal ${JSON.stringify(text)} -> ${String(expected)}`, () => {
      assert.equal(parsePatternNumber(text), expected);
    });
  }
  const eventNumbers: ReadonlyArray<readonly [string, number | undefined]> = [
    ['1534', 1534],
    ['-0.25', -0.25],
    ['1e3', undefined],
    ['12ms', undefined],
    [' 12', undefined],
  ];
  for (const [text, expected] of eventNumbers) {
    it(`event text ${JSON.stringify(text)} -> ${String(expected)}`, () => {
      assert.equal(parseEventNumber(text), expected);
    });
  }
});
