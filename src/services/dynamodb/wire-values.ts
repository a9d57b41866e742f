/**
 * Conversions between the protocol's typed attribute values (blobs as Buffer) and the engine's
 * normalised ones (blobs as base64 strings, the form the store keeps).
 */
import { normalizeItem } from '../../engines/dynamodb/index.js';
import type { AttributeValue as EngineValue, Item } from '../../engines/dynamodb/index.js';
import type { AttributeValue } from '../../generated/dynamodb.js';

export type WireItem = Record<string, AttributeValue>;

/** Validates and normalises an incoming item or key (throws DynamoDbValidationError). */
export function fromWire(item: WireItem): Item {
  return normalizeItem(item);
}

function valueToWire(value: EngineValue): AttributeValue {
  if ('B' in value) return { B: Buffer.from(typeof value.B === 'string' ? Buffer.from(value.B, 'base64') : value.B) };
  if ('BS' in value) return { BS: value.BS.map((b) => (typeof b === 'string' ? Buffer.from(b, 'base64') : Buffer.from(b))) };
  if ('M' in value) return { M: toWire(value.M) };
  if ('L' in value) return { L: value.L.map(valueToWire) };
  if ('SS' in value) return { SS: [...value.SS] };
  if ('NS' in value) return { NS: [...value.NS] };
  return value;
}

export function toWire(item: Item): WireItem {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, valueToWire(value)]));
}
