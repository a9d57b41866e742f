import { jsonByteLength } from './json-value.js';
import { startClocks } from './run-task.js';
import { StateData } from './state-data.js';
import { StateFailure, StatesError, dataLimitCause } from './state-errors.js';
import { MAX_PAYLOAD_BYTES, errorEventDetails, exitState, failState, guarded, stateOf } from './state-transitions.js';
import { outputFields, taskEventDetails, taskEventType } from './task-events.js';
import type { TaskState } from './definition.js';
import type { PendingTask, StateRun } from './execution-state.js';
import type { JsonObject, JsonValue } from './json-value.js';
import type { FrameCursor, StepContext } from './step-context.js';

/** What the host reports about a task it was asked to run. */
export type TaskSignal =
  | { readonly type: 'taskStarted'; readonly taskId: string; readonly workerName?: string }
  | { readonly type: 'taskHeartbeat'; readonly taskId: string }
  | { readonly type: 'taskSubmitted'; readonly taskId: string; readonly output: JsonValue }
  | { readonly type: 'taskSucceeded'; readonly taskId: string; readonly output: JsonValue }
  | { readonly type: 'taskFailed'; readonly taskId: string; readonly error?: string; readonly cause?: string }
  | { readonly type: 'taskStartFailed'; readonly taskId: string; readonly error?: string; readonly cause?: string };

export function applyTaskSignal(ctx: StepContext, cursor: FrameCursor, run: StateRun, task: PendingTask, signal: TaskSignal): void {
  switch (signal.type) {
    case 'taskStarted':
      markStarted(ctx, cursor, task, signal.workerName);
      return;
    case 'taskHeartbeat':
      markStarted(ctx, cursor, task);
      if (task.heartbeatSeconds !== undefined) task.heartbeatAt = ctx.now + task.heartbeatSeconds * 1000;
      return;
    case 'taskSubmitted': {
      markStarted(ctx, cursor, task);
      const type = taskEventType(task.kind, 'submitted');
      if (type !== undefined) ctx.emit(cursor.frame, type, taskEventDetails(task, outputFields(signal.output)));
      return;
    }
    case 'taskSucceeded':
      markStarted(ctx, cursor, task);
      succeed(ctx, cursor, run, task, signal.output);
      return;
    case 'taskFailed':
      markStarted(ctx, cursor, task);
      fail(ctx, cursor, run, task, 'failed', signal.error ?? StatesError.TaskFailed, signal.cause);
      return;
    case 'taskStartFailed':
      fail(ctx, cursor, run, task, 'startFailed', signal.error ?? StatesError.TaskFailed, signal.cause);
      return;
  }
}

/** Logs the started event once; hosts may skip taskStarted for work that starts at once. */
function markStarted(ctx: StepContext, cursor: FrameCursor, task: PendingTask, workerName?: string): void {
  if (task.started) return;
  task.started = true;
  const details: JsonObject = task.kind === 'activity' && workerName !== undefined ? { workerName } : {};
  ctx.emit(cursor.frame, taskEventType(task.kind, 'started')!, task.kind === 'service' ? taskEventDetails(task) : details);
  if (task.kind === 'activity') startClocks(task, ctx.now);
}

function succeed(ctx: StepContext, cursor: FrameCursor, run: StateRun, task: PendingTask, output: JsonValue): void {
  // An oversized result fails the task with an error Retry and Catch can handle
  // (States.ALL caught it in AWS's own runs), naming the integration or function.
  if (jsonByteLength(output) > MAX_PAYLOAD_BYTES) {
    const subject = task.kind === 'service' ? task.resourceType : task.arn;
    fail(ctx, cursor, run, task, 'failed', StatesError.DataLimitExceeded, dataLimitCause(subject));
    return;
  }
  ctx.emit(cursor.frame, taskEventType(task.kind, 'succeeded')!, taskEventDetails(task, outputFields(output)));
  run.task = undefined;
  const state = stateOf(cursor, run.name) as TaskState;
  guarded(ctx, cursor, run, () => {
    exitState(ctx, cursor, run, new StateData(ctx, cursor, run, state).fromResult(output), state.Next);
  });
}

function fail(ctx: StepContext, cursor: FrameCursor, run: StateRun, task: PendingTask, phase: 'failed' | 'startFailed', error: string, cause?: string): void {
  ctx.emit(cursor.frame, taskEventType(task.kind, phase)!, taskEventDetails(task, errorEventDetails({ error, cause })));
  run.task = undefined;
  failState(ctx, cursor, run, new StateFailure(error, { cause }));
}
