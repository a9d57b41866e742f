import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detailsOf, eventTypes, runWorkflow, succeedWith, TEST_START_TIME } from './asl-test-driver.js';
import { stepFunctionsJsonataFunctions } from './jsonata-functions.js';
import { seededRandom } from './random-source.js';
import type { DriverOptions, DriverRun } from './asl-test-driver.js';
import type { JsonataEvaluator } from './jsonata-evaluator.js';
import type { JsonObject } from './json-value.js';
import type { ScheduleTaskCommand } from './step-context.js';

/**
 * A stand-in for the jsonata package, enough for these tests: variable paths
 * ($states.input.a, $x.y), literals, and one binary operator (= + & >).
 * `$fail()` throws the way jsonata reports calling a non-function.
 */
const fakeJsonata: JsonataEvaluator = {
  evaluate(expression, bindings) {
    if (expression === '$fail()') throw Object.assign(new Error('Attempted to invoke a non-function'), { code: 'T1006' });
    const binary = /^(.+?)\s+(=|\+|&|>)\s+(.+)$/.exec(expression);
    if (binary === null) return operand(expression, bindings);
    const [left, right] = [operand(binary[1], bindings), operand(binary[3], bindings)];
    if (left === undefined || right === undefined) return undefined;
    switch (binary[2]) {
      case '=':
        return JSON.stringify(left) === JSON.stringify(right);
      case '+':
        return (left as number) + (right as number);
      case '>':
        return (left as number) > (right as number);
      default:
        return `${left as string}${right as string}`;
    }
  },
};

function operand(text: string, bindings: Readonly<Record<string, unknown>>): unknown {
  const trimmed = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (/^'.*'$/.test(trimmed)) return trimmed.slice(1, -1);
  if (trimmed === 'true' || trimmed === 'false' || trimmed === 'null') return JSON.parse(trimmed) as unknown;
  const path = /^\$([A-Za-z_]\w*)((\.[\w-]+)*)$/.exec(trimmed);
  if (path === null) throw new Error(`fake jsonata cannot evaluate ${trimmed}`);
  let value: unknown = bindings[path[1]];
  for (const key of path[2].split('.').slice(1)) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

function jsonata(states: JsonObject, options: Omit<DriverOptions, 'jsonata'> = {}): DriverRun {
  return runWorkflow({ QueryLanguage: 'JSONata', StartAt: Object.keys(states)[0], States: states }, { ...options, jsonata: fakeJsonata });
}

describe('JSONata states', () => {
  it('Output and Assign read $states.input; variables take effect in the next state', () => {
    const run = jsonata(
      {
        First: { Type: 'Pass', Assign: { x: 42, old: '{% $x %}', name: '{% $states.input.customer.lastName %}' }, Output: { lastName: "{% 'Last=>' & $states.input.customer.lastName %}", total: '{% $states.input.order.total %}' }, Next: 'Second' },
        Second: { Type: 'Pass', Output: { x: '{% $x %}', name: '{% $name %}', ctx: '{% $states.context.State.Name %}', same: '{% $states.input.total %}' }, End: true },
      },
      { input: { customer: { lastName: 'Rivera' }, order: { total: 27.91 } } },
    );
    assert.equal(run.status, 'FAILED', '$x has no value on entry to First');
    assert.equal(run.error, 'States.QueryEvaluationError');
    const ok = jsonata(
      {
        Zero: { Type: 'Pass', Assign: { x: 5 }, Next: 'First' },
        First: { Type: 'Pass', Assign: { x: 42, old: '{% $x %}', name: '{% $states.input.customer.lastName %}' }, Output: { lastName: "{% 'Last=>' & $states.input.customer.lastName %}", total: '{% $states.input.order.total %}' }, Next: 'Second' },
        Second: { Type: 'Pass', Output: { x: '{% $x %}', old: '{% $old %}', name: '{% $name %}', ctx: '{% $states.context.State.Name %}', same: '{% $states.input.total %}' }, End: true },
      },
      { input: { customer: { lastName: 'Rivera' }, order: { total: 27.91 } } },
    );
    assert.deepEqual(ok.output, { x: 42, old: 5, name: 'Rivera', ctx: 'Second', same: 27.91 });
    assert.deepEqual(detailsOf(ok.events[4]).assignedVariables, { x: '42', old: '5', name: '"Rivera"' });
  });

  it('a Task sends Arguments and shapes Output from $states.result', () => {
    const run = jsonata(
      {
        Task: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'f', Payload: { product: '{% $states.context.Execution.Input.product %}' } },
          Assign: { price: '{% $states.result.Payload.price %}' },
          Output: { price: '{% $states.result.Payload.price %}', input: '{% $states.input %}' },
          TimeoutSeconds: '{% $states.input.timeout %}',
          Next: 'Done',
        },
        Done: { Type: 'Succeed', Output: '{% $price + 1 %}' },
      },
      { input: { product: 'p', timeout: 30 }, tasks: { Task: succeedWith({ Payload: { price: 9 } }) } },
    );
    assert.equal(run.output, 10);
    const command = run.commands[0] as ScheduleTaskCommand;
    assert.deepEqual(command.input, { FunctionName: 'f', Payload: { product: 'p' } });
    assert.equal(command.timeoutSeconds, 30);
  });

  it('Choice Conditions pick a rule whose Output and Assign apply; the Default uses the state Assign', () => {
    const states: JsonObject = {
      Choose: {
        Type: 'Choice',
        Choices: [
          { Condition: "{% $states.input.type = 'Public' %}", Next: 'Public' },
          { Condition: '{% $states.input.rating > 10 %}', Output: { excess: '{% $states.input.rating + -10 %}' }, Assign: { range: 'high' }, Next: 'Audit' },
        ],
        Default: 'Record',
        Assign: { range: 'default' },
      },
      Public: { Type: 'Pass', Output: 'public', End: true },
      Audit: { Type: 'Pass', Output: { excess: '{% $states.input.excess %}', range: '{% $range %}' }, End: true },
      Record: { Type: 'Pass', Output: '{% $range %}', End: true },
    };
    assert.equal(jsonata(states, { input: { type: 'Public' } }).output, 'public');
    assert.deepEqual(jsonata(states, { input: { type: 'Private', rating: 15 } }).output, { excess: 5, range: 'high' });
    assert.equal(jsonata(states, { input: { type: 'Private', rating: 1 } }).output, 'default');
  });

  it('a literal boolean Condition works without evaluation', () => {
    const run = jsonata({ C: { Type: 'Choice', Choices: [{ Condition: true, Next: 'Yes' }] }, Yes: { Type: 'Succeed' } });
    assert.equal(run.status, 'SUCCEEDED');
  });

  const failures: ReadonlyArray<readonly [string, JsonObject, string, string]> = [
    ['Output', { Type: 'Pass', Output: '{% $doesNotExist %}', End: true }, 'Output', "The JSONata expression '$doesNotExist' specified for the field 'Output' returned nothing (undefined)."],
    ['Output field', { Type: 'Pass', Output: { result: '{% $doesNotExist %}' }, End: true }, 'Output/result', "The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined)."],
    ['Assign field', { Type: 'Pass', Assign: { result: '{% $doesNotExist %}' }, End: true }, 'Assign/result', "The JSONata expression '$doesNotExist' specified for the field 'Assign/result' returned nothing (undefined)."],
    ['an evaluation error', { Type: 'Pass', Output: { FunctionResult: '{% $fail() %}' }, End: true }, 'Output/FunctionResult', "The JSONata expression '$fail()' specified for the field 'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a non-function"],
  ];
  for (const [name, state, location, detail] of failures) {
    it(`${name} failing logs EvaluationFailed and fails with States.QueryEvaluationError`, () => {
      const run = jsonata({ State0: state });
      assert.deepEqual(eventTypes(run.events), ['ExecutionStarted', 'PassStateEntered', 'EvaluationFailed', 'ExecutionFailed']);
      const cause = `An error occurred while executing the state 'State0' (entered at the event id #2). ${detail}`;
      assert.deepEqual(detailsOf(run.events[2]), { error: 'States.QueryEvaluationError', cause, location, state: 'State0' });
      assert.deepEqual([run.error, run.cause], ['States.QueryEvaluationError', cause]);
    });
  }

  it('a Catcher catches States.QueryEvaluationError and reads $states.errorOutput', () => {
    const run = jsonata(
      {
        Task: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { v: '{% $missing %}' }, Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Output: { caught: '{% $states.errorOutput.Error %}' }, Next: 'Done' }], End: true },
        Done: { Type: 'Succeed' },
      },
    );
    assert.deepEqual(run.output, { caught: 'States.QueryEvaluationError' });
    assert.deepEqual(eventTypes(run.events).slice(1, 4), ['TaskStateEntered', 'EvaluationFailed', 'TaskStateExited']);
  });

  it('Map Items must evaluate to an array', () => {
    const run = jsonata({ MapIterateState: { Type: 'Map', Items: '{% $states.input.items %}', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } }, { input: { items: 1 } });
    assert.deepEqual(eventTypes(run.events), ['ExecutionStarted', 'MapStateEntered', 'EvaluationFailed', 'MapStateFailed', 'ExecutionFailed']);
    assert.equal(
      run.cause,
      "An error occurred while executing the state 'MapIterateState' (entered at the event id #2). The JSONata expression '$states.input.items' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'number' for value: 1",
    );
  });

  it('Map without Items needs an array input', () => {
    const run = jsonata({ MapIterateState: { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } }, { input: { foo: 'bar' } });
    assert.equal(run.cause, `An error occurred while executing the state 'MapIterateState' (entered at the event id #2). Map state input must be an array but was: {"foo":"bar"}`);
  });

  it('Map ItemSelector sees $states.context.Map.Item', () => {
    const run = jsonata(
      { M: { Type: 'Map', Items: ['a', 'b'], ItemSelector: { index: '{% $states.context.Map.Item.Index %}', value: '{% $states.context.Map.Item.Value %}' }, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, Output: { all: '{% $states.result %}' }, End: true } },
    );
    assert.deepEqual(run.output, { all: [{ index: 0, value: 'a' }, { index: 1, value: 'b' }] });
  });

  it('Wait Seconds and Timestamp accept expressions', () => {
    assert.equal(jsonata({ W: { Type: 'Wait', Seconds: '{% $states.input.s %}', End: true } }, { input: { s: 4 } }).endTime, TEST_START_TIME + 4000);
    const bad = jsonata({ WaitState: { Type: 'Wait', Timestamp: '{% $states.input.t %}', End: true } }, { input: { t: '2016-12-05T21:29:29' } });
    assert.equal(bad.error, 'States.QueryEvaluationError');
    assert.equal(bad.cause, "An error occurred while executing the state 'WaitState' (entered at the event id #2). The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: 2016-12-05T21:29:29");
  });

  it('Fail Error and Cause accept expressions', () => {
    const run = jsonata({ F: { Type: 'Fail', Error: '{% $states.input.e %}', Cause: "{% 'because ' & $states.input.c %}" } }, { input: { e: 'E1', c: 'reasons' } });
    assert.deepEqual([run.error, run.cause], ['E1', 'because reasons']);
  });

  it('a JSONPath machine can run one JSONata state', () => {
    const run = runWorkflow(
      {
        StartAt: 'JSONPath state',
        States: {
          'JSONPath state': { Type: 'Pass', Parameters: { 'total.$': '$.transaction.total' }, Next: 'JSONata state' },
          'JSONata state': { Type: 'Pass', QueryLanguage: 'JSONata', Output: { total: '{% $states.input.total %}' }, End: true },
        },
      },
      { input: { transaction: { total: 3 } }, jsonata: fakeJsonata },
    );
    assert.deepEqual(run.output, { total: 3 });
  });

  it('fails with States.QueryEvaluationError when no evaluator is configured', () => {
    const run = runWorkflow({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% 1 %}', End: true } } });
    assert.equal(run.error, 'States.QueryEvaluationError');
    assert.match(run.cause ?? '', /no JSONata evaluator is configured/);
  });
});

describe('Step Functions JSONata functions', () => {
  const functions = stepFunctionsJsonataFunctions(seededRandom(3));
  it('$partition', () => {
    assert.deepEqual(functions.partition([1, 2, 3, 4], 3), [[1, 2, 3], [4]]);
    assert.deepEqual(functions.partition([1, 2, 3], 2.9), [[1, 2], [3]]);
    assert.throws(() => functions.partition([1], 0));
  });
  it('$range', () => {
    assert.deepEqual(functions.range(0, 10, 2), [0, 2, 4, 6, 8, 10]);
    assert.deepEqual(functions.range(1, 9, 9), [1]);
    assert.deepEqual(functions.range(3, 1, -1), [3, 2, 1]);
    assert.throws(() => functions.range(0, 1, 0));
  });
  it('$hash', () => {
    assert.equal(functions.hash('input data', 'SHA-1'), 'aaff4a450a104cd177d28d18d74485e8cae074b7');
    assert.throws(() => functions.hash('x', 'SHA-3'));
  });
  it('$random with a seed repeats', () => {
    assert.equal(functions.random(7), functions.random(7));
    const value = functions.random();
    assert.ok(value >= 0 && value < 1);
  });
  it('$uuid and $parse', () => {
    assert.match(functions.uuid(), /^[0-9a-f-]{36}$/);
    assert.deepEqual(functions.parse('{"Arg1": 1, "Arg2": []}'), { Arg1: 1, Arg2: [] });
  });
});
