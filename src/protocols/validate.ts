/**
 * Input validation against the model's constraints, in the message style of AWS's Coral-based services:
 *   "2 validation errors detected: Value 'x' at 'name' failed to satisfy constraint: Member must ...; Value ..."
 * Paths name members with a lower-case first letter; list items are "<list>.<1-based index>.member".
 * Types were already checked while parsing, so this only sees well-typed values.
 */
import type { CoralValidationStyle } from './coral.js';
import { coralValidationStyle } from './coral.js';
import type { ServiceModel, Shape } from './model.js';

const patternCache = new Map<string, RegExp | null>();

/** Java regular expressions from the models, compiled for JavaScript where the syntax allows; null otherwise. */
function compilePattern(pattern: string): RegExp | null {
  let compiled = patternCache.get(pattern);
  if (compiled === undefined) {
    compiled = null;
    for (const flags of ['u', '']) {
      try {
        // Java's String.matches: the whole value must match.
        compiled = new RegExp(`^(?:${pattern})$`, flags);
        break;
      } catch {
        // Not valid JavaScript syntax with these flags; try the next, or skip the check.
      }
    }
    patternCache.set(pattern, compiled);
  }
  return compiled;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function describeValue(walk: Walk, shapeName: string, value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (walk.style.javaValues) return `'${javaString(walk, shapeName, value)}'`;
  if (value instanceof Date) return `'${value.toISOString()}'`;
  if (Array.isArray(value)) return `'[${value.map((v) => (typeof v === 'object' ? '...' : String(v))).join(', ')}]'`;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return `'${String(value)}'`;
  return `'${JSON.stringify(value)}'`;
}

function lengthOf(value: unknown): number | undefined {
  // Java's String.length(): UTF-16 code units, which is what AWS's length constraints count.
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.length;
  if (value instanceof Uint8Array) return value.length;
  if (value && typeof value === 'object') return Object.keys(value).length;
  return undefined;
}

/**
 * A value as a Java service prints it in a message: lists as `[a, b]`, maps as `{k=v}`, structures as
 * `Shape(member=value, ...)` with every member of the shape (absent ones `null`), blobs as Java prints a
 * ByteBuffer.
 */
function javaString(walk: Walk, shapeName: string, value: unknown): string {
  if (value === undefined || value === null) return 'null';
  const shape = shapeOf(walk, shapeName);
  if (value instanceof Uint8Array) return `java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]`;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `[${value.map((item) => javaString(walk, shape.member?.shape ?? '', item)).join(', ')}]`;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  const record = value as Record<string, unknown>;
  if (shape.type === 'structure') {
    return `${shapeName}(${Object.keys(shape.members ?? {}).map((member) => `${lowerFirst(member)}=${javaString(walk, shape.members![member].shape, record[member])}`).join(', ')})`;
  }
  return `{${Object.entries(record).map(([key, item]) => `${key}=${javaString(walk, shape.value?.shape ?? '', item)}`).join(', ')}}`;
}

/** The generic style: the first failure of a value only, map values at `.value`, the model's enum order. */
const GENERIC_STYLE: CoralValidationStyle = {
  mapValueSegment: 'value',
  everyFailure: false,
  enumOrder: () => undefined,
  alsoRequired: () => [],
  maxErrors: Infinity,
  javaValues: false,
  nullMembersInvalid: false,
  shapes: {},
  memberShapes: {},
};

const UNKNOWN_SHAPE: Shape = { type: 'string' };

/** A shape as the service validates it: its own version where it differs from the published model. */
function shapeOf(walk: Walk, shapeName: string): Shape {
  return walk.style.shapes[shapeName] ?? walk.model.shapes[shapeName] ?? UNKNOWN_SHAPE;
}

interface Constraint {
  failed: (value: unknown) => boolean;
  text: string;
}

/** What validation needs of a model, worked out once: every request of its service is checked against it. */
interface ModelRules {
  style: CoralValidationStyle;
  constraints: Map<string, Constraint[]>;
  members: Map<string, MemberRule[]>;
}

/** One member of a structure as validation walks it: its path segment and the shape it is held to. */
interface MemberRule {
  name: string;
  segment: string;
  shape: string;
  required: boolean;
}

const rulesByModel = new WeakMap<ServiceModel, ModelRules>();

function rulesOf(model: ServiceModel): ModelRules {
  let rules = rulesByModel.get(model);
  if (!rules) {
    rules = { style: coralValidationStyle(model) ?? GENERIC_STYLE, constraints: new Map(), members: new Map() };
    rulesByModel.set(model, rules);
  }
  return rules;
}

interface Walk {
  model: ServiceModel;
  style: CoralValidationStyle;
  constraints: Map<string, Constraint[]>;
  members: Map<string, MemberRule[]>;
  errors: string[];
}

function membersOf(walk: Walk, shapeName: string, shape: Shape): MemberRule[] {
  let members = walk.members.get(shapeName);
  if (!members) {
    const required = new Set([...(shape.required ?? []), ...walk.style.alsoRequired(shapeName)]);
    members = Object.entries(shape.members ?? {}).map(([name, ref]) => ({
      name,
      segment: lowerFirst(name),
      shape: walk.style.memberShapes[`${shapeName}.${name}`] ?? ref.shape,
      required: required.has(name),
    }));
    walk.members.set(shapeName, members);
  }
  return members;
}

/** Every constraint a shape carries, worded as the validator words a failure of it. */
function constraintsOf(walk: Walk, shapeName: string): Constraint[] {
  const known = walk.constraints.get(shapeName);
  if (known) return known;
  const constraints = shapeConstraints(walk, shapeName);
  walk.constraints.set(shapeName, constraints);
  return constraints;
}

function shapeConstraints(walk: Walk, shapeName: string): Constraint[] {
  const shape = shapeOf(walk, shapeName);
  const constraints: Constraint[] = [];
  if (shape.type === 'string' || shape.type === 'list' || shape.type === 'map' || shape.type === 'blob') {
    const { max, min } = shape;
    if (max !== undefined) constraints.push({ failed: (v) => (lengthOf(v) ?? 0) > max, text: `Member must have length less than or equal to ${max}` });
    if (min !== undefined) constraints.push({ failed: (v) => (lengthOf(v) ?? min) < min, text: `Member must have length greater than or equal to ${min}` });
  }
  if (shape.type === 'string') {
    const values = shape.enum;
    if (values) {
      const listed = walk.style.enumOrder(shapeName) ?? values;
      constraints.push({ failed: (v) => typeof v === 'string' && !values.includes(v), text: `Member must satisfy enum value set: [${listed.join(', ')}]` });
    }
    const regex = shape.pattern ? compilePattern(shape.pattern) : null;
    if (regex) constraints.push({ failed: (v) => typeof v === 'string' && !regex.test(v), text: `Member must satisfy regular expression pattern: ${shape.pattern!}` });
  }
  if (shape.type === 'integer' || shape.type === 'long' || shape.type === 'float' || shape.type === 'double') {
    const { max, min } = shape;
    if (min !== undefined) constraints.push({ failed: (v) => typeof v === 'number' && v < min, text: `Member must have value greater than or equal to ${min}` });
    if (max !== undefined) constraints.push({ failed: (v) => typeof v === 'number' && v > max, text: `Member must have value less than or equal to ${max}` });
  }
  return constraints;
}

/** The constraints `value` breaks, in the validator's order: just the first in the generic style. */
function failuresOf(walk: Walk, shapeName: string, value: unknown): readonly string[] {
  let failed: string[] | undefined;
  for (const constraint of constraintsOf(walk, shapeName)) {
    if (!constraint.failed(value)) continue;
    (failed ??= []).push(constraint.text);
    if (!walk.style.everyFailure) break;
  }
  // Most values break nothing: no array for them.
  return failed ?? NO_FAILURES;
}

const NO_FAILURES: readonly string[] = [];

/** Validates `value` at `path`; `reportedAbove` when its own failures were already reported at its map. */
function visit(walk: Walk, shapeName: string, value: unknown, path: string, reportedAbove = false): void {
  const shape = shapeOf(walk, shapeName);
  const failures = failuresOf(walk, shapeName, value);
  if (!reportedAbove) for (const failure of failures) walk.errors.push(`Value ${describeValue(walk, shapeName, value)} at '${path}' failed to satisfy constraint: ${failure}`);
  if (failures.length > 0 && !walk.style.everyFailure) return;
  if (shape.type === 'structure' && value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const member of membersOf(walk, shapeName, shape)) {
      const memberPath = path ? `${path}.${member.segment}` : member.segment;
      const memberValue = record[member.name];
      if (memberValue === undefined || memberValue === null) {
        if (member.required) walk.errors.push(`Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`);
        continue;
      }
      visit(walk, member.shape, memberValue, memberPath);
    }
  } else if (shape.type === 'list' && Array.isArray(value)) {
    value.forEach((item, index) => {
      const itemPath = `${path}.${index + 1}.member`;
      if (item !== null && item !== undefined) visit(walk, shape.member!.shape, item, itemPath);
      else if (walk.style.nullMembersInvalid) walk.errors.push(`Value null at '${itemPath}' failed to satisfy constraint: Member must not be null`);
    });
  } else if (shape.type === 'map' && value && typeof value === 'object') {
    visitMap(walk, shapeName, shape, value as Record<string, unknown>, path);
  }
}

function visitMap(walk: Walk, shapeName: string, shape: Shape, map: Record<string, unknown>, path: string): void {
  const keyShape = shape.key!.shape;
  const valueShape = shape.value!.shape;
  if (walk.style.mapValueSegment === 'value') {
    for (const [key, item] of Object.entries(map)) {
      visit(walk, keyShape, key, `${path}.${key}.key`);
      if (item !== null && item !== undefined) visit(walk, valueShape, item, `${path}.${key}.value`);
    }
    return;
  }
  // Coral: a key or value breaking its shape's own constraints is one error at the map, naming them all.
  const atMap = (what: string, partShape: string) =>
    `Value ${describeValue(walk, shapeName, map)} at '${path}' failed to satisfy constraint: ${what} must satisfy constraint: [${constraintsOf(walk, partShape)
      .map((c) => c.text)
      .join(', ')}]`;
  const entries = Object.entries(map);
  if (entries.some(([key]) => failuresOf(walk, keyShape, key).length > 0)) walk.errors.push(atMap('Map keys', keyShape));
  if (entries.some(([, item]) => item !== null && item !== undefined && failuresOf(walk, valueShape, item).length > 0)) walk.errors.push(atMap('Map value', valueShape));
  for (const [key, item] of entries) {
    if (item !== null && item !== undefined) visit(walk, valueShape, item, `${path}.${key}.member`, true);
    else if (walk.style.nullMembersInvalid) walk.errors.push(`Value null at '${path}.${key}.member' failed to satisfy constraint: Member must not be null`);
  }
}

/** The AWS-style message for every constraint the input breaks, or undefined when it is valid. */
export function validateInput(model: ServiceModel, inputShape: string | undefined, input: Record<string, unknown>): string | undefined {
  if (!inputShape) return undefined;
  const { style, constraints, members } = rulesOf(model);
  const found: string[] = [];
  visit({ model, style, constraints, members, errors: found }, inputShape, input, '');
  if (found.length === 0) return undefined;
  const errors = found.slice(0, style.maxErrors);
  return `${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`;
}
