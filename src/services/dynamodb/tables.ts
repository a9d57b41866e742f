/**
 * The table record model and CreateTable/UpdateTable rules. A table is one JSON record; its items and
 * index entries live in collections named by the table's id (see item-store.ts).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
 */
import { randomUUID } from 'node:crypto';
import type { IndexKeySchema, KeySchema, KeyType } from '../../engines/dynamodb/index.js';
import type {
  AttributeDefinition,
  CreateTableInput,
  GlobalSecondaryIndexDescription,
  KeySchemaElement,
  LocalSecondaryIndexDescription,
  Projection,
  ProvisionedThroughput,
  TableDescription,
  TableStatus,
} from '../../generated/dynamodb.js';
import { formatArn } from '../../shared/arn.js';
import { ServiceError } from '../../shared/errors.js';
import type { Collection, ListOptions } from '../../store/store.js';
import { scopedName } from '../../store/store.js';
import type { ServiceRuntime } from '../service.js';
import { invalidTableName } from './table-name.js';

/** The account and region a table lives in (a request's, or a sweep's). */
export interface Scope {
  account: string;
  region: string;
}

export interface Throughput {
  read: number;
  write: number;
}

export interface IndexRecord {
  name: string;
  keySchema: KeySchemaElement[];
  projection: Projection;
  throughput?: Throughput;
}

export interface TableRecord {
  name: string;
  id: string;
  arn: string;
  createdAt: number;
  keySchema: KeySchemaElement[];
  attributeDefinitions: AttributeDefinition[];
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  billingModeChangedAt?: number;
  throughput?: Throughput;
  lsis: IndexRecord[];
  gsis: IndexRecord[];
  tags: Record<string, string>;
  ttl?: { attribute: string; enabled: boolean };
  deletionProtection: boolean;
  tableClass: string;
  /** Set while a stream is enabled; the label is the ISO time it was enabled. */
  stream?: { viewType: string; label: string };
  /**
   * The stream last disabled (epoch ms in disabledAt): its records stay readable for 24 hours after, so the
   * table keeps naming it as LatestStreamArn until then
   * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html#Streams.Enabling).
   */
  disabledStream?: { viewType: string; label: string; disabledAt: number };
}

export const INVALID = 'One or more parameter values were invalid: ';

export function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message, 400);
}

/**
 * Table records by collection and name, as last read from the store. Every data-plane request reads its
 * table, so records are kept (frozen) between requests; every write of a table record goes through
 * tablesOf, which forgets the name first, and a reset forgets them all.
 */
const tableCaches = new WeakMap<ServiceRuntime, Map<string, TableRecord>>();

function tableCache(runtime: ServiceRuntime): Map<string, TableRecord> {
  let cache = tableCaches.get(runtime);
  if (cache === undefined) {
    const created = new Map<string, TableRecord>();
    runtime.lifecycle.onReset(() => {
      created.clear();
    });
    tableCaches.set(runtime, created);
    cache = created;
  }
  return cache;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/** The store's collection of tables, read through the cache. */
class CachedTables implements Collection<TableRecord> {
  constructor(
    private readonly stored: Collection<TableRecord>,
    private readonly cache: Map<string, TableRecord>,
    private readonly prefix: string,
  ) {}

  get(key: string): TableRecord | undefined {
    const cached = this.cache.get(this.prefix + key);
    if (cached !== undefined) return cached;
    const table = this.stored.get(key);
    if (table !== undefined) this.cache.set(this.prefix + key, deepFreeze(table));
    return table;
  }

  put(key: string, value: TableRecord): void {
    this.cache.delete(this.prefix + key);
    this.stored.put(key, value);
  }

  delete(key: string): boolean {
    this.cache.delete(this.prefix + key);
    return this.stored.delete(key);
  }

  list(options?: ListOptions): [string, TableRecord][] {
    return this.stored.list(options);
  }

  count(prefix?: string): number {
    return this.stored.count(prefix);
  }

  deletePrefix(prefix?: string): number {
    this.cache.clear();
    return this.stored.deletePrefix(prefix);
  }
}

export function tablesOf(runtime: ServiceRuntime, ctx: Scope): Collection<TableRecord> {
  const name = scopedName('dynamodb', ctx.account, ctx.region, 'tables');
  return new CachedTables(runtime.store.collection<TableRecord>(name), tableCache(runtime), `${name}\u0000`);
}

export function notFound(): ServiceError {
  return new ServiceError('ResourceNotFoundException', 'Requested resource not found', 400);
}

/** The table a data-plane request names; DynamoDB's item operations say only "Requested resource not found". */
export function requireTable(runtime: ServiceRuntime, ctx: Scope, name: string): TableRecord {
  const table = tablesOf(runtime, ctx).get(tableNameOf(name));
  if (!table) throw notFound();
  return table;
}

/**
 * requireTable for the single-item operations, which answer a TableName breaking the naming rules with a
 * ValidationException rather than "Requested resource not found" (see table-name.ts).
 */
export function requireItemTable(runtime: ServiceRuntime, ctx: Scope, name: string): TableRecord {
  const table = tablesOf(runtime, ctx).get(tableNameOf(name));
  if (!table) throw invalidTableName(name) ?? notFound();
  return table;
}

/** TableName may also be the table's ARN. */
export function tableNameOf(nameOrArn: string): string {
  const match = /^arn:aws[\w-]*:dynamodb:[^:]*:\d{12}:table\/([^/]+)$/.exec(nameOrArn);
  return match ? match[1] : nameOrArn;
}

function keyTypeOf(definitions: AttributeDefinition[], name: string): KeyType {
  return definitions.find((d) => d.AttributeName === name)!.AttributeType;
}

export function schemaOf(keySchema: KeySchemaElement[], definitions: AttributeDefinition[]): KeySchema {
  const hash = keySchema.find((k) => k.KeyType === 'HASH')!;
  const range = keySchema.find((k) => k.KeyType === 'RANGE');
  const partitionKey = { name: hash.AttributeName, type: keyTypeOf(definitions, hash.AttributeName) };
  return range ? { partitionKey, sortKey: { name: range.AttributeName, type: keyTypeOf(definitions, range.AttributeName) } } : { partitionKey };
}

export function tableSchema(table: TableRecord): KeySchema {
  return schemaOf(table.keySchema, table.attributeDefinitions);
}

export function indexSchemas(table: TableRecord): IndexKeySchema[] {
  return [...table.lsis, ...table.gsis].map((index) => ({ indexName: index.name, ...schemaOf(index.keySchema, table.attributeDefinitions) }));
}

/** The model's validator has already held every key schema to one or two elements (coral.ts). */
function checkKeySchema(keySchema: KeySchemaElement[]): void {
  if (keySchema[0].KeyType !== 'HASH') throw validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (keySchema.length === 2 && keySchema[1].KeyType !== 'RANGE') throw validation('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  if (keySchema.length === 2 && keySchema[0].AttributeName === keySchema[1].AttributeName) {
    throw validation(`Both the Hash Key and the Range Key element in the KeySchema have the same name`);
  }
}

function checkProjection(projection: Projection | undefined): Projection {
  const type = projection?.ProjectionType;
  if (type === undefined) throw validation(`${INVALID}Unknown ProjectionType: null`);
  const nonKey = projection?.NonKeyAttributes;
  if (type === 'INCLUDE' && (nonKey === undefined || nonKey.length === 0)) {
    throw validation(`${INVALID}ProjectionType is INCLUDE, but NonKeyAttributes is not specified`);
  }
  if (type !== 'INCLUDE' && nonKey !== undefined) throw validation(`${INVALID}ProjectionType is ${type}, but NonKeyAttributes is specified`);
  return type === 'INCLUDE' ? { ProjectionType: type, NonKeyAttributes: nonKey } : { ProjectionType: type };
}

export function checkThroughput(billingMode: string, throughput: ProvisionedThroughput | undefined, indexName?: string): Throughput | undefined {
  if (billingMode === 'PAY_PER_REQUEST') {
    if (throughput !== undefined) {
      throw validation(
        indexName === undefined
          ? `${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`
          : `${INVALID}ProvisionedThroughput should not be specified for index: ${indexName} when BillingMode is PAY_PER_REQUEST`,
      );
    }
    return undefined;
  }
  if (throughput === undefined) {
    throw validation(indexName === undefined ? 'No provisioned throughput specified for the table' : `${INVALID}ProvisionedThroughput must be specified for index: ${indexName}`);
  }
  for (const [label, value] of [['ReadCapacityUnits', throughput.ReadCapacityUnits], ['WriteCapacityUnits', throughput.WriteCapacityUnits]] as const) {
    if (value < 1) throw validation(`${INVALID}${label} must be greater than 0 for table/index`);
  }
  return { read: throughput.ReadCapacityUnits, write: throughput.WriteCapacityUnits };
}

/** Every key attribute (table and indexes) must be defined, and nothing else. */
function checkAttributeDefinitions(definitions: AttributeDefinition[], keySchemas: KeySchemaElement[][]): void {
  const defined = definitions.map((d) => d.AttributeName);
  const duplicate = defined.find((name, i) => defined.indexOf(name) !== i);
  if (duplicate !== undefined) throw validation(`${INVALID}Duplicate AttributeName: ${duplicate}`);
  const used = [...new Set(keySchemas.flat().map((k) => k.AttributeName))];
  const missing = used.filter((name) => !defined.includes(name));
  if (missing.length > 0) {
    throw validation(
      `${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [${missing.join(', ')}], AttributeDefinitions: [${defined.join(', ')}]`,
    );
  }
  if (defined.length !== used.length) {
    throw validation(`${INVALID}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`);
  }
}

function checkIndexNames(names: string[]): void {
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) throw validation(`${INVALID}Duplicate index name: ${duplicate}`);
}

export function buildGsi(
  input: { IndexName: string; KeySchema: KeySchemaElement[]; Projection: Projection; ProvisionedThroughput?: ProvisionedThroughput },
  billingMode: string,
): IndexRecord {
  checkKeySchema(input.KeySchema);
  const projection = checkProjection(input.Projection);
  const throughput = checkThroughput(billingMode, input.ProvisionedThroughput, input.IndexName);
  return { name: input.IndexName, keySchema: input.KeySchema, projection, ...(throughput ? { throughput } : {}) };
}

/** Validates CreateTable and builds the record, in DynamoDB's order of checks. */
export function buildTable(input: CreateTableInput, ctx: Scope, now: number): TableRecord {
  const keySchema = input.KeySchema ?? [];
  const definitions = input.AttributeDefinitions ?? [];
  if (keySchema.length === 0) throw validation('1 validation error detected: Value null at \'keySchema\' failed to satisfy constraint: Member must not be null');
  checkKeySchema(keySchema);
  const billingMode = input.BillingMode ?? 'PROVISIONED';
  const lsiInputs = input.LocalSecondaryIndexes ?? [];
  const gsiInputs = input.GlobalSecondaryIndexes ?? [];
  checkAttributeDefinitions(definitions, [keySchema, ...lsiInputs.map((i) => i.KeySchema), ...gsiInputs.map((i) => i.KeySchema)]);
  const throughput = checkThroughput(billingMode, input.ProvisionedThroughput);
  if (lsiInputs.length > 0 && keySchema.length < 2) {
    throw validation(`${INVALID}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`);
  }
  if (lsiInputs.length > 5) throw validation(`${INVALID}Number of LocalSecondaryIndexes exceeds per-table limit of 5`);
  if (gsiInputs.length > 20) throw validation(`${INVALID}GlobalSecondaryIndex count exceeds the per-table limit of 20`);
  checkIndexNames([...lsiInputs, ...gsiInputs].map((i) => i.IndexName));
  const lsis = lsiInputs.map((lsi): IndexRecord => {
    checkKeySchema(lsi.KeySchema);
    if (lsi.KeySchema.length !== 2) throw validation(`${INVALID}Index KeySchema does not have a range key for index: ${lsi.IndexName}`);
    if (lsi.KeySchema[0].AttributeName !== keySchema[0].AttributeName) {
      throw validation(
        `${INVALID}Index KeySchema does not have the same leading hash key as table KeySchema for index: ${lsi.IndexName}. index hash key: ${lsi.KeySchema[0].AttributeName}, table hash key: ${keySchema[0].AttributeName}`,
      );
    }
    return { name: lsi.IndexName, keySchema: lsi.KeySchema, projection: checkProjection(lsi.Projection) };
  });
  const gsis = gsiInputs.map((gsi) => buildGsi(gsi, billingMode));
  const arn = formatArn({ service: 'dynamodb', region: ctx.region, account: ctx.account, resource: `table/${input.TableName}` });
  return {
    name: input.TableName,
    id: randomUUID(),
    arn,
    createdAt: now,
    keySchema,
    attributeDefinitions: definitions,
    billingMode,
    ...(throughput ? { throughput } : {}),
    lsis,
    gsis,
    tags: Object.fromEntries((input.Tags ?? []).map((t) => [t.Key, t.Value])),
    deletionProtection: input.DeletionProtectionEnabled ?? false,
    tableClass: input.TableClass ?? 'STANDARD',
  };
}

export interface TableStats {
  itemCount: number;
  sizeBytes: number;
  indexes: Record<string, { itemCount: number; sizeBytes: number }>;
}

function throughputDescription(throughput: Throughput | undefined): TableDescription['ProvisionedThroughput'] {
  return { NumberOfDecreasesToday: 0, ReadCapacityUnits: throughput?.read ?? 0, WriteCapacityUnits: throughput?.write ?? 0 };
}

/**
 * DeleteTable answers a reduced description: no CreationDateTime, KeySchema, AttributeDefinitions or
 * indexes, though DescribeTable has them (ScyllaDB's Alternator suite, test_table.py
 * test_delete_table_description*, verified against DynamoDB).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html
 */
export function deletedTableDescription(description: TableDescription): TableDescription {
  const { TableName, TableStatus, ProvisionedThroughput, TableSizeBytes, ItemCount, TableArn, TableId, BillingModeSummary } = description;
  return { TableName, TableStatus, ProvisionedThroughput, TableSizeBytes, ItemCount, TableArn, TableId, ...(BillingModeSummary ? { BillingModeSummary } : {}) };
}

export function describeTable(table: TableRecord, status: TableStatus, stats: TableStats): TableDescription {
  const indexStats = (name: string): { ItemCount: number; IndexSizeBytes: number } => ({
    IndexSizeBytes: stats.indexes[name]?.sizeBytes ?? 0,
    ItemCount: stats.indexes[name]?.itemCount ?? 0,
  });
  const lsis = table.lsis.map(
    (index): LocalSecondaryIndexDescription => ({
      IndexName: index.name,
      KeySchema: index.keySchema,
      Projection: index.projection,
      ...indexStats(index.name),
      IndexArn: `${table.arn}/index/${index.name}`,
    }),
  );
  const gsis = table.gsis.map(
    (index): GlobalSecondaryIndexDescription => ({
      IndexName: index.name,
      KeySchema: index.keySchema,
      Projection: index.projection,
      IndexStatus: status === 'CREATING' ? 'CREATING' : 'ACTIVE',
      ProvisionedThroughput: throughputDescription(index.throughput),
      ...indexStats(index.name),
      IndexArn: `${table.arn}/index/${index.name}`,
      ...(table.billingMode === 'PAY_PER_REQUEST' ? { OnDemandThroughput: { MaxReadRequestUnits: -1, MaxWriteRequestUnits: -1 } } : {}),
    }),
  );
  return {
    AttributeDefinitions: table.attributeDefinitions,
    TableName: table.name,
    KeySchema: table.keySchema,
    TableStatus: status,
    CreationDateTime: new Date(table.createdAt),
    ProvisionedThroughput: throughputDescription(table.throughput),
    TableSizeBytes: stats.sizeBytes,
    ItemCount: stats.itemCount,
    TableArn: table.arn,
    TableId: table.id,
    ...(table.billingMode === 'PAY_PER_REQUEST'
      ? {
          BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: new Date(table.billingModeChangedAt ?? table.createdAt) },
          OnDemandThroughput: { MaxReadRequestUnits: -1, MaxWriteRequestUnits: -1 },
        }
      : {}),
    ...(lsis.length > 0 ? { LocalSecondaryIndexes: lsis } : {}),
    ...(gsis.length > 0 ? { GlobalSecondaryIndexes: gsis } : {}),
    ...(table.tableClass !== 'STANDARD' ? { TableClassSummary: { TableClass: table.tableClass as 'STANDARD_INFREQUENT_ACCESS' } } : {}),
    DeletionProtectionEnabled: table.deletionProtection,
  };
}
