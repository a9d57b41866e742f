/**
 * A Query's ExclusiveStartKey, checked as DynamoDB checks it once the table is known: the key's shape
 * (one attribute per table and index key attribute, each of the schema's type) around the key condition,
 * then whether the key lies inside what the key condition selects. The messages are DynamoDB's; it says
 * "The provided starting key is invalid" for a missing or extra attribute and "The provided key element
 * does not match the schema" for a wrong type.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html#DDB-Query-request-ExclusiveStartKey
 */
import { matchesSortKey, typeOf, valuesEqual } from '../../engines/dynamodb/index.js';
import type { Item, KeyAttribute, KeyConditionPlan, KeySchema } from '../../engines/dynamodb/index.js';
import { validation } from './tables.js';

/** The start key names exactly the table's and the queried index's key attributes. */
export function checkStartKeyCount(startKey: Item, keyNames: ReadonlySet<string>): void {
  if (Object.keys(startKey).length !== keyNames.size) throw validation('The provided starting key is invalid');
}

/** One key attribute of the queried schema is in the start key, with the schema's type. */
export function checkStartKeyAttribute(startKey: Item, attribute: KeyAttribute): void {
  const value = Object.hasOwn(startKey, attribute.name) ? startKey[attribute.name] : undefined;
  if (value === undefined) throw validation('The provided starting key is invalid');
  if (typeOf(value) !== attribute.type) throw validation('The provided key element does not match the schema');
}

/**
 * The start key must be inside the key condition: the same partition, and a sort key the sort key condition
 * accepts. A query that pins the sort key too returns at most one item, so there is nothing to resume.
 */
export function checkStartKeyBounds(startKey: Item, plan: KeyConditionPlan, schema: KeySchema): void {
  const samePartition = valuesEqual(startKey[schema.partitionKey.name], plan.partitionKey.value);
  const sortKey = plan.sortKey;
  if (sortKey === undefined) {
    if (!samePartition) throw validation('The provided starting key is outside query boundaries based on provided conditions');
    return;
  }
  if (!matchesSortKey(sortKey, startKey[sortKey.name])) throw validation('The provided starting key does not match the range key predicate');
  if (!samePartition) throw validation('The query can return at most one row and cannot be restarted');
}
