import { processorOf } from './definition.js';
import { closeMapRun, countIteration } from './map-run.js';
import { closeChild } from './map-run-children.js';
import { toJsonText } from './json-value.js';
import { decideRetry, errorMatches } from './retry-policy.js';
import { StateData } from './state-data.js';
import { StateFailure, StatesError, causeOf, dataLimitCause } from './state-errors.js';
import { inspectStage } from './step-context.js';
import type { MapState, ParallelState, StateDefinition, StatesBlock, TaskState } from './definition.js';
import type { Frame, MapProgress, ScopeStep, StateRun } from './execution-state.js';
import type { EventDetails, HistoryEventType } from './history-events.js';
import type { JsonObject, JsonValue } from './json-value.js';
import type { StateOutcome } from './state-data.js';
import type { ErrorInfo } from './state-errors.js';
import type { FrameCursor, StepContext } from './step-context.js';

/** The service quota on any payload: 256 KiB of UTF-8 JSON. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

export function stateOf(cursor: FrameCursor, name: string): StateDefinition {
  return cursor.block.States[name];
}

export function newFrame(scope: readonly ScopeStep[], lastEventId: number): Frame {
  return { scope, status: 'running', variables: {}, lastEventId };
}

/** A Parallel branch or inline Map iteration frame, writing to the same history as the frame it runs in. */
export function nestedFrame(parent: Frame, scope: readonly ScopeStep[], lastEventId: number): Frame {
  const frame = newFrame(scope, lastEventId);
  if (parent.detached === true) frame.detached = true;
  if (parent.child !== undefined) frame.child = parent.child;
  return frame;
}

/** The cursor of a Parallel branch or Map iteration frame, one level below `parent`. */
export function childCursor(parent: FrameCursor, frame: Frame): FrameCursor {
  const step = frame.scope[frame.scope.length - 1];
  const owner = stateOf(parent, step.state) as ParallelState | MapState;
  const block: StatesBlock = owner.Type === 'Parallel' ? owner.Branches[step.branch ?? 0] : processorOf(owner);
  return { frame, block, parent };
}

function payloadDetails(key: 'input' | 'output', text: string): EventDetails {
  return { [key]: text, [`${key}Details`]: { truncated: false } };
}

/** Starts a state: logs <Type>StateEntered and makes it the frame's current run. `inputText` spares serializing the input again. */
export function enterState(ctx: StepContext, cursor: FrameCursor, name: string, input: JsonValue, inputText?: string): void {
  const state = stateOf(cursor, name);
  const enteredEventId = ctx.emit(cursor.frame, `${state.Type}StateEntered`, { name, ...payloadDetails('input', inputText ?? toJsonText(input)) });
  cursor.frame.run = {
    name,
    type: state.Type,
    enteredEventId,
    enteredTime: ctx.now,
    input,
    phase: 'entered',
    retryCount: 0,
    retrierAttempts: [],
  };
}

/**
 * Leaves a state: logs <Type>StateExited with the output and assigned
 * variables, commits the variables, then enters `next` or ends the frame.
 */
export function exitState(ctx: StepContext, cursor: FrameCursor, run: StateRun, outcome: StateOutcome, next: string | undefined): void {
  // One serialization serves the size check, the exit event and the next state's entered event.
  const outputText = toJsonText(outcome.output);
  if (outputText.length > MAX_PAYLOAD_BYTES / 3 && Buffer.byteLength(outputText, 'utf8') > MAX_PAYLOAD_BYTES) {
    endFrameWithFailure(cursor.frame, { error: StatesError.DataLimitExceeded, cause: dataLimitCause(run.name) });
    return;
  }
  const details: Record<string, JsonValue> = { name: run.name, ...payloadDetails('output', outputText) };
  if (outcome.assigned !== undefined) {
    details.assignedVariables = Object.fromEntries(Object.entries(outcome.assigned).map(([key, value]) => [key, toJsonText(value)]));
    details.assignedVariablesDetails = { truncated: false };
  }
  // Fail states never get here: they end their frame without an exit event.
  ctx.emit(cursor.frame, `${run.type}StateExited` as HistoryEventType, details);
  Object.assign(cursor.frame.variables, outcome.assigned ?? {});
  cursor.frame.run = undefined;
  if (next === undefined) {
    cursor.frame.status = 'succeeded';
    cursor.frame.output = outcome.output;
  } else {
    enterState(ctx, cursor, next, outcome.output, outputText);
  }
}

export function endFrameWithFailure(frame: Frame, failure: ErrorInfo): void {
  frame.status = 'failed';
  frame.failure = failure;
  frame.interrupted = frame.run;
  frame.run = undefined;
}

/** The error details of history events, without the fields that are absent. */
export function errorEventDetails(info: ErrorInfo): JsonObject {
  const details: JsonObject = {};
  if (info.error !== undefined) details.error = info.error;
  if (info.cause !== undefined) details.cause = info.cause;
  return details;
}

/**
 * A state reported an error. Task, Parallel and Map states first try their
 * Retriers, then their Catchers; anything unhandled fails the frame
 * (https://states-language.net/spec.html#error-handling).
 */
export function failState(ctx: StepContext, cursor: FrameCursor, run: StateRun, failure: StateFailure): void {
  const info: ErrorInfo = { error: failure.error, cause: causeOf(failure, run.name, run.enteredEventId) };
  if (failure.location !== undefined) {
    ctx.emit(cursor.frame, 'EvaluationFailed', { ...errorEventDetails(info), location: failure.location, state: run.name });
  }
  const state = stateOf(cursor, run.name);
  if (state.Type !== 'Task' && state.Type !== 'Parallel' && state.Type !== 'Map') {
    endFrameWithFailure(cursor.frame, info);
    return;
  }
  const matchable = { error: info.error, terminal: failure.terminal, heartbeat: failure.heartbeat };
  const decision = failure.terminal ? undefined : decideRetry(state.Retry ?? [], matchable, run.retrierAttempts, ctx.env.random);
  if (decision !== undefined) {
    inspectStage(ctx, cursor, run.name, 'retry', { retryIndex: decision.retrier, retryBackoffIntervalSeconds: Math.round(decision.delayMs / 1000), ...errorEventDetails(info) });
    run.retrierAttempts[decision.retrier] = (run.retrierAttempts[decision.retrier] ?? 0) + 1;
    run.retryCount += 1;
    run.phase = 'retrying';
    run.retryAt = ctx.now + decision.delayMs;
    run.task = undefined;
    run.parallel = undefined;
    run.map = undefined;
    return;
  }
  if (state.Type !== 'Task') ctx.emit(cursor.frame, `${state.Type}StateFailed`);
  catchOrFail(ctx, cursor, run, state, info, matchable);
}

function catchOrFail(
  ctx: StepContext,
  cursor: FrameCursor,
  run: StateRun,
  state: TaskState | ParallelState | MapState,
  info: ErrorInfo,
  matchable: { readonly error?: string; readonly terminal: boolean; readonly heartbeat: boolean },
): void {
  const catchIndex = (state.Catch ?? []).findIndex((candidate) => errorMatches(candidate.ErrorEquals, matchable));
  if (catchIndex < 0) {
    endFrameWithFailure(cursor.frame, info);
    return;
  }
  const catcher = (state.Catch ?? [])[catchIndex];
  inspectStage(ctx, cursor, run.name, 'catch', { catchIndex, ...errorEventDetails(info) });
  const errorOutput: JsonObject = {};
  if (info.error !== undefined) errorOutput.Error = info.error;
  if (info.cause !== undefined) errorOutput.Cause = info.cause;
  let outcome: StateOutcome;
  try {
    outcome = new StateData(ctx, cursor, run, state).fromCaughtError(catcher, errorOutput);
  } catch (error) {
    if (!(error instanceof StateFailure)) throw error;
    // A failing Catcher cannot catch itself: the error ends the frame.
    const nested: ErrorInfo = { error: error.error, cause: causeOf(error, run.name, run.enteredEventId) };
    if (error.location !== undefined) {
      ctx.emit(cursor.frame, 'EvaluationFailed', { ...errorEventDetails(nested), location: error.location, state: run.name });
    }
    endFrameWithFailure(cursor.frame, nested);
    return;
  }
  exitState(ctx, cursor, run, outcome, catcher.Next);
}

/** Runs `work`, turning a StateFailure it throws into the state's error handling. Returns false on failure. */
export function guarded(ctx: StepContext, cursor: FrameCursor, run: StateRun, work: () => void): boolean {
  try {
    work();
    return true;
  } catch (error) {
    if (!(error instanceof StateFailure)) throw error;
    failState(ctx, cursor, run, error);
    return false;
  }
}

/**
 * Stops a frame whose sibling failed: nested branches and iterations first,
 * then <Type>StateAborted for the state it was in, all pointing back at the
 * failure's event. Pending tasks get a cancelTask command.
 */
export function abortFrame(ctx: StepContext, frame: Frame, previousEventId: number): void {
  const run = frame.run;
  frame.status = 'aborted';
  frame.interrupted = run;
  frame.run = undefined;
  if (run === undefined) return;
  for (const branch of run.parallel?.branches ?? []) {
    if (branch.status === 'running') abortFrame(ctx, branch, previousEventId);
  }
  if (run.map !== undefined) {
    abortIterations(ctx, frame, run, run.map, previousEventId);
    if (run.map.mapRunArn !== undefined) {
      closeMapRun(ctx, run.map, 'ABORTED');
      ctx.recordFor(frame, 'MapRunAborted', previousEventId);
    }
  }
  if (run.task !== undefined) ctx.command({ type: 'cancelTask', taskId: run.task.taskId });
  if (run.type === 'Task' || run.type === 'Wait' || run.type === 'Map' || run.type === 'Parallel') {
    ctx.recordFor(frame, `${run.type}StateAborted`, previousEventId);
  }
}

/**
 * Aborts a Map's running iterations, keeping them with the failed ones for a redrive. `owner` is the frame
 * the Map state runs in. A Map Run child's events chain from its own last event, then it ends aborted.
 */
export function abortIterations(ctx: StepContext, owner: Frame, run: StateRun, progress: MapProgress, previousEventId: number): void {
  for (const [index, iteration] of Object.entries(progress.running)) {
    const child = progress.mapRunArn === undefined ? undefined : iteration.child;
    abortFrame(ctx, iteration, child === undefined ? previousEventId : (ctx.state.childEventIds?.[child] ?? 0));
    if (child !== undefined) closeChild(ctx, iteration);
    countIteration(ctx.state, progress, Number(index), 'aborted');
    if (progress.mapRunArn === undefined) ctx.recordFor(owner, 'MapIterationAborted', previousEventId, { index: Number(index), name: run.name });
    progress.unsuccessful = { ...progress.unsuccessful, [index]: iteration };
  }
  progress.running = {};
}
