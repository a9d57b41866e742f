import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilterPattern } from './index.js';

interface MatchCase {
  readonly pattern: string;
  readonly message: string;
  readonly expected: boolean;
}

function runMatchTable(cases: readonly MatchCase[]): void {
  for (const { pattern, message, expected } of cases) {
    it(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(message)}`, () => {
      assert.equal(compileFilterPattern(pattern).matches(message), expected);
    });
  }
}

// Log events used by the "unstructured log events" examples on
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
const BAD_REQUEST = '[ERROR 400] BAD REQUEST';
const UNAUTHORIZED = '[ERROR 401] UNAUTHORIZED REQUEST';
const MISSING_ARGUMENTS = '[ERROR 419] MISSING ARGUMENTS';
const INVALID_ARGUMENTS = '[ERROR 420] INVALID ARGUMENTS';
const INTERNAL_ERROR = '[ERROR 500] INTERNAL SERVER ERROR';

describe('unstructured patterns: empty pattern', () => {
  runMatchTable([
    { pattern: '', message: 'anything at all', expected: true },
    { pattern: '', message: '', expected: true },
    { pattern: '   ', message: 'whitespace-only pattern', expected: true },
    // AWS: "You can match everything in your log events with double quotation marks."
    { pattern: '" "', message: 'NoSpacesHere', expected: true },
    { pattern: '" "', message: BAD_REQUEST, expected: true },
  ]);
});

describe('unstructured patterns: single and multiple terms (AWS examples)', () => {
  runMatchTable([
    { pattern: 'ERROR', message: BAD_REQUEST, expected: true },
    { pattern: 'ERROR', message: UNAUTHORIZED, expected: true },
    { pattern: 'ERROR', message: MISSING_ARGUMENTS, expected: true },
    { pattern: 'ERROR', message: INVALID_ARGUMENTS, expected: true },
    { pattern: 'ERROR', message: '[INFO 200] OK', expected: false },
    { pattern: 'ERROR ARGUMENTS', message: MISSING_ARGUMENTS, expected: true },
    { pattern: 'ERROR ARGUMENTS', message: INVALID_ARGUMENTS, expected: true },
    { pattern: 'ERROR ARGUMENTS', message: BAD_REQUEST, expected: false },
    { pattern: 'ERROR ARGUMENTS', message: UNAUTHORIZED, expected: false },
    // Older revision: "ERROR" matches "Exiting with ERRORCODE: -1" (terms match inside words).
    { pattern: 'ERROR', message: 'Exiting with ERRORCODE: -1', expected: true },
    { pattern: 'ERROR Exception', message: '[ERROR] Caught IllegalArgumentException', expected: true },
    { pattern: 'ERROR Exception', message: '[ERROR] Unhandled Exception', expected: true },
    { pattern: 'Failed to process the request', message: '[WARN] Failed to process the request', expected: true },
    {
      pattern: 'Failed to process the request',
      message: '[ERROR] Unable to continue: Failed to process the request',
      expected: true,
    },
    { pattern: 'Failed to process the request', message: '[WARN] Failed to process', expected: false },
    // Word order does not matter for separate terms.
    { pattern: 'ARGUMENTS ERROR', message: MISSING_ARGUMENTS, expected: true },
  ]);
});

describe('unstructured patterns: case sensitivity', () => {
  runMatchTable([
    { pattern: 'ERROR', message: '[error 400] bad request', expected: false },
    { pattern: 'error', message: BAD_REQUEST, expected: false },
    { pattern: 'Error', message: 'Error: boom', expected: true },
  ]);
});

describe('unstructured patterns: exact phrases in double quotes', () => {
  runMatchTable([
    { pattern: '"INTERNAL SERVER ERROR"', message: INTERNAL_ERROR, expected: true },
    { pattern: '"INTERNAL SERVER ERROR"', message: '[ERROR 500] INTERNAL ERROR', expected: false },
    { pattern: '"INTERNAL SERVER ERROR"', message: 'SERVER ERROR INTERNAL', expected: false },
    { pattern: '"INTERNAL SERVER ERROR"', message: 'internal server error', expected: false },
    // Non-alphanumeric characters are fine inside quotes.
    { pattern: '"user@example.com"', message: 'login by user@example.com failed', expected: true },
    { pattern: '"[ERROR 401]"', message: UNAUTHORIZED, expected: true },
    { pattern: '"ORDER-ITEM-1"', message: 'processing ORDER-ITEM-1 now', expected: true },
    { pattern: '"ORDER-ITEM-1"', message: 'processing ORDER ITEM 1 now', expected: false },
    { pattern: '"a:b" "(c)"', message: 'x a:b y (c) z', expected: true },
    // \" and \\ are the escapes inside a quoted term.
    { pattern: '"say \\"hi\\""', message: 'they say "hi" to you', expected: true },
    { pattern: '"back\\\\slash"', message: 'a back\\slash here', expected: true },
    // Quoted and bare terms mix; all must match.
    { pattern: 'ERROR "SERVER ERROR"', message: INTERNAL_ERROR, expected: true },
    { pattern: 'ERROR "SERVER ERROR"', message: BAD_REQUEST, expected: false },
  ]);
});

describe('unstructured patterns: excluded terms', () => {
  runMatchTable([
    { pattern: 'ERROR -ARGUMENTS', message: BAD_REQUEST, expected: true },
    { pattern: 'ERROR -ARGUMENTS', message: UNAUTHORIZED, expected: true },
    { pattern: 'ERROR -ARGUMENTS', message: MISSING_ARGUMENTS, expected: false },
    { pattern: 'ERROR -ARGUMENTS', message: INVALID_ARGUMENTS, expected: false },
    // Older revision: "ERROR" -"Exiting" drops "Exiting with ERRORCODE: -1".
    { pattern: '"ERROR" -"Exiting"', message: 'Exiting with ERRORCODE: -1', expected: false },
    { pattern: '"ERROR" -"Exiting"', message: '[ERROR] A fatal exception has occurred', expected: true },
    // ...which that revision prints with a space after the minus sign.
    { pattern: '"ERROR" - "Exiting"', message: 'Exiting with ERRORCODE: -1', expected: false },
    { pattern: '"ERROR" - "Exiting"', message: '[ERROR] A fatal exception has occurred', expected: true },
    // Lightsail's summary of the same syntax: "-ERROR" returns every event without ERROR.
    { pattern: '-ERROR', message: '[INFO] all good', expected: true },
    { pattern: '-ERROR', message: BAD_REQUEST, expected: false },
    { pattern: '-"SERVER ERROR" ERROR', message: BAD_REQUEST, expected: true },
    { pattern: '-"SERVER ERROR" ERROR', message: INTERNAL_ERROR, expected: false },
    { pattern: 'ERROR -WARN -DEBUG', message: 'ERROR DEBUG', expected: false },
    { pattern: 'ERROR -WARN -DEBUG', message: 'ERROR only', expected: true },
  ]);
});

describe('unstructured patterns: optional terms with ?', () => {
  runMatchTable([
    { pattern: '?ERROR ?ARGUMENTS', message: BAD_REQUEST, expected: true },
    { pattern: '?ERROR ?ARGUMENTS', message: UNAUTHORIZED, expected: true },
    { pattern: '?ERROR ?ARGUMENTS', message: MISSING_ARGUMENTS, expected: true },
    { pattern: '?ERROR ?ARGUMENTS', message: INVALID_ARGUMENTS, expected: true },
    { pattern: '?ERROR ?ARGUMENTS', message: 'MISSING ARGUMENTS', expected: true },
    { pattern: '?ERROR ?ARGUMENTS', message: '[INFO 200] OK', expected: false },
    // Older revision's three-event example.
    { pattern: '?ERROR ?WARN', message: 'ERROR WARN message', expected: true },
    { pattern: '?ERROR ?WARN', message: 'ERROR message', expected: true },
    { pattern: '?ERROR ?WARN', message: 'WARN message', expected: true },
    { pattern: 'ERROR WARN', message: 'ERROR WARN message', expected: true },
    { pattern: 'ERROR WARN', message: 'ERROR message', expected: false },
    { pattern: 'ERROR WARN', message: 'WARN message', expected: false },
    { pattern: 'ERROR -WARN', message: 'ERROR WARN message', expected: false },
    { pattern: 'ERROR -WARN', message: 'ERROR message', expected: true },
    { pattern: 'ERROR -WARN', message: 'WARN message', expected: false },
    { pattern: '?"SERVER ERROR" ?"BAD REQUEST"', message: BAD_REQUEST, expected: true },
    { pattern: '?"SERVER ERROR" ?"BAD REQUEST"', message: UNAUTHORIZED, expected: false },
    { pattern: '?ERROR', message: BAD_REQUEST, expected: true },
  ]);
});

describe('unstructured patterns: ? combined with other terms is ignored (AWS note)', () => {
  runMatchTable([
    // "?ERROR ?ARGUMENTS REQUEST" behaves exactly as "REQUEST".
    { pattern: '?ERROR ?ARGUMENTS REQUEST', message: '[INFO] REQUEST FAILED', expected: true },
    { pattern: '?ERROR ?ARGUMENTS REQUEST', message: '[WARN] UNAUTHORIZED REQUEST', expected: true },
    { pattern: '?ERROR ?ARGUMENTS REQUEST', message: '[ERROR] 400 BAD REQUEST', expected: true },
    { pattern: '?ERROR ?ARGUMENTS REQUEST', message: MISSING_ARGUMENTS, expected: false },
    // Combined with an exclusion, the ? terms are ignored as well.
    { pattern: '?ERROR -WARN', message: '[INFO] nothing to see', expected: true },
    { pattern: '?ERROR -WARN', message: '[WARN] careful', expected: false },
  ]);
});

describe('unstructured patterns: characters allowed without quotes', () => {
  runMatchTable([
    { pattern: 'snake_case_term', message: 'found snake_case_term here', expected: true },
    { pattern: '404', message: 'status 404 returned', expected: true },
    { pattern: 'café', message: 'order at the café', expected: true },
  ]);
});
