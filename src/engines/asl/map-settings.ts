import { evaluateJsonata, jsonataExpressionOf, renderJsonata } from './jsonata-evaluator.js';
import { renderPayloadTemplate } from './payload-template.js';
import { jsonTypeName, toJsonText } from './json-value.js';
import { queryPathField } from './path-query.js';
import { queryEvaluationFailure, runtimeFailure } from './state-errors.js';
import type { MapState } from './definition.js';
import type { JsonValue } from './json-value.js';
import type { StateData } from './state-data.js';

/** A Map state's items and limits, resolved when the state starts. */
export interface MapSettings {
  readonly items: JsonValue[];
  readonly maxConcurrency: number;
  readonly toleratedFailureCount?: number;
  readonly toleratedFailurePercentage?: number;
}

/**
 * Resolves Items/ItemsPath, MaxConcurrency and the failure tolerances, with
 * the causes AWS gives for bad values, e.g. "The MaxConcurrencyPath field
 * refers to value "NoNumber" which is not a valid integer: $.max"
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html).
 */
export function resolveMapSettings(state: MapState, data: StateData, effectiveInput: JsonValue): MapSettings {
  const items = resolveItems(state, data, effectiveInput);
  const maxConcurrency = resolveNumber(state, data, effectiveInput, 'MaxConcurrency', 'integer') ?? 0;
  if (maxConcurrency < 0) throw runtimeFailure('MaxConcurrency cannot be negative.');
  const toleratedFailureCount = resolveNumber(state, data, effectiveInput, 'ToleratedFailureCount', 'integer');
  if (toleratedFailureCount !== undefined && toleratedFailureCount < 0) throw runtimeFailure('ToleratedFailureCount cannot be negative.');
  const toleratedFailurePercentage = resolveNumber(state, data, effectiveInput, 'ToleratedFailurePercentage', 'float');
  if (toleratedFailurePercentage !== undefined && (toleratedFailurePercentage < 0 || toleratedFailurePercentage > 100)) {
    throw runtimeFailure('ToleratedFailurePercentage must be between 0 and 100.');
  }
  return { items, maxConcurrency, toleratedFailureCount, toleratedFailurePercentage };
}

function resolveItems(state: MapState, data: StateData, effectiveInput: JsonValue): JsonValue[] {
  if (data.isJsonata) {
    const template = state.Items;
    if (template === undefined) {
      if (Array.isArray(data.run.input)) return data.run.input;
      throw queryEvaluationFailure(`Map state input must be an array but was: ${toJsonText(data.run.input)}`, 'Items');
    }
    const expression = typeof template === 'string' ? jsonataExpressionOf(template) : undefined;
    const value = expression === undefined ? renderJsonata(template, 'Items', data.jsonataScope()) : evaluateJsonata(expression, 'Items', data.jsonataScope());
    if (Array.isArray(value)) return value;
    throw queryEvaluationFailure(
      `The JSONata expression '${expression ?? toJsonText(template)}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${jsonTypeName(value)}' for value: ${toJsonText(value)}`,
      'Items',
    );
  }
  if (state.ItemsPath === undefined) {
    if (Array.isArray(effectiveInput)) return effectiveInput;
    throw runtimeFailure(`Map state input must be an array but was: ${toJsonText(effectiveInput)}`);
  }
  const items = queryPathField(state.ItemsPath, data.pathScope(effectiveInput));
  if (Array.isArray(items)) return items;
  throw runtimeFailure(`Reference path "${state.ItemsPath}" must point to array.`);
}

type NumberField = 'MaxConcurrency' | 'ToleratedFailureCount' | 'ToleratedFailurePercentage';

function resolveNumber(state: MapState, data: StateData, effectiveInput: JsonValue, field: NumberField, kind: 'integer' | 'float'): number | undefined {
  const value = data.dynamicField(field, effectiveInput);
  if (value === undefined) return undefined;
  if (typeof value === 'number' && (kind === 'float' || Number.isInteger(value))) return value;
  const path = (state as unknown as Readonly<Record<string, string | undefined>>)[`${field}Path`];
  const shown = typeof value === 'string' ? value : toJsonText(value);
  if (data.isJsonata || path === undefined) {
    throw queryEvaluationFailure(`The ${field} field must be a valid ${kind}, but was ${shown}.`, field);
  }
  throw runtimeFailure(`The ${field}Path field refers to value "${shown}" which is not a valid ${kind}: ${path}`);
}

/** ItemSelector (or the deprecated Parameters) builds an iteration's input, with $$.Map.Item in scope. */
export function selectItem(state: MapState, data: StateData, effectiveInput: JsonValue, value: JsonValue, index: number): JsonValue {
  const extras = { mapItem: { index, value } };
  if (data.isJsonata) {
    return state.ItemSelector === undefined ? value : renderJsonata(state.ItemSelector, 'ItemSelector', data.jsonataScope({ extras }));
  }
  const template = state.ItemSelector ?? state.Parameters;
  if (template === undefined) return value;
  return renderPayloadTemplate(template, data.pathScope(effectiveInput, extras), data.ctx.env.random);
}
