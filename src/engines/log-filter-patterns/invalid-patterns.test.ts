import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilterPattern, FilterPatternError } from './index.js';

interface InvalidCase {
  readonly pattern: string;
  readonly message: string;
}

const GENERIC = 'Invalid filter pattern';

function runInvalidTable(cases: readonly InvalidCase[]): void {
  for (const { pattern, message } of cases) {
    it(`${JSON.stringify(pattern)} is rejected with "${message}"`, () => {
      assert.throws(
        () => compileFilterPattern(pattern),
        (error: unknown) => {
          assert.ok(error instanceof FilterPatternError, 'expected a FilterPatternError');
          assert.equal(error.name, 'FilterPatternError');
          assert.equal(error.message, message);
          return true;
        },
      );
    });
  }
}

describe('FilterPatternError', () => {
  it('is an Error subclass', () => {
    const error = new FilterPatternError(GENERIC);
    assert.ok(error instanceof Error);
    assert.equal(error.message, GENERIC);
  });
});

describe('invalid patterns: unclosed JSON and space-delimited patterns', () => {
  runInvalidTable([
    { pattern: '{ $.a = 1', message: "If a filter pattern starts with '{' it must end with '}'" },
    {
      // What a shell leaves of an unquoted pattern (jorgebastida/awslogs#210).
      pattern: '{$.kubernetes.namespace_name=abc',
      message: "If a filter pattern starts with '{' it must end with '}'",
    },
    { pattern: '{', message: "If a filter pattern starts with '{' it must end with '}'" },
    { pattern: '[ip, user', message: "If a filter pattern starts with '[' it must end with ']'" },
    { pattern: '[time, level=ERROR, msg', message: "If a filter pattern starts with '[' it must end with ']'" },
  ]);
});

describe('invalid patterns: unquoted terms with non-alphanumeric characters', () => {
  runInvalidTable([
    { pattern: 'email@domain.com', message: "Invalid character(s) in term '@'" },
    { pattern: '?Status: timeout', message: "Invalid character(s) in term ':'" },
    { pattern: 'Shutting down (signal)', message: "Invalid character(s) in term '('" },
    { pattern: 'level\\":\\"error', message: "Invalid character(s) in term '\\'" },
    { pattern: '`ERROR', message: "Invalid character(s) in term '`'" },
    { pattern: 'ERROR,WARN', message: "Invalid character(s) in term ','" },
    { pattern: 'ORDER-ITEM-1', message: "Invalid character(s) in term '-'" },
    { pattern: 'status=200', message: "Invalid character(s) in term '='" },
    { pattern: 'ERR*', message: "Invalid character(s) in term '*'" },
    { pattern: '""', message: 'Invalid character(s) in term \'""\'' },
    { pattern: 'ERROR ""', message: 'Invalid character(s) in term \'""\'' },
    { pattern: '?', message: "Invalid character(s) in term '?'" },
    { pattern: '-', message: "Invalid character(s) in term '-'" },
    { pattern: 'ERROR -', message: "Invalid character(s) in term '-'" },
    { pattern: '? ERROR', message: "Invalid character(s) in term '?'" },
    { pattern: '?-ERROR', message: "Invalid character(s) in term '-'" },
    { pattern: '%a% b', message: "Invalid character(s) in term '%'" },
    { pattern: '"unterminated phrase', message: GENERIC },
  ]);
});

describe('invalid patterns: regex outside the documented dialect', () => {
  runInvalidTable([
    { pattern: '%something!%', message: "Invalid character(s) in term '!'" },
    { pattern: '%(ab)+%', message: "Invalid character(s) in term '('" },
    { pattern: '%\\(%', message: "Invalid character(s) in term '('" },
    { pattern: '%a"b%', message: "Invalid character(s) in term '\"'" },
    { pattern: '%café%', message: "Invalid character(s) in term 'é'" },
    { pattern: '%a%b%', message: "Invalid character(s) in term '%'" },
    { pattern: '%%', message: GENERIC },
    { pattern: '%[abc%', message: GENERIC },
    { pattern: '%*abc%', message: GENERIC },
    { pattern: '%a{}%', message: GENERIC },
    { pattern: '%a{,}%', message: GENERIC },
    { pattern: '%a{x}%', message: GENERIC },
    { pattern: '%a}%', message: GENERIC },
    { pattern: '%\\b%', message: GENERIC },
    { pattern: '%\\1%', message: GENERIC },
    { pattern: '%\\xZZ%', message: GENERIC },
    { pattern: '%abc\\%', message: GENERIC },
  ]);
});

describe('invalid patterns: JSON syntax', () => {
  runInvalidTable([
    { pattern: '{}', message: GENERIC },
    { pattern: '{ }', message: GENERIC },
    { pattern: '{ $.a }', message: GENERIC },
    { pattern: '{ $.a = }', message: GENERIC },
    { pattern: '{ $.a == 1 }', message: GENERIC },
    { pattern: '{ $.a = 1 = 2 }', message: GENERIC },
    { pattern: '{ $.a = 1 $.b = 2 }', message: GENERIC },
    { pattern: '{ $.a = 1 && }', message: GENERIC },
    { pattern: '{ && $.a = 1 }', message: GENERIC },
    { pattern: '{ ($.a = 1 }', message: GENERIC },
    { pattern: '{ $.a = 1) }', message: GENERIC },
    { pattern: '{ $.a & $.b }', message: GENERIC },
    { pattern: '{ $.a = 1 | $.b = 2 }', message: GENERIC },
    { pattern: '{ $.a = 1, $.b = 2 }', message: GENERIC },
    { pattern: '{ $.a ! 1 }', message: GENERIC },
    // "The variables IS NOT and EXISTS currently aren't supported."
    { pattern: '{ $.a IS NOT NULL }', message: GENERIC },
    { pattern: '{ $.a EXISTS }', message: GENERIC },
    { pattern: '{ $.a IS MAYBE }', message: GENERIC },
    { pattern: '{ $.a NOT NULL }', message: GENERIC },
    { pattern: '{ $.a IS }', message: GENERIC },
    // Ordering needs a number.
    { pattern: '{ $.a > "10" }', message: GENERIC },
    { pattern: '{ $.a > abc }', message: GENERIC },
    { pattern: '{ $.a < %1% }', message: GENERIC },
    { pattern: '{ $.a >= 4* }', message: GENERIC },
    // Values with special characters must be quoted.
    { pattern: '{ $.email = user@example.com }', message: "Invalid character(s) in term '@'" },
    { pattern: '{ $.path = /index.html }', message: "Invalid character(s) in term '/'" },
    { pattern: '{ $.a = "unterminated }', message: GENERIC },
    { pattern: '{ $.a = %unterminated }', message: GENERIC },
  ]);
});

describe('invalid patterns: JSON selectors', () => {
  runInvalidTable([
    // Reported by a client for `{ $."sc-status" = 5* }`.
    { pattern: '{ $."sc-status" = 5* }', message: "Invalid character(s) in term '$.\"'" },
    { pattern: '{ a = 1 }', message: GENERIC },
    { pattern: '{ $ = 1 }', message: GENERIC },
    { pattern: '{ $. = 1 }', message: GENERIC },
    { pattern: '{ $.a. = 1 }', message: GENERIC },
    { pattern: '{ $.a@b = 1 }', message: "Invalid character(s) in term '$.a@'" },
    { pattern: '{ $.a..b = 1 }', message: "Invalid character(s) in term '$.a..'" },
    { pattern: '{ $.a[x] = 1 }', message: "Invalid character(s) in term '$.a[x'" },
    { pattern: "{ $.['unterminated = 1 }", message: GENERIC },
    // "You can only use up to one wildcard selector in a property selector".
    { pattern: '{ $.a[*][*] = 1 }', message: GENERIC },
    { pattern: '{ $.*.* = 1 }', message: GENERIC },
    // "...and up to three wildcard selectors in a filter pattern with compound expressions."
    { pattern: '{ $.a[*] = 1 || $.b[*] = 1 || $.c[*] = 1 || $.d.* = 1 }', message: GENERIC },
  ]);
});

describe('invalid patterns: regex quota in JSON and space-delimited patterns', () => {
  // "There is a limit of 2 regex for each filter pattern when creating a delimited or JSON filter pattern".
  runInvalidTable([
    { pattern: '{ $.a = %a% || $.b = %b% || $.c = %c% }', message: GENERIC },
    { pattern: '[a = %a%, b = %b%, c = %c%]', message: GENERIC },
    { pattern: '[a = %a% || a = %b% || a = %c%]', message: GENERIC },
  ]);
});

describe('invalid patterns: space-delimited syntax', () => {
  runInvalidTable([
    { pattern: '[]', message: GENERIC },
    { pattern: '[ ]', message: GENERIC },
    { pattern: '[a,]', message: GENERIC },
    { pattern: '[,a]', message: GENERIC },
    { pattern: '[a,,b]', message: GENERIC },
    // Conditions may only name their own field (awsdocs/amazon-cloudwatch-logs-user-guide#21).
    { pattern: '[ip, user, username, timestamp, request, status_code = 4* && bytes > 1000]', message: GENERIC },
    { pattern: '[w1=ERROR || w2=WARN, w3]', message: GENERIC },
    { pattern: '[w1=!ERROR, w2]', message: GENERIC },
    { pattern: '[w1 ERROR, w2]', message: GENERIC },
    { pattern: '[w1 =, w2]', message: GENERIC },
    { pattern: '["quoted", w2]', message: GENERIC },
    { pattern: '[w1 = 1 &&, w2]', message: GENERIC },
    { pattern: '[a.b, c]', message: "Invalid character(s) in term '.'" },
    { pattern: '[a, b > big]', message: GENERIC },
    { pattern: '[a, b = x@y]', message: "Invalid character(s) in term '@'" },
  ]);
});

describe('valid patterns at the documented limits compile', () => {
  for (const pattern of [
    '{ $.a = %a% || $.b = %b% }',
    '[a = %a%, b = %b%]',
    '{ $.a[*] = 1 || $.b[*] = 1 || $.c.* = 1 }',
    '{ $.a[*].b = 1 }',
  ]) {
    it(`${pattern} compiles`, () => {
      assert.doesNotThrow(() => compileFilterPattern(pattern));
    });
  }
});
