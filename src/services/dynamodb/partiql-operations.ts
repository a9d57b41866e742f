/**
 * ExecuteStatement, BatchExecuteStatement and ExecuteTransaction over the statements partiql.ts parses.
 * Writes go through the same plans as the item operations, a transaction through TransactWriteItems or
 * TransactGetItems. UPDATE and DELETE need an equality on every key attribute in WHERE, as DynamoDB requires;
 * the whole WHERE is the write's condition, so a missing item fails it. SELECT reads only the partitions
 * its WHERE pins with `=` or IN on the partition key, and scans the table or index otherwise.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.html
 */
import { normalizeAttributeValue, valueAtPath } from '../../engines/dynamodb/index.js';
import type { Item } from '../../engines/dynamodb/index.js';
import type {
  AttributeValue,
  BatchExecuteStatementInput,
  BatchExecuteStatementOutput,
  BatchStatementResponse,
  DynamodbApi,
  ExecuteStatementInput,
  ExecuteStatementOutput,
  ExecuteTransactionInput,
  ExecuteTransactionOutput,
  ConsumedCapacity,
  ReturnConsumedCapacity,
  ReturnValuesOnConditionCheckFailure,
  TransactWriteItem,
  UpdateItemInput,
} from '../../generated/dynamodb.js';
import { isServiceError, ServiceError } from '../../shared/errors.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ServiceRuntime } from '../service.js';
import { consumedCapacity } from './capacity.js';
import { indexSchemaOf } from './item-store.js';
import type { KeyTerms, Statement } from './partiql.js';
import { parseStatement } from './partiql.js';
import { scan } from './query-scan.js';
import type { TableRecord } from './tables.js';
import { requireTable, tableSchema, validation } from './tables.js';
import { fromWire, toWire } from './wire-values.js';

type Select = Extract<Statement, { kind: 'select' }>;
type Write = Exclude<Statement, { kind: 'select' }>;
type ItemOperations = Required<Pick<DynamodbApi, 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'TransactWriteItems' | 'TransactGetItems'>>;

const DUPLICATE_ITEM = 'Duplicate primary key exists in table';

/** The key a write or single-item read names: one equality per key attribute in WHERE. */
function keyOf(table: TableRecord, terms: KeyTerms): Record<string, AttributeValue> {
  const schema = tableSchema(table);
  const names = [schema.partitionKey.name, ...(schema.sortKey ? [schema.sortKey.name] : [])];
  const key: Record<string, AttributeValue> = {};
  for (const name of names) {
    const values = terms.get(name);
    if (values === undefined) throw validation('Where clause does not contain a mandatory equality on all key attributes');
    if (values.length > 1) throw validation(`Multiple conditions on same key ${name}. Only single item Update/Insert/Delete are supported`);
    key[name] = values[0];
  }
  return key;
}

/** A SELECT's ConsumedCapacity: the read units of every page it read, charged to the table or the index. */
function capacityOutput(table: TableRecord, index: string | undefined, units: number, mode: ReturnConsumedCapacity | undefined): { ConsumedCapacity?: ConsumedCapacity } {
  const use = index === undefined ? { table: units, kind: 'read' as const } : { table: 0, indexes: new Map([[index, units]]), kind: 'read' as const };
  const capacity = consumedCapacity(table, use, mode);
  return capacity ? { ConsumedCapacity: capacity } : {};
}

/** The placeholders of `names` that `expression` uses. */
function namesIn(expression: string, names: Record<string, string>): Record<string, string> {
  return Object.fromEntries((expression.match(/#n[0-9]+/g) ?? []).map((key) => [key, names[key]]));
}

/** A SELECT's names and values, less the names of nested paths its projection reads whole (see partiql.ts). */
function readParts(statement: Select): ReturnType<typeof expressionParts> {
  const parts = expressionParts(statement);
  if (statement.outputs === undefined || !parts.ExpressionAttributeNames) return parts;
  const names = namesIn(`${statement.projection ?? ''} ${statement.where ?? ''}`, statement.names);
  return { ...parts, ExpressionAttributeNames: names };
}

function expressionParts(statement: { names: Record<string, string>; values: Record<string, AttributeValue> }): {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
} {
  return {
    ...(Object.keys(statement.names).length > 0 ? { ExpressionAttributeNames: statement.names } : {}),
    ...(Object.keys(statement.values).length > 0 ? { ExpressionAttributeValues: statement.values } : {}),
  };
}

/**
 * Where a SELECT's next page starts: the partition (of those WHERE pins) and the key after which to go on,
 * in the engine's form (binary as base64), which JSON keeps intact.
 */
interface Position {
  partition: number;
  key?: Item;
}

function encodeToken(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64');
}

function decodeToken(token: string): Position {
  try {
    const position = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as Position;
    if (typeof position.partition !== 'number') throw new Error('no partition');
    return position;
  } catch {
    throw validation('Invalid NextToken');
  }
}

/** A read item as SELECT answers it: values selected by nested paths become top-level attributes. */
function selectedItem(statement: Select, item: Item): Item {
  if (statement.outputs === undefined) return item;
  return Object.fromEntries(statement.outputs.flatMap(({ name, path }) => {
    const value = valueAtPath(item, path);
    return value === undefined ? [] : [[name, value]];
  }));
}

export function createPartiqlOperations(runtime: ServiceRuntime, items: ItemOperations): Partial<DynamodbApi> {
  /** The partitions a SELECT reads (undefined: the whole table or index), checked against ORDER BY. */
  const partitionsOf = (table: TableRecord, statement: Select): AttributeValue[] | undefined => {
    const index = statement.index === undefined ? undefined : [...table.lsis, ...table.gsis].find((i) => i.name === statement.index);
    if (statement.index !== undefined && index === undefined) throw validation(`The table does not have the specified index: ${statement.index}`);
    const schema = index ? indexSchemaOf(table, index) : tableSchema(table);
    // Only key-typed values name partitions; any other value matches nothing, which a scan's filter shows.
    const pinned = statement.terms.get(schema.partitionKey.name)?.every((value) => 'S' in value || 'N' in value || 'B' in value)
      ? statement.terms.get(schema.partitionKey.name)
      : undefined;
    const partitions = pinned?.filter((value, i) => pinned.findIndex((other) => JSON.stringify(other) === JSON.stringify(value)) === i);
    if (statement.orderBy !== undefined) {
      if (statement.where === undefined) throw validation('Must have WHERE clause in the statement when using ORDER BY clause.');
      if (partitions === undefined) throw validation('Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.');
      if (![schema.partitionKey.name, schema.sortKey?.name].includes(statement.orderBy.name)) {
        throw validation(`Variable reference ${statement.orderBy.name} in ORDER BY clause must be part of the primary key`);
      }
      if (statement.orderBy.name === schema.partitionKey.name && partitions.length > 1) {
        throw validation('Must have hash key in ORDER BY clause when more than one hash key condition specified in WHERE clause.');
      }
    }
    return partitions;
  };

  const select = (
    statement: Select,
    input: { ConsistentRead?: boolean; Limit?: number; NextToken?: string; ReturnConsumedCapacity?: ReturnConsumedCapacity },
    ctx: RequestContext,
  ): ExecuteStatementOutput => {
    const table = requireTable(runtime, ctx, statement.table);
    if (input.ConsistentRead === true && table.gsis.some((i) => i.name === statement.index)) {
      throw validation('Strongly consistent read is not supported on Global Secondary Indexes');
    }
    const partitions = partitionsOf(table, statement);
    const reverse = statement.orderBy?.descending === true;
    let position: Position = input.NextToken !== undefined ? decodeToken(input.NextToken) : { partition: 0 };
    const found: Item[] = [];
    let readUnits = 0;
    let remaining = input.Limit;
    const read = (start: Item | undefined, partition: AttributeValue | undefined) =>
      scan(
        runtime,
        ctx,
        table,
        {
          TableName: table.name,
          ...(statement.index ? { IndexName: statement.index } : {}),
          ...(statement.where ? { FilterExpression: statement.where } : {}),
          ...(statement.projection ? { ProjectionExpression: statement.projection } : {}),
          ...readParts(statement),
          ...(remaining !== undefined ? { Limit: remaining } : {}),
          ...(start ? { ExclusiveStartKey: start as Record<string, AttributeValue> } : {}),
          ...(input.ConsistentRead !== undefined ? { ConsistentRead: input.ConsistentRead } : {}),
        },
        partition === undefined ? undefined : { partition: normalizeAttributeValue(partition), reverse },
      );
    // One page: it ends where a read stops early (Limit or 1 MB), or after the last pinned partition.
    for (;;) {
      const page = read(position.key, partitions?.[position.partition]);
      found.push(...page.items);
      readUnits += page.readUnits;
      if (remaining !== undefined) remaining -= page.scannedCount;
      if (page.lastEvaluatedKey !== undefined) {
        position = { partition: position.partition, key: page.lastEvaluatedKey };
        break;
      }
      position = { partition: position.partition + 1 };
      if (partitions === undefined || position.partition >= partitions.length || (remaining !== undefined && remaining <= 0)) break;
    }
    const more = position.key !== undefined || (partitions !== undefined && position.partition < partitions.length);
    return {
      Items: found.map((item) => toWire(selectedItem(statement, item))),
      ...capacityOutput(table, statement.index, readUnits, input.ReturnConsumedCapacity),
      ...(more ? { NextToken: encodeToken(position), ...(position.key ? { LastEvaluatedKey: toWire(position.key) } : {}) } : {}),
    };
  };

  /** A write statement as the TransactWriteItems action it stands for. */
  const writeAction = (statement: Write, ctx: RequestContext, onFailure?: ReturnValuesOnConditionCheckFailure): TransactWriteItem => {
    const table = requireTable(runtime, ctx, statement.table);
    const failure = onFailure ? { ReturnValuesOnConditionCheckFailure: onFailure } : {};
    if (statement.kind === 'insert') {
      const names = { '#k': tableSchema(table).partitionKey.name };
      return { Put: { TableName: table.name, Item: statement.item, ConditionExpression: 'attribute_not_exists(#k)', ExpressionAttributeNames: names, ...failure } };
    }
    const common = { TableName: table.name, Key: keyOf(table, statement.terms), ConditionExpression: statement.where, ...expressionParts(statement), ...failure };
    if (statement.kind === 'update') return { Update: { ...common, UpdateExpression: statement.update } };
    if (statement.kind === 'delete') return { Delete: common };
    return { ConditionCheck: common };
  };

  const write = async (
    statement: Write,
    ctx: RequestContext,
    onFailure?: ReturnValuesOnConditionCheckFailure,
    mode?: ReturnConsumedCapacity,
  ): Promise<ExecuteStatementOutput> => {
    if (statement.kind === 'exists') throw validation('EXISTS can only be used in ExecuteTransaction write requests.');
    const action = writeAction(statement, ctx, onFailure);
    const capacity = mode !== undefined ? { ReturnConsumedCapacity: mode } : {};
    const consumed = (output: { ConsumedCapacity?: ConsumedCapacity }) => (output.ConsumedCapacity ? { ConsumedCapacity: output.ConsumedCapacity } : {});
    try {
      if (action.Put) {
        const output = await items.PutItem({ ...action.Put, ...capacity }, ctx);
        return { Items: [], ...consumed(output) };
      }
      if (action.Update) {
        const returning = statement.kind === 'update' ? statement.returning : undefined;
        const output = await items.UpdateItem({ ...(action.Update as UpdateItemInput), ...(returning ? { ReturnValues: returning } : {}), ...capacity }, ctx);
        return { Items: output.Attributes ? [output.Attributes] : [], ...consumed(output) };
      }
      const returning = statement.kind === 'delete' ? statement.returning : undefined;
      const output = await items.DeleteItem({ ...action.Delete!, ...(returning ? { ReturnValues: returning } : {}), ...capacity }, ctx);
      return { Items: output.Attributes ? [output.Attributes] : [], ...consumed(output) };
    } catch (error) {
      if (statement.kind === 'insert' && isServiceError(error) && error.code === 'ConditionalCheckFailedException') {
        throw new ServiceError('DuplicateItemException', DUPLICATE_ITEM, 400);
      }
      throw error;
    }
  };

  const execute = async (input: ExecuteStatementInput, ctx: RequestContext): Promise<ExecuteStatementOutput> => {
    const statement = parseStatement(input.Statement, input.Parameters ?? []);
    if (statement.kind === 'select') return select(statement, input, ctx);
    return write(statement, ctx, input.ReturnValuesOnConditionCheckFailure, input.ReturnConsumedCapacity);
  };

  const BATCH_CODES: Record<string, NonNullable<BatchStatementResponse['Error']>['Code']> = {
    ConditionalCheckFailedException: 'ConditionalCheckFailed',
    DuplicateItemException: 'DuplicateItem',
    ItemCollectionSizeLimitExceededException: 'ItemCollectionSizeLimitExceeded',
    ResourceNotFoundException: 'ResourceNotFound',
    ValidationException: 'ValidationError',
  };

  return {
    ExecuteStatement: execute,

    async BatchExecuteStatement(input: BatchExecuteStatementInput, ctx: RequestContext): Promise<BatchExecuteStatementOutput> {
      // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchExecuteStatement.html
      const reads = input.Statements.filter((request) => /^\s*select\b/i.test(request.Statement)).length;
      if (reads > 0 && reads < input.Statements.length) {
        throw validation('The entire batch must consist of either read statements or write statements, you cannot mix both in one batch.');
      }
      const responses: BatchStatementResponse[] = [];
      for (const request of input.Statements) {
        try {
          const statement = parseStatement(request.Statement, request.Parameters ?? []);
          if (statement.kind === 'select') {
            // A batch reads single items: the whole primary key must be pinned.
            const table = requireTable(runtime, ctx, statement.table);
            keyOf(table, statement.terms);
            const result = select(statement, request.ConsistentRead !== undefined ? { ConsistentRead: request.ConsistentRead } : {}, ctx);
            responses.push({ TableName: statement.table, ...(result.Items?.[0] ? { Item: result.Items[0] } : {}) });
          } else {
            await write(statement, ctx, request.ReturnValuesOnConditionCheckFailure);
            responses.push({ TableName: statement.table });
          }
        } catch (error) {
          if (!isServiceError(error) || BATCH_CODES[error.code] === undefined) throw error;
          const item = error.fields?.Item as Record<string, AttributeValue> | undefined;
          responses.push({ Error: { Code: BATCH_CODES[error.code], Message: error.message, ...(item ? { Item: item } : {}) } });
        }
      }
      return { Responses: responses };
    },

    async ExecuteTransaction(input: ExecuteTransactionInput, ctx: RequestContext): Promise<ExecuteTransactionOutput> {
      const statements = input.TransactStatements.map((request) => parseStatement(request.Statement, request.Parameters ?? []));
      const reads = statements.filter((statement): statement is Select => statement.kind === 'select');
      if (reads.length > 0 && reads.length < statements.length) throw validation('Unsupported operation in transaction.');
      if (reads.length > 0) {
        const gets = reads.map((statement) => {
          if (statement.index !== undefined) throw validation('Reads on indices are not supported within transactions.');
          const table = requireTable(runtime, ctx, statement.table);
          let key: Record<string, AttributeValue>;
          try {
            key = keyOf(table, statement.terms);
          } catch {
            throw validation('Select statements within ExecuteTransaction must specify the primary key in the where clause.');
          }
          const names = statement.projection ? { ExpressionAttributeNames: namesIn(statement.projection, statement.names) } : {};
          return { Get: { TableName: table.name, Key: key, ...(statement.projection ? { ProjectionExpression: statement.projection } : {}), ...names } };
        });
        const output = await items.TransactGetItems({ TransactItems: gets }, ctx);
        const responses = (output.Responses ?? []).map((response, i) => (response.Item ? { Item: toWire(selectedItem(reads[i], fromWire(response.Item))) } : response));
        return { Responses: responses };
      }
      const writes = statements as Write[];
      const actions = writes.map((statement, i) => writeAction(statement, ctx, input.TransactStatements[i].ReturnValuesOnConditionCheckFailure));
      try {
        await items.TransactWriteItems({ TransactItems: actions, ...(input.ClientRequestToken ? { ClientRequestToken: input.ClientRequestToken } : {}) }, ctx);
      } catch (error) {
        if (!isServiceError(error) || error.code !== 'TransactionCanceledException') throw error;
        const reasons = (error.fields?.CancellationReasons ?? []) as { Code?: string; Message?: string }[];
        const rewritten = reasons.map((reason, i) => (writes[i].kind === 'insert' && reason.Code === 'ConditionalCheckFailed' ? { Code: 'DuplicateItem', Message: DUPLICATE_ITEM } : reason));
        const message = `Transaction cancelled, please refer cancellation reasons for specific reasons [${rewritten.map((r) => r.Code).join(', ')}]`;
        throw new ServiceError('TransactionCanceledException', message, 400, { CancellationReasons: rewritten });
      }
      return { Responses: [] };
    },
  };
}
