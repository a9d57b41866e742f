/**
 * The single-item write rules shared by PutItem, UpdateItem, DeleteItem and the TransactWriteItems
 * actions: each request is validated and compiled into a plan, which then decides the condition and the
 * new item against the stored one. Validation happens before any item is read, as DynamoDB does.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
 */
import {
  applyAttributeUpdates,
  applyUpdate,
  attributeUpdateWriteTypes,
  checkIndexKeyWrites,
  checkKeyNotUpdated,
  checkKeyPathsScalar,
  compileAttributeUpdates,
  compileExpected,
  compileRequestExpressions,
  evaluateCondition,
  evaluateLegacyConditions,
  extractKey,
  itemSize,
  MAX_ITEM_SIZE,
  updatePaths,
  updateWriteTypes,
  validateIndexKeys,
  validateItemKey,
  validateKey,
} from '../../engines/dynamodb/index.js';
import type { AttributeUpdate, CompiledUpdate, ExpressionOperation, Item } from '../../engines/dynamodb/index.js';
import type { AttributeValueUpdate, ConditionalOperator, ExpectedAttributeValue } from '../../generated/dynamodb.js';
import type { TableRecord } from './tables.js';
import { indexSchemas, tableSchema, validation } from './tables.js';
import type { WireItem } from './wire-values.js';
import { fromWire } from './wire-values.js';

export interface WriteRequest {
  Item?: WireItem;
  Key?: WireItem;
  UpdateExpression?: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: WireItem;
  Expected?: Record<string, ExpectedAttributeValue>;
  ConditionalOperator?: ConditionalOperator;
  AttributeUpdates?: Record<string, AttributeValueUpdate>;
}

export interface WritePlan {
  table: TableRecord;
  /** The item's primary key. */
  key: Item;
  /** Whether the request has a condition (expression or Expected) at all. */
  conditional: boolean;
  /** Whether the condition (expression or Expected) holds for the stored item. */
  holds(existing: Item | undefined): boolean;
  /** The item after the write: undefined deletes it; `existing` itself means no write (ConditionCheck). */
  next(existing: Item | undefined): Item | undefined;
  update?: CompiledUpdate;
  legacyUpdates?: ReturnType<typeof compileAttributeUpdates>;
}

type Kind = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';

const OPERATION: Record<Kind, ExpressionOperation> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheck' };

interface Condition {
  conditional: boolean;
  holds: (existing: Item | undefined) => boolean;
  compiled: ReturnType<typeof compileRequestExpressions>;
}

function conditionOf(kind: Kind, request: WriteRequest): Condition {
  const compiled = compileRequestExpressions(OPERATION[kind], request);
  if (compiled.condition !== undefined) {
    const condition = compiled.condition;
    return { compiled, conditional: true, holds: (existing) => evaluateCondition(condition, existing ?? {}) };
  }
  if (request.Expected !== undefined) {
    const legacy = compileExpected(request.Expected, request.ConditionalOperator);
    return { compiled, conditional: true, holds: (existing) => evaluateLegacyConditions(legacy, existing ?? {}) };
  }
  if (request.ConditionalOperator !== undefined) {
    throw validation('ConditionalOperator can only be used when Filter or Expected has two or more elements');
  }
  return { compiled, conditional: false, holds: () => true };
}

function checkSize(item: Item, message: string): void {
  if (itemSize(item) > MAX_ITEM_SIZE) throw validation(message);
}

/**
 * An update whose every action removes attributes (REMOVE, DELETE, or a legacy DELETE action) does not
 * create a missing item, where any other update, even an empty AttributeUpdates, creates it with just its
 * key. ScyllaDB's Alternator suite checks this against DynamoDB (test_update_item_non_existent).
 */
function removesAttributesOnly(update: CompiledUpdate | undefined, legacyUpdates: readonly AttributeUpdate[] | undefined): boolean {
  if (update !== undefined) return update.actions.every((action) => action.kind === 'REMOVE' || action.kind === 'DELETE');
  return legacyUpdates !== undefined && legacyUpdates.length > 0 && legacyUpdates.every((u) => u.action === 'DELETE');
}

export function planWrite(kind: Kind, table: TableRecord, request: WriteRequest): WritePlan {
  const schema = tableSchema(table);
  if (kind === 'Put') {
    const item = fromWire(request.Item ?? {});
    validateItemKey(item, schema);
    validateIndexKeys(item, indexSchemas(table), 'put');
    checkSize(item, 'Item size has exceeded the maximum allowed size');
    const { holds, conditional } = conditionOf(kind, request);
    return { table, key: extractKey(item, schema), conditional, holds, next: () => item };
  }
  const key = fromWire(request.Key ?? {});
  validateKey(key, schema);
  const { holds, conditional, compiled } = conditionOf(kind, request);
  if (kind === 'Delete') return { table, key, conditional, holds, next: () => undefined };
  if (kind === 'ConditionCheck') return { table, key, conditional, holds, next: (existing) => existing };
  const { update } = compiled;
  const indexes = indexSchemas(table);
  if (update !== undefined) {
    const paths = updatePaths(update);
    // DynamoDB reports an update of a key attribute, then an index key written with the wrong type, then a
    // path into a key attribute.
    checkKeyNotUpdated(paths.targets, schema);
    if (indexes.length > 0) checkIndexKeyWrites(updateWriteTypes(update), indexes);
    checkKeyPathsScalar(paths.all, schema, indexes);
  }
  const legacyUpdates = request.AttributeUpdates && compileAttributeUpdates(request.AttributeUpdates);
  if (legacyUpdates !== undefined) {
    checkKeyNotUpdated(legacyUpdates.map((u) => [u.attribute]), schema);
    if (indexes.length > 0) checkIndexKeyWrites(attributeUpdateWriteTypes(legacyUpdates), indexes);
  }
  const removesOnly = removesAttributesOnly(update, legacyUpdates);
  const next = (existing: Item | undefined): Item | undefined => {
    if (existing === undefined && removesOnly) return undefined;
    const base = existing ?? key;
    const updated = update !== undefined ? applyUpdate(update, base) : legacyUpdates !== undefined ? applyAttributeUpdates(legacyUpdates, base) : base;
    validateIndexKeys(updated, indexes, 'update');
    checkSize(updated, 'Item size to update has exceeded the maximum allowed size');
    return updated;
  };
  return { table, key, conditional, holds, next, ...(update ? { update } : {}), ...(legacyUpdates ? { legacyUpdates } : {}) };
}
