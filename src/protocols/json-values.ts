/**
 * JSON documents <-> typed values, walking the model's shapes. Shared by the json and rest-json protocols.
 * Typed values: numbers, strings, booleans, Date for timestamps, Buffer for blobs, arrays, plain objects.
 */
import { SerializationFailure } from '../shared/errors.js';
import type { ServiceModel, TimestampFormat } from './model.js';
import { formatTimestamp, parseTimestamp } from './timestamps.js';

function typeError(path: string, expected: string): SerializationFailure {
  return new SerializationFailure(`Expected ${expected} for '${path || 'the request body'}'`);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a parsed JSON value as the given shape; throws SerializationException on a type mismatch. */
export function readJsonValue(model: ServiceModel, shapeName: string, value: unknown, path = ''): unknown {
  const shape = model.shapes[shapeName];
  if (value === null || value === undefined) return undefined;
  switch (shape.type) {
    case 'structure': {
      if (!isPlainObject(value)) throw typeError(path, 'an object');
      if (shape.document) return value;
      const out: Record<string, unknown> = {};
      for (const [member, ref] of Object.entries(shape.members ?? {})) {
        const wireName = ref.locationName ?? member;
        if (wireName in value) {
          const read = readJsonValue(model, ref.shape, value[wireName], path ? `${path}.${member}` : member);
          if (read !== undefined) out[member] = read;
        }
      }
      return out;
    }
    case 'list':
      if (!Array.isArray(value)) throw typeError(path, 'a list');
      return value.map((item, i) => readJsonValue(model, shape.member!.shape, item, `${path}[${i}]`));
    case 'map': {
      if (!isPlainObject(value)) throw typeError(path, 'a map');
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = readJsonValue(model, shape.value!.shape, item, `${path}.${key}`);
      return out;
    }
    case 'string':
      if (typeof value !== 'string') throw typeError(path, 'a string');
      return value;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(path, 'an integer');
      return value;
    case 'float':
    case 'double':
      if (typeof value === 'number') return value;
      if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
      throw typeError(path, 'a number');
    case 'boolean':
      if (typeof value !== 'boolean') throw typeError(path, 'a boolean');
      return value;
    case 'timestamp': {
      const date = parseTimestamp(value);
      if (!date) throw typeError(path, 'a timestamp');
      return date;
    }
    case 'blob':
      if (typeof value !== 'string') throw typeError(path, 'a base64-encoded string');
      return Buffer.from(value, 'base64');
  }
}

/** Writes a typed value as JSON for the given shape; members the model does not declare are dropped. */
export function writeJsonValue(model: ServiceModel, shapeName: string, value: unknown, timestampFormat: TimestampFormat = 'unixTimestamp'): unknown {
  if (value === null || value === undefined) return undefined;
  const shape = model.shapes[shapeName];
  switch (shape.type) {
    case 'structure': {
      if (shape.document) return value;
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [member, ref] of Object.entries(shape.members ?? {})) {
        if (ref.location) continue;
        const written = writeJsonValue(model, ref.shape, record[member], ref.timestampFormat ?? timestampFormat);
        if (written !== undefined) out[ref.locationName ?? member] = written;
      }
      return out;
    }
    case 'list':
      return (value as unknown[]).map((item) => writeJsonValue(model, shape.member!.shape, item, timestampFormat));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) out[key] = writeJsonValue(model, shape.value!.shape, item, timestampFormat);
      return out;
    }
    case 'timestamp': {
      const date = value instanceof Date ? value : new Date(value as number);
      return formatTimestamp(date, shape.timestampFormat ?? timestampFormat);
    }
    case 'blob':
      return Buffer.from(value as Uint8Array | string).toString('base64');
    case 'float':
    case 'double':
      return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
    default:
      return value;
  }
}
