import { evaluateChoiceRule } from './choice-rules.js';
import { evaluateJsonata, jsonataExpressionOf } from './jsonata-evaluator.js';
import { jsonTypeName } from './json-value.js';
import { StateData } from './state-data.js';
import { StateFailure, StatesError, queryEvaluationFailure } from './state-errors.js';
import { exitState, guarded, stateOf } from './state-transitions.js';
import type { ChoiceRule, ChoiceState } from './definition.js';
import type { StateRun } from './execution-state.js';
import type { JsonObject, JsonValue } from './json-value.js';
import type { FrameCursor, StepContext } from './step-context.js';

/**
 * Choice: the first rule that holds picks the next state and supplies its
 * Assign (and, in JSONata, Output); with no match the Default applies with the
 * state's own Assign, and without a Default the state fails with
 * States.NoChoiceMatched (https://states-language.net/spec.html#choice-state).
 */
export function runChoice(ctx: StepContext, cursor: FrameCursor, run: StateRun): boolean {
  const state = stateOf(cursor, run.name) as ChoiceState;
  guarded(ctx, cursor, run, () => {
    const data = new StateData(ctx, cursor, run, state);
    const effectiveInput = data.effectiveInput();
    const rule = state.Choices.find((candidate) => ruleHolds(data, candidate, effectiveInput));
    if (rule !== undefined) {
      const overrides = { assign: rule.Assign as JsonObject | undefined, output: rule.Output };
      exitState(ctx, cursor, run, data.passThrough(effectiveInput, overrides), rule.Next as string);
      return;
    }
    if (state.Default === undefined) {
      throw new StateFailure(StatesError.NoChoiceMatched, { detail: 'No Choice Rule matched and the Choice state has no Default.' });
    }
    exitState(ctx, cursor, run, data.passThrough(effectiveInput), state.Default);
  });
  return true;
}

function ruleHolds(data: StateData, rule: ChoiceRule, effectiveInput: JsonValue): boolean {
  if (!data.isJsonata) return evaluateChoiceRule(rule, data.pathScope(effectiveInput));
  const condition = rule.Condition;
  const expression = typeof condition === 'string' ? jsonataExpressionOf(condition) : undefined;
  const value = expression === undefined ? condition : evaluateJsonata(expression, 'Condition', data.jsonataScope());
  if (typeof value !== 'boolean') {
    throw queryEvaluationFailure(`The Condition field must evaluate to a boolean, but was ${value === undefined ? 'undefined' : jsonTypeName(value)}.`, 'Condition');
  }
  return value;
}
