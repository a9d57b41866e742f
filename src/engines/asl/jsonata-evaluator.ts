import { isJsonObject, isJsonValue } from './json-value.js';
import { queryEvaluationFailure } from './state-errors.js';
import type { JsonObject, JsonValue } from './json-value.js';

/**
 * JSONata evaluation, kept behind one interface so the service can plug in
 * the `jsonata` package (whose synchronous API, jsonata(expr).evaluate(input,
 * bindings) in the 1.8 line, fits this signature) without the engine
 * depending on it. Expressions see no input document; everything comes in as
 * variables: $states and the state machine variables
 * (https://states-language.net/spec.html#jsonata-restrictions).
 */
export interface JsonataEvaluator {
  /**
   * Evaluates `expression` with `bindings` as its variables. Returns undefined
   * when the expression yields nothing; throws an Error (optionally with a
   * JSONata `code` such as "T1006") when evaluation fails.
   */
  evaluate(expression: string, bindings: Readonly<Record<string, unknown>>): unknown;
}

/** The text inside "{% ... %}", or undefined for a string that is not a JSONata expression. */
export function jsonataExpressionOf(value: string): string | undefined {
  if (value.startsWith('{%') && value.endsWith('%}') && value.length >= 4) return value.slice(2, -2).trim();
  return undefined;
}

export interface JsonataScope {
  readonly evaluator: JsonataEvaluator | undefined;
  readonly bindings: Readonly<Record<string, JsonValue>>;
}

/**
 * Evaluates every "{% %}" string inside a field value, however deeply nested
 * in objects and arrays (https://states-language.net/spec.html#jsonata-evaluation).
 * `location` names the field for error causes, e.g. "Output/result".
 */
export function renderJsonata(template: JsonValue, location: string, scope: JsonataScope): JsonValue {
  if (typeof template === 'string') {
    const expression = jsonataExpressionOf(template);
    return expression === undefined ? template : evaluateJsonata(expression, location, scope);
  }
  if (Array.isArray(template)) return template.map((item, i) => renderJsonata(item, `${location}/${i}`, scope));
  if (isJsonObject(template)) {
    const output: JsonObject = {};
    for (const [key, value] of Object.entries(template)) output[key] = renderJsonata(value, `${location}/${key}`, scope);
    return output;
  }
  return template;
}

export function evaluateJsonata(expression: string, location: string, scope: JsonataScope): JsonValue {
  const prefix = `The JSONata expression '${expression}' specified for the field '${location}'`;
  if (scope.evaluator === undefined) {
    throw queryEvaluationFailure(`${prefix} cannot be evaluated: no JSONata evaluator is configured.`, location);
  }
  let result: unknown;
  try {
    result = scope.evaluator.evaluate(expression, scope.bindings);
  } catch (error) {
    throw queryEvaluationFailure(`${prefix} threw an error during evaluation. ${describeError(error)}`, location);
  }
  if (result === undefined) throw queryEvaluationFailure(`${prefix} returned nothing (undefined).`, location);
  if (!isJsonValue(result)) throw queryEvaluationFailure(`${prefix} returned an unsupported result type.`, location);
  return result;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}
