import { processorOf } from './definition.js';
import { resolveMapSettings, selectItem } from './map-settings.js';
import { StateData } from './state-data.js';
import { StateFailure, StatesError } from './state-errors.js';
import { abortIterations, childCursor, enterState, exitState, failState, guarded, nestedFrame, newFrame, stateOf } from './state-transitions.js';
import { closeMapRun, countIteration, isDistributed } from './map-run.js';
import { childDefinition, closeChild, openChild } from './map-run-children.js';
import { startDistributedMap } from './run-distributed-map.js';
import type { MapState } from './definition.js';
import type { Frame, MapProgress, StateRun } from './execution-state.js';
import type { JsonObject, JsonValue } from './json-value.js';
import type { FrameAdvancer } from './run-parallel.js';
import type { FrameCursor, StepContext } from './step-context.js';

/**
 * Map (inline): runs the ItemProcessor once per item, at most MaxConcurrency
 * at a time (0: no limit), and collects the outputs in item order. An
 * iteration failure fails the state unless ToleratedFailureCount or
 * ToleratedFailurePercentage allow it (https://states-language.net/spec.html#map-state).
 * Distributed mode (run-distributed-map) runs its iterations the same way,
 * with their events kept out of this history and a Map Run counting them.
 */
export function runMap(ctx: StepContext, cursor: FrameCursor, run: StateRun, advance: FrameAdvancer): boolean {
  const state = stateOf(cursor, run.name) as MapState;
  if (run.phase === 'entered' || (run.phase === 'retrying' && (run.retryAt ?? 0) <= ctx.now)) {
    startMap(ctx, cursor, run, state);
    return true;
  }
  const progress = run.map;
  if (run.phase !== 'children' || progress === undefined) return false;
  const data = new StateData(ctx, cursor, run, state);
  // A failure handled by Retry or Catch replaces or re-phases the run.
  const active = (): boolean => cursor.frame.run === run && run.phase === 'children';
  let changed = true;
  while (changed && active()) {
    changed = startIterations(ctx, cursor, run, state, data, progress);
    if (!active()) return true;
    for (const index of runningIndexes(progress)) {
      const iteration = progress.running[index];
      advance(ctx, childCursor(cursor, iteration));
      if (iteration.status === 'running') continue;
      changed = true;
      if (!settleIteration(ctx, cursor, run, progress, index, iteration)) return true;
    }
  }
  if (!active()) return true;
  if (progress.nextIndex < progress.items.length || runningIndexes(progress).length > 0) return false;
  let last = progress.lastIterationEventId;
  if (progress.mapRunArn !== undefined) {
    closeMapRun(ctx, progress, 'SUCCEEDED');
    last = ctx.recordFor(cursor.frame, 'MapRunSucceeded', cursor.frame.lastEventId);
  }
  ctx.recordFor(cursor.frame, 'MapStateSucceeded', last);
  cursor.frame.lastEventId = last;
  guarded(ctx, cursor, run, () => {
    exitState(ctx, cursor, run, data.fromResult(progress.results), state.Next);
  });
  return true;
}

function runningIndexes(progress: MapProgress): number[] {
  return Object.keys(progress.running)
    .map(Number)
    .sort((a, b) => a - b);
}

function startMap(ctx: StepContext, cursor: FrameCursor, run: StateRun, state: MapState): void {
  if (isDistributed(state)) {
    startDistributedMap(ctx, cursor, run, state);
    return;
  }
  guarded(ctx, cursor, run, () => {
    const data = new StateData(ctx, cursor, run, state);
    const effectiveInput = data.effectiveInput();
    const settings = resolveMapSettings(state, data, effectiveInput);
    const started = ctx.emit(cursor.frame, 'MapStateStarted', { length: settings.items.length });
    run.map = {
      ...settings,
      effectiveInput,
      running: {},
      nextIndex: 0,
      results: settings.items.map(() => null),
      failures: 0,
      anchorEventId: started,
      lastIterationEventId: started,
    };
    run.phase = 'children';
    run.retryAt = undefined;
  });
}

/**
 * Starts iterations up to the concurrency limit; returns whether any started.
 * All MapIterationStarted events come before the iterations' first states, as in AWS histories.
 */
function startIterations(ctx: StepContext, cursor: FrameCursor, run: StateRun, state: MapState, data: StateData, progress: MapProgress): boolean {
  const started: { frame: Frame; input: JsonValue }[] = [];
  const distributed = progress.mapRunArn !== undefined;
  // What a Standard child runs, serialized once for all the children this call starts.
  let definition: string | undefined | null = null;
  while (progress.nextIndex < progress.items.length && (progress.maxConcurrency === 0 || runningIndexes(progress).length < progress.maxConcurrency)) {
    const index = progress.nextIndex;
    let input: JsonValue;
    try {
      // Batches were built from items ItemSelector had already shaped.
      input = progress.batchSizes === undefined ? selectItem(state, data, progress.effectiveInput, progress.items[index], index) : progress.items[index];
    } catch (error) {
      if (!(error instanceof StateFailure)) throw error;
      abortIterations(ctx, cursor.frame, run, progress, cursor.frame.lastEventId);
      failMap(ctx, cursor, run, progress, error);
      return true;
    }
    progress.nextIndex += 1;
    const scope = [...cursor.frame.scope, { state: run.name }];
    let frame: Frame;
    if (distributed) {
      definition ??= childDefinition(state);
      frame = newFrame(scope, progress.anchorEventId);
      openChild(ctx, progress, frame, index, input, definition);
    } else {
      frame = nestedFrame(cursor.frame, scope, ctx.recordFor(cursor.frame, 'MapIterationStarted', progress.anchorEventId, { index, name: run.name }));
    }
    countIteration(ctx.state, progress, index, 'started');
    progress.running[String(index)] = frame;
    started.push({ frame, input });
  }
  for (const { frame, input } of started) enterState(ctx, childCursor(cursor, frame), processorOf(state).StartAt, input);
  return started.length > 0;
}

/** Records a finished iteration; returns false when its failure ended the Map state. */
function settleIteration(ctx: StepContext, cursor: FrameCursor, run: StateRun, progress: MapProgress, index: number, iteration: Frame): boolean {
  const last = iteration.lastEventId;
  const detached = progress.mapRunArn !== undefined;
  // In place: copying the map of running iterations at every settle made a wide Map quadratic.
  Reflect.deleteProperty(progress.running, String(index));
  // A Distributed Map's iteration is a child execution (inline iterations inside one share its ARN, not its end);
  // a child stopped on its own (StopExecution) already wrote its end.
  if (detached && iteration.status !== 'aborted') closeChild(ctx, iteration);
  if (!detached) progress.anchorEventId = last;
  if (iteration.status === 'succeeded') {
    progress.results[index] = iteration.output ?? null;
    countIteration(ctx.state, progress, index, 'succeeded');
    if (!detached) progress.lastIterationEventId = ctx.recordFor(cursor.frame, 'MapIterationSucceeded', last, { index, name: run.name });
    return true;
  }
  progress.failures += 1;
  progress.unsuccessful = { ...progress.unsuccessful, [String(index)]: iteration };
  countIteration(ctx.state, progress, index, iteration.status === 'aborted' ? 'aborted' : 'failed');
  if (!detached) progress.lastIterationEventId = ctx.recordFor(cursor.frame, 'MapIterationFailed', last, { index, name: run.name });
  const errorOutput: JsonObject = {};
  if (iteration.failure?.error !== undefined) errorOutput.Error = iteration.failure.error;
  if (iteration.failure?.cause !== undefined) errorOutput.Cause = iteration.failure.cause;
  progress.results[index] = errorOutput;
  if (!exceedsTolerance(progress)) return true;
  if (!detached) cursor.frame.lastEventId = last;
  abortIterations(ctx, cursor.frame, run, progress, detached ? cursor.frame.lastEventId : last);
  // A Distributed Map's failures always count against a threshold, 0 by default
  // (https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html).
  const tolerated = detached || progress.toleratedFailureCount !== undefined || progress.toleratedFailurePercentage !== undefined;
  const failure = tolerated
    ? new StateFailure(StatesError.ExceedToleratedFailureThreshold, { cause: 'The specified tolerated failure threshold was exceeded' })
    : new StateFailure(iteration.failure?.error, { cause: iteration.failure?.cause });
  failMap(ctx, cursor, run, progress, failure);
  return false;
}

/** Fails the Map state; a Distributed Map first logs its Map Run's failure. */
function failMap(ctx: StepContext, cursor: FrameCursor, run: StateRun, progress: MapProgress, failure: StateFailure): void {
  if (progress.mapRunArn !== undefined) {
    closeMapRun(ctx, progress, 'FAILED');
    const details: JsonObject = {};
    if (failure.error !== undefined) details.error = failure.error;
    if (failure.verbatimCause !== undefined) details.cause = failure.verbatimCause;
    ctx.emit(cursor.frame, 'MapRunFailed', details);
  }
  failState(ctx, cursor, run, failure);
}

/** With no tolerance set, one failure is too many; with both set, breaching either fails the state. */
function exceedsTolerance(progress: MapProgress): boolean {
  const { failures, toleratedFailureCount: count, toleratedFailurePercentage: percentage } = progress;
  if (count === undefined && percentage === undefined) return failures > 0;
  const byCount = count !== undefined && failures > count;
  const byPercentage = percentage !== undefined && failures * 100 > percentage * progress.items.length;
  return byCount || byPercentage;
}
