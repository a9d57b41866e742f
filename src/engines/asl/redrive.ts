import { countIteration, reopenMapRun } from './map-run.js';
import { redriveChild } from './map-run-children.js';
import { childCursor, enterState } from './state-transitions.js';
import type { Frame, MapProgress, StateRun } from './execution-state.js';
import type { FrameCursor, StepContext } from './step-context.js';

/**
 * RedriveExecution: a failed, aborted or timed-out execution continues from
 * the state(s) that did not succeed, with the same input and the outputs of
 * the states that did. Inside Parallel and Map states only the branches and
 * iterations that failed or were aborted run again
 * (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html).
 * A leaf state starts over (a new ...StateEntered, retry counts reset); a
 * Parallel or Map state resumes with its unsuccessful children.
 */
export function reviveFrame(ctx: StepContext, cursor: FrameCursor, redrivenEventId: number): void {
  const frame = cursor.frame;
  const run = frame.interrupted;
  if (frame.status === 'succeeded' || frame.status === 'running' || run === undefined) return;
  frame.status = 'running';
  frame.failure = undefined;
  frame.interrupted = undefined;
  frame.lastEventId = redrivenEventId;
  if (run.phase === 'children' && (run.parallel !== undefined || run.map !== undefined)) {
    run.retryCount = 0;
    run.retrierAttempts = [];
    frame.run = run;
    if (run.parallel !== undefined) {
      run.parallel.anchorEventId = redrivenEventId;
      for (const branch of run.parallel.branches) reviveFrame(ctx, childCursor(cursor, branch), redrivenEventId);
    }
    if (run.map !== undefined) reviveIterations(ctx, cursor, run, run.map, redrivenEventId);
    return;
  }
  enterState(ctx, cursor, run.name, run.input);
}

function reviveIterations(ctx: StepContext, cursor: FrameCursor, run: StateRun, progress: MapProgress, redrivenEventId: number): void {
  const rerun: [number, Frame][] = Object.entries({ ...progress.unsuccessful, ...progress.running })
    .map(([index, frame]): [number, Frame] => [Number(index), frame])
    .sort(([a], [b]) => a - b);
  progress.unsuccessful = undefined;
  progress.running = {};
  progress.failures = 0;
  progress.anchorEventId = redrivenEventId;
  progress.lastIterationEventId = redrivenEventId;
  if (progress.mapRunArn !== undefined) {
    reopenMapRun(ctx, progress, rerun);
    const summary = ctx.state.mapRuns?.[progress.mapRunArn];
    ctx.emit(cursor.frame, 'MapRunRedriven', { mapRunArn: progress.mapRunArn, redriveCount: summary?.redriveCount ?? 1 });
  }
  for (const [index, iteration] of rerun) {
    const started = progress.mapRunArn === undefined
      ? ctx.recordFor(cursor.frame, 'MapIterationStarted', redrivenEventId, { index, name: run.name })
      : (redriveChild(ctx, iteration) ?? redrivenEventId);
    countIteration(ctx.state, progress, index, 'started');
    progress.running[String(index)] = iteration;
    reviveFrame(ctx, childCursor(cursor, iteration), started);
  }
}
