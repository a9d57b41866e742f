import { bytesOf, typeOf, utf8Length } from './attribute-value.js';
import { INVALID_PARAMETER_PREFIX } from './validate-attribute-value.js';
import { validationError } from './validation-error.js';
import type { AttributeValue, Item } from './attribute-value.js';
import type { DocumentPath } from './document-path.js';

/**
 * Checks of keys and key attributes against a table's key schema and its
 * secondary indexes, with DynamoDB's messages. Empty strings and binary are
 * allowed anywhere except in key attributes.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-partition-sort-keys
 */
export type KeyType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyType;
}

export interface KeySchema {
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
}

export interface IndexKeySchema extends KeySchema {
  readonly indexName: string;
}

const KEY_MISMATCH_MESSAGE = 'The provided key element does not match the schema';
const MAX_PARTITION_KEY_BYTES = 2048;
const MAX_SORT_KEY_BYTES = 1024;

export function keyAttributes(schema: KeySchema): KeyAttribute[] {
  return schema.sortKey === undefined ? [schema.partitionKey] : [schema.partitionKey, schema.sortKey];
}

function emptyKeyValueKind(value: AttributeValue): 'string' | 'binary' | undefined {
  if ('S' in value && value.S === '') return 'string';
  if ('B' in value && bytesOf(value.B).length === 0) return 'binary';
  return undefined;
}

function keyByteLength(value: AttributeValue): number {
  if ('S' in value) return utf8Length(value.S);
  if ('B' in value) return bytesOf(value.B).length;
  return 0;
}

/**
 * Every operation words an empty key value "One or more parameter values are not valid. ...", a Key
 * (GetItem, DeleteItem, UpdateItem, batch and transaction keys) as an Item does. dynalite's suite still
 * expects GetItem's "were invalid: ..." of May 2020; later captures from the service show the wording
 * above for GetItem (getmoto/moto#5345) and Query (getmoto/moto#7062), and for every Key path
 * (nubo-db/dynoxide#102, #104).
 */
function checkKeyValue(attribute: KeyAttribute, value: AttributeValue, isPartition: boolean): void {
  const empty = emptyKeyValueKind(value);
  if (empty !== undefined) {
    throw validationError(
      `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${empty} value. Key: ${attribute.name}`,
    );
  }
  const size = keyByteLength(value);
  if (isPartition && size > MAX_PARTITION_KEY_BYTES) {
    throw validationError(`${INVALID_PARAMETER_PREFIX}Size of hashkey has exceeded the maximum size limit of2048 bytes`);
  }
  if (!isPartition && size > MAX_SORT_KEY_BYTES) {
    throw validationError(`${INVALID_PARAMETER_PREFIX}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`);
  }
}

/** A Key parameter (GetItem, DeleteItem, UpdateItem): exactly the key attributes, typed as declared. */
export function validateKey(key: Item, schema: KeySchema): void {
  const attributes = keyAttributes(schema);
  if (Object.keys(key).length !== attributes.length) throw validationError(KEY_MISMATCH_MESSAGE);
  attributes.forEach((attribute, index) => {
    const value = key[attribute.name];
    if (value === undefined || typeOf(value) !== attribute.type) throw validationError(KEY_MISMATCH_MESSAGE);
    checkKeyValue(attribute, value, index === 0);
  });
}

/** The key attributes of a whole item (PutItem). */
export function validateItemKey(item: Item, schema: KeySchema): void {
  keyAttributes(schema).forEach((attribute, index) => {
    const value = item[attribute.name];
    if (value === undefined) throw validationError(`${INVALID_PARAMETER_PREFIX}Missing the key ${attribute.name} in the item`);
    if (typeOf(value) !== attribute.type) {
      throw validationError(
        `${INVALID_PARAMETER_PREFIX}Type mismatch for key ${attribute.name} expected: ${attribute.type} actual: ${typeOf(value)}`,
      );
    }
    checkKeyValue(attribute, value, index === 0);
  });
}

/** Picks the key attributes out of an item. */
export function extractKey(item: Item, schema: KeySchema): Item {
  return Object.fromEntries(
    keyAttributes(schema).flatMap((attribute) => {
      const value = item[attribute.name];
      return value === undefined ? [] : [[attribute.name, value]];
    }),
  );
}

function indexKeyTypeMismatch(attribute: KeyAttribute, actual: string, index: IndexKeySchema): Error {
  return validationError(
    `${INVALID_PARAMETER_PREFIX}Type mismatch for Index Key ${attribute.name} Expected: ${attribute.type} Actual: ${actual} IndexName: ${index.indexName}`,
  );
}

/**
 * An update that writes an index key attribute with a type the expression (or AttributeUpdates) already
 * tells is refused before any item is read, naming the index as PutItem does; dynalite's suite, recorded
 * against DynamoDB, gets this for "ADD c :n" and "SET c = a + :n" on a string index key (updateItem.js).
 * Types only known once applied fall to validateIndexKeys(..., 'update').
 */
export function checkIndexKeyWrites(writeTypes: ReadonlyMap<string, string>, indexes: readonly IndexKeySchema[]): void {
  if (writeTypes.size === 0) return;
  for (const index of indexes) {
    for (const attribute of keyAttributes(index)) {
      const written = writeTypes.get(attribute.name);
      if (written !== undefined && written !== attribute.type) throw indexKeyTypeMismatch(attribute, written, index);
    }
  }
}

/**
 * Index key attributes are optional in an item, but when present they must
 * have the declared type and must not be empty. PutItem names the index;
 * UpdateItem reports the update instead.
 */
export function validateIndexKeys(item: Item, indexes: readonly IndexKeySchema[], operation: 'put' | 'update'): void {
  for (const index of indexes) {
    for (const attribute of keyAttributes(index)) {
      const value = item[attribute.name];
      if (value === undefined) continue;
      if (typeOf(value) !== attribute.type) {
        throw operation === 'put'
          ? indexKeyTypeMismatch(attribute, typeOf(value), index)
          : validationError('The update expression attempted to update the secondary index key to unsupported type');
      }
      const empty = emptyKeyValueKind(value);
      if (empty === undefined) continue;
      throw validationError(
        operation === 'put'
          ? `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${empty} value. IndexName: ${index.indexName}, IndexKey: ${attribute.name}`
          : `One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty ${empty} value.`,
      );
    }
  }
}

/**
 * An update may not write a key attribute ("Cannot update attribute pk. This
 * attribute is part of the key"), checked in key schema order.
 */
export function checkKeyNotUpdated(targets: readonly DocumentPath[], schema: KeySchema): void {
  for (const attribute of keyAttributes(schema)) {
    if (targets.some((path) => path[0] === attribute.name)) {
      throw validationError(`${INVALID_PARAMETER_PREFIX}Cannot update attribute ${attribute.name}. This attribute is part of the key`);
    }
  }
}

/** Key attributes are scalars, so an update expression may not reach into one. */
export function checkKeyPathsScalar(paths: readonly DocumentPath[], schema: KeySchema, indexes: readonly IndexKeySchema[] = []): void {
  const nestedHeads = new Set(paths.filter((path) => path.length > 1).map((path) => path[0]));
  const message = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed";
  for (const attribute of keyAttributes(schema)) {
    if (nestedHeads.has(attribute.name)) throw validationError(`${message}: Key: ${attribute.name}`);
  }
  for (const attribute of indexes.flatMap(keyAttributes)) {
    if (nestedHeads.has(attribute.name)) throw validationError(`${message}: IndexKey: ${attribute.name}`);
  }
}
