import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_EXECUTION_ARN,
  TEST_ROLE_ARN,
  TEST_START_TIME,
  TEST_STATE_MACHINE_ARN,
  detailsOf,
  echoTask,
  eventTypes,
  failTimes,
  runWorkflow,
  succeedWith,
} from './asl-test-driver.js';
import { resumeExecution, startExecution } from './engine.js';
import { seededRandom } from './random-source.js';
import { validateDefinition } from './validate-definition.js';
import type { JsonObject, JsonValue } from './json-value.js';
import type { StateMachineDefinition } from './definition.js';
import type { ScheduleTaskCommand } from './step-context.js';

const LAMBDA_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:Worker';
const ACTIVITY_ARN = 'arn:aws:states:us-east-1:123456789012:activity:Approve';

function single(state: JsonObject, extra: JsonObject = {}): JsonObject {
  return { StartAt: 'S', States: { S: state, ...extra } };
}

describe('Pass states', () => {
  it('chains states and records AWS-shaped events with previousEventId links', () => {
    const run = runWorkflow({
      StartAt: 'A',
      States: { A: { Type: 'Pass', Result: { Arg1: 'argument1' }, Next: 'B' }, B: { Type: 'Pass', End: true } },
    });
    assert.equal(run.status, 'SUCCEEDED');
    assert.deepEqual(run.output, { Arg1: 'argument1' });
    assert.deepEqual(
      run.events.map((event) => [event.id, event.previousEventId, event.type]),
      [
        [1, 0, 'ExecutionStarted'],
        [2, 0, 'PassStateEntered'],
        [3, 2, 'PassStateExited'],
        [4, 3, 'PassStateEntered'],
        [5, 4, 'PassStateExited'],
        [6, 5, 'ExecutionSucceeded'],
      ],
    );
    assert.deepEqual(run.events[0].executionStartedEventDetails, { input: '{}', inputDetails: { truncated: false }, roleArn: TEST_ROLE_ARN });
    assert.deepEqual(run.events[2].stateExitedEventDetails, { name: 'A', output: '{"Arg1":"argument1"}', outputDetails: { truncated: false } });
    assert.equal(run.events[0].timestamp, TEST_START_TIME);
  });

  const passCases: ReadonlyArray<readonly [string, JsonObject, JsonValue, JsonValue]> = [
    ['copies its input', { Type: 'Pass', End: true }, { a: 1 }, { a: 1 }],
    ['Result replaces the input', { Type: 'Pass', Result: 'x', End: true }, { a: 1 }, 'x'],
    ['Result null is a result', { Type: 'Pass', Result: null, End: true }, { a: 1 }, null],
    ['Result keys ending in .$ are literal', { Type: 'Pass', Result: { 'k.$': '$.a' }, End: true }, { a: 1 }, { 'k.$': '$.a' }],
    ['ResultPath merges into the input', { Type: 'Pass', Result: { x: 0.381018 }, ResultPath: '$.coords', End: true }, { georefOf: 'Home' }, { georefOf: 'Home', coords: { x: 0.381018 } }],
    ['ResultPath null discards the result', { Type: 'Pass', Result: 1, ResultPath: null, End: true }, { a: 1 }, { a: 1 }],
    ['InputPath null gives {}', { Type: 'Pass', InputPath: null, Parameters: { 'FromInput.$': '$' }, End: true }, { a: 1 }, { FromInput: {} }],
    ['OutputPath null gives {}', { Type: 'Pass', OutputPath: null, End: true }, { a: 1 }, {}],
    ['Parameters become the result', { Type: 'Pass', Parameters: { 'v.$': '$.a', c: 'const' }, End: true }, { a: 1 }, { v: 1, c: 'const' }],
    ['InputPath then Parameters then ResultPath', { Type: 'Pass', InputPath: '$.in', Parameters: { 'doubled.$': 'States.Array($.v, $.v)' }, ResultPath: '$.out', End: true }, { in: { v: 2 } }, { in: { v: 2 }, out: { doubled: [2, 2] } }],
    ['OutputPath selects', { Type: 'Pass', Result: { keep: 1, drop: 2 }, ResultPath: '$.r', OutputPath: '$.r.keep', End: true }, {}, 1],
    ['indefinite OutputPath gathers matches', { Type: 'Pass', OutputPath: '$.items[*].id', End: true }, { items: [{ id: 1 }, { id: 2 }] }, [1, 2]],
    ['filters in Parameters', { Type: 'Pass', Parameters: { 'FromInput.$': '$.users[?(@.status == 0)]' }, End: true }, { users: [{ year: 1997, status: 0 }, { year: 1998, status: 1 }] }, { FromInput: [{ year: 1997, status: 0 }] }],
    ['a wildcard on missing data gives []', { Type: 'Pass', Parameters: { 'item.$': '$.items[*]' }, End: true }, {}, { item: [] }],
  ];
  for (const [name, state, input, output] of passCases) {
    it(name, () => {
      const run = runWorkflow(single(state), { input });
      assert.equal(run.status, 'SUCCEEDED');
      assert.deepEqual(run.output, output);
    });
  }
});

describe('input and output processing of a Task', () => {
  const input = { comment: 'Example', data: { val1: 23, val2: 17 }, extra: 'foo', lambda: { who: 'AWS Step Functions' } };
  const cases: ReadonlyArray<readonly [string, JsonObject, JsonValue, JsonValue]> = [
    ['defaults: the result replaces the input', {}, input, { echoed: input }],
    ['InputPath selects the task input', { InputPath: '$.lambda' }, { who: 'AWS Step Functions' }, { echoed: { who: 'AWS Step Functions' } }],
    [
      'Parameters build it with paths, the context and intrinsics',
      { InputPath: '$.lambda', Parameters: { 'greeting.$': "States.Format('Hello, {}!', $.who)", 'state.$': '$$.State.Name', fixed: [1, { 'n.$': '$.who' }] } },
      { greeting: 'Hello, AWS Step Functions!', state: 'S', fixed: [1, { n: 'AWS Step Functions' }] },
      { echoed: { greeting: 'Hello, AWS Step Functions!', state: 'S', fixed: [1, { n: 'AWS Step Functions' }] } },
    ],
    ['ResultSelector reshapes the result', { ResultSelector: { 'who.$': '$.echoed.lambda.who', 'ctx.$': '$$.Execution.Name' } }, input, { who: 'AWS Step Functions', ctx: 'run-1' }],
    ['ResultPath merges into the raw input', { InputPath: '$.data', ResultPath: '$.data.lambdaresult' }, input.data, { ...input, data: { val1: 23, val2: 17, lambdaresult: { echoed: input.data } } }],
    ['OutputPath filters the combined output', { InputPath: '$.data', ResultPath: '$.data.lambdaresult', OutputPath: '$.data' }, input.data, { val1: 23, val2: 17, lambdaresult: { echoed: input.data } }],
    ['ResultPath null keeps the raw input', { ResultPath: null }, input, input],
  ];
  for (const [name, fields, taskInput, output] of cases) {
    it(name, () => {
      const run = runWorkflow(single({ Type: 'Task', Resource: LAMBDA_ARN, ...fields, End: true }), { input, tasks: { S: (command) => ({ output: { echoed: command.input } }) } });
      assert.deepEqual((run.commands[0] as ScheduleTaskCommand).input, taskInput);
      assert.deepEqual(run.output, output);
    });
  }
});

describe('the Context Object', () => {
  it('exposes execution, state and state machine fields to "$$"', () => {
    const run = runWorkflow(
      single({
        Type: 'Pass',
        Parameters: {
          'id.$': '$$.Execution.Id',
          'name.$': '$$.Execution.Name',
          'role.$': '$$.Execution.RoleArn',
          'start.$': '$$.Execution.StartTime',
          'input.$': '$$.Execution.Input',
          'state.$': '$$.State',
          'machine.$': '$$.StateMachine',
        },
        End: true,
      }),
      { input: { message: 'TestMessage' } },
    );
    assert.deepEqual(run.output, {
      id: TEST_EXECUTION_ARN,
      name: 'run-1',
      role: TEST_ROLE_ARN,
      start: '2024-01-15T10:00:00Z',
      input: { message: 'TestMessage' },
      state: { EnteredTime: '2024-01-15T10:00:00Z', Name: 'S', RetryCount: 0 },
      machine: { Id: TEST_STATE_MACHINE_ARN, Name: 'TestMachine' },
    });
  });
});

describe('Task states', () => {
  it('a Lambda function ARN logs LambdaFunction* events', () => {
    const run = runWorkflow(single({ Type: 'Task', Resource: LAMBDA_ARN, TimeoutSeconds: 30, End: true }), { input: { v: 1 }, tasks: { S: succeedWith({ ok: true }) } });
    assert.deepEqual(eventTypes(run.events), [
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    assert.deepEqual(detailsOf(run.events[2]), { resource: LAMBDA_ARN, input: '{"v":1}', inputDetails: { truncated: false }, timeoutInSeconds: 30 });
    assert.deepEqual(detailsOf(run.events[4]), { output: '{"ok":true}', outputDetails: { truncated: false } });
    assert.deepEqual(run.output, { ok: true });
  });

  it('an integration ARN logs Task* events with resourceType and resource', () => {
    const run = runWorkflow(
      single({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f', 'Payload.$': '$' }, ResultSelector: { 'body.$': '$.Payload' }, End: true }),
      { input: { n: 1 }, tasks: { S: (command) => ({ output: { Payload: command.input, StatusCode: 200 } }) } },
    );
    assert.deepEqual(eventTypes(run.events).slice(2, 5), ['TaskScheduled', 'TaskStarted', 'TaskSucceeded']);
    assert.deepEqual(detailsOf(run.events[2]), { resourceType: 'lambda', resource: 'invoke', region: 'us-east-1', parameters: '{"FunctionName":"f","Payload":{"n":1}}' });
    assert.deepEqual(detailsOf(run.events[3]), { resourceType: 'lambda', resource: 'invoke' });
    assert.deepEqual(run.output, { body: { FunctionName: 'f', Payload: { n: 1 } } });
    const command = run.commands[0] as ScheduleTaskCommand;
    assert.deepEqual(
      { kind: command.kind, service: command.service, action: command.action, pattern: command.pattern, region: command.region },
      { kind: 'service', service: 'lambda', action: 'invoke', pattern: 'request-response', region: 'us-east-1' },
    );
  });

  it('aws-sdk integrations keep the service in resourceType', () => {
    const run = runWorkflow(single({ Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:getObject.waitForTaskToken', Parameters: { 'Token.$': '$$.Task.Token' }, End: true }));
    assert.deepEqual(detailsOf(run.events[2]), { resourceType: 'aws-sdk:s3', resource: 'getObject.waitForTaskToken', region: 'us-east-1', parameters: '{"Token":"token-1"}' });
    const command = run.commands[0] as ScheduleTaskCommand;
    assert.equal(command.taskToken, 'token-1');
    assert.equal(command.pattern, 'waitForTaskToken');
    assert.equal(run.status, 'RUNNING');
  });

  it('.waitForTaskToken: submitted, then succeeded by the token holder', () => {
    const definition = parse(single({ Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { MessageBody: { 'TaskToken.$': '$$.Task.Token' } }, HeartbeatSeconds: 5, TimeoutSeconds: 600, End: true }));
    const env = { now: TEST_START_TIME, random: seededRandom(1), taskToken: () => 'tok' };
    const started = startExecution(definition, { executionArn: TEST_EXECUTION_ARN, stateMachineArn: TEST_STATE_MACHINE_ARN, roleArn: TEST_ROLE_ARN }, env);
    const command = started.commands[0] as ScheduleTaskCommand;
    assert.deepEqual(command.input, { MessageBody: { TaskToken: 'tok' } });
    assert.equal(started.wakeAt, TEST_START_TIME + 5000);
    const submitted = resumeExecution(definition, started.state, { type: 'taskSubmitted', taskId: command.taskId, output: { MessageId: 'm-1' } }, { ...env, now: TEST_START_TIME + 1000 });
    const beat = resumeExecution(definition, submitted.state, { type: 'taskHeartbeat', taskId: command.taskId }, { ...env, now: TEST_START_TIME + 4000 });
    assert.equal(beat.wakeAt, TEST_START_TIME + 9000);
    const done = resumeExecution(definition, beat.state, { type: 'taskSucceeded', taskId: command.taskId, output: 'test_message_txt' }, { ...env, now: TEST_START_TIME + 8000 });
    assert.equal(done.status, 'SUCCEEDED');
    assert.deepEqual(eventTypes([...started.events, ...submitted.events, ...beat.events, ...done.events]), [
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    assert.deepEqual(detailsOf(started.events[2]), {
      resourceType: 'sqs',
      resource: 'sendMessage.waitForTaskToken',
      region: 'us-east-1',
      parameters: '{"MessageBody":{"TaskToken":"tok"}}',
      timeoutInSeconds: 600,
      heartbeatInSeconds: 5,
    });
  });

  it('an activity logs Activity* events with the worker name', () => {
    const definition = parse(single({ Type: 'Task', Resource: ACTIVITY_ARN, TimeoutSeconds: 60, HeartbeatSeconds: 10, End: true }));
    const env = { now: TEST_START_TIME, random: seededRandom(1) };
    const started = startExecution(definition, { executionArn: TEST_EXECUTION_ARN, stateMachineArn: TEST_STATE_MACHINE_ARN, roleArn: TEST_ROLE_ARN, input: { Value1: 'HelloWorld' } }, env);
    assert.equal(started.wakeAt, undefined, 'the clocks start when a worker picks the task up');
    const taskId = (started.commands[0] as ScheduleTaskCommand).taskId;
    const picked = resumeExecution(definition, started.state, { type: 'taskStarted', taskId, workerName: 'worker-1' }, { ...env, now: TEST_START_TIME + 3000 });
    assert.equal(picked.wakeAt, TEST_START_TIME + 13_000);
    const done = resumeExecution(definition, picked.state, { type: 'taskSucceeded', taskId, output: { Value1: 'HelloWorld' } }, env);
    assert.deepEqual(eventTypes([...started.events, ...picked.events, ...done.events]).slice(2), ['ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    assert.deepEqual(detailsOf(started.events[2]), { resource: ACTIVITY_ARN, input: '{"Value1":"HelloWorld"}', inputDetails: { truncated: false }, timeoutInSeconds: 60, heartbeatInSeconds: 10 });
    assert.deepEqual(detailsOf(picked.events[0]), { workerName: 'worker-1' });
  });

  it('an activity failure fails the execution with its error and cause', () => {
    const run = runWorkflow(single({ Type: 'Task', Resource: ACTIVITY_ARN, End: true }), { tasks: { S: () => ({ error: 'Programmatic Error', cause: 'bad' }) } });
    assert.deepEqual(eventTypes(run.events).slice(2), ['ActivityScheduled', 'ActivityStarted', 'ActivityFailed', 'ExecutionFailed']);
    assert.deepEqual(detailsOf(run.events[5]), { error: 'Programmatic Error', cause: 'bad' });
  });

  it('retries with backoff, exposes the retry count, then catches', () => {
    const run = runWorkflow(
      {
        StartAt: 'Invoke',
        States: {
          Invoke: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { 'RetryAttempt.$': '$$.State.RetryCount' },
            Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }],
            Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'HandleError' }],
            End: true,
          },
          HandleError: { Type: 'Pass', End: true },
        },
      },
      { input: { keep: true }, tasks: { Invoke: () => ({ error: 'Exception', cause: '{"errorMessage":"boom"}' }) } },
    );
    assert.equal(run.status, 'SUCCEEDED');
    assert.deepEqual(run.output, { keep: true, error: { Error: 'Exception', Cause: '{"errorMessage":"boom"}' } });
    const attempts = run.commands.filter((command): command is ScheduleTaskCommand => command.type === 'scheduleTask').map((command) => command.input);
    assert.deepEqual(attempts, [{ RetryAttempt: 0 }, { RetryAttempt: 1 }, { RetryAttempt: 2 }, { RetryAttempt: 3 }]);
    assert.equal(run.endTime, TEST_START_TIME + 7000, 'waits of 1, 2 and 4 seconds');
    assert.deepEqual(eventTypes(run.events), [
      'ExecutionStarted',
      'TaskStateEntered',
      ...['TaskScheduled', 'TaskStarted', 'TaskFailed'].flatMap((type) => [type]),
      ...['TaskScheduled', 'TaskStarted', 'TaskFailed'],
      ...['TaskScheduled', 'TaskStarted', 'TaskFailed'],
      ...['TaskScheduled', 'TaskStarted', 'TaskFailed'],
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('succeeds after transient failures', () => {
    const run = runWorkflow(single({ Type: 'Task', Resource: LAMBDA_ARN, Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2 }], End: true }), {
      input: { x: 1 },
      tasks: { S: failTimes(2, 'Lambda.TooManyRequestsException') },
    });
    assert.equal(run.status, 'SUCCEEDED');
    assert.deepEqual(run.output, { x: 1 });
    assert.equal(run.endTime, TEST_START_TIME + 6000);
  });

  it('MaxAttempts 0 fails at once with the task error', () => {
    const run = runWorkflow(single({ Type: 'Task', Resource: LAMBDA_ARN, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 0 }], End: true }), { tasks: { S: () => ({ error: 'Exception', cause: 'c' }) } });
    assert.deepEqual(eventTypes(run.events).slice(2), ['LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionFailed', 'ExecutionFailed']);
    assert.deepEqual([run.error, run.cause], ['Exception', 'c']);
  });

  it('TimeoutSeconds fails the task with States.Timeout', () => {
    const run = runWorkflow(single({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', TimeoutSeconds: 5, End: true }), { tasks: { S: () => ({ hang: true }) } });
    assert.equal(run.status, 'FAILED');
    assert.equal(run.error, 'States.Timeout');
    assert.equal(run.endTime, TEST_START_TIME + 5000);
    assert.deepEqual(eventTypes(run.events).slice(2), ['TaskScheduled', 'TaskStarted', 'TaskTimedOut', 'ExecutionFailed']);
    assert.deepEqual(detailsOf(run.events[4]), { resourceType: 'lambda', resource: 'invoke', error: 'States.Timeout' });
    assert.ok(run.commands.some((command) => command.type === 'cancelTask'));
  });

  it('a missed heartbeat is States.Timeout, caught as States.HeartbeatTimeout', () => {
    const run = runWorkflow(
      single(
        { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', HeartbeatSeconds: 2, TimeoutSeconds: 100, Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], Next: 'Late' }], End: true },
        { Late: { Type: 'Pass', End: true } },
      ),
    );
    assert.equal(run.status, 'SUCCEEDED');
    assert.deepEqual(run.output, { Error: 'States.Timeout' });
    assert.equal(run.endTime, TEST_START_TIME + 2000);
  });

  it('heartbeats keep a task alive', () => {
    const run = runWorkflow(single({ Type: 'Task', Resource: LAMBDA_ARN, HeartbeatSeconds: 2, End: true }), { tasks: { S: () => ({ output: 1, heartbeats: 3 }) } });
    assert.equal(run.status, 'SUCCEEDED');
  });

  it('TimeoutSecondsPath and HeartbeatSecondsPath read the input', () => {
    const run = runWorkflow(single({ Type: 'Task', Resource: LAMBDA_ARN, TimeoutSecondsPath: '$.t', HeartbeatSecondsPath: '$.h', End: true }), { input: { t: 9, h: 3 }, tasks: { S: echoTask } });
    const command = run.commands[0] as ScheduleTaskCommand;
    assert.deepEqual([command.timeoutSeconds, command.heartbeatSeconds], [9, 3]);
  });

  it('a TimeoutSecondsPath that does not resolve is States.Runtime', () => {
    const run = runWorkflow({ StartAt: 'task', States: { task: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:listBuckets', TimeoutSecondsPath: '$.NoSuchTimeoutSecondsPath', End: true } } }, { input: { 'int-literal': 0 } });
    assert.deepEqual(eventTypes(run.events), ['ExecutionStarted', 'TaskStateEntered', 'ExecutionFailed']);
    assert.equal(run.error, 'States.Runtime');
    assert.equal(run.cause, "An error occurred while executing the state 'task' (entered at the event id #2). Invalid path '$.NoSuchTimeoutSecondsPath' : No results for path: $['NoSuchTimeoutSecondsPath']");
  });

  it('Credentials resolve to a role for the host', () => {
    const run = runWorkflow(single({ Type: 'Task', Resource: LAMBDA_ARN, Credentials: { 'RoleArn.$': '$.role' }, End: true }), { input: { role: 'arn:aws:iam::111111111111:role/Other' }, tasks: { S: echoTask } });
    assert.equal((run.commands[0] as ScheduleTaskCommand).roleArn, 'arn:aws:iam::111111111111:role/Other');
    assert.deepEqual(detailsOf(run.events[2]).taskCredentials, { roleArn: 'arn:aws:iam::111111111111:role/Other' });
  });

  it('a result over 256 KiB is States.DataLimitExceeded, which States.ALL catches', () => {
    const run = runWorkflow(single({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handle' }], End: true }, { Handle: { Type: 'Pass', End: true } }), {
      tasks: { S: succeedWith('x'.repeat(300_000)) },
    });
    assert.deepEqual(run.output, { Error: 'States.DataLimitExceeded', Cause: "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit." });
    assert.deepEqual(eventTypes(run.events).slice(2, 6), ['TaskScheduled', 'TaskStarted', 'TaskFailed', 'TaskStateExited']);
  });

  it('a task start failure goes through error handling', () => {
    const definition = parse(single({ Type: 'Task', Resource: LAMBDA_ARN, End: true }));
    const env = { now: TEST_START_TIME, random: seededRandom(1) };
    const started = startExecution(definition, { executionArn: TEST_EXECUTION_ARN, stateMachineArn: TEST_STATE_MACHINE_ARN, roleArn: TEST_ROLE_ARN }, env);
    const taskId = (started.commands[0] as ScheduleTaskCommand).taskId;
    const failed = resumeExecution(definition, started.state, { type: 'taskStartFailed', taskId, error: 'Lambda.ResourceNotFoundException', cause: 'Function not found' }, env);
    assert.deepEqual(eventTypes(failed.events), ['LambdaFunctionStartFailed', 'ExecutionFailed']);
    assert.equal(failed.status, 'FAILED');
  });

  it('ignores signals for tasks it does not know', () => {
    const definition = parse(single({ Type: 'Task', Resource: LAMBDA_ARN, End: true }));
    const env = { now: TEST_START_TIME, random: seededRandom(1) };
    const started = startExecution(definition, { executionArn: TEST_EXECUTION_ARN, stateMachineArn: TEST_STATE_MACHINE_ARN, roleArn: TEST_ROLE_ARN }, env);
    const result = resumeExecution(definition, started.state, { type: 'taskSucceeded', taskId: 'nope', output: 1 }, env);
    assert.equal(result.accepted, false);
    assert.deepEqual(result.events, []);
  });
});

describe('Choice states', () => {
  const definition: JsonObject = {
    StartAt: 'ChoiceStateX',
    States: {
      ChoiceStateX: {
        Type: 'Choice',
        Choices: [
          { Not: { Variable: '$.type', StringEquals: 'Private' }, Next: 'Public' },
          { And: [{ Variable: '$.value', IsPresent: true }, { Variable: '$.value', NumericGreaterThanEquals: 20 }, { Variable: '$.value', NumericLessThan: 30 }], Next: 'ValueInTwenties', Assign: { range: 'twenties' } },
        ],
        Default: 'DefaultState',
        Assign: { range: 'default' },
      },
      Public: { Type: 'Pass', Result: 'public', End: true },
      ValueInTwenties: { Type: 'Pass', Parameters: { 'range.$': '$range' }, End: true },
      DefaultState: { Type: 'Pass', Parameters: { 'range.$': '$range' }, End: true },
    },
  };
  const cases: ReadonlyArray<readonly [JsonValue, JsonValue]> = [
    [{ type: 'Public' }, 'public'],
    [{ type: 'Private', value: 22 }, { range: 'twenties' }],
    [{ type: 'Private', value: 35 }, { range: 'default' }],
    [{ type: 'Private' }, { range: 'default' }],
  ];
  for (const [input, output] of cases) {
    it(`routes ${JSON.stringify(input)}`, () => {
      const run = runWorkflow(definition, { input });
      assert.deepEqual(run.output, output);
    });
  }

  it('logs entered and exited events and the assigned variable', () => {
    const run = runWorkflow(definition, { input: { type: 'Private', value: 22 } });
    assert.deepEqual(eventTypes(run.events), ['ExecutionStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    assert.deepEqual(detailsOf(run.events[2]).assignedVariables, { range: '"twenties"' });
  });

  it('without a match or Default fails with States.NoChoiceMatched', () => {
    const run = runWorkflow(single({ Type: 'Choice', Choices: [{ Variable: '$.a', NumericEquals: 1, Next: 'Done' }] }, { Done: { Type: 'Succeed' } }), { input: { a: 2 } });
    assert.equal(run.error, 'States.NoChoiceMatched');
    assert.match(run.cause ?? '', /^An error occurred while executing the state 'S' \(entered at the event id #2\)\./);
  });

  it('a Variable that does not resolve is States.Runtime', () => {
    const run = runWorkflow(single({ Type: 'Choice', Choices: [{ Variable: '$.missing', NumericEquals: 1, Next: 'Done' }], Default: 'Done' }, { Done: { Type: 'Succeed' } }));
    assert.equal(run.error, 'States.Runtime');
  });
});

describe('Wait states', () => {
  const cases: ReadonlyArray<readonly [string, JsonObject, JsonValue, number]> = [
    ['Seconds', { Seconds: 10 }, {}, 10_000],
    ['Seconds 0', { Seconds: 0 }, {}, 0],
    ['SecondsPath', { SecondsPath: '$.s' }, { s: 3 }, 3000],
    ['Timestamp', { Timestamp: '2024-01-15T10:01:00Z' }, {}, 60_000],
    ['TimestampPath', { TimestampPath: '$.t' }, { t: '2024-01-15T11:00:00+01:00' }, 0],
    ['TimestampPath with fraction', { TimestampPath: '$.t' }, { t: '2024-01-15T10:00:02.500Z' }, 2500],
    ['a timestamp in the past', { Timestamp: '2020-01-01T00:00:00Z' }, {}, 0],
  ];
  for (const [name, fields, input, waited] of cases) {
    it(`${name} waits ${waited} ms`, () => {
      const run = runWorkflow(single({ Type: 'Wait', ...fields, End: true }), { input });
      assert.equal(run.status, 'SUCCEEDED');
      assert.equal(run.endTime - TEST_START_TIME, waited);
      assert.deepEqual(eventTypes(run.events), ['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'ExecutionSucceeded']);
      assert.deepEqual(run.output, input);
    });
  }

  const failures: ReadonlyArray<readonly [JsonObject, JsonValue, string]> = [
    [{ SecondsPath: '$.input.waitSeconds' }, { input: { waitSeconds: -1 } }, 'The SecondsPath parameter references a negative value: $.input.waitSeconds == -1'],
    [{ SecondsPath: '$.input.waitSeconds' }, { input: { waitSeconds: 1.5 } }, 'The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == 1.5'],
    [{ SecondsPath: '$.input.waitSeconds' }, { input: {} }, 'The SecondsPath parameter does not reference an input value: $.input.waitSeconds'],
    [{ TimestampPath: '$.TimestampValue' }, { TimestampValue: '2016-12-05T21:29:29' }, 'The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.TimestampValue == 2016-12-05T21:29:29'],
    [{ TimestampPath: '$.TimestampValue' }, { TimestampValue: '2016-13-05T21:29:29Z' }, 'The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.TimestampValue == 2016-13-05T21:29:29Z'],
    [{ TimestampPath: '$.t' }, { t: '2100-01-01T00:00:00Z' }, 'Wait state delay is too long.'],
  ];
  for (const [fields, input, detail] of failures) {
    it(`fails: ${detail}`, () => {
      const run = runWorkflow({ StartAt: 'WaitState', States: { WaitState: { Type: 'Wait', ...fields, End: true } } }, { input });
      assert.equal(run.error, 'States.Runtime');
      assert.equal(run.cause, `An error occurred while executing the state 'WaitState' (entered at the event id #2). ${detail}`);
    });
  }
});

describe('Succeed and Fail states', () => {
  it('Succeed filters with InputPath and OutputPath', () => {
    const run = runWorkflow(single({ Type: 'Succeed', InputPath: '$.a', OutputPath: '$.b' }), { input: { a: { b: 1 } } });
    assert.deepEqual(eventTypes(run.events), ['ExecutionStarted', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded']);
    assert.equal(run.output, 1);
  });

  const cases: ReadonlyArray<readonly [string, JsonObject, JsonValue, JsonObject]> = [
    ['literal', { Error: 'SomeFailure', Cause: "This state machines raises a 'SomeFailure' failure." }, {}, { error: 'SomeFailure', cause: "This state machines raises a 'SomeFailure' failure." }],
    ['paths', { ErrorPath: '$.Error', CausePath: '$.Cause' }, { Error: 'error string', Cause: 'cause string' }, { error: 'error string', cause: 'cause string' }],
    [
      'intrinsic cause',
      { ErrorPath: '$.Error', CausePath: "States.Format('This is a custom error message for {}, caused by {}.', $.Error, $.Cause)" },
      { Error: 'error string', Cause: 'cause string' },
      { error: 'error string', cause: 'This is a custom error message for error string, caused by cause string.' },
    ],
    ['empty', {}, {}, {}],
  ];
  for (const [name, fields, input, details] of cases) {
    it(`Fail (${name})`, () => {
      const run = runWorkflow({ StartAt: 'FailState', States: { FailState: { Type: 'Fail', ...fields } } }, { input });
      assert.deepEqual(eventTypes(run.events), ['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
      assert.deepEqual(detailsOf(run.events[2]), details);
      assert.equal(run.events[2].previousEventId, 2);
    });
  }

  it('an ErrorPath that does not resolve is States.Runtime', () => {
    const run = runWorkflow({ StartAt: 'pass', States: { pass: { Type: 'Pass', Next: 'fail', Parameters: { Error: 'error-value' } }, fail: { Type: 'Fail', ErrorPath: '$.ErrorX' } } }, { input: { 'int-literal': 0 } });
    assert.equal(run.cause, `An error occurred while executing the state 'fail' (entered at the event id #4). The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be found in the input '{"Error":"error-value"}'`);
  });
});

describe('runtime errors', () => {
  const cases: ReadonlyArray<readonly [string, JsonObject, string]> = [
    ['InputPath', { Type: 'Pass', InputPath: '$.NoSuchInputPath', End: true }, "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"],
    ['OutputPath', { Type: 'Pass', OutputPath: '$.NoSuchOutputPath', End: true }, "Invalid path '$.NoSuchOutputPath' : No results for path: $['NoSuchOutputPath']"],
    ['Parameters path', { Type: 'Pass', Parameters: { 'value.$': '$.no_such_jsonpath' }, End: true }, `The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'`],
    ['Parameters context path', { Type: 'Pass', Parameters: { 'value.$': '$$.Execution.Input.no_such_jsonpath' }, End: true }, `The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'`],
  ];
  for (const [name, state, detail] of cases) {
    it(`${name}: ${detail}`, () => {
      const run = runWorkflow({ StartAt: 'pass', States: { pass: state } }, { input: { 'int-literal': 0, s: 'text' } as JsonObject });
      assert.equal(run.error, 'States.Runtime');
      assert.deepEqual(eventTypes(run.events), ['ExecutionStarted', 'PassStateEntered', 'ExecutionFailed']);
      assert.equal(run.cause, `An error occurred while executing the state 'pass' (entered at the event id #2). ${detail.replace('{"int-literal":0}', '{"int-literal":0,"s":"text"}')}`);
    });
  }

  it('a ResultPath that cannot apply to the input is States.Runtime', () => {
    const run = runWorkflow({ StartAt: 'pass', States: { pass: { Type: 'Pass', Result: 1, ResultPath: '$.x', End: true } } }, { input: 'foo' });
    assert.equal(run.error, 'States.Runtime');
    assert.equal(run.cause, `An error occurred while executing the state 'pass' (entered at the event id #2). Unable to apply ReferencePath $.x to input "foo"`);
  });

  it('States.Runtime is never caught, even by name', () => {
    const run = runWorkflow({
      StartAt: 'RaiseRuntime',
      States: {
        RaiseRuntime: { Type: 'Task', Resource: LAMBDA_ARN, OutputPath: '$.no.such.result.path', Catch: [{ ErrorEquals: ['States.Runtime'], Next: 'CaughtRuntime' }], Next: 'Final' },
        CaughtRuntime: { Type: 'Pass', End: true },
        Final: { Type: 'Pass', End: true },
      },
    }, { tasks: { RaiseRuntime: succeedWith({}) } });
    assert.deepEqual(eventTypes(run.events), ['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'ExecutionFailed']);
    assert.equal(run.cause, "An error occurred while executing the state 'RaiseRuntime' (entered at the event id #2). Invalid path '$.no.such.result.path' : Missing property in path $['no']");
  });

  it('a state output over 256 KiB fails the execution with States.DataLimitExceeded', () => {
    const run = runWorkflow({ StartAt: 'State_1', States: { State_1: { Type: 'Pass', End: true } } }, { input: { big: 'x'.repeat(262_144) } });
    assert.deepEqual(eventTypes(run.events), ['ExecutionStarted', 'PassStateEntered', 'ExecutionFailed']);
    assert.deepEqual([run.error, run.cause], ['States.DataLimitExceeded', "The state/task 'State_1' returned a result with a size exceeding the maximum number of bytes service limit."]);
  });
});

describe('variables (JSONPath)', () => {
  it('assigns after evaluating everything with the values on state entry', () => {
    const run = runWorkflow({
      StartAt: 'First',
      States: {
        First: { Type: 'Pass', Assign: { x: 5, a: 6 }, Next: 'Assigning' },
        Assigning: { Type: 'Pass', Assign: { 'x.$': '$a', 'nextX.$': '$x', 'fromResult.$': '$.r', 'ctx.$': '$$.State.Name', 'msg.$': "States.Format('x was {}', $x)" }, Result: { r: 'result' }, Next: 'Read' },
        Read: { Type: 'Pass', Parameters: { 'x.$': '$x', 'nextX.$': '$nextX', 'fromResult.$': '$fromResult', 'ctx.$': '$ctx', 'msg.$': '$msg' }, End: true },
      },
    });
    assert.deepEqual(run.output, { x: 6, nextX: 5, fromResult: 'result', ctx: 'Assigning', msg: 'x was 5' });
    assert.deepEqual(detailsOf(run.events[2]), { name: 'First', output: '{}', outputDetails: { truncated: false }, assignedVariables: { x: '5', a: '6' }, assignedVariablesDetails: { truncated: false } });
  });

  it('a Task assigns from its raw result, before ResultSelector', () => {
    const run = runWorkflow(
      {
        StartAt: 'T',
        States: {
          T: { Type: 'Task', Resource: LAMBDA_ARN, ResultSelector: { 'picked.$': '$.a' }, Assign: { 'raw.$': '$.b' }, Next: 'R' },
          R: { Type: 'Pass', Parameters: { 'raw.$': '$raw', 'out.$': '$' }, End: true },
        },
      },
      { tasks: { T: succeedWith({ a: 1, b: 2 }) } },
    );
    assert.deepEqual(run.output, { raw: 2, out: { picked: 1 } });
  });

  it('a Catcher assigns from the Error Output', () => {
    const run = runWorkflow(
      {
        StartAt: 'T',
        States: {
          T: { Type: 'Task', Resource: LAMBDA_ARN, Catch: [{ ErrorEquals: ['States.ALL'], Assign: { 'err.$': '$.Error' }, ResultPath: null, Next: 'R' }], End: true },
          R: { Type: 'Pass', Parameters: { 'err.$': '$err', 'input.$': '$' }, End: true },
        },
      },
      { input: { keep: 1 }, tasks: { T: () => ({ error: 'Boom' }) } },
    );
    assert.deepEqual(run.output, { err: 'Boom', input: { keep: 1 } });
  });
});

describe('execution-level control', () => {
  it('the machine TimeoutSeconds ends the execution with ExecutionTimedOut', () => {
    const run = runWorkflow({ StartAt: 'W', TimeoutSeconds: 5, States: { W: { Type: 'Wait', Seconds: 60, End: true } } });
    assert.equal(run.status, 'TIMED_OUT');
    assert.equal(run.endTime, TEST_START_TIME + 5000);
    assert.deepEqual(eventTypes(run.events), ['ExecutionStarted', 'WaitStateEntered', 'WaitStateAborted', 'ExecutionTimedOut']);
  });

  it('a stop aborts the running state and the execution', () => {
    const run = runWorkflow(single({ Type: 'Task', Resource: LAMBDA_ARN, End: true }), { afterStart: [{ type: 'stop', error: 'Manual', cause: 'stopped by test' }] });
    assert.equal(run.status, 'ABORTED');
    assert.deepEqual(eventTypes(run.events), ['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'TaskStateAborted', 'ExecutionAborted']);
    assert.deepEqual(detailsOf(run.events[5]), { error: 'Manual', cause: 'stopped by test' });
    assert.ok(run.commands.some((command) => command.type === 'cancelTask'));
  });

  it('an ended execution accepts no more signals', () => {
    const definition = parse(single({ Type: 'Succeed' }));
    const env = { now: TEST_START_TIME, random: seededRandom(1) };
    const done = startExecution(definition, { executionArn: TEST_EXECUTION_ARN, stateMachineArn: TEST_STATE_MACHINE_ARN, roleArn: TEST_ROLE_ARN }, env);
    const again = resumeExecution(definition, done.state, { type: 'tick' }, env);
    assert.equal(again.accepted, false);
    assert.deepEqual(again.events, []);
  });

  it('execution state survives a JSON round trip between steps', () => {
    const definition = parse({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: LAMBDA_ARN, Retry: [{ ErrorEquals: ['E'] }], Next: 'W' }, W: { Type: 'Wait', Seconds: 1, End: true } },
    });
    const env = (now: number) => ({ now, random: seededRandom(1) });
    let result = startExecution(definition, { executionArn: TEST_EXECUTION_ARN, stateMachineArn: TEST_STATE_MACHINE_ARN, roleArn: TEST_ROLE_ARN, input: { a: 1 } }, env(TEST_START_TIME));
    const revive = () => JSON.parse(JSON.stringify(result.state)) as typeof result.state;
    const firstTask = (result.commands[0] as ScheduleTaskCommand).taskId;
    result = resumeExecution(definition, revive(), { type: 'taskFailed', taskId: firstTask, error: 'E' }, env(TEST_START_TIME + 10));
    assert.equal(result.wakeAt, TEST_START_TIME + 1010);
    result = resumeExecution(definition, revive(), { type: 'tick' }, env(TEST_START_TIME + 1010));
    const secondTask = (result.commands[0] as ScheduleTaskCommand).taskId;
    result = resumeExecution(definition, revive(), { type: 'taskSucceeded', taskId: secondTask, output: { b: 2 } }, env(TEST_START_TIME + 1020));
    result = resumeExecution(definition, revive(), { type: 'tick' }, env(TEST_START_TIME + 2020));
    assert.equal(result.status, 'SUCCEEDED');
    assert.deepEqual(result.state.output, { b: 2 });
    assert.equal(result.events.at(-1)?.id, 12);
  });
});

function parse(definition: JsonObject): StateMachineDefinition {
  const result = validateDefinition(definition);
  if (!result.ok) throw new Error(result.message);
  return result.definition;
}
