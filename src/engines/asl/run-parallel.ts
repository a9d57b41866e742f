import { StateData } from './state-data.js';
import { StateFailure } from './state-errors.js';
import { abortFrame, childCursor, enterState, exitState, failState, guarded, nestedFrame, stateOf } from './state-transitions.js';
import type { ParallelState } from './definition.js';
import type { StateRun } from './execution-state.js';
import type { FrameCursor, StepContext } from './step-context.js';

export type FrameAdvancer = (ctx: StepContext, cursor: FrameCursor) => void;

/**
 * Parallel: runs every branch on the same input and collects their outputs in
 * branch order; the first branch to fail aborts the others and the state
 * reports that branch's error (https://states-language.net/spec.html#parallel-state).
 */
export function runParallel(ctx: StepContext, cursor: FrameCursor, run: StateRun, advance: FrameAdvancer): boolean {
  const state = stateOf(cursor, run.name) as ParallelState;
  if (run.phase === 'entered' || (run.phase === 'retrying' && (run.retryAt ?? 0) <= ctx.now)) {
    startBranches(ctx, cursor, run, state);
    return true;
  }
  const progress = run.parallel;
  if (run.phase !== 'children' || progress === undefined) return false;
  const cursors = progress.branches.map((branch) => childCursor(cursor, branch));
  for (const branch of cursors) {
    if (branch.frame.status === 'running') advance(ctx, branch);
  }
  const failed = progress.branches.find((branch) => branch.status === 'failed');
  if (failed !== undefined) {
    progress.anchorEventId = failed.lastEventId;
    cursor.frame.lastEventId = failed.lastEventId;
    for (const branch of progress.branches) {
      if (branch.status === 'running') abortFrame(ctx, branch, failed.lastEventId);
    }
    failState(ctx, cursor, run, new StateFailure(failed.failure?.error, { cause: failed.failure?.cause }));
    return true;
  }
  if (progress.branches.some((branch) => branch.status !== 'succeeded')) return false;
  const last = Math.max(...progress.branches.map((branch) => branch.lastEventId));
  ctx.recordFor(cursor.frame, 'ParallelStateSucceeded', last);
  cursor.frame.lastEventId = last;
  const outputs = progress.branches.map((branch) => branch.output ?? null);
  guarded(ctx, cursor, run, () => {
    exitState(ctx, cursor, run, new StateData(ctx, cursor, run, state).fromResult(outputs), state.Next);
  });
  return true;
}

function startBranches(ctx: StepContext, cursor: FrameCursor, run: StateRun, state: ParallelState): void {
  guarded(ctx, cursor, run, () => {
    const data = new StateData(ctx, cursor, run, state);
    const input = data.payload(data.effectiveInput());
    const started = ctx.emit(cursor.frame, 'ParallelStateStarted');
    const branches = state.Branches.map((_, branch) => nestedFrame(cursor.frame, [...cursor.frame.scope, { state: run.name, branch }], started));
    run.parallel = { branches, anchorEventId: started };
    run.phase = 'children';
    run.retryAt = undefined;
    state.Branches.forEach((block, i) => {
      enterState(ctx, childCursor(cursor, branches[i]), block.StartAt, input);
    });
  });
}
