/**
 * Input validation against the model's constraints, in the message style of AWS's Coral-based services:
 *   "2 validation errors detected: Value 'x' at 'name' failed to satisfy constraint: Member must ...; Value ..."
 * Paths name members with a lower-case first letter; list items are "<list>.<1-based index>.member".
 * Types were already checked while parsing, so this only sees well-typed values.
 */
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

function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
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

function constraintFailure(shape: Shape, value: unknown): string | undefined {
  if (shape.type === 'string' || shape.type === 'list' || shape.type === 'map' || shape.type === 'blob') {
    const length = lengthOf(value);
    if (length !== undefined) {
      if (shape.min !== undefined && length < shape.min) return `Member must have length greater than or equal to ${shape.min}`;
      if (shape.max !== undefined && length > shape.max) return `Member must have length less than or equal to ${shape.max}`;
    }
  }
  if (shape.type === 'string' && typeof value === 'string') {
    if (shape.enum && !shape.enum.includes(value)) return `Member must satisfy enum value set: [${shape.enum.join(', ')}]`;
    if (shape.pattern) {
      const regex = compilePattern(shape.pattern);
      if (regex && !regex.test(value)) return `Member must satisfy regular expression pattern: ${shape.pattern}`;
    }
  }
  if ((shape.type === 'integer' || shape.type === 'long' || shape.type === 'float' || shape.type === 'double') && typeof value === 'number') {
    if (shape.min !== undefined && value < shape.min) return `Member must have value greater than or equal to ${shape.min}`;
    if (shape.max !== undefined && value > shape.max) return `Member must have value less than or equal to ${shape.max}`;
  }
  return undefined;
}

function walk(model: ServiceModel, shapeName: string, value: unknown, path: string, errors: string[]): void {
  const shape = model.shapes[shapeName];
  const failure = constraintFailure(shape, value);
  if (failure) {
    errors.push(`Value ${describeValue(value)} at '${path}' failed to satisfy constraint: ${failure}`);
    return;
  }
  if (shape.type === 'structure' && value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const required = new Set(shape.required ?? []);
    for (const [member, ref] of Object.entries(shape.members ?? {})) {
      const memberPath = path ? `${path}.${lowerFirst(member)}` : lowerFirst(member);
      const memberValue = record[member];
      if (memberValue === undefined || memberValue === null) {
        if (required.has(member)) errors.push(`Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`);
        continue;
      }
      walk(model, ref.shape, memberValue, memberPath, errors);
    }
  } else if (shape.type === 'list' && Array.isArray(value)) {
    value.forEach((item, index) => {
      if (item !== null && item !== undefined) walk(model, shape.member!.shape, item, `${path}.${index + 1}.member`, errors);
    });
  } else if (shape.type === 'map' && value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      walk(model, shape.key!.shape, key, `${path}.${key}.key`, errors);
      if (item !== null && item !== undefined) walk(model, shape.value!.shape, item, `${path}.${key}.value`, errors);
    }
  }
}

/** The AWS-style message for every constraint the input breaks, or undefined when it is valid. */
export function validateInput(model: ServiceModel, inputShape: string | undefined, input: Record<string, unknown>): string | undefined {
  if (!inputShape) return undefined;
  const errors: string[] = [];
  walk(model, inputShape, input, '', errors);
  if (errors.length === 0) return undefined;
  return `${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`;
}
