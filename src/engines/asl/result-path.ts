import { parseJsonPath } from './json-path.js';
import { isJsonObject, toJsonText } from './json-value.js';
import { runtimeFailure } from './state-errors.js';
import type { JsonValue } from './json-value.js';

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
  // Values are never changed in place, so only the containers along the path are copied.
  const write = (container: JsonValue, depth: number): JsonValue => {
    const segment = path.segments[depth];
    const isLast = depth === path.segments.length - 1;
    if (segment.kind === 'name' && isJsonObject(container)) {
      const name = segment.names[0];
      const existing: JsonValue | undefined = container[name];
      if (isLast) return { ...container, [name]: result };
      if (existing !== undefined && existing !== null && typeof existing !== 'object') throw unableToApply();
      return { ...container, [name]: write(existing === undefined || existing === null ? {} : existing, depth + 1) };
    }
    if (segment.kind === 'index' && Array.isArray(container)) {
      const index = segment.indexes[0] < 0 ? container.length + segment.indexes[0] : segment.indexes[0];
      if (index < 0 || index >= container.length) throw unableToApply();
      const copy = [...container];
      copy[index] = isLast ? result : write(container[index], depth + 1);
      return copy;
    }
    throw unableToApply();
  };
  return write(rawInput, 0);
}
