import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateDynamicValue } from './payload-template.js';
import { IntrinsicSyntaxError, parseIntrinsic } from './intrinsic-parser.js';
import { seededRandom } from './random-source.js';
import { StateFailure } from './state-errors.js';
import type { JsonValue } from './json-value.js';
import type { PathScope } from './path-query.js';

const CONTEXT = { Execution: { Name: 'run-1' }, StateMachine: { Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:Order-Flow-v2', Name: 'Order-Flow-v2' } };

function scopeFor(input: JsonValue, variables: Record<string, JsonValue> = {}): PathScope {
  return { input, context: CONTEXT, variable: (name) => variables[name] };
}

function evaluate(expression: string, input: JsonValue = {}, seed = 1): JsonValue {
  return evaluateDynamicValue('result.$', expression, scopeFor(input, { greeting: 'Hi', order: { number: 7 } }), seededRandom(seed));
}

// Expected values observed against AWS where noted
// (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html).
describe('intrinsic functions: results', () => {
  const cases: ReadonlyArray<readonly [string, JsonValue, JsonValue]> = [
    ["States.Format('Hello, my name is {}.', $.name)", { name: 'Arnav' }, 'Hello, my name is Arnav.'],
    ['States.Format($.template, $.name)', { name: 'Arnav', template: 'Hello, my name is {}.' }, 'Hello, my name is Arnav.'],
    ["States.Format('Your name is {}, we are in the year {}', $.name, 2020)", { name: 'Foo' }, 'Your name is Foo, we are in the year 2020'],
    ["States.Format('{} {} {} {}', $.s, $.n, $.b, $.z)", { s: 'x', n: 1.1, b: true, z: null }, 'x 1.1 true null'],
    ["States.Format('obj={}', $.o)", { o: { Arg1: 1, Arg2: [] } }, 'obj={Arg1=1, Arg2=[]}'],
    ["States.Format('list={}', $.l)", { l: [1, 'a', null] }, 'list=[1, a, null]'],
    ["States.Format('Welcome to {} {}\\'s playlist.', 'A', 'B')", {}, "Welcome to A B's playlist."],
    ["States.Format('literal \\{\\} and {}', 'x')", {}, 'literal {} and x'],
    ["States.Format('back\\\\slash {}', 1)", {}, 'back\\slash 1'],
    ["States.Format('{}-{}', $$.Execution.Name, $greeting)", {}, 'run-1-Hi'],
    ["States.Format('The order number is {}', $order.number)", {}, 'The order number is 7'],
    ['States.StringToJson($.s)', { s: '{"foo": "bar"}' }, { foo: 'bar' }],
    ['States.StringToJson($.s)', { s: '' }, null],
    ['States.StringToJson($.s)', { s: ' ' }, null],
    ['States.StringToJson($.s)', { s: '-0' }, -0],
    ['States.StringToJson($.s)', { s: '[1, 2, "HelloWorld"]' }, [1, 2, 'HelloWorld']],
    ['States.JsonToString($.o)', { o: { name: 'Foo', year: 2020 } }, '{"name":"Foo","year":2020}'],
    ['States.JsonToString($.o)', { o: 'HelloWorld' }, '"HelloWorld"'],
    ["States.Array('Foo', 2020, $.someJson, null)", { someJson: { random: 'abcdefg' } }, ['Foo', 2020, { random: 'abcdefg' }, null]],
    ['States.Array()', {}, []],
    ['States.ArrayPartition($.a, 4)', { a: [1, 2, 3, 4, 5, 6, 7, 8, 9] }, [[1, 2, 3, 4], [5, 6, 7, 8], [9]]],
    ['States.ArrayPartition($.a, 2)', { a: [] }, []],
    ['States.ArrayPartition($.a, 2.4)', { a: [1, 2, 3] }, [[1, 2], [3]]],
    ['States.ArrayContains($.a, $.v)', { a: [1, 2, 3], v: 2 }, true],
    ['States.ArrayContains($.a, $.v)', { a: [[1, 2, 3], 2], v: [1, 2, 3] }, true],
    ['States.ArrayContains($.a, $.v)', { a: [{ 1: 2, 2: [] }], v: { 2: [], 1: 2 } }, true],
    ['States.ArrayContains($.a, $.v)', { a: [], v: null }, false],
    ['States.ArrayRange(1, 9, 2)', {}, [1, 3, 5, 7, 9]],
    ['States.ArrayRange(0, 10, 3)', {}, [0, 3, 6, 9]],
    ['States.ArrayRange(1, 9, 9)', {}, [1]],
    ['States.ArrayRange(5, 1, -2)', {}, [5, 3, 1]],
    ['States.ArrayRange(5, 1, 1)', {}, []],
    ['States.ArrayGetItem($.a, $.i)', { a: [1, 2, 3, 4, 5, 6, 7, 8, 9], i: 5 }, 6],
    ['States.ArrayLength($.a)', { a: [1, 2, 3] }, 3],
    ['States.ArrayUnique($.a)', { a: [1, 2, 3, 3, 3, 3, 3, 3, 4] }, [1, 2, 3, 4]],
    ['States.ArrayUnique($.a)', { a: [null, null, [], [], { a: 1 }, { a: 1 }, 1, 1.0, '1'] }, [null, [], { a: 1 }, 1, '1']],
    ['States.Base64Encode($.s)', { s: 'Data to encode' }, 'RGF0YSB0byBlbmNvZGU='],
    ['States.Base64Encode($.s)', { s: '' }, ''],
    ['States.Base64Decode($.s)', { s: 'RGF0YSB0byBlbmNvZGU=' }, 'Data to encode'],
    ["States.Hash('input data', 'MD5')", {}, '812f45842bc6d66ee14572ce20db8e86'],
    ["States.Hash('input data', 'SHA-1')", {}, 'aaff4a450a104cd177d28d18d74485e8cae074b7'],
    ["States.Hash('input data', 'SHA-256')", {}, 'b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3'],
    ["States.Hash('input data', 'SHA-384')", {}, 'd28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562'],
    [
      "States.Hash('input data', 'SHA-512')",
      {},
      '6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4',
    ],
    ['States.JsonMerge($.a, $.b, false)', { a: { a: { a1: 1, a2: 2 }, b: 2, d: 3 }, b: { a: { a3: 1, a4: 2 }, c: 3, d: 4 } }, { a: { a3: 1, a4: 2 }, b: 2, c: 3, d: 4 }],
    ['States.JsonMerge(States.StringToJson(\'{"k": "v"}\'), $.o, false)', { o: { x: 1 } }, { k: 'v', x: 1 }],
    ['States.MathAdd(111, -1)', {}, 110],
    ['States.MathAdd($.a, $.b)', { a: 1.49, b: 1.5 }, 3],
    ['States.MathAdd($.a, $.b)', { a: -1.5, b: -1.51 }, -3],
    ['States.MathAdd($.a, $.b)', { a: -0.5, b: 0.5 }, 1],
    ["States.StringSplit('1,2,3,4,5', ',')", {}, ['1', '2', '3', '4', '5']],
    ["States.StringSplit('This.is+a,test=string', '.+,=')", {}, ['This', 'is', 'a', 'test', 'string']],
    ["States.StringSplit(',,,,', ',')", {}, []],
    ["States.StringSplit(', , ,', ',')", {}, [' ', ' ']],
    ['States.StringSplit($.s, $.d)', { s: 'split on T and \nnew line', d: 'T\n' }, ['split on ', ' and ', 'new line']],
    ["States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)", {}, 'Order'],
    [
      "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))",
      {},
      'v2',
    ],
  ];
  for (const [expression, input, expected] of cases) {
    it(`${expression} on ${JSON.stringify(input)}`, () => {
      assert.deepEqual(evaluate(expression, input), expected);
    });
  }
});

describe('intrinsic functions: randomness and identifiers', () => {
  it('States.MathRandom stays in [start, end)', () => {
    for (let seed = 1; seed < 50; seed++) {
      const value = evaluate('States.MathRandom(1, 5)', {}, seed);
      assert.ok(typeof value === 'number' && Number.isInteger(value) && value >= 1 && value < 5);
    }
  });

  it('States.MathRandom with a seed repeats its value', () => {
    const first = evaluate('States.MathRandom(0, 1000, 42)', {}, 1);
    const second = evaluate('States.MathRandom(0, 1000, 42)', {}, 99);
    assert.equal(first, second);
  });

  it('States.UUID returns a version 4 UUID from the injected randomness', () => {
    const uuid = evaluate('States.UUID()');
    assert.match(uuid as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(evaluate('States.UUID()', {}, 3), evaluate('States.UUID()', {}, 3));
  });
});

describe('intrinsic functions: invalid arguments fail with States.IntrinsicFailure', () => {
  const cases: ReadonlyArray<readonly [string, JsonValue, RegExp]> = [
    ["States.Format('{} {}', 'one')", {}, /more \{\} placeholders than arguments/],
    ["States.Format('{}', 'one', 'two')", {}, /does not match the number of \{\} placeholders/],
    ['States.Format($.n)', { n: 1 }, /first argument must be a string/],
    ['States.StringToJson($.s)', { s: '{oops' }, /not valid JSON text/],
    ['States.StringToJson($.s)', { s: 1 }, /must be a string/],
    ['States.ArrayPartition($.a, 0)', { a: [1] }, /chunk size must be a positive integer/],
    ['States.ArrayPartition($.a, 2)', { a: 'x' }, /first argument must be an array/],
    ['States.ArrayContains($.a, 1)', { a: {} }, /first argument must be an array/],
    ['States.ArrayRange(1, 9, 0)', {}, /step must not be zero/],
    ['States.ArrayRange(0, 2000, 1)', {}, /more than the limit of 1000/],
    ["States.ArrayRange('a', 2, 1)", {}, /must be a number/],
    ['States.ArrayGetItem($.a, 5)', { a: [1] }, /out of bounds/],
    ['States.ArrayLength($.a)', { a: 'abc' }, /must be an array/],
    ['States.ArrayUnique($.a)', { a: 1 }, /must be an array/],
    ['States.Base64Encode($.s)', { s: 'x'.repeat(10_001) }, /10000 characters or less/],
    ['States.Base64Decode($.s)', { s: 'not base64!' }, /not valid Base64/],
    ["States.Hash('data', 'SHA-3')", {}, /hashing algorithm must be one of/],
    ['States.Hash($.s, \'MD5\')', { s: 'x'.repeat(10_001) }, /10000 characters or less/],
    ['States.JsonMerge($.a, $.b, true)', { a: {}, b: {} }, /only shallow merging is supported/],
    ['States.JsonMerge($.a, $.b, false)', { a: [], b: {} }, /must be a JSON object/],
    ['States.MathRandom(5, 1)', {}, /must be less than the end/],
    ['States.MathAdd(2147483648, 1)', {}, /between -2147483648 and 2147483647/],
    ["States.MathAdd('1', 1)", {}, /must be a number/],
    ['States.StringSplit(1, \',\')', {}, /must be a string/],
    ['States.UUID(1)', {}, /expects 0 arguments, but received 1/],
    ['States.ArrayLength()', {}, /expects 1 arguments, but received 0/],
    ['States.Unknown()', {}, /not supported/],
    ["States.Format('open \\escape')", {}, /Open escape backslash/],
  ];
  for (const [expression, input, message] of cases) {
    it(expression, () => {
      assert.throws(
        () => evaluate(expression, input),
        (error: unknown) => error instanceof StateFailure && error.error === 'States.IntrinsicFailure' && message.test(error.detail ?? ''),
      );
    });
  }

  it('a path argument that does not resolve names the path and the input', () => {
    assert.throws(
      () => evaluate('States.Array($.missing)', { a: 1 }),
      (error: unknown) =>
        error instanceof StateFailure &&
        error.error === 'States.Runtime' &&
        error.detail === `The JSONPath '$.missing' specified for the field 'result.$' could not be found in the input '{"a":1}'`,
    );
  });
});

describe('intrinsic parser', () => {
  it('reads literals, paths and nested calls', () => {
    const call = parseIntrinsic("States.Array('a\\'b', -1.5, true, null, $.x[0], $$.Execution.Id, States.UUID())");
    assert.deepEqual(
      call.args.map((arg) => arg.kind),
      ['string', 'number', 'boolean', 'null', 'path', 'path', 'call'],
    );
    assert.deepEqual(call.args[0], { kind: 'string', value: "a'b", raw: "a\\'b" });
  });

  it('accepts bracket paths with commas inside quotes', () => {
    const call = parseIntrinsic("States.Array($['a,b'], $.c)");
    assert.equal(call.args.length, 2);
  });

  for (const text of ['States.Array(', 'States.Array(1 2)', "States.Format('unterminated)", 'States.Array(1))', 'States.Array(foo)']) {
    it(`rejects ${text}`, () => {
      assert.throws(() => parseIntrinsic(text), IntrinsicSyntaxError);
    });
  }

  it('rejects more than 10 nested functions', () => {
    const nested = `${'States.Array('.repeat(11)}1${')'.repeat(11)}`;
    assert.throws(() => parseIntrinsic(nested), /More than 10 nested intrinsic functions/);
    assert.doesNotThrow(() => parseIntrinsic(`${'States.Array('.repeat(10)}1${')'.repeat(10)}`));
  });
});
