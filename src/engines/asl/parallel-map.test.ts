import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_EXECUTION_ARN, TEST_ROLE_ARN, TEST_START_TIME, TEST_STATE_MACHINE_ARN, detailsOf, echoTask, eventTypes, runWorkflow } from './asl-test-driver.js';
import { resumeExecution, startExecution } from './engine.js';
import { seededRandom } from './random-source.js';
import { validateDefinition } from './validate-definition.js';
import type { StateMachineDefinition } from './definition.js';
import type { JsonObject, JsonValue } from './json-value.js';
import type { ScheduleTaskCommand } from './step-context.js';

const LAMBDA_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:Worker';

function passBranch(name: string, result?: JsonValue): JsonObject {
  return { StartAt: name, States: { [name]: result === undefined ? { Type: 'Pass', End: true } : { Type: 'Pass', Result: result, End: true } } };
}

function mapState(processor: JsonObject, fields: JsonObject = {}): JsonObject {
  return { StartAt: 'MapState', States: { MapState: { Type: 'Map', ItemProcessor: processor, End: true, ...fields } } };
}

const FAIL_ITEM = { StartAt: 'HandleItemFail', States: { HandleItemFail: { Type: 'Fail', Error: 'HandleItemFailError', Cause: 'HandleItemFailCause' } } };
const PASS_ITEM = { StartAt: 'HandleItem', States: { HandleItem: { Type: 'Pass', End: true } } };

describe('Parallel states', () => {
  it('runs every branch on the input and collects outputs in branch order', () => {
    const run = runWorkflow(
      { StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [passBranch('Branch0', { branch: 0 }), passBranch('Branch1'), { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }], End: true } } },
      { input: [1, 2] },
    );
    assert.deepEqual(run.output, [{ branch: 0 }, [1, 2], [1, 2]]);
    assert.deepEqual(eventTypes(run.events), [
      'ExecutionStarted',
      'ParallelStateEntered',
      'ParallelStateStarted',
      'PassStateEntered',
      'PassStateEntered',
      'SucceedStateEntered',
      'PassStateExited',
      'PassStateExited',
      'SucceedStateExited',
      'ParallelStateSucceeded',
      'ParallelStateExited',
      'ExecutionSucceeded',
    ]);
    assert.equal(run.events[3].previousEventId, run.events[2].id, 'branches start from ParallelStateStarted');
  });

  it('applies Parameters to the branches and ResultSelector/ResultPath to the result', () => {
    const run = runWorkflow(
      { StartAt: 'P', States: { P: { Type: 'Parallel', Parameters: { 'v.$': '$.v' }, Branches: [passBranch('A'), passBranch('B')], ResultSelector: { 'first.$': '$[0].v' }, ResultPath: '$.out', End: true } } },
      { input: { v: 7 } },
    );
    assert.deepEqual(run.output, { v: 7, out: { first: 7 } });
  });

  it('a failing branch fails the state with that branch error', () => {
    const run = runWorkflow({
      StartAt: 'ParallelState',
      States: { ParallelState: { Type: 'Parallel', Branches: [{ StartAt: 'Branch1', States: { Branch1: { Type: 'Fail', Error: 'FailureType', Cause: 'Cause description' } } }], End: true } },
    });
    assert.deepEqual(
      run.events.map((event) => [event.id, event.previousEventId, event.type]),
      [
        [1, 0, 'ExecutionStarted'],
        [2, 0, 'ParallelStateEntered'],
        [3, 2, 'ParallelStateStarted'],
        [4, 3, 'FailStateEntered'],
        [5, 4, 'ParallelStateFailed'],
        [6, 5, 'ExecutionFailed'],
      ],
    );
    assert.deepEqual([run.error, run.cause], ['FailureType', 'Cause description']);
  });

  it('Catch turns a branch failure into the Error Output', () => {
    const run = runWorkflow({
      StartAt: 'ParallelState',
      States: {
        ParallelState: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Branch1', States: { Branch1: { Type: 'Fail', Error: 'FailureType', Cause: 'Cause description' } } }],
          Catch: [{ ErrorEquals: ['FailureType'], Next: 'FinalCaught' }],
          End: true,
        },
        FinalCaught: { Type: 'Pass', End: true },
      },
    });
    assert.deepEqual(eventTypes(run.events).slice(3), ['FailStateEntered', 'ParallelStateFailed', 'ParallelStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    assert.deepEqual(run.output, { Error: 'FailureType', Cause: 'Cause description' });
  });

  it('Retry restarts every branch (ParallelStateStarted again, no new Entered)', () => {
    const run = runWorkflow({
      StartAt: 'ParallelState',
      States: {
        ParallelState: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Branch1', States: { Branch1: { Type: 'Fail', Error: 'FailureType', Cause: 'Cause description' } } }],
          Retry: [{ ErrorEquals: ['FailureType'], IntervalSeconds: 1, MaxAttempts: 2 }],
          End: true,
        },
      },
    });
    assert.deepEqual(
      run.events.map((event) => [event.id, event.previousEventId, event.type]),
      [
        [1, 0, 'ExecutionStarted'],
        [2, 0, 'ParallelStateEntered'],
        [3, 2, 'ParallelStateStarted'],
        [4, 3, 'FailStateEntered'],
        [5, 4, 'ParallelStateStarted'],
        [6, 5, 'FailStateEntered'],
        [7, 6, 'ParallelStateStarted'],
        [8, 7, 'FailStateEntered'],
        [9, 8, 'ParallelStateFailed'],
        [10, 9, 'ExecutionFailed'],
      ],
    );
    assert.equal(run.endTime, TEST_START_TIME + 3000);
  });

  it('a failing branch aborts the others and cancels their tasks', () => {
    const run = runWorkflow({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: LAMBDA_ARN, End: true } } },
            { StartAt: 'Later', States: { Later: { Type: 'Wait', Seconds: 1, Next: 'Boom' }, Boom: { Type: 'Fail', Error: 'E' } } },
          ],
          End: true,
        },
      },
    });
    assert.equal(run.error, 'E');
    assert.deepEqual(eventTypes(run.events).slice(-4), ['FailStateEntered', 'TaskStateAborted', 'ParallelStateFailed', 'ExecutionFailed']);
    assert.deepEqual(run.commands.map((command) => command.type), ['scheduleTask', 'cancelTask']);
  });

  it('nests', () => {
    const run = runWorkflow(
      { StartAt: 'L1', States: { L1: { Type: 'Parallel', Branches: [{ StartAt: 'L2', States: { L2: { Type: 'Parallel', Branches: [passBranch('BranchL2')], End: true } } }], End: true } } },
      { input: [[1, 2, 3], [4, 5, 6]] },
    );
    assert.deepEqual(run.output, [[[[1, 2, 3], [4, 5, 6]]]]);
  });
});

describe('Map states', () => {
  it('processes items one at a time with MaxConcurrency 1, logging iterations like AWS', () => {
    const run = runWorkflow({
      StartAt: 'StartState',
      States: {
        StartState: { Type: 'Pass', Result: { arr: [1, 'Hello', {}, null] }, Next: 'MapState' },
        MapState: { Type: 'Map', ItemsPath: '$.arr', MaxConcurrency: 1, ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...PASS_ITEM }, ResultPath: null, Next: 'Final' },
        Final: { Type: 'Pass', End: true },
      },
    });
    assert.deepEqual(run.output, { arr: [1, 'Hello', {}, null] });
    const mapEvents = run.events.slice(3, 23).map((event) => `${event.type}:${JSON.stringify(detailsOf(event).index ?? detailsOf(event).length ?? detailsOf(event).input ?? '')}`);
    assert.deepEqual(mapEvents, [
      `MapStateEntered:${JSON.stringify(JSON.stringify({ arr: [1, 'Hello', {}, null] }))}`,
      'MapStateStarted:4',
      'MapIterationStarted:0',
      'PassStateEntered:"1"',
      'PassStateExited:""',
      'MapIterationSucceeded:0',
      'MapIterationStarted:1',
      'PassStateEntered:"\\"Hello\\""',
      'PassStateExited:""',
      'MapIterationSucceeded:1',
      'MapIterationStarted:2',
      'PassStateEntered:"{}"',
      'PassStateExited:""',
      'MapIterationSucceeded:2',
      'MapIterationStarted:3',
      'PassStateEntered:"null"',
      'PassStateExited:""',
      'MapIterationSucceeded:3',
      'MapStateSucceeded:""',
      'MapStateExited:""',
    ]);
    assert.deepEqual(detailsOf(run.events[5]), { index: 0, name: 'MapState' });
  });

  it('ItemSelector builds each input from the context and the state input', () => {
    const run = runWorkflow(
      {
        StartAt: 'Validate-All',
        States: {
          'Validate-All': {
            Type: 'Map',
            InputPath: '$.detail',
            ItemsPath: '$.shipped',
            ItemSelector: { 'parcel.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', 'courier.$': '$.delivery-partner', constant: 'HelloWorld' },
            ItemProcessor: { StartAt: 'Validate', States: { Validate: { Type: 'Pass', End: true } } },
            ResultPath: '$.detail.shipped',
            End: true,
          },
        },
      },
      { input: { 'ship-date': '2016-03-14T01:59:00Z', detail: { 'delivery-partner': 'UQS', shipped: [{ prod: 'R31' }, { prod: 'S39' }] } } },
    );
    assert.deepEqual(run.output, {
      'ship-date': '2016-03-14T01:59:00Z',
      detail: {
        'delivery-partner': 'UQS',
        shipped: [
          { parcel: { prod: 'R31' }, index: 0, courier: 'UQS', constant: 'HelloWorld' },
          { parcel: { prod: 'S39' }, index: 1, courier: 'UQS', constant: 'HelloWorld' },
        ],
      },
    });
  });

  it('supports the deprecated Iterator and Parameters fields', () => {
    const run = runWorkflow(
      { StartAt: 'M', States: { M: { Type: 'Map', Parameters: { 'v.$': '$$.Map.Item.Value', 'i.$': '$$.Map.Item.Index' }, Iterator: PASS_ITEM, End: true } } },
      { input: ['a', 'b'] },
    );
    assert.deepEqual(run.output, [
      { v: 'a', i: 0 },
      { v: 'b', i: 1 },
    ]);
  });

  it('an empty array succeeds with []', () => {
    const run = runWorkflow(mapState(PASS_ITEM), { input: [] });
    assert.deepEqual(run.output, []);
    assert.deepEqual(eventTypes(run.events), ['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
    assert.deepEqual(detailsOf(run.events[2]), { length: 0 });
  });

  it('keeps at most MaxConcurrency iterations running', () => {
    const definition = parse(mapState({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: LAMBDA_ARN, End: true } } }, { MaxConcurrency: 2 }));
    const env = { now: TEST_START_TIME, random: seededRandom(1) };
    let result = startExecution(definition, { executionArn: TEST_EXECUTION_ARN, stateMachineArn: TEST_STATE_MACHINE_ARN, roleArn: TEST_ROLE_ARN, input: [10, 20, 30, 40] }, env);
    const seen: JsonValue[] = [];
    let pending = result.commands.filter((command): command is ScheduleTaskCommand => command.type === 'scheduleTask');
    assert.equal(pending.length, 2);
    while (pending.length > 0) {
      const [next, ...rest] = pending;
      seen.push(next.input);
      result = resumeExecution(definition, result.state, { type: 'taskSucceeded', taskId: next.taskId, output: (next.input as number) + 1 }, env);
      pending = [...rest, ...result.commands.filter((command): command is ScheduleTaskCommand => command.type === 'scheduleTask')];
      assert.ok(pending.length <= 2);
    }
    assert.deepEqual(seen, [10, 20, 30, 40]);
    assert.equal(result.status, 'SUCCEEDED');
    assert.deepEqual(result.state.output, [11, 21, 31, 41]);
  });

  it('an iteration failure fails the state with the item error', () => {
    const run = runWorkflow(mapState(FAIL_ITEM, { ItemsPath: '$.arr', MaxConcurrency: 1 }), { input: { arr: [1] } });
    assert.deepEqual(
      run.events.map((event) => [event.id, event.previousEventId, event.type]),
      [
        [1, 0, 'ExecutionStarted'],
        [2, 0, 'MapStateEntered'],
        [3, 2, 'MapStateStarted'],
        [4, 3, 'MapIterationStarted'],
        [5, 4, 'FailStateEntered'],
        [6, 5, 'MapIterationFailed'],
        [7, 5, 'MapStateFailed'],
        [8, 7, 'ExecutionFailed'],
      ],
    );
    assert.deepEqual([run.error, run.cause], ['HandleItemFailError', 'HandleItemFailCause']);
  });

  it('Catch on a Map state', () => {
    const run = runWorkflow(
      { StartAt: 'MapState', States: { MapState: { Type: 'Map', ItemProcessor: FAIL_ITEM, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'FinalCaught' }], End: true }, FinalCaught: { Type: 'Pass', End: true } } },
      { input: [1] },
    );
    assert.deepEqual(eventTypes(run.events).slice(5), ['MapIterationFailed', 'MapStateFailed', 'MapStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    assert.deepEqual(run.output, { Error: 'HandleItemFailError', Cause: 'HandleItemFailCause' });
  });

  it('Retry on a Map state reruns every iteration', () => {
    const run = runWorkflow(mapState(FAIL_ITEM, { Retry: [{ ErrorEquals: ['HandleItemFailError'], MaxAttempts: 1 }] }), { input: [1] });
    assert.deepEqual(eventTypes(run.events), [
      'ExecutionStarted',
      'MapStateEntered',
      'MapStateStarted',
      'MapIterationStarted',
      'FailStateEntered',
      'MapIterationFailed',
      'MapStateStarted',
      'MapIterationStarted',
      'FailStateEntered',
      'MapIterationFailed',
      'MapStateFailed',
      'ExecutionFailed',
    ]);
  });

  it('a failing iteration aborts the running ones', () => {
    const run = runWorkflow(
      mapState({
        StartAt: 'Route',
        States: {
          Route: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 0, Next: 'Boom' }], Default: 'Work' },
          Work: { Type: 'Task', Resource: LAMBDA_ARN, End: true },
          Boom: { Type: 'Fail', Error: 'E' },
        },
      }),
      { input: [1, 0, 2] },
    );
    assert.equal(run.error, 'E');
    // Iteration 0 waits on its task; iteration 2 has only entered its Choice state.
    const tail = eventTypes(run.events).slice(-7);
    assert.deepEqual(tail, ['FailStateEntered', 'MapIterationFailed', 'TaskStateAborted', 'MapIterationAborted', 'MapIterationAborted', 'MapStateFailed', 'ExecutionFailed']);
    assert.equal(run.commands.filter((command) => command.type === 'cancelTask').length, 1);
  });

  const toleranceCases: ReadonlyArray<readonly [string, JsonObject, JsonValue, string, JsonValue | string]> = [
    ['count tolerated', { ToleratedFailureCount: 1 }, [1, 0, 2], 'SUCCEEDED', [1, { Error: 'Zero', Cause: 'item was zero' }, 2]],
    ['count exceeded', { ToleratedFailureCount: 1 }, [0, 0, 2], 'FAILED', 'States.ExceedToleratedFailureThreshold'],
    ['percentage tolerated', { ToleratedFailurePercentage: 50 }, [0, 1], 'SUCCEEDED', [{ Error: 'Zero', Cause: 'item was zero' }, 1]],
    ['percentage exceeded', { ToleratedFailurePercentage: 50 }, [0, 0, 1], 'FAILED', 'States.ExceedToleratedFailureThreshold'],
    ['either threshold', { ToleratedFailurePercentage: 100, ToleratedFailureCount: 0 }, [0, 1], 'FAILED', 'States.ExceedToleratedFailureThreshold'],
    ['count from a path', { ToleratedFailureCountPath: '$.n' }, { items: [0, 1], n: 1 }, 'SUCCEEDED', [{ Error: 'Zero', Cause: 'item was zero' }, 1]],
  ];
  for (const [name, fields, input, status, expected] of toleranceCases) {
    it(`failure tolerance: ${name}`, () => {
      const itemsPath: JsonObject = Array.isArray(input) ? {} : { ItemsPath: '$.items' };
      const run = runWorkflow(
        mapState({ StartAt: 'Check', States: { Check: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 0, Next: 'Zero' }], Default: 'Ok' }, Zero: { Type: 'Fail', Error: 'Zero', Cause: 'item was zero' }, Ok: { Type: 'Pass', End: true } } }, {
          MaxConcurrency: 1,
          ...itemsPath,
          ...fields,
        }),
        { input },
      );
      assert.equal(run.status, status);
      if (status === 'SUCCEEDED') assert.deepEqual(run.output, expected);
      else assert.deepEqual([run.error, run.cause], [expected, 'The specified tolerated failure threshold was exceeded']);
    });
  }

  const settingFailures: ReadonlyArray<readonly [JsonObject, JsonValue, string]> = [
    [{ ItemsPath: '$.items', MaxConcurrencyPath: '$.MaxConcurrencyValue' }, { items: [1], MaxConcurrencyValue: 'NoNumber' }, 'The MaxConcurrencyPath field refers to value "NoNumber" which is not a valid integer: $.MaxConcurrencyValue'],
    [{ ItemsPath: '$.items', MaxConcurrencyPath: '$.MaxConcurrencyValue' }, { items: [1], MaxConcurrencyValue: {} }, 'The MaxConcurrencyPath field refers to value "{}" which is not a valid integer: $.MaxConcurrencyValue'],
    [{ ItemsPath: '$.items', ToleratedFailureCountPath: '$.ToleratedFailureCount' }, { items: [1], ToleratedFailureCount: -1 }, 'ToleratedFailureCount cannot be negative.'],
    [{ ItemsPath: '$.items', ToleratedFailurePercentagePath: '$.ToleratedFailurePercentage' }, { items: [1], ToleratedFailurePercentage: 100.1 }, 'ToleratedFailurePercentage must be between 0 and 100.'],
    [
      { ItemsPath: '$.items', ToleratedFailurePercentagePath: '$.ToleratedFailurePercentage' },
      { items: [1], ToleratedFailurePercentage: 'NoNumber' },
      'The ToleratedFailurePercentagePath field refers to value "NoNumber" which is not a valid float: $.ToleratedFailurePercentage',
    ],
    [{ ItemsPath: '$.items' }, { items: { foo: 'bar' } }, 'Reference path "$.items" must point to array.'],
    [{}, { foo: 'bar' }, 'Map state input must be an array but was: {"foo":"bar"}'],
  ];
  for (const [fields, input, detail] of settingFailures) {
    it(`rejects bad settings: ${detail}`, () => {
      const run = runWorkflow(mapState(PASS_ITEM, fields), { input });
      assert.equal(run.error, 'States.Runtime');
      assert.equal(run.cause, `An error occurred while executing the state 'MapState' (entered at the event id #2). ${detail}`);
      assert.deepEqual(eventTypes(run.events), ['ExecutionStarted', 'MapStateEntered', 'MapStateFailed', 'ExecutionFailed']);
    });
  }

  it('runs Tasks inside iterations and nests Maps', () => {
    const run = runWorkflow(
      mapState({
        StartAt: 'Inner',
        States: { Inner: { Type: 'Map', ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: LAMBDA_ARN, End: true } } }, End: true } },
      }),
      { input: [[1, 2], [3]], tasks: { Work: echoTask } },
    );
    assert.deepEqual(run.output, [[1, 2], [3]]);
  });

  it('iterations read outer variables; their own variables stay inside', () => {
    const ok = runWorkflow(
      {
        StartAt: 'Set',
        States: {
          Set: { Type: 'Pass', Assign: { outer: 'hello' }, Next: 'Each' },
          Each: {
            Type: 'Map',
            ItemProcessor: {
              StartAt: 'Begin',
              States: { Begin: { Type: 'Pass', Assign: { inner: 'world', 'hi.$': '$outer' }, Next: 'End' }, End: { Type: 'Pass', Parameters: { 'hi.$': '$hi', 'inner.$': '$inner' }, End: true } },
            },
            Assign: { outer: 2 },
            Next: 'Goodbye',
          },
          Goodbye: { Type: 'Pass', Parameters: { 'outer.$': '$outer', 'items.$': '$' }, End: true },
        },
      },
      { input: [1, 2] },
    );
    assert.deepEqual(ok.output, { outer: 2, items: [{ hi: 'hello', inner: 'world' }, { hi: 'hello', inner: 'world' }] });
    assert.equal('inner' in ok.state.root.variables, false);
  });
});

function parse(definition: JsonObject): StateMachineDefinition {
  const result = validateDefinition(definition);
  if (!result.ok) throw new Error(result.message);
  return result.definition;
}
