/**
 * Query and Scan: walk the table's (or an index's) collection in key order, one partition for a Query,
 * evaluating items until Limit items or 1 MB of evaluated data, then filter and project. ScannedCount,
 * LastEvaluatedKey and the read units count every evaluated item, filtered out or not, as DynamoDB does.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html
 */
import {
  applyProjection,
  checkKeyPathsScalar,
  checkQueryFilterKeys,
  compileAttributesToGet,
  compileLegacyFilter,
  compileRequestExpressions,
  evaluateCondition,
  evaluateLegacyConditions,
  extractKey,
  itemSize,
  keyAttributes,
  matchesSortKey,
  planKeyCondition,
  planKeyConditions,
  validateKey,
} from '../../engines/dynamodb/index.js';
import type { AttributeValue, Condition, ConditionOperand, DocumentPath, Item, KeySchema } from '../../engines/dynamodb/index.js';
import type { QueryInput, ScanInput } from '../../generated/dynamodb.js';
import type { ServiceRuntime } from '../service.js';
import { projectForIndex, readUnits } from './capacity.js';
import { encodeKey, indexEntryKey, indexOf, indexSchemaOf, itemsOf, partitionPrefix } from './item-store.js';
import type { IndexRecord, Scope, TableRecord } from './tables.js';
import { indexSchemas, tableSchema, validation } from './tables.js';
import { checkStartKeyAttribute, checkStartKeyBounds, checkStartKeyCount } from './query-start-key.js';
import { liveItem } from './time-to-live.js';
import { fromWire } from './wire-values.js';

/** A page stops once the items it evaluated reach 1 MB. */
const PAGE_BYTES = 1024 * 1024;

export interface ReadPage {
  items: Item[];
  count: number;
  scannedCount: number;
  lastEvaluatedKey?: Item;
  readUnits: number;
}

interface Source {
  index?: IndexRecord;
  /** The key schema the request reads by (the index's, or the table's). */
  schema: KeySchema;
}

function sourceOf(table: TableRecord, indexName: string | undefined, consistentRead: boolean | undefined): Source {
  if (indexName === undefined) return { schema: tableSchema(table) };
  const index = [...table.lsis, ...table.gsis].find((i) => i.name === indexName);
  if (!index) throw validation(`The table does not have the specified index: ${indexName}`);
  if (consistentRead === true && table.gsis.includes(index)) throw validation('Consistent reads are not supported on global secondary indexes');
  return { index, schema: indexSchemaOf(table, index) };
}

/** The whole key an index page resumes from: the index key and the table key. */
function pageKey(table: TableRecord, source: Source, item: Item): Item {
  return source.index === undefined ? extractKey(item, tableSchema(table)) : { ...extractKey(item, tableSchema(table)), ...extractKey(item, source.schema) };
}

function startAfter(table: TableRecord, source: Source, exclusiveStartKey: QueryInput['ExclusiveStartKey']): string | undefined {
  if (exclusiveStartKey === undefined) return undefined;
  const start = fromWire(exclusiveStartKey);
  try {
    if (source.index === undefined) {
      validateKey(start, tableSchema(table));
      return encodeKey(start, tableSchema(table));
    }
    validateKey(extractKey(start, tableSchema(table)), tableSchema(table));
    const names = new Set([...keyAttributes(tableSchema(table)), ...keyAttributes(source.schema)].map((a) => a.name));
    if (Object.keys(start).some((name) => !names.has(name))) throw validation('The provided key element does not match the schema');
    const key = indexEntryKey(table, source.index, start);
    if (key === undefined) throw validation('The provided key element does not match the schema');
    return key;
  } catch (error) {
    throw validation(`The provided starting key is invalid: ${(error as Error).message}`);
  }
}

interface ReadOptions {
  select: string | undefined;
  filter: (item: Item) => boolean;
  projection: ((item: Item) => Item) | undefined;
  /** A local index read that fetches the whole item from the table rather than the index's projection. */
  fetchesFromTable: boolean;
  limit: number | undefined;
  consistent: boolean;
}

/** Walks store entries (already ordered and bounded) into a page. */
function readEntries(table: TableRecord, source: Source, entries: Iterable<Item | undefined>, options: ReadOptions): ReadPage {
  const page: ReadPage = { items: [], count: 0, scannedCount: 0, readUnits: 0 };
  let bytes = 0;
  let last: Item | undefined;
  let more = false;
  for (const stored of entries) {
    if (stored === undefined) continue;
    if (options.limit !== undefined && page.scannedCount >= options.limit) {
      more = true;
      break;
    }
    if (bytes >= PAGE_BYTES) {
      more = true;
      break;
    }
    const item = source.index === undefined || options.fetchesFromTable ? stored : projectForIndex(table, source.index, stored);
    page.scannedCount += 1;
    bytes += itemSize(item);
    last = item;
    if (!options.filter(item)) continue;
    page.count += 1;
    if (options.select !== 'COUNT') page.items.push(options.projection ? options.projection(item) : item);
  }
  // DynamoDB returns LastEvaluatedKey whenever a page stopped at Limit, even if nothing follows.
  if ((more || (options.limit !== undefined && page.scannedCount >= options.limit)) && last !== undefined) page.lastEvaluatedKey = pageKey(table, source, last);
  page.readUnits = readUnits(bytes, options.consistent);
  return page;
}

/**
 * A local secondary index fetches the attributes it does not project from the table, for ALL_ATTRIBUTES
 * and for a projection naming them; a global one cannot (its reads return only what it projects).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html#LSI.Projections
 */
function fetchesFromTable(select: string | undefined, source: Source, table: TableRecord, hasProjection: boolean): boolean {
  return source.index !== undefined && table.lsis.includes(source.index) && (select === 'ALL_ATTRIBUTES' || hasProjection);
}

function checkSelect(select: string | undefined, source: Source, table: TableRecord, hasProjection: boolean): void {
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && source.index === undefined) {
    throw validation('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
  }
  if (select === 'SPECIFIC_ATTRIBUTES' && !hasProjection) {
    throw validation('SPECIFIC_ATTRIBUTES requires AttributesToGet or ProjectionExpression');
  }
  if (hasProjection && select !== undefined && select !== 'SPECIFIC_ATTRIBUTES') {
    throw validation(`Cannot specify the ProjectionExpression or AttributesToGet when choosing to get ${select}`);
  }
  if (select === 'ALL_ATTRIBUTES' && source.index !== undefined && table.gsis.includes(source.index) && source.index.projection.ProjectionType !== 'ALL') {
    throw validation(
      `One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${source.index.name} because its projection type is not ALL`,
    );
  }
}

function operandPaths(operand: ConditionOperand): DocumentPath[] {
  if (operand.kind === 'path') return [operand.path];
  return operand.kind === 'size' ? operandPaths(operand.operand) : [];
}

/** The document paths a condition reads. */
function conditionPaths(condition: Condition): DocumentPath[] {
  switch (condition.kind) {
    case 'comparison':
      return [...operandPaths(condition.left), ...operandPaths(condition.right)];
    case 'in':
      return [condition.target, ...condition.candidates].flatMap(operandPaths);
    case 'between':
      return [condition.target, condition.low, condition.high].flatMap(operandPaths);
    case 'function':
      return condition.args.flatMap(operandPaths);
    case 'not':
      return conditionPaths(condition.operand);
    case 'and':
    case 'or':
      return [...conditionPaths(condition.left), ...conditionPaths(condition.right)];
  }
}

/**
 * A filter may not reach into any key attribute, the table's or an index's; DynamoDB says so after the
 * start key's checks (dynalite's suite, recorded against DynamoDB: scan.js "non-scalar key access" and
 * "ExclusiveStartKey does not match schema", query.js "non-scalar index access").
 */
function checkFilterKeyPaths(filter: Condition | undefined, table: TableRecord): void {
  if (filter !== undefined) checkKeyPathsScalar(conditionPaths(filter), tableSchema(table), indexSchemas(table));
}

/** A Query's filter may not name the key attributes it queries by (they belong in the key condition). */
function checkFilterKeys(paths: readonly DocumentPath[], schema: KeySchema): void {
  const heads = new Set(paths.map((path) => path[0]));
  const key = keyAttributes(schema).find((attribute) => heads.has(attribute.name));
  if (key !== undefined) throw validation(`Filter Expression can only contain non-primary key attributes: Primary key attribute: ${key.name}`);
}

function readOptions(
  operation: 'Query' | 'Scan',
  input: QueryInput | ScanInput,
  table: TableRecord,
  source: Source,
  compiled: ReturnType<typeof compileRequestExpressions>,
): { options: ReadOptions; keyCondition: ReturnType<typeof compileRequestExpressions>['keyCondition'] } {
  const legacyFilterInput = operation === 'Query' ? (input as QueryInput).QueryFilter : (input as ScanInput).ScanFilter;
  const legacyFilter = legacyFilterInput && compileLegacyFilter(legacyFilterInput, input.ConditionalOperator);
  if (legacyFilter && operation === 'Query') checkQueryFilterKeys(legacyFilter, keyAttributes(source.schema).map((a) => a.name));
  const projection = compiled.projection ?? (input.AttributesToGet ? compileAttributesToGet(input.AttributesToGet) : undefined);
  checkSelect(input.Select, source, table, projection !== undefined);
  const filter = compiled.filter;
  if (filter && operation === 'Query') checkFilterKeys(conditionPaths(filter), source.schema);
  return {
    keyCondition: compiled.keyCondition,
    options: {
      select: input.Select,
      filter: filter ? (item) => evaluateCondition(filter, item) : legacyFilter ? (item) => evaluateLegacyConditions(legacyFilter, item) : () => true,
      projection: projection && ((item) => applyProjection(projection, item)),
      fetchesFromTable: fetchesFromTable(input.Select, source, table, projection !== undefined),
      limit: input.Limit,
      consistent: input.ConsistentRead === true,
    },
  };
}

/** Reads never return expired items: they are deleted by Time to Live as the read meets them. */
function live(runtime: ServiceRuntime, ctx: Scope, table: TableRecord, stored: (Item | undefined)[]): (Item | undefined)[] {
  if (table.ttl?.enabled !== true) return stored;
  return runtime.store.transaction(() => stored.map((item) => liveItem(runtime, ctx, table, item)));
}

function* indexItems(runtime: ServiceRuntime, ctx: Scope, table: TableRecord, entries: Iterable<[string, { tableKey: string }]>): Generator<Item | undefined> {
  const items = itemsOf(runtime, ctx, table);
  for (const [, entry] of entries) yield items.get(entry.tableKey);
}

/** The attributes an ExclusiveStartKey names: the table's key attributes and the read index's. */
function startKeyNames(table: TableRecord, source: Source): Set<string> {
  return new Set([...keyAttributes(tableSchema(table)), ...keyAttributes(source.schema)].map((a) => a.name));
}

/** A Scan of an index checks the index key of its start key first, reporting without the "invalid:" detail. */
function checkIndexStartKey(table: TableRecord, source: Source, start: Item): void {
  checkStartKeyCount(start, startKeyNames(table, source));
  keyAttributes(source.schema).forEach((attribute) => { checkStartKeyAttribute(start, attribute); });
}

export function query(runtime: ServiceRuntime, ctx: Scope, table: TableRecord, input: QueryInput): ReadPage {
  const source = sourceOf(table, input.IndexName, input.ConsistentRead);
  // DynamoDB's order: the start key's shape around the key condition, its bounds, then the other checks.
  const start = input.ExclusiveStartKey && fromWire(input.ExclusiveStartKey);
  if (start) checkStartKeyCount(start, startKeyNames(table, source));
  if (start) checkStartKeyAttribute(start, source.schema.partitionKey);
  const compiled = compileRequestExpressions('Query', input);
  const { keyCondition } = compiled;
  let plan;
  if (keyCondition !== undefined) plan = planKeyCondition(keyCondition, source.schema);
  else if (input.KeyConditions !== undefined) plan = planKeyConditions(input.KeyConditions, source.schema);
  else throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  if (start && source.schema.sortKey) checkStartKeyAttribute(start, source.schema.sortKey);
  const after = startAfter(table, source, input.ExclusiveStartKey);
  if (start) checkStartKeyBounds(start, plan, source.schema);
  const { options } = readOptions('Query', input, table, source, compiled);
  checkFilterKeyPaths(compiled.filter, table);
  const list = { prefix: partitionPrefix(plan.partitionKey.value), reverse: input.ScanIndexForward === false, ...(after !== undefined ? { after } : {}) };
  const sortKey = plan.sortKey;
  const sortName = source.schema.sortKey?.name;
  const inRange = (item: Item | undefined): Item | undefined =>
    item !== undefined && (sortKey === undefined || sortName === undefined || matchesSortKey(sortKey, item[sortName])) ? item : undefined;
  const stored =
    source.index === undefined
      ? itemsOf(runtime, ctx, table).list(list).map(([, item]) => item)
      : [...indexItems(runtime, ctx, table, indexOf(runtime, ctx, table, source.index.name).list(list))];
  return readEntries(table, source, live(runtime, ctx, table, stored).map(inRange), options);
}

/** Which of TotalSegments an item belongs to: a stable hash of its partition key. */
function segmentOf(encodedKey: string, totalSegments: number): number {
  let hash = 0;
  const partition = encodedKey.slice(0, encodedKey.indexOf(' '));
  for (let i = 0; i < partition.length; i += 1) hash = (hash * 31 + partition.charCodeAt(i)) >>> 0;
  return hash % totalSegments;
}

/**
 * A Scan, or (with `within`) the same walk over one partition of the table or index, in either order:
 * PartiQL's SELECT reads a partition its WHERE clause pins this way, filtering on key attributes too.
 */
export function scan(runtime: ServiceRuntime, ctx: Scope, table: TableRecord, input: ScanInput, within?: { partition: AttributeValue; reverse: boolean }): ReadPage {
  if (input.TotalSegments !== undefined && input.Segment === undefined) {
    throw validation('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
  }
  if (input.Segment !== undefined && input.TotalSegments === undefined) {
    throw validation('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
  }
  if (input.Segment !== undefined && input.TotalSegments !== undefined && input.Segment >= input.TotalSegments) {
    throw validation(`The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${input.Segment} is not less than TotalSegments: ${input.TotalSegments}`);
  }
  const source = sourceOf(table, input.IndexName, input.ConsistentRead);
  if (source.index !== undefined && input.ExclusiveStartKey !== undefined) checkIndexStartKey(table, source, fromWire(input.ExclusiveStartKey));
  const compiled = compileRequestExpressions('Scan', { ...input, ExpressionAttributeValues: input.ExpressionAttributeValues });
  const { options } = readOptions('Scan', input, table, source, compiled);
  const after = startAfter(table, source, input.ExclusiveStartKey);
  // A start key must come from the segment being scanned (dynalite's suite, recorded against DynamoDB:
  // scan.js "ExclusiveStartKey is from different segment").
  if (after !== undefined && input.TotalSegments !== undefined && segmentOf(after, input.TotalSegments) !== input.Segment) {
    throw validation(
      `The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: ${input.TotalSegments} Segment: ${String(input.Segment)}`,
    );
  }
  checkFilterKeyPaths(compiled.filter, table);
  const inSegment = ([key]: [string, unknown]): boolean =>
    input.TotalSegments === undefined || segmentOf(key, input.TotalSegments) === input.Segment;
  const list = {
    ...(after !== undefined ? { after } : {}),
    ...(within ? { prefix: partitionPrefix(within.partition), reverse: within.reverse } : {}),
  };
  const stored =
    source.index === undefined
      ? itemsOf(runtime, ctx, table).list(list).filter(inSegment).map(([, item]) => item)
      : [...indexItems(runtime, ctx, table, indexOf(runtime, ctx, table, source.index.name).list(list).filter(inSegment))];
  return readEntries(table, source, live(runtime, ctx, table, stored), options);
}
