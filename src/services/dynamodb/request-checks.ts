/**
 * The checks DynamoDB makes on a request before it looks the table up. A malformed request names no
 * table worth finding, so DynamoDB answers its ValidationException even when the table does not exist
 * (ResourceNotFoundException only comes for a well-formed request); the checks that need the table (key
 * schema, index names) come after the lookup, in the operations themselves.
 *
 * Per operation, in the order DynamoDB reports them: expression and legacy parameters not mixed, then the
 * attribute values the request carries (Key, Item, ExclusiveStartKey, legacy conditions), then the
 * request's own rules (ReturnValues, item size, Segment/TotalSegments, ...), then the expressions with
 * their names and values. The order was established against DynamoDB itself by an independent suite of
 * tests written for the real service (dynalite's); each function says what comes first.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html
 */
import {
  checkExpressionParameters,
  checkKeyConditionShape,
  compileAttributeUpdates,
  compileAttributesToGet,
  compileExpected,
  compileLegacyFilter,
  compileRequestExpressions,
  DynamoDbValidationError,
  itemSize,
  keyAttributes,
  MAX_ITEM_SIZE,
  normalizeItem,
} from '../../engines/dynamodb/index.js';
import type { ExpressionOperation, ExpressionRequest, Item, KeySchema } from '../../engines/dynamodb/index.js';
import type {
  BatchGetItemInput,
  BatchWriteItemInput,
  DeleteItemInput,
  GetItemInput,
  PutItemInput,
  QueryInput,
  ScanInput,
  UpdateItemInput,
} from '../../generated/dynamodb.js';
import { validation } from './tables.js';
import type { WireItem } from './wire-values.js';

/** The most keys one BatchGetItem may ask for, over all its tables. */
const MAX_BATCH_GET_KEYS = 100;

function checkValues(values: WireItem | undefined): Item | undefined {
  return values === undefined ? undefined : normalizeItem(values);
}

function checkAttributesToGet(names: readonly string[] | undefined): void {
  if (names !== undefined) compileAttributesToGet(names);
}

function checkExpressions(operation: ExpressionOperation, request: ExpressionRequest): void {
  compileRequestExpressions(operation, request);
}

/**
 * A bad ExclusiveStartKey value says so ("The provided starting key is invalid: ..."), except for the
 * number and duplicate-member errors, which DynamoDB reports bare.
 */
function checkStartKey(key: WireItem | undefined): void {
  try {
    checkValues(key);
  } catch (error) {
    if (!(error instanceof DynamoDbValidationError)) throw error;
    if (/contains duplicates|number set|numeric value|significant digits|number with magnitude/.test(error.message)) throw error;
    throw validation(`The provided starting key is invalid: ${error.message}`);
  }
}

export function checkGetItem(input: GetItemInput): void {
  checkExpressionParameters('GetItem', input);
  checkValues(input.Key);
  checkAttributesToGet(input.AttributesToGet);
  checkExpressions('GetItem', input);
}

export function checkPutItem(input: PutItemInput): void {
  checkExpressionParameters('PutItem', input);
  const item = checkValues(input.Item);
  if (input.ReturnValues !== undefined && input.ReturnValues !== 'NONE' && input.ReturnValues !== 'ALL_OLD') {
    throw validation('ReturnValues can only be ALL_OLD or NONE');
  }
  if (item !== undefined && itemSize(item) > MAX_ITEM_SIZE) throw validation('Item size has exceeded the maximum allowed size');
  if (input.Expected !== undefined) compileExpected(input.Expected, input.ConditionalOperator);
  checkExpressions('PutItem', input);
}

export function checkDeleteItem(input: DeleteItemInput): void {
  checkExpressionParameters('DeleteItem', input);
  checkValues(input.Key);
  if (input.Expected !== undefined) compileExpected(input.Expected, input.ConditionalOperator);
  checkExpressions('DeleteItem', input);
}

export function checkUpdateItem(input: UpdateItemInput): void {
  checkExpressionParameters('UpdateItem', input);
  checkValues(input.Key);
  if (input.AttributeUpdates !== undefined) compileAttributeUpdates(input.AttributeUpdates);
  if (input.Expected !== undefined) compileExpected(input.Expected, input.ConditionalOperator);
  checkExpressions('UpdateItem', input);
}

/**
 * Query checks its Limit itself, after the model, and names it without echoing the value (the model's own
 * bound is left out, see coral.ts; Scan's Limit still fails the model's check).
 */
function checkQueryLimit(limit: number | undefined): void {
  if (limit !== undefined && limit < 1) {
    throw validation("1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
  }
}

export function checkQuery(input: QueryInput): void {
  checkQueryLimit(input.Limit);
  checkExpressionParameters('Query', input);
  if (input.QueryFilter !== undefined) compileLegacyFilter(input.QueryFilter);
  checkAttributesToGet(input.AttributesToGet);
  checkStartKey(input.ExclusiveStartKey);
  if (input.KeyConditions === undefined && input.KeyConditionExpression === undefined) {
    throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  }
  const { keyCondition } = compileRequestExpressions('Query', input);
  if (keyCondition !== undefined) checkKeyConditionShape(keyCondition);
  if (input.KeyConditions !== undefined) {
    const count = compileLegacyFilter(input.KeyConditions).conditions.length;
    if (count !== 1 && count !== 2) throw validation('Conditions can be of length 1 or 2 only');
  }
}

export function checkScan(input: ScanInput): void {
  checkExpressionParameters('Scan', input);
  checkAttributesToGet(input.AttributesToGet);
  if (input.ScanFilter !== undefined) compileLegacyFilter(input.ScanFilter);
  checkStartKey(input.ExclusiveStartKey);
  if (input.Segment !== undefined && input.TotalSegments === undefined) {
    throw validation('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
  }
  if (input.TotalSegments !== undefined && input.Segment === undefined) {
    throw validation('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
  }
  if (input.Segment !== undefined && input.TotalSegments !== undefined && input.Segment >= input.TotalSegments) {
    throw validation(
      `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${input.Segment} is not less than TotalSegments: ${input.TotalSegments}`,
    );
  }
  checkExpressions('Scan', input);
}

/** The attribute names and values of a key, in a form where equal keys compare equal. */
function keyIdentity(key: Item): string {
  return JSON.stringify(Object.keys(key).sort().map((name) => [name, key[name]]));
}

export function checkBatchGetItem(input: BatchGetItemInput): void {
  // One table's keys past the limit are named in the path style of DynamoDB's newer validator, no value echoed.
  for (const [tableName, { Keys: keys }] of Object.entries(input.RequestItems)) {
    if (keys.length > MAX_BATCH_GET_KEYS) {
      throw validation(`1 validation error detected: Value at 'RequestItems.${tableName}.member.Keys' failed to satisfy constraint: Member must have length less than or equal to ${MAX_BATCH_GET_KEYS}`);
    }
  }
  let requested = 0;
  for (const keysAndAttributes of Object.values(input.RequestItems)) {
    checkExpressionParameters('GetItem', keysAndAttributes);
    checkAttributesToGet(keysAndAttributes.AttributesToGet);
    checkExpressions('GetItem', keysAndAttributes);
    const seen = new Set<string>();
    for (const wireKey of keysAndAttributes.Keys) {
      const identity = keyIdentity(normalizeItem(wireKey));
      if (seen.has(identity)) throw validation('Provided list of item keys contains duplicates');
      seen.add(identity);
      requested += 1;
      if (requested > MAX_BATCH_GET_KEYS) throw validation('Too many items requested for the BatchGetItem call');
    }
  }
}

export function checkBatchWriteItem(input: BatchWriteItemInput): void {
  for (const writes of Object.values(input.RequestItems)) {
    // A WriteRequest with neither PutRequest nor DeleteRequest reads, to DynamoDB, as a value with no type.
    if (writes.some((write) => write.PutRequest === undefined && write.DeleteRequest === undefined)) {
      throw validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
    }
    for (const write of writes) {
      if (write.PutRequest !== undefined) {
        const item = normalizeItem(write.PutRequest.Item);
        if (itemSize(item) > MAX_ITEM_SIZE) throw validation('Item size has exceeded the maximum allowed size');
      } else if (write.DeleteRequest !== undefined) {
        normalizeItem(write.DeleteRequest.Key);
      }
    }
  }
}

/**
 * BatchWriteItem reports a PutRequest item without the table's key attributes (or with one of another
 * type) as a key that does not match the schema, where PutItem names the missing or mismatched key.
 * Runs on the wire item, which checkBatchWriteItem has already validated.
 */
export function checkBatchPutKey(item: WireItem, schema: KeySchema): void {
  for (const attribute of keyAttributes(schema)) {
    const value = Object.hasOwn(item, attribute.name) ? item[attribute.name] : undefined;
    if (value === undefined || !(attribute.type in value)) throw validation('The provided key element does not match the schema');
  }
}
