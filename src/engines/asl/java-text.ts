import { isJsonObject } from './json-value.js';
import type { JsonValue } from './json-value.js';

/**
 * The "natural string representation" States.Format inserts for a value. The
 * service renders with Java's toString, so objects and arrays come out as
 * {Arg1=1, Arg2=[]} rather than JSON, as observed against AWS
 * (https://states-language.net/spec.html#appendix-b forbids them, AWS accepts them).
 */
export function javaText(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(javaText).join(', ')}]`;
  if (isJsonObject(value)) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}=${javaText(item)}`)
      .join(', ')}}`;
  }
  return String(value);
}
