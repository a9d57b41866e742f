import { jsonTypeName } from './json-value.js';
import { StateData } from './state-data.js';
import { runtimeFailure } from './state-errors.js';
import { endFrameWithFailure, exitState, guarded, stateOf } from './state-transitions.js';
import type { FailState } from './definition.js';
import type { StateRun } from './execution-state.js';
import type { FrameCursor, StepContext } from './step-context.js';

/** Succeed: ends the frame successfully with its (filtered) input (https://states-language.net/spec.html#succeed-state). */
export function runSucceed(ctx: StepContext, cursor: FrameCursor, run: StateRun): boolean {
  const state = stateOf(cursor, run.name);
  guarded(ctx, cursor, run, () => {
    const data = new StateData(ctx, cursor, run, state);
    exitState(ctx, cursor, run, data.passThrough(data.effectiveInput()), undefined);
  });
  return true;
}

/**
 * Fail: ends the frame with Error and Cause, given literally, through
 * ErrorPath/CausePath (paths or intrinsic functions) or as JSONata
 * (https://states-language.net/spec.html#fail-state). A Fail state logs no
 * exit event.
 */
export function runFail(ctx: StepContext, cursor: FrameCursor, run: StateRun): boolean {
  const state = stateOf(cursor, run.name) as FailState;
  guarded(ctx, cursor, run, () => {
    const data = new StateData(ctx, cursor, run, state);
    const error = stringOrAbsent(data.failField('Error'), 'Error');
    const cause = stringOrAbsent(data.failField('Cause'), 'Cause');
    endFrameWithFailure(cursor.frame, { error, cause });
  });
  return true;
}

function stringOrAbsent(value: ReturnType<StateData['failField']>, field: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw runtimeFailure(`The value of the field '${field}' must be a string, but was ${jsonTypeName(value)}.`);
}
