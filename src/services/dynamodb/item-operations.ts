/**
 * Single-item operations (PutItem, GetItem, UpdateItem, DeleteItem) and Query/Scan. Each write reads the
 * stored item, checks its condition and writes in one store transaction, with its index entries and its
 * stream record.
 */
import { applyProjection, attributeUpdatesResult, checkKeyPathsScalar, compileAttributesToGet, compileRequestExpressions, itemSize, updatedAttributes, validateKey } from '../../engines/dynamodb/index.js';
import type { Item } from '../../engines/dynamodb/index.js';
import type {
  DeleteItemInput,
  DeleteItemOutput,
  DynamodbApi,
  GetItemInput,
  GetItemOutput,
  ItemCollectionMetrics,
  PutItemInput,
  PutItemOutput,
  QueryInput,
  QueryOutput,
  ReturnItemCollectionMetrics,
  ReturnValue,
  ReturnValuesOnConditionCheckFailure,
  ScanInput,
  ScanOutput,
  UpdateItemInput,
  UpdateItemOutput,
} from '../../generated/dynamodb.js';
import { ServiceError } from '../../shared/errors.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ServiceRuntime } from '../service.js';
import { consumedCapacity, indexWriteUnits, readUnits, writeUnits } from './capacity.js';
import { itemCollectionMetrics } from './item-collections.js';
import { encodeKey, itemsOf, writeItem } from './item-store.js';
import type { WritePlan } from './item-writes.js';
import { planWrite } from './item-writes.js';
import { query, scan } from './query-scan.js';
import type { ReadPage } from './query-scan.js';
import type { Scope } from './tables.js';
import { checkDeleteItem, checkGetItem, checkPutItem, checkQuery, checkScan, checkUpdateItem } from './request-checks.js';
import { indexSchemas, requireItemTable, tableSchema, validation } from './tables.js';
import { liveItem } from './time-to-live.js';
import { fromWire, toWire } from './wire-values.js';

export interface WriteOutcome {
  oldItem: Item | undefined;
  newItem: Item | undefined;
}

export function conditionFailed(oldItem: Item | undefined, onFailure: ReturnValuesOnConditionCheckFailure | undefined): ServiceError {
  const fields = onFailure === 'ALL_OLD' && oldItem !== undefined ? { Item: toWire(oldItem) } : undefined;
  return new ServiceError('ConditionalCheckFailedException', 'The conditional request failed', 400, fields);
}

/** The stored item a plan targets, with expired TTL items deleted first. Call inside a transaction. */
export function storedItem(runtime: ServiceRuntime, scope: Scope, plan: WritePlan): Item | undefined {
  const stored = itemsOf(runtime, scope, plan.table).get(encodeKey(plan.key, tableSchema(plan.table)));
  return liveItem(runtime, scope, plan.table, stored);
}

/** Applies a plan whose condition held. Call inside a transaction. */
export function applyPlan(runtime: ServiceRuntime, scope: Scope, plan: WritePlan, oldItem: Item | undefined): WriteOutcome {
  const newItem = plan.next(oldItem);
  if (newItem !== oldItem) writeItem(runtime, scope, plan.table, oldItem, newItem);
  return { oldItem, newItem };
}

export function executeWrite(runtime: ServiceRuntime, scope: Scope, plan: WritePlan, onFailure: ReturnValuesOnConditionCheckFailure | undefined): WriteOutcome {
  return runtime.store.transaction(() => {
    const oldItem = storedItem(runtime, scope, plan);
    if (!plan.holds(oldItem)) throw conditionFailed(oldItem, onFailure);
    return applyPlan(runtime, scope, plan, oldItem);
  });
}

/**
 * A put that needs nothing of the item it replaces: no condition, no old image or capacity to answer, and
 * no index entries, item-collection size or stream record to derive from it. Most puts are this.
 */
function isBlindPut(kind: 'Put' | 'Delete', plan: WritePlan, input: PutItemInput | DeleteItemInput): boolean {
  const { table } = plan;
  return (
    kind === 'Put' &&
    !plan.conditional &&
    input.ReturnValues !== 'ALL_OLD' &&
    (input.ReturnConsumedCapacity ?? 'NONE') === 'NONE' &&
    table.lsis.length === 0 &&
    table.gsis.length === 0 &&
    table.stream === undefined
  );
}

/** A blind put: one statement, atomic on its own, so no store transaction around it and no read first. */
function replaceItem(runtime: ServiceRuntime, scope: Scope, plan: WritePlan): WriteOutcome {
  return applyPlan(runtime, scope, plan, undefined);
}

export function writeCapacity(plan: WritePlan, outcome: WriteOutcome): { table: number; indexes: Map<string, number>; kind: 'write' } {
  const size = Math.max(itemSize(outcome.oldItem ?? {}), itemSize(outcome.newItem ?? {}));
  return { table: writeUnits(size), indexes: indexWriteUnits(plan.table, outcome.oldItem, outcome.newItem), kind: 'write' };
}

/** ItemCollectionMetrics when asked for (SIZE) and the table has LSIs; read after the write, as it counts it. */
function collectionMetricsOutput(runtime: ServiceRuntime, scope: Scope, plan: WritePlan, mode: ReturnItemCollectionMetrics | undefined): { ItemCollectionMetrics?: ItemCollectionMetrics } {
  const metrics = mode === 'SIZE' ? itemCollectionMetrics(runtime, scope, plan.table, plan.key) : undefined;
  return metrics ? { ItemCollectionMetrics: metrics } : {};
}

function checkReturnValues(returnValues: ReturnValue | undefined, allowed: readonly ReturnValue[]): void {
  if (returnValues !== undefined && !allowed.includes(returnValues)) throw validation('ReturnValues can only be ALL_OLD or NONE');
}

function pageOutput(page: ReadPage, select: string | undefined): QueryOutput {
  return {
    ...(select === 'COUNT' ? {} : { Items: page.items.map(toWire) }),
    Count: page.count,
    ScannedCount: page.scannedCount,
    ...(page.lastEvaluatedKey ? { LastEvaluatedKey: toWire(page.lastEvaluatedKey) } : {}),
  };
}

export function createItemOperations(runtime: ServiceRuntime): Partial<DynamodbApi> {
  /** PutItem and DeleteItem after their own checks: both may return only the old item. */
  const writeReturningOld = (kind: 'Put' | 'Delete', input: PutItemInput | DeleteItemInput, ctx: RequestContext): PutItemOutput & DeleteItemOutput => {
    const table = requireItemTable(runtime, ctx, input.TableName);
    checkReturnValues(input.ReturnValues, ['NONE', 'ALL_OLD']);
    const plan = planWrite(kind, table, input);
    const outcome = isBlindPut(kind, plan, input) ? replaceItem(runtime, ctx, plan) : executeWrite(runtime, ctx, plan, input.ReturnValuesOnConditionCheckFailure);
    const capacity = consumedCapacity(table, () => writeCapacity(plan, outcome), input.ReturnConsumedCapacity);
    return {
      ...(input.ReturnValues === 'ALL_OLD' && outcome.oldItem ? { Attributes: toWire(outcome.oldItem) } : {}),
      ...(capacity ? { ConsumedCapacity: capacity } : {}),
      ...collectionMetricsOutput(runtime, ctx, plan, input.ReturnItemCollectionMetrics),
    };
  };

  return {
    PutItem(input: PutItemInput, ctx: RequestContext): PutItemOutput {
      checkPutItem(input);
      return writeReturningOld('Put', input, ctx);
    },

    DeleteItem(input: DeleteItemInput, ctx: RequestContext): DeleteItemOutput {
      checkDeleteItem(input);
      return writeReturningOld('Delete', input, ctx);
    },

    UpdateItem(input: UpdateItemInput, ctx: RequestContext): UpdateItemOutput {
      checkUpdateItem(input);
      const table = requireItemTable(runtime, ctx, input.TableName);
      const plan = planWrite('Update', table, input);
      const outcome = executeWrite(runtime, ctx, plan, input.ReturnValuesOnConditionCheckFailure);
      const capacity = consumedCapacity(table, () => writeCapacity(plan, outcome), input.ReturnConsumedCapacity);
      const changed = (item: Item | undefined): Item | undefined => {
        if (item === undefined) return undefined;
        if (plan.update) return updatedAttributes(plan.update, item);
        return plan.legacyUpdates ? attributeUpdatesResult(plan.legacyUpdates, item) : undefined;
      };
      const attributes: Partial<Record<ReturnValue, Item | undefined>> = {
        ALL_OLD: outcome.oldItem,
        ALL_NEW: outcome.newItem,
        UPDATED_OLD: changed(outcome.oldItem),
        UPDATED_NEW: changed(outcome.newItem),
      };
      const returned = input.ReturnValues === undefined ? undefined : attributes[input.ReturnValues];
      return {
        ...(returned !== undefined && Object.keys(returned).length > 0 ? { Attributes: toWire(returned) } : {}),
        ...(capacity ? { ConsumedCapacity: capacity } : {}),
        ...collectionMetricsOutput(runtime, ctx, plan, input.ReturnItemCollectionMetrics),
      };
    },

    GetItem(input: GetItemInput, ctx: RequestContext): GetItemOutput {
      checkGetItem(input);
      const table = requireItemTable(runtime, ctx, input.TableName);
      const compiled = compileRequestExpressions('GetItem', input);
      const projection = compiled.projection ?? (input.AttributesToGet ? compileAttributesToGet(input.AttributesToGet) : undefined);
      if (compiled.projection) checkKeyPathsScalar(compiled.projection.paths, tableSchema(table), indexSchemas(table));
      const key = fromWire(input.Key);
      validateKey(key, tableSchema(table));
      const item = liveItem(runtime, ctx, table, itemsOf(runtime, ctx, table).get(encodeKey(key, tableSchema(table))));
      const capacity = consumedCapacity(table, () => ({ table: readUnits(itemSize(item ?? {}), input.ConsistentRead === true), kind: 'read' }), input.ReturnConsumedCapacity);
      return {
        ...(item ? { Item: toWire(projection ? applyProjection(projection, item) : item) } : {}),
        ...(capacity ? { ConsumedCapacity: capacity } : {}),
      };
    },

    Query(input: QueryInput, ctx: RequestContext): QueryOutput {
      checkQuery(input);
      const table = requireItemTable(runtime, ctx, input.TableName);
      const page = query(runtime, ctx, table, input);
      const capacity = consumedCapacity(table, () => readCapacity(page, input.IndexName), input.ReturnConsumedCapacity);
      return { ...pageOutput(page, input.Select), ...(capacity ? { ConsumedCapacity: capacity } : {}) };
    },

    Scan(input: ScanInput, ctx: RequestContext): ScanOutput {
      checkScan(input);
      const table = requireItemTable(runtime, ctx, input.TableName);
      const page = scan(runtime, ctx, table, input);
      const capacity = consumedCapacity(table, () => readCapacity(page, input.IndexName), input.ReturnConsumedCapacity);
      return { ...pageOutput(page, input.Select), ...(capacity ? { ConsumedCapacity: capacity } : {}) };
    },
  };
}

function readCapacity(page: ReadPage, indexName: string | undefined): { table: number; indexes?: Map<string, number>; kind: 'read' } {
  return indexName === undefined ? { table: page.readUnits, kind: 'read' } : { table: 0, indexes: new Map([[indexName, page.readUnits]]), kind: 'read' };
}
