/**
 * The checks DynamoDB makes on CreateTable (and on the table name of the other table operations) before
 * it looks at existing tables, in the order it reports them. The model's constraints (lengths, enums,
 * required members) were already enforced by the host; these are the service's own rules.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-naming-rules
 */
import type { AttributeDefinition, CreateTableInput, GlobalSecondaryIndexUpdate, UpdateTableInput, KeySchemaElement, Projection, ProvisionedThroughput } from '../../generated/dynamodb.js';
import { ServiceError } from '../../shared/errors.js';
import type { Caller, RequestContext } from '../../shared/request-context.js';
import type { Throughput } from './tables.js';
import { validation } from './tables.js';

const INVALID = 'One or more parameter values were invalid: ';

/** The most capacity units DynamoDB accepts in a request (its message calls more "out of bounds"). */
const MAX_CAPACITY_UNITS = 1_000_000_000_000;
const MAX_LOCAL_INDEXES = 5;
const MAX_GLOBAL_INDEXES = 20;
const TABLE_NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;
const TABLE_ARN = /^arn:aws[\w-]*:dynamodb:[^:]+:\d{12}:table\/[a-zA-Z0-9_.-]{3,255}$/;

/**
 * A table name (not an ARN, which TableName also accepts) is 3 to 255 characters long. The model lets
 * 1 to 1024 through, to allow ARNs, so the service says it itself.
 */
export function checkTableName(name: string): void {
  if (name.startsWith('arn:')) return;
  if (name.length < 3 || name.length > 255) throw validation('TableName must be at least 3 characters long and at most 255 characters long');
  if (!TABLE_NAME_PATTERN.test(name)) {
    throw validation(`1 validation error detected: Value '${name}' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`);
  }
}

/**
 * The table operations answer a missing or mis-sized TableName before the model's constraints are checked,
 * with messages of their own (recorded against DynamoDB by dynalite's suite); the item operations do not.
 * CreateTable now sizes its name with the model's validator instead (nubo-db/dynamodb-conformance, 2026).
 */
const TABLE_OPERATIONS = new Set(['CreateTable', 'DeleteTable', 'DescribeTable', 'DescribeTimeToLive', 'UpdateTable']);

export function checkTableOperationInput(operation: string, input: Record<string, unknown>): void {
  if (!TABLE_OPERATIONS.has(operation)) return;
  const name = input.TableName;
  if (name === undefined || name === null) throw validation("The parameter 'TableName' is required but was not present in the request");
  if (operation === 'CreateTable') return;
  if (typeof name === 'string' && !name.startsWith('arn:') && (name.length < 3 || name.length > 255)) {
    throw validation('TableName must be at least 3 characters long and at most 255 characters long');
  }
}

function checkCapacityBounds(throughput: ProvisionedThroughput): void {
  for (const [label, value] of [['ReadCapacityUnits', throughput.ReadCapacityUnits], ['WriteCapacityUnits', throughput.WriteCapacityUnits]] as const) {
    if (value > MAX_CAPACITY_UNITS) throw validation(`Given value ${value} for ${label} is out of bounds`);
  }
}

function checkTableThroughput(billingMode: string, throughput: ProvisionedThroughput | undefined): void {
  if (billingMode === 'PAY_PER_REQUEST') {
    if (throughput !== undefined) {
      throw validation(`${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`);
    }
    return;
  }
  if (throughput?.ReadCapacityUnits === undefined || throughput.WriteCapacityUnits === undefined) {
    throw validation(`${INVALID}ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`);
  }
  checkCapacityBounds(throughput);
}

function undefinedKeys(keys: readonly string[], defined: readonly string[]): Error {
  return validation(`${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${defined.join(', ')}]`);
}

/** The rules every key schema (the table's and each index's) follows, in DynamoDB's order. */
function checkKeySchemaShape(keySchema: readonly KeySchemaElement[], defined: readonly string[]): void {
  const keys = keySchema.map((k) => k.AttributeName);
  if (keys.some((key) => !defined.includes(key))) throw undefinedKeys(keys, defined);
  if (keys.length > 1 && keys[0] === keys[1]) throw validation('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  if (keySchema[0]?.KeyType !== 'HASH') throw validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (keySchema.length > 1 && keySchema[1].KeyType !== 'RANGE') throw validation('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
}

function checkIndexProjection(projection: Projection | undefined): void {
  const type = projection?.ProjectionType;
  if (type === undefined) throw validation(`${INVALID}Unknown ProjectionType: null`);
  if (projection?.NonKeyAttributes !== undefined && type !== 'INCLUDE') throw validation(`${INVALID}ProjectionType is ${type}, but NonKeyAttributes is specified`);
}

function checkIndexName(name: string, seen: Set<string>): void {
  if (seen.has(name)) throw validation(`${INVALID}Duplicate index name: ${name}`);
  seen.add(name);
}

export function checkCreateTable(input: CreateTableInput): void {
  checkTagCount(input.Tags?.length ?? 0);
  const billingMode = input.BillingMode ?? 'PROVISIONED';
  checkTableThroughput(billingMode, input.ProvisionedThroughput);
  const keySchema = input.KeySchema ?? [];
  const defined = (input.AttributeDefinitions ?? []).map((d: AttributeDefinition) => d.AttributeName);
  // DynamoDB's wording, quoted in ScyllaDB's issue #13870: a name defined twice cannot tell which type holds.
  const duplicated = defined.find((name, i) => defined.indexOf(name) !== i);
  if (duplicated !== undefined) throw validation(`Attribute Name is duplicated: ${duplicated}`);
  if (keySchema.length > defined.length) throw validation('Invalid KeySchema: Some index key attribute have no definition');
  checkKeySchemaShape(keySchema, defined);
  const lsis = input.LocalSecondaryIndexes;
  const gsis = input.GlobalSecondaryIndexes;
  if (lsis === undefined && gsis === undefined && keySchema.length !== defined.length) {
    throw validation(`${INVALID}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`);
  }
  const names = new Set<string>();
  if (lsis !== undefined) {
    if (lsis.length === 0) throw validation(`${INVALID}List of LocalSecondaryIndexes is empty`);
    if (keySchema.length !== 2) throw validation(`${INVALID}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`);
    const tableHash = keySchema[0].AttributeName;
    for (const lsi of lsis) {
      checkKeySchemaShape(lsi.KeySchema, defined);
      if (lsi.KeySchema.length !== 2) throw validation(`${INVALID}Index KeySchema does not have a range key for index: ${lsi.IndexName}`);
      const indexHash = lsi.KeySchema[0].AttributeName;
      if (indexHash !== tableHash) {
        throw validation(
          `${INVALID}Index KeySchema does not have the same leading hash key as table KeySchema for index: ${lsi.IndexName}. index hash key: ${indexHash}, table hash key: ${tableHash}`,
        );
      }
      checkIndexProjection(lsi.Projection);
      checkIndexName(lsi.IndexName, names);
    }
    if (lsis.length > MAX_LOCAL_INDEXES) throw validation(`${INVALID}Number of LocalSecondaryIndexes exceeds per-table limit of ${MAX_LOCAL_INDEXES}`);
  }
  if (gsis !== undefined) {
    if (gsis.length === 0) throw validation(`${INVALID}List of GlobalSecondaryIndexes is empty`);
    for (const gsi of gsis) {
      checkKeySchemaShape(gsi.KeySchema, defined);
      checkIndexProjection(gsi.Projection);
      if (billingMode === 'PAY_PER_REQUEST' && gsi.ProvisionedThroughput !== undefined) {
        throw validation(`${INVALID}ProvisionedThroughput should not be specified for index: ${gsi.IndexName} when BillingMode is PAY_PER_REQUEST`);
      }
      checkIndexName(gsi.IndexName, names);
    }
    if (gsis.length > MAX_GLOBAL_INDEXES) throw validation(`${INVALID}GlobalSecondaryIndex count exceeds the per-table limit of ${MAX_GLOBAL_INDEXES}`);
  }
}

/** UpdateTable's own rules, checked before the table is looked up. */
export function checkUpdateTable(input: UpdateTableInput): void {
  checkTableName(input.TableName);
  const { TableName: _name, AttributeDefinitions: _definitions, GlobalSecondaryIndexUpdates: indexUpdates, ...changes } = input;
  if (Object.values(changes).every((value) => value === undefined) && (indexUpdates === undefined || indexUpdates.length === 0)) {
    throw validation('At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required');
  }
  if (input.BillingMode === 'PROVISIONED' && input.ProvisionedThroughput === undefined) {
    throw validation(`${INVALID}ProvisionedThroughput must be specified when BillingMode is PROVISIONED`);
  }
  if (input.ProvisionedThroughput !== undefined) checkCapacityBounds(input.ProvisionedThroughput);
  const updated = new Set<string>();
  for (const update of indexUpdates ?? []) {
    const indexName = update.Update?.IndexName ?? update.Create?.IndexName ?? update.Delete?.IndexName;
    if (indexName === undefined) {
      throw validation(`${INVALID}One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null`);
    }
    if (updated.has(indexName)) throw validation(`${INVALID}Only one global secondary index update per index is allowed simultaneously. Index: ${indexName}`);
    updated.add(indexName);
  }
}

/**
 * A GlobalSecondaryIndexUpdates Update asking for more capacity than DynamoDB accepts is blocked with this
 * message, once the table is known to exist and whether or not the index does (dynalite's suite, recorded
 * against DynamoDB: updateTable.js "high index ReadCapacityUnits when index does not exist").
 */
export function checkIndexThroughputUpdate(throughput: ProvisionedThroughput | undefined): void {
  if (throughput === undefined) return;
  if (throughput.ReadCapacityUnits > MAX_CAPACITY_UNITS || throughput.WriteCapacityUnits > MAX_CAPACITY_UNITS) {
    throw validation('This operation cannot be performed with given input values. Please contact DynamoDB service team for more info: Action Blocked: IndexUpdate');
  }
}

/** A provisioned table's throughput "updated" to what it already is is refused (dynalite's suite and nubo-db's). */
export function checkThroughputChanges(current: Throughput, requested: Throughput): void {
  if (current.read !== requested.read || current.write !== requested.write) return;
  throw validation(
    'The provisioned throughput for the table will not change. The requested value equals the current value. ' +
      `Current ReadCapacityUnits provisioned for the table: ${current.read}. Requested ReadCapacityUnits: ${requested.read}. ` +
      `Current WriteCapacityUnits provisioned for the table: ${current.write}. Requested WriteCapacityUnits: ${requested.write}. ` +
      'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
  );
}

/**
 * "You can create or delete only one global secondary index per UpdateTable operation"; more is a
 * LimitExceededException, answered once the table is known to exist (dynalite's suite, recorded against
 * DynamoDB: updateTable.js "too many GlobalSecondaryIndexUpdates").
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html
 */
export function checkOnlineIndexChanges(updates: readonly GlobalSecondaryIndexUpdate[]): void {
  if (updates.filter((update) => update.Create !== undefined || update.Delete !== undefined).length > 1) {
    throw new ServiceError('LimitExceededException', 'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table', 400);
  }
}

/**
 * The ResourceArn of the tagging operations, checked in DynamoDB's order (ExtendDB's notes of the service's
 * answers, 2026; Alternator's test_tag): a string that is not an ARN is invalid; an ARN of another service,
 * or of another account, is denied, as IAM finds no policy allowing it; a DynamoDB ARN that names no table,
 * or one of another region, is invalid. An empty ResourceArn is denied on `*` (dynalite's suite).
 */
type TaggingAction = 'TagResource' | 'UntagResource' | 'ListTagsOfResource';
const TAGGING_ACTIONS = new Set<string>(['TagResource', 'UntagResource', 'ListTagsOfResource']);

function denied(arn: string, action: TaggingAction, caller: Caller): ServiceError {
  return new ServiceError('AccessDeniedException', `User: ${caller.arn} is not authorized to perform: dynamodb:${action} on resource: ${arn === '' ? '*' : arn}`, 400);
}

/**
 * IAM's part, which comes before the model's constraints: an empty ResourceArn, or an ARN of another
 * service, is denied. A string that is not an ARN at all is the service's to refuse, after the model.
 */
function checkTaggingAccess(arn: string, action: TaggingAction, caller: Caller): void {
  if (arn === '') throw denied(arn, action, caller);
  if (!arn.startsWith('arn:')) return;
  const parts = arn.split(':');
  if (parts.length < 6 || parts[2] !== 'dynamodb') throw denied(arn, action, caller);
}

export function checkTaggingArn(arn: string, action: TaggingAction, ctx: RequestContext): void {
  if (arn !== '' && !arn.startsWith('arn:')) throw validation(`${INVALID}ARNs must start with 'arn:': ${arn}`);
  checkTaggingAccess(arn, action, ctx.caller);
  const [, , , region, account, ...resource] = arn.split(':');
  if (!resource.join(':').startsWith('table/')) throw validation(`${INVALID}Provided Arn is not a DynamoDB resource arn: ${arn}`);
  if (account !== ctx.account) throw denied(arn, action, ctx.caller);
  if (region !== ctx.region || !TABLE_ARN.test(arn)) throw validation(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
}

/**
 * The tagging operations answer a missing ResourceArn ("Invalid TableArn") and an unauthorized one before
 * the model's constraints, so `{ResourceArn: ''}` is denied, not invalid.
 */
export function checkTaggingInput(operation: string, input: Record<string, unknown>, caller: Caller): void {
  if (!TAGGING_ACTIONS.has(operation)) return;
  const arn = input.ResourceArn;
  if (arn === undefined || arn === null) throw validation('Invalid TableArn');
  if (typeof arn === 'string') checkTaggingAccess(arn, operation as TaggingAction, caller);
}

/**
 * "Maximum number of tags per resource: 50" (DynamoDB's tagging restrictions); more is a ValidationException
 * on CreateTable and TagResource alike (Alternator's test_tag, checked against DynamoDB). The wording is ours:
 * the service's is not recorded.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Tagging.html
 */
const MAX_TAGS = 50;

export function checkTagCount(count: number): void {
  if (count > MAX_TAGS) throw validation(`Too many tags: a resource can have at most ${String(MAX_TAGS)} tags`);
}

export function checkTagResource(arn: string, tagCount: number, ctx: RequestContext): void {
  checkTaggingArn(arn, 'TagResource', ctx);
  if (tagCount === 0) throw validation('Atleast one Tag needs to be provided as Input.');
}

export function checkUntagResource(arn: string, keyCount: number, ctx: RequestContext): void {
  checkTaggingArn(arn, 'UntagResource', ctx);
  if (keyCount === 0) throw validation('Atleast one Tag Key needs to be provided as Input.');
}

/** The batch operations refuse an empty RequestItems as missing, before the model's length check. */
function checkBatchRequestItems(operation: string, input: Record<string, unknown>): void {
  if (operation !== 'BatchGetItem' && operation !== 'BatchWriteItem') return;
  const requests = input.RequestItems;
  if (requests !== null && typeof requests === 'object' && Object.keys(requests).length === 0) {
    throw validation(`The requestItems parameter is required for ${operation}`);
  }
}

/** Every check DynamoDB makes before the model's constraints (the service module's checkInput). */
export function checkBeforeModel(operation: string, input: Record<string, unknown>, ctx: RequestContext): void {
  checkTableOperationInput(operation, input);
  checkBatchRequestItems(operation, input);
  checkTaggingInput(operation, input, ctx.caller);
}
