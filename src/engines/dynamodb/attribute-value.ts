import { Buffer } from 'node:buffer';

/**
 * DynamoDB's data model: an item is a map of attribute names to typed values.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes
 *
 * Binary travels as base64 in the JSON protocol; in-process callers may pass
 * bytes instead, so both forms are accepted. Values this engine produces use
 * base64 strings, the form the provider stores and returns.
 */
export type BinaryValue = string | Uint8Array;

export type AttributeValue =
  | { readonly S: string }
  | { readonly N: string }
  | { readonly B: BinaryValue }
  | { readonly BOOL: boolean }
  | { readonly NULL: true }
  | { readonly M: AttributeMap }
  | { readonly L: readonly AttributeValue[] }
  | { readonly SS: readonly string[] }
  | { readonly NS: readonly string[] }
  | { readonly BS: readonly BinaryValue[] };

export interface AttributeMap {
  readonly [name: string]: AttributeValue;
}

/** An item, a key, or ExpressionAttributeValues once validated. */
export type Item = AttributeMap;

export type AttributeType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'M' | 'L' | 'SS' | 'NS' | 'BS';

/** The type descriptors, in the order DynamoDB's own JSON deserializer tries them. */
export const ATTRIBUTE_TYPES: readonly AttributeType[] = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'];

export type ScalarKeyValue = { readonly S: string } | { readonly N: string } | { readonly B: BinaryValue };

export function typeOf(value: AttributeValue): AttributeType {
  if ('S' in value) return 'S';
  if ('N' in value) return 'N';
  if ('B' in value) return 'B';
  if ('BOOL' in value) return 'BOOL';
  if ('NULL' in value) return 'NULL';
  if ('M' in value) return 'M';
  if ('L' in value) return 'L';
  if ('SS' in value) return 'SS';
  if ('NS' in value) return 'NS';
  return 'BS';
}

export function bytesOf(binary: BinaryValue): Uint8Array {
  return typeof binary === 'string' ? Buffer.from(binary, 'base64') : binary;
}

export function base64Of(binary: BinaryValue): string {
  return typeof binary === 'string' ? binary : Buffer.from(binary.buffer, binary.byteOffset, binary.byteLength).toString('base64');
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
