import { ATTRIBUTE_TYPES, base64Of, bytesOf } from './attribute-value.js';
import { compareBytes } from './compare-values.js';
import { compareDecimals, formatDecimal, parseStorableNumber } from './number-value.js';
import { validationError } from './validation-error.js';
import type { AttributeType, AttributeValue, BinaryValue, Item } from './attribute-value.js';
import type { Decimal } from './number-value.js';

/**
 * Validation and normalisation of incoming attribute values, with the messages
 * DynamoDB answers (several keep AWS's typos: "An string set  may not be
 * empty" has a doubled space, the BS duplicate message has no space before
 * "of"). Normalising turns numbers into their canonical text and binary into
 * base64, so stored items compare and print as DynamoDB's do.
 */

const EMPTY_VALUE_MESSAGE = 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
const MULTIPLE_TYPES_MESSAGE =
  'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';
export const INVALID_PARAMETER_PREFIX = 'One or more parameter values were invalid: ';
/** As captured from DynamoDB for an item nested deeper than 32 levels. */
const NESTING_LIMIT_MESSAGE =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

/**
 * A map or list may sit at most at level 31, the top-level attribute value
 * being level 1, so a scalar can be at most 32 levels deep.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-attributes
 */
const MAX_NESTING_LEVEL = 32;

function invalid(reason: string): Error {
  return validationError(INVALID_PARAMETER_PREFIX + reason);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function isBinary(value: unknown): value is BinaryValue {
  return typeof value === 'string' || value instanceof Uint8Array;
}

function expectArray(value: unknown): readonly unknown[] {
  if (!Array.isArray(value)) throw validationError(EMPTY_VALUE_MESSAGE);
  return value;
}

function normalizeNumberSet(members: readonly unknown[]): string[] {
  if (members.length === 0) throw invalid('An number set  may not be empty');
  const parsed: Decimal[] = members.map((member) => {
    if (typeof member !== 'string') throw validationError(EMPTY_VALUE_MESSAGE);
    return parseStorableNumber(member);
  });
  // "1" and "1.0" are the same number, so they are duplicates too.
  parsed.forEach((value, index) => {
    if (parsed.slice(0, index).some((earlier) => compareDecimals(earlier, value) === 0)) {
      throw validationError('Input collection contains duplicates');
    }
  });
  return parsed.map(formatDecimal);
}

function normalizeStringSet(members: readonly unknown[]): string[] {
  if (members.length === 0) throw invalid('An string set  may not be empty');
  const strings = members.map((member) => {
    if (typeof member !== 'string') throw validationError(EMPTY_VALUE_MESSAGE);
    return member;
  });
  if (new Set(strings).size !== strings.length) {
    throw invalid(`Input collection [${strings.join(', ')}] contains duplicates.`);
  }
  return strings;
}

function normalizeBinarySet(members: readonly unknown[]): string[] {
  if (members.length === 0) throw invalid('Binary sets should not be empty');
  const binaries = members.map((member) => {
    if (!isBinary(member)) throw validationError(EMPTY_VALUE_MESSAGE);
    return base64Of(member);
  });
  const bytes = binaries.map(bytesOf);
  bytes.forEach((value, index) => {
    if (bytes.slice(0, index).some((earlier) => compareBytes(earlier, value) === 0)) {
      throw invalid(`Input collection [${binaries.join(', ')}]of type BS contains duplicates.`);
    }
  });
  return binaries;
}

function checkNesting(level: number, checkDepth: boolean): void {
  if (checkDepth && level >= MAX_NESTING_LEVEL) throw validationError(NESTING_LIMIT_MESSAGE);
}

function normalizeTyped(type: AttributeType, raw: unknown, level: number, checkDepth: boolean): AttributeValue {
  switch (type) {
    case 'S':
      if (typeof raw !== 'string') throw validationError(EMPTY_VALUE_MESSAGE);
      return { S: raw };
    case 'N':
      if (typeof raw !== 'string') throw validationError(EMPTY_VALUE_MESSAGE);
      return { N: formatDecimal(parseStorableNumber(raw)) };
    case 'B':
      if (!isBinary(raw)) throw validationError(EMPTY_VALUE_MESSAGE);
      return { B: base64Of(raw) };
    case 'BOOL':
      if (typeof raw !== 'boolean') throw validationError(EMPTY_VALUE_MESSAGE);
      return { BOOL: raw };
    case 'NULL':
      if (raw !== true) throw invalid('Null attribute value types must have the value of true');
      return { NULL: true };
    case 'SS':
      return { SS: normalizeStringSet(expectArray(raw)) };
    case 'NS':
      return { NS: normalizeNumberSet(expectArray(raw)) };
    case 'BS':
      return { BS: normalizeBinarySet(expectArray(raw)) };
    case 'M': {
      if (!isRecord(raw)) throw validationError(EMPTY_VALUE_MESSAGE);
      checkNesting(level, checkDepth);
      return { M: Object.fromEntries(Object.entries(raw).map(([name, member]) => [name, normalize(member, level + 1, checkDepth)])) };
    }
    case 'L':
      checkNesting(level, checkDepth);
      return { L: expectArray(raw).map((member) => normalize(member, level + 1, checkDepth)) };
  }
}

function normalize(raw: unknown, level: number, checkDepth: boolean): AttributeValue {
  if (!isRecord(raw)) throw validationError(EMPTY_VALUE_MESSAGE);
  // Members are checked in the order they were sent, and only then is the
  // count of types checked: {S: 'a', N: ''} reports the number, not the count.
  const present = Object.keys(raw).filter(
    (key): key is AttributeType => (ATTRIBUTE_TYPES as readonly string[]).includes(key) && raw[key] !== undefined && raw[key] !== null,
  );
  const values = present.map((type) => normalizeTyped(type, raw[type], level, checkDepth));
  const [only] = values;
  if (only === undefined) throw validationError(EMPTY_VALUE_MESSAGE);
  if (values.length > 1) throw validationError(MULTIPLE_TYPES_MESSAGE);
  return only;
}

/**
 * Validates one attribute value (an ExpressionAttributeValue, a condition
 * argument) and returns its normalised form.
 */
export function normalizeAttributeValue(raw: unknown): AttributeValue {
  return normalize(raw, 1, false);
}

/**
 * Validates an item (PutItem's Item, a Key) and returns it normalised; also
 * enforces the 32-level nesting limit, which applies to what is stored.
 */
export function normalizeItem(raw: Readonly<Record<string, unknown>>): Item {
  return Object.fromEntries(Object.entries(raw).map(([name, value]) => [name, normalize(value, 1, true)]));
}

/** The nesting check for an item this engine built (an update's result). */
export function assertNestingWithinLimit(item: Item): void {
  const visit = (value: AttributeValue, level: number): void => {
    if ('M' in value) {
      checkNesting(level, true);
      Object.values(value.M).forEach((member) => { visit(member, level + 1); });
    } else if ('L' in value) {
      checkNesting(level, true);
      value.L.forEach((member) => { visit(member, level + 1); });
    }
  };
  Object.values(item).forEach((value) => { visit(value, 1); });
}
