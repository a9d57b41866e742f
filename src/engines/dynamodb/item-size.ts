import { bytesOf, utf8Length } from './attribute-value.js';
import { decimalSize, parseDecimal } from './number-value.js';
import type { AttributeValue, Item } from './attribute-value.js';

/**
 * Item size as DynamoDB computes it for the 400 KB limit and for capacity
 * units: attribute names in UTF-8 plus each value's size, where
 * - strings are their UTF-8 bytes, binary its raw bytes;
 * - a number takes about one byte per two significant digits plus one;
 * - BOOL and NULL take one byte;
 * - a list or map takes 3 bytes of overhead plus one byte per element, plus
 *   its elements (and, for a map, the elements' names);
 * - a set is the sum of its members.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 */

/** 400 KB, the largest item DynamoDB stores. */
export const MAX_ITEM_SIZE = 400 * 1024;

function numberSize(text: string): number {
  const value = parseDecimal(text);
  return value === undefined ? 0 : decimalSize(value);
}

export function attributeValueSize(value: AttributeValue): number {
  if ('S' in value) return utf8Length(value.S);
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return bytesOf(value.B).length;
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('SS' in value) return value.SS.reduce((sum, member) => sum + utf8Length(member), 0);
  if ('NS' in value) return value.NS.reduce((sum, member) => sum + numberSize(member), 0);
  if ('BS' in value) return value.BS.reduce((sum, member) => sum + bytesOf(member).length, 0);
  if ('L' in value) return value.L.reduce((sum, member) => sum + 1 + attributeValueSize(member), 3);
  return Object.entries(value.M).reduce((sum, [name, member]) => sum + 1 + utf8Length(name) + attributeValueSize(member), 3);
}

export function itemSize(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8Length(name) + attributeValueSize(value), 0);
}
