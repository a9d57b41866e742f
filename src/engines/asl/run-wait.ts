import { jsonataExpressionOf } from './jsonata-evaluator.js';
import { toJsonText } from './json-value.js';
import { PathNotResolvedError, parseAslPath, queryPath } from './path-query.js';
import { StateData } from './state-data.js';
import { queryEvaluationFailure, runtimeFailure } from './state-errors.js';
import { exitState, guarded, stateOf } from './state-transitions.js';
import { parseTimestamp } from './timestamps.js';
import type { WaitState } from './definition.js';
import type { StateRun } from './execution-state.js';
import type { JsonValue } from './json-value.js';
import type { FrameCursor, StepContext } from './step-context.js';

/** Longest wait AWS accepts: just under 2^31 seconds ("Wait state delay is too long." beyond it). */
const MAX_WAIT_SECONDS = 2_147_483_647;

/**
 * Wait: delays until now + Seconds or until Timestamp, either given directly,
 * through SecondsPath/TimestampPath, or as JSONata
 * (https://states-language.net/spec.html#wait-state). The engine records the
 * wake-up time; the host calls back with a later clock.
 */
export function runWait(ctx: StepContext, cursor: FrameCursor, run: StateRun): boolean {
  const state = stateOf(cursor, run.name) as WaitState;
  if (run.phase === 'entered') {
    guarded(ctx, cursor, run, () => {
      const data = new StateData(ctx, cursor, run, state);
      const until = wakeUpTime(ctx.now, state, data, data.effectiveInput());
      if ((until - ctx.now) / 1000 > MAX_WAIT_SECONDS) throw runtimeFailure('Wait state delay is too long.');
      run.waitUntil = until;
      run.phase = 'waiting';
    });
    return true;
  }
  if (run.waitUntil === undefined || run.waitUntil > ctx.now) return false;
  guarded(ctx, cursor, run, () => {
    const data = new StateData(ctx, cursor, run, state);
    exitState(ctx, cursor, run, data.passThrough(data.effectiveInput()), state.Next);
  });
  return true;
}

function wakeUpTime(now: number, state: WaitState, data: StateData, effectiveInput: JsonValue): number {
  if (data.isJsonata) return jsonataWakeUpTime(now, state, data);
  if (state.SecondsPath !== undefined) {
    const value = readPath('SecondsPath', state.SecondsPath, data, effectiveInput);
    const described = `${state.SecondsPath} == ${toJsonText(value)}`;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw runtimeFailure(`The SecondsPath parameter cannot be parsed as a long value: ${described}`);
    if (value < 0) throw runtimeFailure(`The SecondsPath parameter references a negative value: ${described}`);
    return now + value * 1000;
  }
  if (state.TimestampPath !== undefined) {
    const value = readPath('TimestampPath', state.TimestampPath, data, effectiveInput);
    const time = typeof value === 'string' ? parseTimestamp(value) : undefined;
    if (time === undefined) {
      const shown = typeof value === 'string' ? value : toJsonText(value);
      throw runtimeFailure(`The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${state.TimestampPath} == ${shown}`);
    }
    return time;
  }
  if (state.Timestamp !== undefined) return parseTimestampField(state.Timestamp, false);
  return now + Number(state.Seconds ?? 0) * 1000;
}

function readPath(field: string, path: string, data: StateData, effectiveInput: JsonValue): JsonValue {
  try {
    return queryPath(parseAslPath(path), data.pathScope(effectiveInput));
  } catch (error) {
    if (error instanceof PathNotResolvedError) throw runtimeFailure(`The ${field} parameter does not reference an input value: ${path}`);
    throw error;
  }
}

function jsonataWakeUpTime(now: number, state: WaitState, data: StateData): number {
  if (state.Timestamp !== undefined) {
    const value = data.dynamicField('Timestamp', data.run.input);
    if (typeof value !== 'string') throw queryEvaluationFailure(`The Timestamp field must be a string, but was ${toJsonText(value ?? null)}.`, 'Timestamp');
    return parseTimestampField(value, jsonataExpressionOf(state.Timestamp) !== undefined);
  }
  const seconds = data.dynamicField('Seconds', data.run.input);
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
    throw queryEvaluationFailure(`The Seconds field must be a non-negative integer, but was ${toJsonText(seconds ?? null)}.`, 'Seconds');
  }
  return now + seconds * 1000;
}

function parseTimestampField(value: string, fromExpression: boolean): number {
  const time = parseTimestamp(value);
  if (time !== undefined) return time;
  const detail = `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${value}`;
  throw fromExpression ? queryEvaluationFailure(detail, 'Timestamp') : runtimeFailure(detail);
}
