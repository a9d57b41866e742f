import { runChoice } from './run-choice.js';
import { runMap } from './run-map.js';
import { runParallel } from './run-parallel.js';
import { runPass } from './run-pass.js';
import { runTask } from './run-task.js';
import { runFail, runSucceed } from './run-terminal.js';
import { runWait } from './run-wait.js';
import type { StateRun } from './execution-state.js';
import type { FrameCursor, StepContext } from './step-context.js';

/**
 * Runs a frame's states until it finishes or blocks: on a task the host has
 * not reported back on, a Wait, or a retry interval. Nested Parallel branches
 * and Map iterations advance through the same function.
 */
export function advanceFrame(ctx: StepContext, cursor: FrameCursor): void {
  for (;;) {
    const run = cursor.frame.run;
    if (cursor.frame.status !== 'running' || run === undefined) return;
    if (!stepState(ctx, cursor, run)) return;
  }
}

/** Moves the current state forward once; returns false when it must wait. */
function stepState(ctx: StepContext, cursor: FrameCursor, run: StateRun): boolean {
  switch (run.type) {
    case 'Pass':
      return runPass(ctx, cursor, run);
    case 'Task':
      return runTask(ctx, cursor, run);
    case 'Choice':
      return runChoice(ctx, cursor, run);
    case 'Wait':
      return runWait(ctx, cursor, run);
    case 'Succeed':
      return runSucceed(ctx, cursor, run);
    case 'Fail':
      return runFail(ctx, cursor, run);
    case 'Parallel':
      return runParallel(ctx, cursor, run, advanceFrame);
    case 'Map':
      return runMap(ctx, cursor, run, advanceFrame);
  }
}
