import { StateData } from './state-data.js';
import { exitState, guarded, stateOf } from './state-transitions.js';
import type { PassState } from './definition.js';
import type { StateRun } from './execution-state.js';
import type { FrameCursor, StepContext } from './step-context.js';

/**
 * Pass: "Result", or else the effective input after Parameters, is the result
 * of a virtual task (https://states-language.net/spec.html#pass-state).
 */
export function runPass(ctx: StepContext, cursor: FrameCursor, run: StateRun): boolean {
  const state = stateOf(cursor, run.name) as PassState;
  guarded(ctx, cursor, run, () => {
    const data = new StateData(ctx, cursor, run, state);
    const result = state.Result !== undefined ? state.Result : data.isJsonata ? run.input : data.payload(data.effectiveInput());
    exitState(ctx, cursor, run, data.fromPass(result), state.Next);
  });
  return true;
}
