/**
 * Item collections of tables with local secondary indexes: all the items sharing a partition key value,
 * plus their entries in every LSI. Their size is capped at 10 GB and reported by ReturnItemCollectionMetrics.
 * Nimbus keeps each collection's size in a record updated in the transaction of every item write, so
 * neither the check nor the metrics read the partition.
 *
 * Sizes: an item counts as DynamoDB sizes it; an LSI entry counts its key attributes (the table's and the
 * index's), its projected attributes and 100 bytes of overhead.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html#LSI.ItemCollections
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html#LSI.StorageConsiderations
 */
import { itemSize } from '../../engines/dynamodb/index.js';
import type { Item } from '../../engines/dynamodb/index.js';
import type { ItemCollectionMetrics } from '../../generated/dynamodb.js';
import { ServiceError } from '../../shared/errors.js';
import type { Collection } from '../../store/store.js';
import { scopedName } from '../../store/store.js';
import type { ServiceRuntime } from '../service.js';
import { projectForIndex } from './capacity.js';
import { indexEntryKey, partitionPrefix } from './item-store.js';
import type { Scope, TableRecord } from './tables.js';
import { tableSchema } from './tables.js';
import { toWire } from './wire-values.js';

const GB = 1024 ** 3;
/** The most an item collection may hold. */
export const MAX_ITEM_COLLECTION_BYTES = 10 * GB;
const LSI_ENTRY_OVERHEAD = 100;

interface CollectionSize {
  bytes: number;
}

function sizesOf(runtime: ServiceRuntime, scope: Scope, table: TableRecord): Collection<CollectionSize> {
  return runtime.store.collection<CollectionSize>(scopedName('dynamodb', scope.account, scope.region, `item-collections/${table.id}`));
}

/** What one item adds to its collection: itself and its entry in each LSI it appears in. */
function collectionBytes(table: TableRecord, item: Item | undefined): number {
  if (item === undefined) return 0;
  let bytes = itemSize(item);
  for (const index of table.lsis) {
    if (indexEntryKey(table, index, item) !== undefined) bytes += itemSize(projectForIndex(table, index, item)) + LSI_ENTRY_OVERHEAD;
  }
  return bytes;
}

function sizeLimitExceeded(): ServiceError {
  // The message is the one the API model documents for this exception.
  return new ServiceError('ItemCollectionSizeLimitExceededException', 'The total size of an item collection has exceeded the maximum limit of 10 gigabytes.', 400);
}

/**
 * Accounts one item change to its collection (call inside the write's transaction). A change that would
 * grow a collection past 10 GB throws ItemCollectionSizeLimitExceededException, rolling the write back.
 */
export function trackItemCollection(runtime: ServiceRuntime, scope: Scope, table: TableRecord, oldItem: Item | undefined, newItem: Item | undefined): void {
  if (table.lsis.length === 0) return;
  const delta = collectionBytes(table, newItem) - collectionBytes(table, oldItem);
  if (delta === 0) return;
  const partition = partitionPrefix((newItem ?? oldItem)![tableSchema(table).partitionKey.name]);
  const sizes = sizesOf(runtime, scope, table);
  const bytes = (sizes.get(partition)?.bytes ?? 0) + delta;
  if (delta > 0 && bytes > MAX_ITEM_COLLECTION_BYTES) throw sizeLimitExceeded();
  if (bytes <= 0) sizes.delete(partition);
  else sizes.put(partition, { bytes });
}

export function dropItemCollections(runtime: ServiceRuntime, scope: Scope, table: TableRecord): void {
  sizesOf(runtime, scope, table).deletePrefix();
}

/**
 * ItemCollectionMetrics for the collection holding `key`, when the table has LSIs. DynamoDB's estimate is
 * a range of whole gigabytes around the size ([0, 1] for anything under 1 GB), as its responses show.
 */
export function itemCollectionMetrics(runtime: ServiceRuntime, scope: Scope, table: TableRecord, key: Item): ItemCollectionMetrics | undefined {
  if (table.lsis.length === 0) return undefined;
  const name = tableSchema(table).partitionKey.name;
  const bytes = sizesOf(runtime, scope, table).get(partitionPrefix(key[name]))?.bytes ?? 0;
  const lower = Math.floor(bytes / GB);
  return { ItemCollectionKey: toWire({ [name]: key[name] }), SizeEstimateRangeGB: [lower, lower + 1] };
}

/** The ItemCollectionMetrics map of BatchWriteItem and TransactWriteItems: per table, one entry per collection written. */
export function itemCollectionMetricsByTable(
  runtime: ServiceRuntime,
  scope: Scope,
  writes: readonly { table: TableRecord; key: Item }[],
): Record<string, ItemCollectionMetrics[]> | undefined {
  const byTable: Record<string, ItemCollectionMetrics[]> = {};
  const seen = new Set<string>();
  for (const { table, key } of writes) {
    const name = tableSchema(table).partitionKey.name;
    const id = `${table.name}\u0000${partitionPrefix(key[name])}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const metrics = itemCollectionMetrics(runtime, scope, table, key);
    if (metrics !== undefined) (byTable[table.name] ??= []).push(metrics);
  }
  return Object.keys(byTable).length > 0 ? byTable : undefined;
}
