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
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(message)}`, () => {
      assert.equal(compileFilterPattern(pattern).matches(message), expected);
    });
  }
}

function against(message: string, cases: ReadonlyArray<readonly [string, boolean]>): MatchCase[] {
  return cases.map(([pattern, expected]) => ({ pattern, message, expected }));
}

// Example events from "Using filter patterns to match terms in space-delimited log events",
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-term-space-delimited-log-events
const APACHE_404 = '127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534';
const APACHE_500 = '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324';
const APACHE_SMALL = '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /index.html HTTP/1.0" 403 999';
const INFO_GET = 'INFO 09/25/2014 12:00:00 GET /service/resource/67 1200';
const INFO_POST = 'INFO 09/25/2014 12:00:01 POST /service/resource/67/part/111 1310';
const WARNING = 'WARNING 09/25/2014 12:00:02 Invalid user request';
const ERROR = 'ERROR 09/25/2014 12:00:02 Failed to process request';

describe('space-delimited patterns: named fields and conditions (AWS examples)', () => {
  runMatchTable(
    against(APACHE_404, [
      ['[ip, user, username, timestamp, request, status_code, bytes]', true],
      ['[ip=%127\\.0\\.0\\.[1-9]%, user, username, timestamp, request =*.html*, status_code = 4*, bytes]', true],
      ['[ip, user, username, timestamp, request, status_code, bytes > 1000]', true],
      ['[ip, user, username, timestamp, request, status_code = 200, bytes]', false],
      ['[ip, user, username, timestamp, request, status_code = 404, bytes]', true],
      ['[ip, user, username, timestamp, request, status_code = 4*, bytes]', true],
      ['[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]', true],
      ['[ip, user, username, timestamp, request =*.html*, status_code = 404 || status_code = 410, bytes]', true],
      ['[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]', true],
      ['[ip, user = Prod, username = frank, timestamp, request, status_code, bytes]', true],
      ['[ip, user = Dev, username, timestamp, request, status_code, bytes]', false],
      ['[ip = 127.0.0.1, user, username, timestamp, request, status_code, bytes]', true],
    ]),
  );
  runMatchTable(
    against(APACHE_500, [
      ['[ip, user, username, timestamp, request, status_code = 4*, bytes]', false],
      ['[ip, user, username, timestamp, request =*.html*, status_code = 404 || status_code = 410, bytes]', false],
      ['[ip, user, username, timestamp, request, status_code = 5*, bytes > 1000]', true],
    ]),
  );
  runMatchTable(
    against(APACHE_SMALL, [
      ['[ip, user, username, timestamp, request, status_code, bytes > 1000]', false],
      ['[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]', false],
      ['[ip, user, username, timestamp, request, status_code >= 400 && status_code < 500, bytes <= 999]', true],
    ]),
  );
});

describe('space-delimited patterns: brackets and quotes make one field', () => {
  runMatchTable(
    against(APACHE_404, [
      ['[ip, user, username, timestamp = "10/Oct/2000:13:25:15 -0700", request, status_code, bytes]', true],
      ['[ip, user, username, timestamp, request = "GET /index.html HTTP/1.0", status_code, bytes]', true],
      ['[ip, user, username, timestamp, request = "GET*", status_code, bytes]', true],
      ['[ip, user, username, timestamp = 10*, request, status_code, bytes]', true],
      // Eight names for seven fields: no match.
      ['[ip, user, username, date, time, request, status_code, bytes]', false],
    ]),
  );
});

describe('space-delimited patterns: ellipsis', () => {
  runMatchTable(
    against(APACHE_404, [
      ['[..., status_code, bytes]', true],
      ['[ip, user, ..., status_code, bytes]', true],
      ['[ip, user, ...]', true],
      ['[...]', true],
      ['[..., request =*.html*, status_code = 4*, bytes]', true],
      ['[..., status_code = 5*, bytes]', false],
      ['[ip = 10.*, ...]', false],
      // With an ellipsis every named slot is exactly one field.
      ['[..., bytes = 1534]', true],
      ['[..., bytes = 404]', false],
      // More than one ellipsis: any split that satisfies the conditions.
      ['[..., request = *html*, ...]', true],
      ['[..., request = *gif*, ...]', false],
    ]),
  );
  runMatchTable([
    { pattern: '[..., method = GET, ...]', message: INFO_GET, expected: true },
    { pattern: '[..., method = GET, ...]', message: INFO_POST, expected: false },
    { pattern: '[a, ..., b]', message: 'only', expected: false },
    { pattern: '[a, ..., b]', message: 'first last', expected: true },
  ]);
});

describe('space-delimited patterns: ordered words w1, w2 (AWS examples)', () => {
  runMatchTable([
    { pattern: '[w1=ERROR, w2]', message: ERROR, expected: true },
    { pattern: '[w1=ERROR, w2]', message: WARNING, expected: false },
    { pattern: '[w1=ERROR, w2]', message: INFO_GET, expected: false },
    { pattern: '[w1=ERROR || w1=WARNING, w2]', message: ERROR, expected: true },
    { pattern: '[w1=ERROR || w1=WARNING, w2]', message: WARNING, expected: true },
    { pattern: '[w1=ERROR || w1=WARNING, w2]', message: INFO_GET, expected: false },
    { pattern: '[w1!=ERROR && w1!=WARNING, w2]', message: INFO_GET, expected: true },
    { pattern: '[w1!=ERROR && w1!=WARNING, w2]', message: INFO_POST, expected: true },
    { pattern: '[w1!=ERROR && w1!=WARNING, w2]', message: ERROR, expected: false },
    { pattern: '[w1!=ERROR && w1!=WARNING, w2]', message: WARNING, expected: false },
    // Older revision's three events.
    { pattern: '[w1=ERROR, w2]', message: 'ERROR WARN message', expected: true },
    { pattern: '[w1=ERROR, w2]', message: 'ERROR message', expected: true },
    { pattern: '[w1=ERROR, w2]', message: 'WARN message', expected: false },
    { pattern: '[w1=ERROR || w1=WARN, w2]', message: 'ERROR message', expected: true },
    { pattern: '[w1=ERROR || w1=WARN, w2]', message: 'WARN message', expected: true },
    { pattern: '[w1=ERROR || w1=WARN, w2]', message: 'INFO message', expected: false },
  ]);
});

describe('space-delimited patterns: the last field takes the rest of the line', () => {
  runMatchTable([
    // Without the trailing "blank indicator", w1 is the whole line.
    { pattern: '[w1=ERROR]', message: ERROR, expected: false },
    { pattern: '[w1=ERROR]', message: 'ERROR', expected: true },
    { pattern: '[level, date, time, text = "Failed to process request"]', message: ERROR, expected: true },
    { pattern: '[level, date, time, text = Failed*]', message: ERROR, expected: true },
    { pattern: '[level, date, time, text = "Failed"]', message: ERROR, expected: false },
    { pattern: '[level, rest = *request]', message: WARNING, expected: true },
    // Fewer fields than names never matches.
    { pattern: '[a, b, c]', message: 'one two', expected: false },
    { pattern: '[a]', message: '', expected: false },
  ]);
});

describe('space-delimited patterns: regex conditions (AWS examples)', () => {
  runMatchTable([
    { pattern: '[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]', message: INFO_GET, expected: true },
    { pattern: '[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]', message: INFO_POST, expected: false },
    {
      pattern: '[logLevel, date, time, method, url=%/service/resource/[0-9]+/part/[0-9]+$%, response_time]',
      message: INFO_POST,
      expected: true,
    },
    {
      pattern: '[logLevel, date, time, method, url=%/service/resource/[0-9]+/part/[0-9]+$%, response_time]',
      message: INFO_GET,
      expected: false,
    },
    { pattern: '[level != %^INF%, ...]', message: INFO_GET, expected: false },
    { pattern: '[level != %^INF%, ...]', message: ERROR, expected: true },
    { pattern: '[level = %^WARN% || level = %^ERR%, ...]', message: ERROR, expected: true },
  ]);
});

describe('space-delimited patterns: numbers', () => {
  runMatchTable([
    { pattern: '[name, value > 1e3]', message: 'latency 1500', expected: true },
    { pattern: '[name, value > 1e3]', message: 'latency 999.5', expected: false },
    { pattern: '[name, value = 1.50]', message: 'latency 1.5', expected: true },
    { pattern: '[name, value < 0]', message: 'delta -3', expected: true },
    // Fields in scientific notation are text, not numbers.
    { pattern: '[name, value > 100]', message: 'latency 1e3', expected: false },
    { pattern: '[name, value > 100]', message: 'latency fast', expected: false },
    { pattern: '[name, value != 100]', message: 'latency fast', expected: true },
    { pattern: '[name, value = 100]', message: 'latency fast', expected: false },
  ]);
});

describe('space-delimited patterns: spacing', () => {
  runMatchTable([
    { pattern: '[a=x,b=y]', message: 'x y', expected: true },
    { pattern: '[ a = x , b = y ]', message: '  x    y  ', expected: true },
    { pattern: '[a, b = y]', message: 'x\ty', expected: true },
    { pattern: '[(a = x || a = z), b]', message: 'z y', expected: true },
    { pattern: '[(a = x || a = z) && a != y, b]', message: 'x y', expected: true },
  ]);
});
