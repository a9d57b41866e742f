/**
 * JSON documents <-> typed values, walking the model's shapes. Shared by the json and rest-json protocols.
 * Typed values: numbers, strings, booleans, Date for timestamps, Buffer for blobs, arrays, plain objects.
 */
import { SerializationFailure } from '../shared/errors.js';
import type { ServiceModel, Shape, TimestampFormat } from './model.js';
import { formatTimestamp, parseTimestamp } from './timestamps.js';

/** Where a value sits: a structure's member (a field), or an item of a list or a value of a map. */
export type Position = 'field' | 'value';

/** How a protocol words what it cannot read: a value of the wrong type, or a malformed base64 blob. */
export interface JsonReadRules {
  mismatch(model: ServiceModel, shapeName: string, value: unknown, path: string, position: Position): string;
  /** The problem with a blob's text, or undefined when it decodes. */
  blobProblem?(text: string): string | undefined;
  /** Structures whose boolean members take this string too, read as `true` when it says so and `false` otherwise. */
  lenientBooleansIn?(structureName: string, text: string): boolean;
}

const EXPECTED: Record<string, string> = {
  structure: 'an object',
  list: 'a list',
  map: 'a map',
  string: 'a string',
  integer: 'an integer',
  long: 'an integer',
  float: 'a number',
  double: 'a number',
  boolean: 'a boolean',
  timestamp: 'a timestamp',
  blob: 'a base64-encoded string',
};

/** Nimbus's own wording, naming the member's path: for protocols whose services AWS words case by case. */
export const DESCRIBED_MISMATCHES: JsonReadRules = {
  mismatch: (model, shapeName, _value, path) => `Expected ${EXPECTED[model.shapes[shapeName].type]} for '${path || 'the request body'}'`,
};

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A structure member as read from a JSON body: its name in the typed value and its shape. */
interface ReadMember {
  member: string;
  shape: string;
}

const readMembersByShape = new WeakMap<Shape, Map<string, ReadMember>>();

/** A structure's members by the name they go by on the wire. */
function readMembers(shape: Shape): Map<string, ReadMember> {
  let members = readMembersByShape.get(shape);
  if (!members) {
    members = new Map();
    for (const [member, ref] of Object.entries(shape.members ?? {})) members.set(ref.locationName ?? member, { member, shape: ref.shape });
    readMembersByShape.set(shape, members);
  }
  return members;
}

/** Reads a parsed JSON value as the given shape; throws SerializationException on a type mismatch. */
export function readJsonValue(model: ServiceModel, shapeName: string, value: unknown, rules: JsonReadRules = DESCRIBED_MISMATCHES, path = '', position: Position = 'field'): unknown {
  const shape = model.shapes[shapeName];
  if (value === null || value === undefined) return undefined;
  const mismatch = (): SerializationFailure => new SerializationFailure(rules.mismatch(model, shapeName, value, path, position));
  switch (shape.type) {
    case 'structure': {
      if (!isPlainObject(value)) throw mismatch();
      if (shape.document) return value;
      const members = readMembers(shape);
      const out: Record<string, unknown> = {};
      // The value's own fields, in the order they were sent (as Coral's streaming reader meets them); fields
      // the shape does not declare are ignored.
      for (const wireName in value) {
        const target = members.get(wireName);
        if (target === undefined) continue;
        const raw = value[wireName];
        const lenient = typeof raw === 'string' && model.shapes[target.shape].type === 'boolean' && rules.lenientBooleansIn?.(shapeName, raw) === true;
        const read = lenient ? raw.toLowerCase() === 'true' : readJsonValue(model, target.shape, raw, rules, path ? `${path}.${target.member}` : target.member, 'field');
        if (read !== undefined) out[target.member] = read;
      }
      return out;
    }
    case 'list':
      if (!Array.isArray(value)) throw mismatch();
      return value.map((item, i) => readJsonValue(model, shape.member!.shape, item, rules, `${path}[${i}]`, 'value'));
    case 'map': {
      if (!isPlainObject(value)) throw mismatch();
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = readJsonValue(model, shape.value!.shape, item, rules, `${path}.${key}`, 'value');
      return out;
    }
    case 'string':
      if (typeof value !== 'string') throw mismatch();
      return value;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw mismatch();
      return value;
    case 'float':
    case 'double':
      if (typeof value === 'number') return value;
      if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
      throw mismatch();
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch();
      return value;
    case 'timestamp': {
      const date = parseTimestamp(value);
      if (!date) throw mismatch();
      return date;
    }
    case 'blob': {
      if (typeof value !== 'string') throw mismatch();
      const problem = rules.blobProblem?.(value);
      if (problem) throw new SerializationFailure(problem);
      return Buffer.from(value, 'base64');
    }
  }
}

/** A structure member as it is written into a JSON body: its shape and the name it goes by on the wire. */
interface WrittenMember {
  shape: string;
  wireName: string;
  timestampFormat: TimestampFormat | undefined;
}

const writtenMembersByShape = new WeakMap<Shape, Map<string, WrittenMember>>();

/** The members a structure writes into the body (not those bound to headers, the URI or the status). */
function writtenMembers(shape: Shape): Map<string, WrittenMember> {
  let members = writtenMembersByShape.get(shape);
  if (!members) {
    members = new Map();
    for (const [member, ref] of Object.entries(shape.members ?? {})) {
      if (!ref.location) members.set(member, { shape: ref.shape, wireName: ref.locationName ?? member, timestampFormat: ref.timestampFormat });
    }
    writtenMembersByShape.set(shape, members);
  }
  return members;
}

/**
 * Writes a typed value as JSON for the given shape; members the model does not declare are dropped.
 * Walks the value's own members, not every member the shape declares: most outputs set few of them (an
 * attribute value sets one of its ten), and this is every answer's hot path.
 */
export function writeJsonValue(model: ServiceModel, shapeName: string, value: unknown, timestampFormat: TimestampFormat = 'unixTimestamp'): unknown {
  if (value === null || value === undefined) return undefined;
  const shape = model.shapes[shapeName];
  switch (shape.type) {
    case 'structure': {
      if (shape.document) return value;
      const record = value as Record<string, unknown>;
      const members = writtenMembers(shape);
      const out: Record<string, unknown> = {};
      for (const member in record) {
        const target = members.get(member);
        if (target === undefined) continue;
        const written = writeJsonValue(model, target.shape, record[member], target.timestampFormat ?? timestampFormat);
        if (written !== undefined) out[target.wireName] = written;
      }
      return out;
    }
    case 'list':
      return (value as unknown[]).map((item) => writeJsonValue(model, shape.member!.shape, item, timestampFormat));
    case 'map': {
      const out: Record<string, unknown> = {};
      const record = value as Record<string, unknown>;
      for (const key in record) out[key] = writeJsonValue(model, shape.value!.shape, record[key], timestampFormat);
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
