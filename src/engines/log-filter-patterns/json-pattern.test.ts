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
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${message.slice(0, 60)}`, () => {
      assert.equal(compileFilterPattern(pattern).matches(message), expected);
    });
  }
}

/** Builds a case list against one JSON log event. */
function against(event: unknown, cases: ReadonlyArray<readonly [string, boolean]>): MatchCase[] {
  const message = JSON.stringify(event);
  return cases.map(([pattern, expected]) => ({ pattern, message, expected }));
}

// The example event of "Using filter patterns to match terms in JSON log events",
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-terms-json-log-events
// (plus the older revision's ThisFlag).
const TRAIL_EVENT = {
  eventType: 'UpdateTrail',
  sourceIPAddress: '111.111.111.111',
  arrayKey: ['value', 'another value'],
  objectList: [
    { name: 'a', id: 1 },
    { name: 'b', id: 2 },
  ],
  SomeObject: null,
  'cluster.name': 'c',
  ThisFlag: true,
};

describe('JSON patterns: string values (AWS examples)', () => {
  runMatchTable(
    against(TRAIL_EVENT, [
      ['{ $.eventType = "UpdateTrail" }', true],
      ['{ $.eventType = UpdateTrail }', true],
      ['{$.eventType="UpdateTrail"}', true],
      ['{ $.eventType = "updatetrail" }', false],
      ['{ $.eventType != "UpdateTrail" }', false],
      ['{ $.eventType != "DeleteTrail" }', true],
      ['{ $.sourceIPAddress != 123.123.* }', true],
      ['{ $.sourceIPAddress = 111.111.* }', true],
      ['{ $.sourceIPAddress = "111.111.111.111" }', true],
      ['{ $.arrayKey[0] = "value" }', true],
      ['{ $.arrayKey[1] = "value" }', false],
      ['{ $.arrayKey[1] = "another value" }', true],
      ['{ $.objectList[1].id = 2 }', true],
      ['{ $.objectList[0].id = 2 }', false],
      ['{ $.objectList[1].name = b }', true],
      ["{ $.['cluster.name'] = \"c\" }", true],
      ["{ $.['cluster.name'] = \"d\" }", false],
      ['{ $.cluster.name = "c" }', false],
    ]),
  );
});

describe('JSON patterns: * wildcards in string values', () => {
  runMatchTable(
    against(TRAIL_EVENT, [
      ['{ $.eventType = "Update*" }', true],
      ['{ $.eventType = Update* }', true],
      ['{ $.eventType = "*Trail" }', true],
      ['{ $.eventType = "*date*" }', true],
      ['{ $.eventType = "Delete*" }', false],
      // Only leading and trailing * are wildcards; "Ev*ent" matches only "Ev*ent".
      ['{ $.eventType = "Up*Trail" }', false],
      ['{ $.eventType = * }', true],
      ['{ $.eventType = "*" }', true],
      ['{ $.eventType != "*" }', false],
      ['{ $.doesNotExist = * }', false],
    ]),
  );
  runMatchTable(against({ name: 'Ev*ent' }, [['{ $.name = "Ev*ent" }', true]]));
});

describe('JSON patterns: regex values', () => {
  runMatchTable(
    against(TRAIL_EVENT, [
      ['{ $.eventType = %Trail% }', true],
      ['{ $.eventType = %^Trail% }', false],
      ['{ $.eventType != %Trail% }', false],
      ['{ $.eventType != %Delete% }', true],
      ['{ $.arrayKey[*] = %val.{2}% }', true],
      ['{ $.arrayKey[*] = %^another% }', true],
      ['{ $.arrayKey[*] = %^nothing% }', false],
      ['{ $.* = %111\\.111\\.111\\.1[0-9]{1,2}% }', true],
      ['{ $.* = %222\\.% }', false],
      ['{ $.eventType = %Trail% && $.sourceIPAddress = %^111% }', true],
    ]),
  );
});

describe('JSON patterns: wildcard selectors', () => {
  runMatchTable(
    against(TRAIL_EVENT, [
      ['{ $.arrayKey[*] = "another value" }', true],
      ['{ $.arrayKey.* = "another value" }', true],
      ['{ $.objectList[*].id = 2 }', true],
      ['{ $.objectList[*].id = 3 }', false],
      ['{ $.objectList[*].name NOT EXISTS }', false],
      ['{ $.objectList[*].missing NOT EXISTS }', true],
      ['{ $.* IS NULL }', true],
      ['{ $.* IS TRUE }', true],
      ['{ $.* IS FALSE }', false],
    ]),
  );
});

describe('JSON patterns: IS TRUE, IS FALSE, IS NULL, NOT EXISTS', () => {
  runMatchTable(
    against(TRAIL_EVENT, [
      ['{ $.SomeObject IS NULL }', true],
      ['{ $.eventType IS NULL }', false],
      ['{ $.SomeOtherObject IS NULL }', false],
      ['{ $.SomeOtherObject NOT EXISTS }', true],
      ['{ $.eventType NOT EXISTS }', false],
      ['{ $.SomeObject NOT EXISTS }', false],
      ['{ $.objectList[5] NOT EXISTS }', true],
      ['{ $.eventType.deeper NOT EXISTS }', true],
      ['{ $.ThisFlag IS TRUE }', true],
      ['{ $.ThisFlag IS FALSE }', false],
      ['{ $.eventType IS TRUE }', false],
      ['{ $.SomeOtherObject IS FALSE }', false],
    ]),
  );
  runMatchTable(
    against({ enabled: false, label: 'true' }, [
      ['{ $.enabled IS FALSE }', true],
      ['{ $.enabled IS TRUE }', false],
      // A string "true" is not the boolean true.
      ['{ $.label IS TRUE }', false],
    ]),
  );
});

describe('JSON patterns: selectors that reach objects or arrays never compare', () => {
  // "both {$.users = 1} and {$.users != 1} will fail to match a log event where users is an array"
  runMatchTable(
    against({ users: [1, 2, 3], profile: { id: 1 } }, [
      ['{ $.users = 1 }', false],
      ['{ $.users != 1 }', false],
      ['{ $.users = * }', false],
      ['{ $.profile = 1 }', false],
      ['{ $.profile != "x" }', false],
      ['{ $.users[0] = 1 }', true],
      ['{ $.profile.id = 1 }', true],
    ]),
  );
});

describe('JSON patterns: numeric comparisons (AWS examples)', () => {
  const event = {
    bandwidth: 80,
    latency: 40,
    refreshRate: 60,
    responseTime: 5,
    errorCode: 400,
    number: [1000, 0.001],
    numbers: [9999],
    processes: [{}, {}, {}, {}, { averageRuntime: 55.5 }],
  };
  runMatchTable(
    against(event, [
      ['{ $.bandwidth > 75 }', true],
      ['{ $.bandwidth > 80 }', false],
      ['{ $.latency < 50 }', true],
      ['{ $.latency < 40 }', false],
      ['{ $.refreshRate >= 60 }', true],
      ['{ $.refreshRate >= 61 }', false],
      ['{ $.responseTime <= 5 }', true],
      ['{ $.responseTime <= 4.99 }', false],
      ['{ $.errorCode = 400}', true],
      ['{ $.errorCode = 401 }', false],
      ['{ $.errorCode != 500 }', true],
      ['{ $.errorCode != 400 }', false],
      ['{ $.number[0] = 1e+3 }', true],
      ['{ $.number[0] != 1e-3 }', true],
      ['{ $.number[1] = 1e-3 }', true],
      ['{ $.number[0] = 1E3 }', true],
      ['{ $.numbers[0] < 10e3 }', true],
      ['{ $.numbers[0] < 10e-3 }', false],
      ['{ $.processes[4].averageRuntime <= 55.5 }', true],
      ['{ $.processes[4].averageRuntime < 55.5 }', false],
      ['{ $.latency > +10 }', true],
      ['{ $.latency > +1000 }', false],
      ['{ $.latency > -1 }', true],
      // A wildcard on a number matches its digits.
      ['{ $.errorCode = 4* }', true],
      ['{ $.errorCode = 5* }', false],
      ['{ $.errorCode = "400" }', true],
      ['{ $.missing > 1 }', false],
      ['{ $.missing != 1 }', false],
    ]),
  );
  runMatchTable(
    against({ status: '404', scientific: '4e2', word: 'abc', flag: true }, [
      // Numbers written as strings in the event still compare as numbers...
      ['{ $.status = 404 }', true],
      ['{ $.status >= 400 }', true],
      ['{ $.status < 400 }', false],
      // ...unless they use scientific notation: "strings don't support scientific notation".
      ['{ $.scientific = 400 }', false],
      ['{ $.scientific > 1 }', false],
      // Text is never ordered against a number, only unequal to it.
      ['{ $.word > 1 }', false],
      ['{ $.word = 1 }', false],
      ['{ $.word != 1 }', true],
      ['{ $.flag > 0 }', false],
    ]),
  );
});

describe('JSON patterns: && || and parentheses (AWS compound examples)', () => {
  const event = {
    user: { id: 1, email: 'John.Stiles@example.com' },
    users: [
      { id: 2, email: 'John.Doe@example.com' },
      { id: 3, email: 'Jane.Doe@example.com' },
    ],
    actions: ['GET', 'PUT', 'DELETE'],
    coordinates: [
      [0, 1, 2],
      [4, 5, 6],
      [7, 8, 9],
    ],
  };
  runMatchTable(
    against(event, [
      ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', true],
      [
        '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" && $.actions[2] = "nonmatch" }',
        true,
      ],
      [
        '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch") && $.actions[2] = "nonmatch" }',
        false,
      ],
      ['{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', false],
      ['{ $.coordinates[0][1] = 1 }', true],
      ['{ $.coordinates[2][2] = 9 }', true],
      ['{ $.coordinates[1] = 4 }', false],
      ['{ $.user.id = 1 && $.actions[0] = GET && $.actions[1] = PUT }', true],
      ['{ $.user.id = 2 || $.user.id = 3 || $.user.id = 1 }', true],
      ['{ (($.user.id = 1)) }', true],
      ['{ $.user.id=1&&$.actions[2]=DELETE }', true],
    ]),
  );
  // The older revision's OR example.
  runMatchTable([
    { pattern: '{$.foo = bar}', message: '{"foo": "bar"}', expected: true },
    { pattern: '{$.foo = bar}', message: '{"foo": "baz"}', expected: false },
    { pattern: '{$.foo = baz }', message: '{"foo": "baz"}', expected: true },
    { pattern: '{$.foo = bar || $.foo = baz }', message: '{"foo": "bar"}', expected: true },
    { pattern: '{$.foo = bar || $.foo = baz }', message: '{"foo": "baz"}', expected: true },
    { pattern: '{$.foo = bar || $.foo = baz }', message: '{"foo": "qux"}', expected: false },
  ]);
  // The pattern the AWS CDK renders for its own FilterPattern.all/any example.
  const cdkPattern =
    '{ ($.component = "HttpServer") && (($.error IS TRUE) || ($.latency > 1000)) }';
  runMatchTable([
    { pattern: cdkPattern, message: '{"component":"HttpServer","error":true,"latency":5}', expected: true },
    { pattern: cdkPattern, message: '{"component":"HttpServer","error":false,"latency":5000}', expected: true },
    { pattern: cdkPattern, message: '{"component":"HttpServer","error":false,"latency":5}', expected: false },
    { pattern: cdkPattern, message: '{"component":"Db","error":true,"latency":5000}', expected: false },
  ]);
});

describe('JSON patterns: selector spelling', () => {
  runMatchTable(
    against({ 'detail-type': 'Scheduled Event', snake_key: 1, '0': 'zero', nested: { 'a.b': 'dotted' } }, [
      ['{ $.detail-type = "Scheduled Event" }', true],
      ['{ $.snake_key = 1 }', true],
      ['{ $.0 = zero }', true],
      ["{ $.nested['a.b'] = dotted }", true],
      ["{ $.nested.['a.b'] = dotted }", true],
      // Keywords are written in capitals by AWS; lower case is accepted too.
      ['{ $.missing not exists }', true],
      ['{ $.snake_key is null }', false],
    ]),
  );
});

describe('JSON patterns: only JSON object events can match', () => {
  runMatchTable([
    { pattern: '{ $.level = "ERROR" }', message: '{"level":"ERROR"}', expected: true },
    { pattern: '{ $.level = "ERROR" }', message: '  {"level":"ERROR"}  ', expected: true },
    { pattern: '{ $.level = "ERROR" }', message: 'level=ERROR', expected: false },
    { pattern: '{ $.level = "ERROR" }', message: 'INFO {"level":"ERROR"}', expected: false },
    { pattern: '{ $.level = "ERROR" }', message: '{"level":"ERROR"} trailing', expected: false },
    { pattern: '{ $.level NOT EXISTS }', message: 'plain text', expected: false },
    { pattern: '{ $.level NOT EXISTS }', message: '[1, 2, 3]', expected: false },
    { pattern: '{ $.level NOT EXISTS }', message: '"a JSON string"', expected: false },
    { pattern: '{ $.level NOT EXISTS }', message: 'null', expected: false },
    { pattern: '{ $.level NOT EXISTS }', message: '{}', expected: true },
    { pattern: '{ $.level NOT EXISTS }', message: '', expected: false },
  ]);
});
