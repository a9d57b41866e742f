/**
 * The JSON data model every state passes around. Execution state must stay
 * plain JSON so a host can persist it between steps, so the engine never
 * stores anything richer than these types.
 */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export type JsonTypeName = 'null' | 'string' | 'number' | 'boolean' | 'array' | 'object';

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function jsonTypeName(value: JsonValue): JsonTypeName {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'object';
  }
}

/** Deep equality: numbers by value (1 equals 1.0), objects regardless of key order. */
export function jsonEquals(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEquals(item, b[i]));
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && jsonEquals(a[key], b[key]));
  }
  return false;
}

export function cloneJson<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}

/** Compact JSON text, as the service writes payloads into history events. */
export function toJsonText(value: JsonValue): string {
  return JSON.stringify(value);
}

/** Parses JSON text into the JSON model; throws SyntaxError on bad input. */
export function parseJsonText(text: string): JsonValue {
  return JSON.parse(text) as JsonValue;
}

/** UTF-8 size of the compact JSON text, the measure of the 256 KiB payload quota. */
export function jsonByteLength(value: JsonValue): number {
  return Buffer.byteLength(toJsonText(value), 'utf8');
}

/** Accepts only values JSON can carry (rejects undefined, functions, NaN, Infinity). */
export function isJsonValue(value: unknown): value is JsonValue {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (Array.isArray(value)) return value.every((item) => isJsonValue(item));
      return Object.values(value).every((item) => isJsonValue(item));
    default:
      return false;
  }
}
