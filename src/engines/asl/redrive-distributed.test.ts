import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detailsOf, eventTypes, runWorkflow } from './asl-test-driver.js';
import { resumeExecution, startExecution } from './engine.js';
import { seededRandom } from './random-source.js';
import { validateDefinition } from './validate-definition.js';
import type { FakeTask } from './asl-test-driver.js';
import type { JsonObject, JsonValue } from './json-value.js';
import type { JsonataEvaluator } from './jsonata-evaluator.js';

const WORKER = 'arn:aws:lambda:us-east-1:123456789012:function:Worker';

function machine(states: JsonObject): JsonObject {
  return { StartAt: Object.keys(states)[0], States: states };
}

/** A fake that fails while `broken` holds for the input, and echoes it otherwise. */
function failingWhile(broken: (input: JsonValue) => boolean): FakeTask {
  return (command) => (broken(command.input) ? { error: 'Boom', cause: 'broken' } : { output: command.input });
}

describe('RedriveExecution in the engine', () => {
  const chain = machine({
    First: { Type: 'Pass', Result: 'one', ResultPath: '$.first', Next: 'Work' },
    Work: { Type: 'Task', Resource: WORKER, ResultPath: '$.work', Next: 'Last' },
    Last: { Type: 'Pass', Result: 'three', ResultPath: '$.last', End: true },
  });

  it('continues from the failed state, keeping what succeeded before it', () => {
    let healthy = false;
    const worker = failingWhile(() => !healthy);
    const failed = runWorkflow(chain, { input: { n: 1 }, tasks: { Work: worker } });
    assert.equal(failed.status, 'FAILED');
    healthy = true;
    const redriven = runWorkflow(chain, { redrive: failed.state, tasks: { Work: worker } });
    assert.equal(redriven.status, 'SUCCEEDED');
    assert.deepEqual(redriven.output, { n: 1, first: 'one', work: { n: 1, first: 'one' }, last: 'three' });
    assert.deepEqual(eventTypes(redriven.events), [
      'ExecutionRedriven', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded',
      'TaskStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded',
    ]);
    const [redrivenEvent, entered] = redriven.events;
    assert.equal(redrivenEvent.id, failed.events.at(-1)!.id + 1);
    assert.equal(redrivenEvent.previousEventId, failed.events.at(-1)!.id);
    assert.deepEqual(detailsOf(redrivenEvent), { redriveCount: 1 });
    assert.equal(entered.previousEventId, redrivenEvent.id);
    assert.equal(redriven.state.redriveCount, 1);
  });

  it('fails again, and counts a second redrive, when the cause persists', () => {
    const worker = failingWhile(() => true);
    const failed = runWorkflow(chain, { tasks: { Work: worker } });
    const again = runWorkflow(chain, { redrive: failed.state, tasks: { Work: worker } });
    assert.equal(again.status, 'FAILED');
    assert.equal(again.error, 'Boom');
    const third = runWorkflow(chain, { redrive: again.state, tasks: { Work: worker } });
    assert.deepEqual(detailsOf(third.events[0]), { redriveCount: 2 });
  });

  it('restarts an aborted execution at the state it was in', () => {
    const stopped = runWorkflow(chain, { tasks: {}, afterStart: [{ type: 'stop', error: 'Halt' }] });
    assert.equal(stopped.status, 'ABORTED');
    const redriven = runWorkflow(chain, { redrive: stopped.state, tasks: { Work: (command) => ({ output: command.input }) } });
    assert.equal(redriven.status, 'SUCCEEDED');
    assert.deepEqual(eventTypes(redriven.events).slice(0, 2), ['ExecutionRedriven', 'TaskStateEntered']);
  });

  it('gives a timed-out execution its TimeoutSeconds again from the redrive', () => {
    const timed = { ...chain, TimeoutSeconds: 5 };
    const out = runWorkflow(timed, { tasks: {} });
    assert.equal(out.status, 'TIMED_OUT');
    const redriven = runWorkflow(timed, { redrive: out.state, startTime: out.endTime, tasks: { Work: (command) => ({ output: command.input }) } });
    assert.equal(redriven.status, 'SUCCEEDED');
  });

  it('does nothing to a running or succeeded execution', () => {
    const done = runWorkflow(chain, { tasks: { Work: (command) => ({ output: command.input }) } });
    const again = runWorkflow(chain, { redrive: done.state, tasks: {} });
    assert.equal(again.status, 'SUCCEEDED');
    assert.deepEqual(again.events, []);
  });

  it('reruns only the Parallel branches that failed or were aborted', () => {
    const parallel = machine({
      Fan: {
        Type: 'Parallel',
        End: true,
        Branches: [
          { StartAt: 'A', States: { A: { Type: 'Task', Resource: WORKER, Parameters: { branch: 'a' }, End: true } } },
          { StartAt: 'B', States: { B: { Type: 'Task', Resource: WORKER, Parameters: { branch: 'b' }, End: true } } },
        ],
      },
    });
    const calls: string[] = [];
    let healthy = false;
    const worker: FakeTask = (command) => {
      const branch = (command.input as JsonObject).branch as string;
      calls.push(branch);
      return branch === 'b' && !healthy ? { error: 'Boom' } : { output: branch };
    };
    const failed = runWorkflow(parallel, { tasks: { A: worker, B: worker } });
    assert.equal(failed.status, 'FAILED');
    healthy = true;
    calls.length = 0;
    const redriven = runWorkflow(parallel, { redrive: failed.state, tasks: { A: worker, B: worker } });
    assert.equal(redriven.status, 'SUCCEEDED');
    assert.deepEqual(calls, ['b']);
    assert.deepEqual(redriven.output, ['a', 'b']);
  });

  it('reruns only the Map iterations that failed', () => {
    const map = machine({
      Each: { Type: 'Map', End: true, ToleratedFailureCount: 0, ItemProcessor: { StartAt: 'Do', States: { Do: { Type: 'Task', Resource: WORKER, End: true } } } },
    });
    const seen: JsonValue[] = [];
    let healthy = false;
    const worker: FakeTask = (command) => {
      seen.push(command.input);
      return command.input === 2 && !healthy ? { error: 'Boom' } : { output: (command.input as number) * 10 };
    };
    const failed = runWorkflow(map, { input: [1, 2, 3], tasks: { Do: worker } });
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.error, 'States.ExceedToleratedFailureThreshold');
    healthy = true;
    seen.length = 0;
    const redriven = runWorkflow(map, { redrive: failed.state, tasks: { Do: worker } });
    assert.equal(redriven.status, 'SUCCEEDED');
    assert.deepEqual(redriven.output, [10, 20, 30]);
    assert.ok(!seen.includes(1), `item 1 ran again: ${JSON.stringify(seen)}`);
    assert.ok(seen.includes(2));
  });
});

describe('Distributed Map in the engine', () => {
  const distributed = (fields: JsonObject, states: JsonObject = { Echo: { Type: 'Pass', End: true } }): JsonObject =>
    machine({
      Spread: {
        Type: 'Map',
        End: true,
        ...fields,
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: Object.keys(states)[0], States: states },
      },
    });

  it('runs every item, logs the Map Run and keeps the iterations out of the history', () => {
    const run = runWorkflow(distributed({ ItemsPath: '$.items', Label: 'fan' }), { input: { items: [1, 2, 3] } });
    assert.equal(run.status, 'SUCCEEDED');
    assert.deepEqual(run.output, [1, 2, 3]);
    assert.deepEqual(eventTypes(run.events), ['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
    const mapRunArn = detailsOf(run.events[3]).mapRunArn as string;
    assert.match(mapRunArn, /^arn:aws:states:us-east-1:123456789012:mapRun:TestMachine\/fan:[0-9a-f-]{36}$/);
    const summary = run.state.mapRuns?.[mapRunArn];
    assert.equal(summary?.status, 'SUCCEEDED');
    assert.deepEqual(summary?.items, { total: 3, started: 3, succeeded: 3, failed: 0, aborted: 0 });
    assert.deepEqual(summary?.executions, { total: 3, started: 3, succeeded: 3, failed: 0, aborted: 0 });
  });

  const batching: [string, JsonObject, JsonValue][] = [
    ['MaxItemsPerBatch', { MaxItemsPerBatch: 2 }, [{ Items: [1, 2] }, { Items: [3, 4] }, { Items: [5] }]],
    ['MaxInputBytesPerBatch', { MaxInputBytesPerBatch: 3 }, [{ Items: [1, 2, 3] }, { Items: [4, 5] }]],
    ['both limits, the tighter wins', { MaxItemsPerBatch: 1, MaxInputBytesPerBatch: 3 }, [{ Items: [1] }, { Items: [2] }, { Items: [3] }, { Items: [4] }, { Items: [5] }]],
    ['BatchInput', { MaxItemsPerBatch: 5, BatchInput: { 'tag.$': '$.tag' } }, [{ BatchInput: { tag: 't' }, Items: [1, 2, 3, 4, 5] }]],
  ];
  for (const [name, batcher, expected] of batching) {
    it(`ItemBatcher ${name}`, () => {
      const run = runWorkflow(distributed({ ItemsPath: '$.items', ItemBatcher: batcher }), { input: { items: [1, 2, 3, 4, 5], tag: 't' } });
      assert.equal(run.status, 'SUCCEEDED', run.cause);
      assert.deepEqual(run.output, expected);
      const summary = Object.values(run.state.mapRuns ?? {})[0];
      assert.equal(summary.items.total, 5);
      assert.equal(summary.executions.total, (expected as JsonValue[]).length);
    });
  }

  it('applies ItemSelector to each item before batching', () => {
    const run = runWorkflow(distributed({ ItemsPath: '$.items', ItemSelector: { 'v.$': '$$.Map.Item.Value', 'i.$': '$$.Map.Item.Index' }, ItemBatcher: { MaxItemsPerBatch: 2 } }), { input: { items: ['a', 'b'] } });
    assert.deepEqual(run.output, [{ Items: [{ v: 'a', i: 0 }, { v: 'b', i: 1 }] }]);
  });

  it('takes Items in JSONata', () => {
    // Just enough of an evaluator for `$states.input.<field>`.
    const jsonata: JsonataEvaluator = {
      evaluate: (expression, bindings) => ((bindings.states as JsonObject).input as JsonObject)[expression.trim().replace('$states.input.', '')],
    };
    const run = runWorkflow({ QueryLanguage: 'JSONata', ...distributed({ Items: '{% $states.input.list %}' }) }, { input: { list: [7, 8] }, jsonata });
    assert.equal(run.status, 'SUCCEEDED', run.cause);
    assert.deepEqual(run.output, [7, 8]);
  });

  const failures: [string, JsonObject, string, string][] = [
    ['ItemReader (S3 is not served)', { ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'b', Key: 'k' } } }, 'States.ItemReaderFailed', "The resource 'arn:aws:states:::s3:getObject' is an Amazon S3 integration"],
    ['ResultWriter (S3 is not served)', { ItemsPath: '$.items', ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b', Prefix: 'p' } } }, 'States.ResultWriterFailed', "The resource 'arn:aws:states:::s3:putObject' is an Amazon S3 integration"],
  ];
  for (const [name, fields, error, cause] of failures) {
    it(`fails clearly on ${name}`, () => {
      const run = runWorkflow(distributed(fields), { input: { items: [1] } });
      assert.equal(run.status, 'FAILED');
      assert.equal(run.error, error);
      assert.ok(run.cause?.startsWith(cause), run.cause);
    });
  }

  const tolerance: [string, JsonObject, 'SUCCEEDED' | 'FAILED'][] = [
    ['no tolerance: one failure fails the Map Run', {}, 'FAILED'],
    ['ToleratedFailureCount 1 allows one', { ToleratedFailureCount: 1 }, 'SUCCEEDED'],
    ['ToleratedFailurePercentage 20 allows one in four', { ToleratedFailurePercentage: 25 }, 'SUCCEEDED'],
    ['ToleratedFailurePercentage 10 does not', { ToleratedFailurePercentage: 10 }, 'FAILED'],
  ];
  for (const [name, fields, status] of tolerance) {
    it(`tolerance: ${name}`, () => {
      const states = { Check: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'Bad' }], Default: 'Good' }, Bad: { Type: 'Fail', Error: 'Bad' }, Good: { Type: 'Succeed' } };
      const run = runWorkflow(distributed({ ...fields, MaxConcurrency: 1 }, states), { input: [1, 2, 3, 4] });
      assert.equal(run.status, status);
      if (status === 'FAILED') {
        assert.equal(run.error, 'States.ExceedToleratedFailureThreshold');
        assert.ok(eventTypes(run.events).includes('MapRunFailed'));
      }
    });
  }

  it('UpdateMapRun raises MaxConcurrency of a running Map Run', () => {
    const validation = validateDefinition(distributed({ MaxConcurrency: 1 }, { Do: { Type: 'Task', Resource: WORKER, End: true } }));
    assert.ok(validation.ok);
    const env = { now: 0, random: seededRandom(1) };
    const request = { executionArn: 'arn:aws:states:us-east-1:1:execution:M:e', stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:M', roleArn: 'r', input: [1, 2, 3] };
    const first = startExecution(validation.definition, request, env);
    assert.equal(first.commands.length, 1);
    const mapRunArn = Object.keys(first.state.mapRuns ?? {})[0];
    const updated = resumeExecution(validation.definition, first.state, { type: 'updateMapRun', mapRunArn, update: { maxConcurrency: 0 } }, env);
    assert.equal(updated.commands.length, 2);
    assert.equal(updated.state.mapRuns?.[mapRunArn].maxConcurrency, 0);
    const unknown = resumeExecution(validation.definition, first.state, { type: 'updateMapRun', mapRunArn: `${mapRunArn}x`, update: { maxConcurrency: 0 } }, env);
    assert.equal(unknown.accepted, false);
  });

  it('a redrive reruns the failed items of the Map Run and logs MapRunRedriven', () => {
    let healthy = false;
    const worker: FakeTask = (command) => (command.input === 2 && !healthy ? { error: 'Boom' } : { output: command.input });
    const def = distributed({}, { Do: { Type: 'Task', Resource: WORKER, End: true } });
    const failed = runWorkflow(def, { input: [1, 2, 3], tasks: { Do: worker } });
    assert.equal(failed.status, 'FAILED');
    healthy = true;
    const redriven = runWorkflow(def, { redrive: failed.state, tasks: { Do: worker } });
    assert.equal(redriven.status, 'SUCCEEDED');
    assert.deepEqual(redriven.output, [1, 2, 3]);
    assert.deepEqual(eventTypes(redriven.events), ['ExecutionRedriven', 'MapRunRedriven', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
    const summary = Object.values(redriven.state.mapRuns ?? {})[0];
    assert.deepEqual(summary.items, { total: 3, started: 3, succeeded: 3, failed: 0, aborted: 0 });
    assert.equal(summary.redriveCount, 1);
  });
});
