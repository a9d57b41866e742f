/**
 * Where items live. Each table has one collection of items keyed by its primary key, encoded so the
 * store's key order is DynamoDB's order (partition key, a space, sort key): a Query is a prefix scan of
 * one partition. Each secondary index has a collection keyed by the index key then the table key, whose
 * records hold the table key of the item; it is maintained in the same transaction as the item write.
 */
import { encodeKeyValue, extractKey, itemSize, keyAttributes, typeOf, valuesEqual } from '../../engines/dynamodb/index.js';
import type { AttributeValue, Item, KeySchema, ScalarKeyValue } from '../../engines/dynamodb/index.js';
import type { Collection } from '../../store/store.js';
import { scopedName } from '../../store/store.js';
import type { ServiceRuntime } from '../service.js';
import { dropItemCollections, trackItemCollection } from './item-collections.js';
import type { StreamEventName } from './stream-recorder.js';
import { streamRecorder } from './stream-recorders.js';
import type { IndexRecord, Scope, TableRecord, TableStats } from './tables.js';
import { schemaOf, tableSchema } from './tables.js';

/** Joins key parts; below every character of encodeKeyValue's alphabet, so order is kept. */
const SEPARATOR = ' ';

export interface IndexEntry {
  /** The item's table key, encoded. */
  tableKey: string;
}

function encodePart(value: AttributeValue | undefined): string {
  return encodeKeyValue(value as ScalarKeyValue);
}

/** The encoded primary key of an item or key: partition, separator, sort key (if any). */
export function encodeKey(item: Item, schema: KeySchema): string {
  const partition = `${encodePart(item[schema.partitionKey.name])}${SEPARATOR}`;
  return schema.sortKey === undefined ? partition : `${partition}${encodePart(item[schema.sortKey.name])}`;
}

/** The prefix shared by every key of one partition. */
export function partitionPrefix(value: AttributeValue): string {
  return `${encodePart(value)}${SEPARATOR}`;
}

export function itemsOf(runtime: ServiceRuntime, ctx: Scope, table: TableRecord): Collection<Item> {
  return runtime.store.collection<Item>(scopedName('dynamodb', ctx.account, ctx.region, `items/${table.id}`));
}

export function indexOf(runtime: ServiceRuntime, ctx: Scope, table: TableRecord, indexName: string): Collection<IndexEntry> {
  return runtime.store.collection<IndexEntry>(scopedName('dynamodb', ctx.account, ctx.region, `index/${table.id}/${indexName}`));
}

export function indexSchemaOf(table: TableRecord, index: IndexRecord): KeySchema {
  return schemaOf(index.keySchema, table.attributeDefinitions);
}

/** An item appears in an index only when it has every index key attribute (a sparse index). */
function indexKey(item: Item, schema: KeySchema, tableKey: string): string | undefined {
  const attributes = keyAttributes(schema);
  if (attributes.some((a) => item[a.name] === undefined || typeOf(item[a.name]) !== a.type)) return undefined;
  return `${encodeKey(item, schema)}${SEPARATOR}${tableKey}`;
}

export function indexEntryKey(table: TableRecord, index: IndexRecord, item: Item): string | undefined {
  return indexKey(item, indexSchemaOf(table, index), encodeKey(item, tableSchema(table)));
}

function updateIndexes(runtime: ServiceRuntime, ctx: Scope, table: TableRecord, tableKey: string, oldItem: Item | undefined, newItem: Item | undefined): void {
  for (const index of [...table.lsis, ...table.gsis]) {
    const schema = indexSchemaOf(table, index);
    const collection = indexOf(runtime, ctx, table, index.name);
    const before = oldItem && indexKey(oldItem, schema, tableKey);
    const after = newItem && indexKey(newItem, schema, tableKey);
    if (before !== undefined && before !== after) collection.delete(before);
    if (after !== undefined) collection.put(after, { tableKey });
  }
}

/**
 * Writes (or deletes, when `newItem` is undefined) one item with its index entries, and hands the change
 * to the stream recorder when the table has a stream. Call inside a store transaction; an update that
 * changes nothing records nothing.
 */
export function writeItem(
  runtime: ServiceRuntime,
  ctx: Scope,
  table: TableRecord,
  oldItem: Item | undefined,
  newItem: Item | undefined,
  options: { byTimeToLive?: boolean } = {},
): void {
  const schema = tableSchema(table);
  const key = encodeKey((newItem ?? oldItem)!, schema);
  const items = itemsOf(runtime, ctx, table);
  if (newItem === undefined) {
    if (oldItem === undefined) return;
    items.delete(key);
  } else {
    items.put(key, newItem);
  }
  updateIndexes(runtime, ctx, table, key, oldItem, newItem);
  trackItemCollection(runtime, ctx, table, oldItem, newItem);
  // A stream holds only the changes made while it is enabled, so a table without one logs nothing.
  if (table.stream === undefined) return;
  const eventName: StreamEventName = newItem === undefined ? 'REMOVE' : oldItem === undefined ? 'INSERT' : 'MODIFY';
  if (eventName === 'MODIFY' && valuesEqual({ M: oldItem! }, { M: newItem! })) return;
  streamRecorder(runtime).record({
    account: ctx.account,
    region: ctx.region,
    tableName: table.name,
    eventName,
    keys: extractKey((newItem ?? oldItem)!, schema),
    ...(oldItem ? { oldImage: oldItem } : {}),
    ...(newItem ? { newImage: newItem } : {}),
    at: runtime.clock.now(),
    ...(options.byTimeToLive ? { byTimeToLive: true } : {}),
  });
}

/** Builds a GSI's entries from the table's items (UpdateTable's backfill). */
export function backfillIndex(runtime: ServiceRuntime, ctx: Scope, table: TableRecord, index: IndexRecord): void {
  const schema = indexSchemaOf(table, index);
  const collection = indexOf(runtime, ctx, table, index.name);
  for (const [tableKey, item] of itemsOf(runtime, ctx, table).list()) {
    const key = indexKey(item, schema, tableKey);
    if (key !== undefined) collection.put(key, { tableKey });
  }
}

export function dropTableData(runtime: ServiceRuntime, ctx: Scope, table: TableRecord): void {
  itemsOf(runtime, ctx, table).deletePrefix();
  for (const index of [...table.lsis, ...table.gsis]) indexOf(runtime, ctx, table, index.name).deletePrefix();
  dropItemCollections(runtime, ctx, table);
}

/** Item counts and sizes (DynamoDB refreshes these every six hours; Nimbus reports them live). */
export function tableStats(runtime: ServiceRuntime, ctx: Scope, table: TableRecord): TableStats {
  const items = itemsOf(runtime, ctx, table).list();
  const byKey = new Map(items);
  const indexes: TableStats['indexes'] = {};
  for (const index of [...table.lsis, ...table.gsis]) {
    const entries = indexOf(runtime, ctx, table, index.name).list();
    indexes[index.name] = {
      itemCount: entries.length,
      sizeBytes: entries.reduce((sum, [, entry]) => sum + itemSize(byKey.get(entry.tableKey) ?? {}), 0),
    };
  }
  return { itemCount: items.length, sizeBytes: items.reduce((sum, [, item]) => sum + itemSize(item), 0), indexes };
}
