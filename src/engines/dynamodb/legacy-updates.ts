import { bytesOf, typeOf } from './attribute-value.js';
import { compareBytes } from './compare-values.js';
import { projectTrie } from './document-path.js';
import { addDecimals, assertStorableResult, compareNumbers, decimalOf, formatDecimal } from './number-value.js';
import { projectionOfAttributes } from './projection-expression.js';
import { INVALID_PARAMETER_PREFIX, assertNestingWithinLimit, normalizeAttributeValue } from './validate-attribute-value.js';
import { validationError } from './validation-error.js';
import type { AttributeType, AttributeValue, Item } from './attribute-value.js';

/**
 * UpdateItem's legacy AttributeUpdates: PUT replaces an attribute, DELETE
 * without a value removes it and with a set removes those members, ADD adds
 * to a number, set or list (creating the attribute when missing).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.AttributeUpdates.html
 */

export interface AttributeValueUpdateInput {
  readonly Action?: string;
  readonly Value?: unknown;
}

export interface AttributeUpdate {
  readonly attribute: string;
  readonly action: 'PUT' | 'ADD' | 'DELETE';
  readonly value?: AttributeValue;
}

const DELETE_TYPES: readonly AttributeType[] = ['SS', 'NS', 'BS'];
const ADD_TYPES: readonly AttributeType[] = ['N', 'L', ...DELETE_TYPES];
const TYPE_MISMATCH_MESSAGE = 'Type mismatch for attribute to update';

function invalid(reason: string): Error {
  return validationError(INVALID_PARAMETER_PREFIX + reason);
}

export function compileAttributeUpdates(updates: Readonly<Record<string, AttributeValueUpdateInput>>): AttributeUpdate[] {
  return Object.entries(updates).map(([attribute, update]) => {
    const value = update.Value === undefined || update.Value === null ? undefined : normalizeAttributeValue(update.Value);
    const action = update.Action === 'ADD' || update.Action === 'DELETE' ? update.Action : 'PUT';
    if (value === undefined) {
      if (action !== 'DELETE') throw invalid('Only DELETE action is allowed when no attribute value is specified');
      return { attribute, action };
    }
    if (action === 'DELETE' && !DELETE_TYPES.includes(typeOf(value))) {
      throw invalid(`DELETE action with value is not supported for the type ${typeOf(value)}`);
    }
    if (action === 'ADD' && !ADD_TYPES.includes(typeOf(value))) throw invalid(`ADD action is not supported for the type ${typeOf(value)}`);
    return { attribute, action, value };
  });
}

function sameMember(type: AttributeType, a: string | Uint8Array, b: string | Uint8Array): boolean {
  if (type === 'NS') return compareNumbers(String(a), String(b)) === 0;
  if (type === 'BS') return compareBytes(bytesOf(a), bytesOf(b)) === 0;
  return a === b;
}

function membersOf(value: AttributeValue): readonly (string | Uint8Array)[] {
  if ('SS' in value) return value.SS;
  if ('NS' in value) return value.NS;
  if ('BS' in value) return value.BS;
  return [];
}

function setOf(type: AttributeType, members: readonly (string | Uint8Array)[]): AttributeValue {
  if (type === 'SS') return { SS: members.map(String) };
  if (type === 'NS') return { NS: members.map(String) };
  return { BS: [...members] };
}

function added(existing: AttributeValue, value: AttributeValue): AttributeValue {
  if ('N' in existing && 'N' in value) {
    const sum = addDecimals(decimalOf(existing.N), decimalOf(value.N));
    assertStorableResult(sum);
    return { N: formatDecimal(sum) };
  }
  if ('L' in existing && 'L' in value) return { L: [...existing.L, ...value.L] };
  const type = typeOf(existing);
  const current = membersOf(existing);
  return setOf(type, [...current, ...membersOf(value).filter((member) => !current.some((old) => sameMember(type, old, member)))]);
}

function removed(existing: AttributeValue, value: AttributeValue): AttributeValue | undefined {
  const type = typeOf(existing);
  const gone = membersOf(value);
  const rest = membersOf(existing).filter((member) => !gone.some((other) => sameMember(type, member, other)));
  return rest.length === 0 ? undefined : setOf(type, rest);
}

function updatedValue(update: AttributeUpdate, existing: AttributeValue | undefined): AttributeValue | undefined {
  const value = update.value;
  if (update.action === 'PUT') return value;
  if (value === undefined) return undefined;
  if (existing === undefined) return update.action === 'ADD' ? value : undefined;
  if (typeOf(existing) !== typeOf(value)) throw validationError(TYPE_MISMATCH_MESSAGE);
  return update.action === 'ADD' ? added(existing, value) : removed(existing, value);
}

/** The type each AttributeUpdates entry with a Value writes its attribute with. */
export function attributeUpdateWriteTypes(updates: readonly AttributeUpdate[]): Map<string, AttributeType> {
  return new Map(updates.flatMap((update) => (update.value === undefined ? [] : [[update.attribute, typeOf(update.value)] as const])));
}

export function applyAttributeUpdates(updates: readonly AttributeUpdate[], item: Item): Item {
  const result = new Map(Object.entries(item));
  for (const update of updates) {
    const value = updatedValue(update, result.get(update.attribute));
    if (value === undefined) result.delete(update.attribute);
    else result.set(update.attribute, value);
  }
  const updated = Object.fromEntries(result);
  assertNestingWithinLimit(updated);
  return updated;
}

/** The attributes AttributeUpdates wrote, for UPDATED_OLD and UPDATED_NEW. */
export function attributeUpdatesResult(updates: readonly AttributeUpdate[], item: Item): Item | undefined {
  return projectTrie(item, projectionOfAttributes([...new Set(updates.map((update) => update.attribute))]).trie);
}
