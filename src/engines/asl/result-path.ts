import { parseJsonPath } from './json-path.js';
import { cloneJson, isJsonObject, toJsonText } from './json-value.js';
import { runtimeFailure } from './state-errors.js';
import type { JsonObject, JsonValue } from './json-value.js';

/**
 * Combines a state's raw input with its result as ResultPath prescribes
 * (https://states-language.net/spec.html#filters): absent or "$" replaces the
 * input, null discards the result, and any other Reference Path writes the
 * result into a copy of the input, creating intervening objects as needed.
 */
export function applyResultPath(rawInput: JsonValue, resultPath: string | null | undefined, result: JsonValue): JsonValue {
  if (resultPath === undefined || resultPath === '$') return result;
  if (resultPath === null) return rawInput;
  const path = parseJsonPath(resultPath);
  const unableToApply = () => runtimeFailure(`Unable to apply ReferencePath ${resultPath} to input ${toJsonText(rawInput)}`);
  const output = cloneJson(rawInput);
  let container: JsonValue = output;
  path.segments.forEach((segment, i) => {
    const isLast = i === path.segments.length - 1;
    if (segment.kind === 'name' && isJsonObject(container)) {
      const name = segment.names[0];
      if (isLast) {
        container[name] = result;
        return;
      }
      const existing: JsonValue | undefined = container[name];
      if (existing === undefined || existing === null) container[name] = {} satisfies JsonObject;
      else if (typeof existing !== 'object') throw unableToApply();
      container = container[name];
    } else if (segment.kind === 'index' && Array.isArray(container)) {
      const index = segment.indexes[0] < 0 ? container.length + segment.indexes[0] : segment.indexes[0];
      if (index < 0 || index >= container.length) throw unableToApply();
      if (isLast) {
        container[index] = result;
        return;
      }
      container = container[index];
    } else {
      throw unableToApply();
    }
  });
  return output;
}
