import { advanceFrame } from './frame-runner.js';
import { applyMapRunUpdate } from './map-run.js';
import { stopChild } from './map-run-children.js';
import { reviveFrame } from './redrive.js';
import { toJsonText } from './json-value.js';
import { StatesError } from './state-errors.js';
import { StepContext } from './step-context.js';
import { abortFrame, childCursor, enterState, errorEventDetails, newFrame } from './state-transitions.js';
import { applyTaskSignal } from './task-signals.js';
import type { StateMachineDefinition } from './definition.js';
import type { ExecutionState, ExecutionStatus, Frame, MapProgress, PendingTask, StateRun } from './execution-state.js';
import type { MapRunUpdate } from './map-run.js';
import type { HistoryEvent } from './history-events.js';
import type { JsonObject, JsonValue } from './json-value.js';
import type { ChildExecutionStart, EngineEnvironment, FrameCursor, HostCommand } from './step-context.js';
import type { TaskSignal } from './task-signals.js';

/**
 * The step machine. A host starts an execution, persists the returned state,
 * performs the returned commands, and calls resumeExecution with each thing
 * that happens: a task's progress, a StopExecution, or simply a later time
 * (a "tick") once `wakeAt` has passed. Every call is synchronous and pure:
 * the clock and randomness come from the EngineEnvironment.
 */
export interface StartExecutionRequest {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly roleArn: string;
  /** Defaults to {} as the States Language specifies. */
  readonly input?: JsonValue;
  /** Variables in scope from the start (TestState's `variables`). */
  readonly variables?: JsonObject;
}

export type ExecutionSignal =
  | { readonly type: 'tick' }
  | { readonly type: 'stop'; readonly error?: string; readonly cause?: string }
  /** UpdateMapRun: new limits for a Distributed Map's Map Run. */
  | { readonly type: 'updateMapRun'; readonly mapRunArn: string; readonly update: MapRunUpdate }
  /** StopExecution of one of a Map Run's (Standard) child executions, by its ARN. */
  | { readonly type: 'stopChild'; readonly executionArn: string; readonly error?: string; readonly cause?: string }
  | TaskSignal;

export interface StepResult {
  readonly state: ExecutionState;
  /** History events this step wrote, in id order. */
  readonly events: readonly HistoryEvent[];
  readonly commands: readonly HostCommand[];
  readonly status: ExecutionStatus;
  /** When the host must resume with a tick: the next Wait end, retry or task deadline (epoch ms). */
  readonly wakeAt?: number;
  /** False when a task signal named no pending task or the execution had already ended. */
  readonly accepted: boolean;
  /** Map Run child executions (STANDARD ones) started by this step, and the events it wrote to their histories. */
  readonly childStarts: readonly ChildExecutionStart[];
  readonly childEvents: ReadonlyMap<string, readonly HistoryEvent[]>;
}

export function startExecution(definition: StateMachineDefinition, request: StartExecutionRequest, env: EngineEnvironment): StepResult {
  const input = request.input ?? {};
  const state: ExecutionState = {
    info: {
      executionArn: request.executionArn,
      name: lastArnSegment(request.executionArn),
      roleArn: request.roleArn,
      stateMachineArn: request.stateMachineArn,
      stateMachineName: lastArnSegment(request.stateMachineArn),
      region: request.executionArn.split(':')[3] ?? '',
      startTime: env.now,
      input,
    },
    status: 'RUNNING',
    lastEventId: 0,
    taskCounter: 0,
    root: { ...newFrame([], 0), variables: { ...request.variables } },
  };
  const ctx = new StepContext(definition, state, env);
  // The first state's entered event points back at 0, not at ExecutionStarted, as in AWS histories.
  ctx.record('ExecutionStarted', 0, { input: toJsonText(input), inputDetails: { truncated: false }, roleArn: request.roleArn });
  enterState(ctx, rootCursor(ctx), definition.StartAt, input);
  return drive(ctx, true);
}

export function resumeExecution(definition: StateMachineDefinition, previous: ExecutionState, signal: ExecutionSignal, env: EngineEnvironment): StepResult {
  if (previous.status !== 'RUNNING') return idle(previous);
  const ctx = new StepContext(definition, structuredClone(previous), env);
  if (timedOut(ctx)) return finish(ctx, false);
  return drive(ctx, applySignal(ctx, signal));
}

/**
 * Restarts a FAILED, TIMED_OUT or ABORTED execution where it stopped; the
 * host checks whether it may (RedriveExecution's rules). Logs
 * ExecutionRedriven, then runs as resumeExecution does.
 */
export function redriveExecution(definition: StateMachineDefinition, previous: ExecutionState, env: EngineEnvironment): StepResult {
  if (previous.status === 'RUNNING' || previous.status === 'SUCCEEDED') return idle(previous);
  const ctx = new StepContext(definition, structuredClone(previous), env);
  const state = ctx.state;
  state.status = 'RUNNING';
  state.output = undefined;
  state.error = undefined;
  state.redriveCount = (state.redriveCount ?? 0) + 1;
  state.redriveTime = env.now;
  const redriven = ctx.record('ExecutionRedriven', state.lastEventId, { redriveCount: state.redriveCount });
  reviveFrame(ctx, rootCursor(ctx), redriven);
  return drive(ctx, true);
}

function lastArnSegment(arn: string): string {
  return arn.split(':').pop() ?? arn;
}

function rootCursor(ctx: StepContext): FrameCursor {
  return { frame: ctx.state.root, block: ctx.definition };
}

function applySignal(ctx: StepContext, signal: ExecutionSignal): boolean {
  if (signal.type === 'tick') return true;
  if (signal.type === 'stop') {
    abortFrame(ctx, ctx.state.root, ctx.state.root.lastEventId);
    ctx.record('ExecutionAborted', ctx.state.lastEventId, errorEventDetails({ error: signal.error, cause: signal.cause }));
    ctx.state.status = 'ABORTED';
    return true;
  }
  if (signal.type === 'updateMapRun') {
    const summary = ctx.state.mapRuns?.[signal.mapRunArn];
    if (summary === undefined) return false;
    applyMapRunUpdate(summary, findMapProgress(rootCursor(ctx), signal.mapRunArn), signal.update);
    return true;
  }
  if (signal.type === 'stopChild') {
    const child = findChild(rootCursor(ctx), signal.executionArn);
    if (child === undefined) return false;
    stopChild(ctx, child, { error: signal.error, cause: signal.cause });
    return true;
  }
  const found = findTask(rootCursor(ctx), signal.taskId);
  if (found === undefined) return false;
  applyTaskSignal(ctx, found.cursor, found.run, found.task, signal);
  return true;
}

interface FoundTask {
  readonly cursor: FrameCursor;
  readonly run: StateRun;
  readonly task: PendingTask;
}

function findTask(cursor: FrameCursor, taskId: string): FoundTask | undefined {
  const run = cursor.frame.run;
  if (cursor.frame.status !== 'running' || run === undefined) return undefined;
  if (run.task?.taskId === taskId) return { cursor, run, task: run.task };
  const children = [...(run.parallel?.branches ?? []), ...Object.values(run.map?.running ?? {})];
  for (const child of children) {
    const found = findTask(childCursor(cursor, child), taskId);
    if (found !== undefined) return found;
  }
  return undefined;
}

function findMapProgress(cursor: FrameCursor, mapRunArn: string): MapProgress | undefined {
  const run = cursor.frame.run;
  if (cursor.frame.status !== 'running' || run === undefined) return undefined;
  if (run.map?.mapRunArn === mapRunArn) return run.map;
  for (const child of [...(run.parallel?.branches ?? []), ...Object.values(run.map?.running ?? {})]) {
    const found = findMapProgress(childCursor(cursor, child), mapRunArn);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The running frame of a Map Run child execution, wherever its Distributed Map runs. */
function findChild(cursor: FrameCursor, executionArn: string): Frame | undefined {
  const run = cursor.frame.run;
  if (cursor.frame.status !== 'running' || run === undefined) return undefined;
  const children = [...(run.parallel?.branches ?? []), ...Object.values(run.map?.running ?? {})];
  const own = children.find((child) => child.child === executionArn && child.detached === true && run.map?.mapRunArn !== undefined);
  if (own !== undefined) return own.status === 'running' ? own : undefined;
  for (const child of children) {
    const found = findChild(childCursor(cursor, child), executionArn);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The state machine's TimeoutSeconds ends the whole execution with ExecutionTimedOut. */
function timedOut(ctx: StepContext): boolean {
  const deadline = executionDeadline(ctx);
  if (deadline === undefined || ctx.now < deadline) return false;
  abortFrame(ctx, ctx.state.root, ctx.state.root.lastEventId);
  ctx.record('ExecutionTimedOut', ctx.state.lastEventId, { error: StatesError.Timeout });
  ctx.state.status = 'TIMED_OUT';
  return true;
}

function executionDeadline(ctx: StepContext): number | undefined {
  // A redriven execution gets its TimeoutSeconds again from the redrive.
  const seconds = ctx.definition.TimeoutSeconds;
  return seconds === undefined ? undefined : (ctx.state.redriveTime ?? ctx.state.info.startTime) + seconds * 1000;
}

function drive(ctx: StepContext, accepted: boolean): StepResult {
  if (ctx.state.status === 'RUNNING') advanceFrame(ctx, rootCursor(ctx));
  const root = ctx.state.root;
  if (ctx.state.status === 'RUNNING' && root.status === 'succeeded') {
    const output = root.output ?? null;
    ctx.record('ExecutionSucceeded', root.lastEventId, { output: toJsonText(output), outputDetails: { truncated: false } });
    ctx.state.status = 'SUCCEEDED';
    ctx.state.output = output;
  } else if (ctx.state.status === 'RUNNING' && root.status === 'failed') {
    const failure = root.failure ?? {};
    ctx.record('ExecutionFailed', root.lastEventId, errorEventDetails(failure));
    ctx.state.status = 'FAILED';
    ctx.state.error = failure;
  }
  return finish(ctx, accepted);
}

/** The answer to a signal that finds the execution ended: nothing happened. */
function idle(state: ExecutionState): StepResult {
  return { state, events: [], commands: [], status: state.status, accepted: false, childStarts: [], childEvents: new Map() };
}

function finish(ctx: StepContext, accepted: boolean): StepResult {
  const running = ctx.state.status === 'RUNNING';
  const timers = running ? [...pendingTimers(rootCursor(ctx)), executionDeadline(ctx)] : [];
  const due = timers.filter((time): time is number => time !== undefined);
  return {
    state: ctx.state,
    events: ctx.events,
    commands: ctx.commands,
    status: ctx.state.status,
    wakeAt: due.length === 0 ? undefined : Math.min(...due),
    accepted,
    childStarts: ctx.childStarts,
    childEvents: ctx.childEvents,
  };
}

function pendingTimers(cursor: FrameCursor): (number | undefined)[] {
  const run = cursor.frame.run;
  if (cursor.frame.status !== 'running' || run === undefined) return [];
  const own = [run.phase === 'retrying' ? run.retryAt : undefined, run.phase === 'waiting' ? run.waitUntil : undefined, run.task?.timeoutAt, run.task?.heartbeatAt];
  const children = [...(run.parallel?.branches ?? []), ...Object.values(run.map?.running ?? {})];
  return [...own, ...children.flatMap((child) => pendingTimers(childCursor(cursor, child)))];
}
