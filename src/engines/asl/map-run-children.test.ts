import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detailsOf, echoTask, eventTypes, runWorkflow } from './asl-test-driver.js';
import type { FakeTask } from './asl-test-driver.js';
import type { HistoryEvent } from './history-events.js';
import type { JsonObject } from './json-value.js';

const WORKER = 'arn:aws:lambda:us-east-1:123456789012:function:Worker';

function distributed(processor: JsonObject, executionType: string, fields: JsonObject = {}): JsonObject {
  return {
    StartAt: 'Spread',
    States: {
      Spread: {
        Type: 'Map', ItemsPath: '$.items', Label: 'fan', End: true, ...fields,
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: executionType }, StartAt: Object.keys(processor)[0], States: processor },
      },
    },
  };
}

/** Every event after the first points back at an earlier one, and ids count up from 1. */
function assertWellFormed(events: readonly HistoryEvent[]): void {
  assert.deepEqual(events.map((event) => event.id), events.map((_, i) => i + 1));
  for (const event of events.slice(1)) assert.ok(event.previousEventId < event.id, `${event.type} #${String(event.id)} points forward`);
}

describe('Map Run child executions in the engine', () => {
  it('gives each Standard child an ARN under the Map Run label and a history of its own', () => {
    const run = runWorkflow(distributed({ Shape: { Type: 'Pass', Parameters: { 'v.$': '$' }, End: true } }, 'STANDARD'), { input: { items: [1, 2] } });
    assert.equal(run.status, 'SUCCEEDED');
    assert.deepEqual(run.output, [{ v: 1 }, { v: 2 }]);
    assert.equal(run.childStarts.length, 2);
    const mapRunArn = run.childStarts[0].mapRunArn;
    assert.match(mapRunArn, /^arn:aws:states:us-east-1:123456789012:mapRun:TestMachine\/fan:[0-9a-f-]{36}$/);
    for (const start of run.childStarts) {
      assert.match(start.executionArn, /^arn:aws:states:us-east-1:123456789012:execution:TestMachine\/fan:[0-9a-f-]{36}$/);
      assert.deepEqual([start.mapRunArn, start.itemCount, (JSON.parse(start.definition) as JsonObject).StartAt], [mapRunArn, 1, 'Shape']);
      const events = run.childEvents.get(start.executionArn) ?? [];
      assert.deepEqual(eventTypes(events), ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
      assertWellFormed(events);
    }
    const [first] = run.childStarts;
    const events = run.childEvents.get(first.executionArn) ?? [];
    assert.deepEqual(detailsOf(events[0]), { input: '1', inputDetails: { truncated: false }, roleArn: 'arn:aws:iam::123456789012:role/TestRole' });
    assert.deepEqual(detailsOf(events[3]), { output: '{"v":1}', outputDetails: { truncated: false } });
    // Nothing is left to number once every child succeeded.
    assert.deepEqual(run.state.childEventIds, {});
  });

  it('writes the events of a Parallel and an inline Map inside a child to the child, not the parent', () => {
    const processor: JsonObject = {
      Both: {
        Type: 'Parallel', End: true,
        Branches: [
          { StartAt: 'Left', States: { Left: { Type: 'Pass', End: true } } },
          { StartAt: 'Each', States: { Each: { Type: 'Map', ItemsPath: '$.parts', End: true, ItemProcessor: { StartAt: 'Part', States: { Part: { Type: 'Pass', End: true } } } } } },
        ],
      },
    };
    const run = runWorkflow(distributed(processor, 'STANDARD'), { input: { items: [{ parts: [1, 2] }] } });
    assert.equal(run.status, 'SUCCEEDED');
    assert.deepEqual(eventTypes(run.events), ['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
    const child = run.childEvents.get(run.childStarts[0].executionArn) ?? [];
    assertWellFormed(child);
    assert.deepEqual(eventTypes(child).filter((type) => type.startsWith('Map') || type.startsWith('Parallel')), [
      'ParallelStateEntered', 'ParallelStateStarted', 'MapStateEntered', 'MapStateStarted', 'MapIterationStarted', 'MapIterationStarted',
      'MapIterationSucceeded', 'MapIterationSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ParallelStateSucceeded', 'ParallelStateExited',
    ]);
    assert.equal(child.at(-1)?.type, 'ExecutionSucceeded');
  });

  it('keeps no history for Express children, which still count', () => {
    const run = runWorkflow(distributed({ Shape: { Type: 'Pass', End: true } }, 'EXPRESS'), { input: { items: ['a', 'b', 'c'] } });
    assert.equal(run.status, 'SUCCEEDED');
    assert.deepEqual([run.childStarts.length, run.childEvents.size], [0, 0]);
    const summary = Object.values(run.state.mapRuns ?? {})[0];
    assert.equal(summary.executions.succeeded, 3);
  });

  it('ends a failed child with ExecutionFailed and an aborted sibling with ExecutionAborted', () => {
    const worker: FakeTask = (command) => (command.input === 'bad' ? { error: 'Boom', cause: 'bad item' } : { hang: true });
    const run = runWorkflow(distributed({ Work: { Type: 'Task', Resource: WORKER, End: true } }, 'STANDARD'), { input: { items: ['bad', 'slow'] }, tasks: { Work: worker } });
    assert.equal(run.status, 'FAILED');
    const byInput = new Map(run.childStarts.map((start) => {
      const events = run.childEvents.get(start.executionArn) ?? [];
      return [detailsOf(events[0]).input, events] as const;
    }));
    const failed = byInput.get('"bad"') ?? [];
    const aborted = byInput.get('"slow"') ?? [];
    assert.equal(failed.at(-1)?.type, 'ExecutionFailed');
    assert.deepEqual(detailsOf(failed.at(-1)!), { error: 'Boom', cause: 'bad item' });
    assert.deepEqual(eventTypes(aborted).slice(-2), ['TaskStateAborted', 'ExecutionAborted']);
    assertWellFormed(failed);
    assertWellFormed(aborted);
  });

  it('stops one child by its ARN, and ignores an ARN that names no running child', () => {
    const hang: FakeTask = () => ({ hang: true });
    const first = runWorkflow(distributed({ Work: { Type: 'Task', Resource: WORKER, End: true } }, 'STANDARD', { ToleratedFailureCount: 1 }), {
      input: { items: ['x'] }, tasks: { Work: hang },
      afterStart: [{ type: 'stopChild', executionArn: 'arn:aws:states:us-east-1:123456789012:execution:TestMachine/fan:nobody' }],
    });
    assert.equal(first.status, 'RUNNING');
    const child = first.childStarts[0].executionArn;
    const stopped = runWorkflow(distributed({ Work: { Type: 'Task', Resource: WORKER, End: true } }, 'STANDARD', { ToleratedFailureCount: 1 }), {
      input: { items: ['x'] }, tasks: { Work: hang }, afterStart: [{ type: 'stopChild', executionArn: child, error: 'Operator', cause: 'stop x' }],
    });
    assert.equal(stopped.status, 'SUCCEEDED');
    assert.deepEqual(stopped.output, [{ Error: 'Operator', Cause: 'stop x' }]);
    const events = stopped.childEvents.get(child) ?? [];
    assert.deepEqual(eventTypes(events).slice(-2), ['TaskStateAborted', 'ExecutionAborted']);
    assert.deepEqual(detailsOf(events.at(-1)!), { error: 'Operator', cause: 'stop x' });
    assert.equal(Object.values(stopped.state.mapRuns ?? {})[0].executions.aborted, 1);
  });

  it('runs only an unsuccessful child again on a redrive, continuing its history after ExecutionRedriven', () => {
    let healthy = false;
    const worker: FakeTask = (command) => (command.input === 'flaky' && !healthy ? { error: 'Boom' } : echoTask(command, 0));
    const source = distributed({ Work: { Type: 'Task', Resource: WORKER, End: true } }, 'STANDARD');
    const failed = runWorkflow(source, { input: { items: ['fine', 'flaky'] }, tasks: { Work: worker } });
    assert.equal(failed.status, 'FAILED');
    healthy = true;
    const redriven = runWorkflow(source, { redrive: failed.state, tasks: { Work: worker } });
    assert.equal(redriven.status, 'SUCCEEDED');
    assert.deepEqual(redriven.childStarts, []);
    assert.equal(redriven.childEvents.size, 1);
    const [[executionArn, events]] = [...redriven.childEvents];
    const before = failed.childEvents.get(executionArn) ?? [];
    assert.equal(detailsOf(before[0]).input, '"flaky"');
    assert.deepEqual(eventTypes(events).slice(0, 2), ['ExecutionRedriven', 'TaskStateEntered']);
    assert.deepEqual(detailsOf(events[0]), { redriveCount: 1 });
    assertWellFormed([...before, ...events]);
    assert.equal(events.at(-1)?.type, 'ExecutionSucceeded');
  });
});
