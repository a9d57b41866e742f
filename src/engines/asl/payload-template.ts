import { evaluateIntrinsic } from './intrinsic-functions.js';
import { IntrinsicSyntaxError, parseIntrinsic } from './intrinsic-parser.js';
import { isJsonObject, toJsonText } from './json-value.js';
import { PathNotResolvedError, parseAslPath, queryPath } from './path-query.js';
import { intrinsicFailure, runtimeFailure } from './state-errors.js';
import type { JsonObject, JsonValue } from './json-value.js';
import type { PathScope } from './path-query.js';
import type { RandomSource } from './random-source.js';

/**
 * Payload Templates (Parameters, ResultSelector, ItemSelector and JSONPath
 * Assign): a field whose name ends in ".$" is renamed without the suffix and
 * its value replaced by a path's result or an intrinsic function's
 * (https://states-language.net/spec.html#payload-template).
 */
export function renderPayloadTemplate(template: JsonValue, scope: PathScope, random: RandomSource): JsonValue {
  if (Array.isArray(template)) return template.map((item) => renderPayloadTemplate(item, scope, random));
  if (!isJsonObject(template)) return template;
  const output: JsonObject = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string') {
      output[key.slice(0, -2)] = evaluateDynamicValue(key, value, scope, random);
    } else {
      output[key] = renderPayloadTemplate(value, scope, random);
    }
  }
  return output;
}

/** Evaluates the value of a ".$" field: a path when it starts with "$", else an intrinsic function. */
export function evaluateDynamicValue(field: string, expression: string, scope: PathScope, random: RandomSource): JsonValue {
  try {
    if (expression.startsWith('$')) return queryPath(parseAslPath(expression), scope);
    return evaluateIntrinsic(parseIntrinsic(expression), scope, random);
  } catch (error) {
    // AWS names the path, the field and the data it was applied to.
    if (error instanceof PathNotResolvedError) {
      throw runtimeFailure(`The JSONPath '${error.pathText}' specified for the field '${field}' could not be found in the input '${toJsonText(scope.input)}'`);
    }
    if (error instanceof IntrinsicSyntaxError) throw intrinsicFailure(error.message);
    throw error;
  }
}
