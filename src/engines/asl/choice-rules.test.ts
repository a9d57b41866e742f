import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateChoiceRule } from './choice-rules.js';
import { StateFailure } from './state-errors.js';
import { compileStringMatches } from './string-matches.js';
import type { JsonObject, JsonValue } from './json-value.js';

function holds(operator: string, variable: JsonValue, value: JsonValue): boolean {
  const byPath = operator.endsWith('Path');
  const rule: JsonObject = { Variable: '$.Variable', [operator]: byPath ? '$.Value' : value, Next: 'X' };
  return evaluateChoiceRule(rule, { input: { Variable: variable, Value: value }, context: {}, variable: () => undefined });
}

type Case = readonly [JsonValue, JsonValue, boolean];

/** Runs each case for the operator and for its ...Path twin, which must agree. */
function table(operator: string, cases: readonly Case[], withPath = true): void {
  describe(operator, () => {
    for (const [variable, value, expected] of cases) {
      const operators = withPath ? [operator, `${operator}Path`] : [operator];
      for (const name of operators) {
        it(`${name}: ${JSON.stringify(variable)} vs ${JSON.stringify(value)} → ${expected}`, () => {
          assert.equal(holds(name, variable, value), expected);
        });
      }
    }
  });
}

// Cases mirror comparisons recorded against AWS: values of the wrong type never match.
const WRONG_TYPES: readonly JsonValue[] = [null, [], [''], {}, { A: 0 }];

table('StringEquals', [
  ['Hello', 'Hello', true],
  [' ', '     ', false],
  ['\t\n', '\t\r\n', false],
  [0, 'HelloWorld', false],
  [true, 'true', false],
  ...WRONG_TYPES.map((variable): Case => [variable, 'HelloWorld', false]),
]);
table('StringLessThan', [
  ['', '', false],
  ['A', 'AB', true],
  ['AB', 'A', false],
  ['Z', 'a', true],
]);
table('StringGreaterThan', [
  ['', '', false],
  ['A', 'A ', false],
  ['AB', 'ABC', false],
  ['b', 'a', true],
]);
table('StringLessThanEquals', [
  ['', '', true],
  ['A', 'AB', true],
  ['AB', 'A', false],
]);
table('StringGreaterThanEquals', [
  ['', '', true],
  ['A', 'AB', false],
  ['AB', 'A', true],
]);
table('NumericEquals', [
  [0, 0, true],
  [0, 0.0, true],
  [1, 1.0, true],
  [2.22, 2.22, true],
  [1.1, 1, false],
  ['1', 1, false],
  [false, 0, false],
  ...WRONG_TYPES.map((variable): Case => [variable, 0, false]),
]);
table('NumericLessThan', [
  [0, 1, true],
  [1, 1, false],
  [1, 0, false],
  [-0.5, 0, true],
]);
table('NumericGreaterThan', [
  [1, 0, true],
  [0, 0, false],
  [0, 1, false],
]);
table('NumericLessThanEquals', [
  [0, 0, true],
  [0, 1, true],
  [1, 0, false],
]);
table('NumericGreaterThanEquals', [
  [0, 0, true],
  [1, 0, true],
  [0, 1, false],
]);
table('BooleanEquals', [
  [true, true, true],
  [false, false, true],
  [false, true, false],
  ['true', true, false],
  [1, true, false],
  [null, false, false],
]);
table('TimestampEquals', [
  ['2016-08-18T17:33:00Z', '2016-08-18T17:33:00Z', true],
  ['2016-08-18T19:33:00+02:00', '2016-08-18T17:33:00Z', true],
  ['2016-08-18T17:33:00.000Z', '2016-08-18T17:33:00Z', true],
  ['2016-08-18T17:33:00.000001Z', '2016-08-18T17:33:00Z', false],
  ['2023-02-24 12:15:56.832957', '2023-02-24T12:15:56Z', false],
  ['2016-08-18T17:33:00', '2016-08-18T17:33:00Z', false],
  [0, '2016-08-18T17:33:00Z', false],
]);
table('TimestampLessThan', [
  ['2016-08-18T17:33:00Z', '2016-08-18T17:33:01Z', true],
  ['2016-08-18T17:33:01Z', '2016-08-18T17:33:00Z', false],
]);
table('TimestampGreaterThan', [
  ['2016-08-19T00:00:00Z', '2016-08-18T23:59:59.999Z', true],
  ['2016-08-18T17:33:00Z', '2016-08-18T17:33:00Z', false],
]);
table('TimestampLessThanEquals', [
  ['2016-08-18T17:33:00Z', '2016-08-18T17:33:00Z', true],
  ['2016-08-18T17:33:01Z', '2016-08-18T17:33:00Z', false],
]);
table('TimestampGreaterThanEquals', [
  ['2016-08-18T17:33:00Z', '2016-08-18T17:33:00Z', true],
  ['2016-08-18T17:32:59Z', '2016-08-18T17:33:00Z', false],
]);
table(
  'StringMatches',
  [
    ['foo23.log', 'foo*.log', true],
    ['zebra.log', '*.log', true],
    ['foobar.zebra', 'foo*.*', true],
    ['log-1.txt', 'log-*.txt', true],
    ['log-1.csv', 'log-*.txt', false],
    ['a*b', 'a\\*b', true],
    ['axb', 'a\\*b', false],
    ['a\\b', 'a\\\\b', true],
    ['(x)+[y]', '(x)+[y]', true],
    ['', '*', true],
    [1, '*', false],
  ],
  false,
);

describe('type tests (Is* operators compare the type test with the boolean given)', () => {
  const samples: ReadonlyArray<readonly [string, JsonValue]> = [
    ['null', null],
    ['number', 1.1],
    ['string', 'HelloWorld'],
    ['boolean', false],
    ['timestamp', '2016-03-14T01:59:00Z'],
    ['array', []],
    ['object', { A: 0 }],
  ];
  const truth: Readonly<Record<string, readonly string[]>> = {
    IsNull: ['null'],
    IsNumeric: ['number'],
    IsString: ['string', 'timestamp'],
    IsBoolean: ['boolean'],
    IsTimestamp: ['timestamp'],
    IsPresent: ['null', 'number', 'string', 'boolean', 'timestamp', 'array', 'object'],
  };
  for (const [operator, kinds] of Object.entries(truth)) {
    for (const [kind, value] of samples) {
      for (const expected of [true, false]) {
        const result = kinds.includes(kind) === expected;
        it(`${operator}: ${expected} on ${kind} → ${result}`, () => {
          assert.equal(holds(operator, value, expected), result);
        });
      }
    }
  }

  it('IsPresent on a missing path is false rather than an error', () => {
    const rule = { Variable: '$.missing', IsPresent: true };
    assert.equal(evaluateChoiceRule(rule, { input: {}, context: {}, variable: () => undefined }), false);
    assert.equal(evaluateChoiceRule({ Variable: '$.missing', IsPresent: false }, { input: {}, context: {}, variable: () => undefined }), true);
  });
});

describe('boolean expressions', () => {
  const input = { type: 'Private', value: 22, rating: 5, auditThreshold: 3 };
  const scope = { input, context: { Execution: { Name: 'run-1' } }, variable: (name: string) => (name === 'limit' ? 20 : undefined) };
  const cases: ReadonlyArray<readonly [string, JsonObject, boolean]> = [
    ['Not', { Not: { Variable: '$.type', StringEquals: 'Private' } }, false],
    [
      'And (all hold)',
      {
        And: [
          { Variable: '$.value', IsPresent: true },
          { Variable: '$.value', IsNumeric: true },
          { Variable: '$.value', NumericGreaterThanEquals: 20 },
          { Variable: '$.value', NumericLessThan: 30 },
        ],
      },
      true,
    ],
    [
      'And stops at the first false (the later missing path is never read)',
      { And: [{ Variable: '$.keyThatMightNotExist', IsPresent: true }, { Variable: '$.keyThatMightNotExist', StringEquals: 'foo' }] },
      false,
    ],
    ['Or', { Or: [{ Variable: '$.type', StringEquals: 'Public' }, { Variable: '$.rating', NumericGreaterThanPath: '$.auditThreshold' }] }, true],
    ['nested', { Not: { Or: [{ Variable: '$.value', NumericEquals: 1 }, { Not: { Variable: '$.type', StringEquals: 'Private' } }] } }, true],
    ['context path', { Variable: '$$.Execution.Name', StringEquals: 'run-1' }, true],
    ['variable', { Variable: '$limit', NumericLessThanPath: '$.value' }, true],
  ];
  for (const [name, rule, expected] of cases) {
    it(name, () => {
      assert.equal(evaluateChoiceRule(rule, scope), expected);
    });
  }
});

describe('choice rule runtime errors', () => {
  const scope = { input: { a: 1 }, context: {}, variable: () => undefined };
  it('a Variable that does not resolve fails with States.Runtime', () => {
    assert.throws(
      () => evaluateChoiceRule({ Variable: '$.missing', NumericEquals: 1 }, scope),
      (error: unknown) =>
        error instanceof StateFailure && error.error === 'States.Runtime' && error.detail === "Invalid path '$.missing': The choice state's condition path references an invalid value.",
    );
  });

  it('an open escape in StringMatches fails with States.Runtime', () => {
    assert.throws(() => evaluateChoiceRule({ Variable: '$.a', StringMatches: 'a\\b' }, { ...scope, input: { a: 'ab' } }), StateFailure);
  });

  it('compiles wildcard patterns to anchored expressions', () => {
    assert.equal(compileStringMatches('a*').test('xa'), false);
    assert.equal(compileStringMatches('*a').test('xa'), true);
  });
});
