/**
 * ExecuteStatement, BatchExecuteStatement and ExecuteTransaction over the PartiQL subset in partiql.ts.
 * Writes go through the same plans as the item operations; a transaction becomes TransactWriteItems.
 * UPDATE and DELETE need an equality on every key attribute in WHERE, as DynamoDB requires; the rest of
 * WHERE is the write's condition. SELECT reads by Scan with WHERE as the filter.
 */
import { compileRequestExpressions } from '../../engines/dynamodb/index.js';
import type { Condition, Item } from '../../engines/dynamodb/index.js';
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
  ReturnValuesOnConditionCheckFailure,
  TransactWriteItem,
} from '../../generated/dynamodb.js';
import { isServiceError, ServiceError } from '../../shared/errors.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ServiceRuntime } from '../service.js';
import { executeWrite } from './item-operations.js';
import { planWrite } from './item-writes.js';
import type { Statement } from './partiql.js';
import { parseStatement } from './partiql.js';
import { scan } from './query-scan.js';
import type { TableRecord } from './tables.js';
import { requireTable, tableSchema, validation } from './tables.js';
import { toWire } from './wire-values.js';

type WriteStatement = Exclude<Statement, { kind: 'select' }>;

function duplicateItem(): ServiceError {
  return new ServiceError('DuplicateItemException', 'Duplicate primary key exists in table', 400);
}

/** The `key = value` terms ANDed at the top of a WHERE clause. */
function equalities(condition: Condition, found: Map<string, Item[string]>): void {
  if (condition.kind === 'and') {
    equalities(condition.left, found);
    equalities(condition.right, found);
  } else if (condition.kind === 'comparison' && condition.operator === '=') {
    const [path, value] = condition.left.kind === 'path' ? [condition.left, condition.right] : [condition.right, condition.left];
    if (path.kind === 'path' && path.path.length === 1 && value.kind === 'value') found.set(String(path.path[0]), value.value);
  }
}

/** The placeholders of `map` that `expression` uses (an UPDATE's SET clause has its own). */
function usedIn<T>(expression: string, map: Record<string, T>): Record<string, T> | undefined {
  const used = Object.entries(map).filter(([key]) => new RegExp(`${key}(?![0-9])`).test(expression));
  return used.length === 0 ? undefined : Object.fromEntries(used);
}

function keyOf(table: TableRecord, statement: WriteStatement & { where: string }): Item {
  const compiled = compileRequestExpressions('Scan', {
    FilterExpression: statement.where,
    ExpressionAttributeNames: usedIn(statement.where, statement.names),
    ExpressionAttributeValues: usedIn(statement.where, statement.values),
  });
  const found = new Map<string, Item[string]>();
  equalities(compiled.filter!, found);
  const schema = tableSchema(table);
  const names = [schema.partitionKey.name, ...(schema.sortKey ? [schema.sortKey.name] : [])];
  if (names.some((name) => !found.has(name))) throw validation('Where clause does not contain a mandatory equality on all key attributes');
  return Object.fromEntries(names.map((name) => [name, found.get(name)!]));
}

/** A write statement as the TransactWriteItems action it stands for. */
function writeAction(runtime: ServiceRuntime, ctx: RequestContext, statement: WriteStatement, onFailure?: ReturnValuesOnConditionCheckFailure): TransactWriteItem {
  const table = requireTable(runtime, ctx, statement.table);
  const failure = onFailure ? { ReturnValuesOnConditionCheckFailure: onFailure } : {};
  if (statement.kind === 'insert') {
    return { Put: { TableName: table.name, Item: statement.item, ConditionExpression: 'attribute_not_exists(#k)', ExpressionAttributeNames: { '#k': tableSchema(table).partitionKey.name }, ...failure } };
  }
  const Key = toWire(keyOf(table, statement)) as Record<string, AttributeValue>;
  const expression = { ConditionExpression: statement.where, ExpressionAttributeNames: statement.names, ...(Object.keys(statement.values).length > 0 ? { ExpressionAttributeValues: statement.values } : {}) };
  if (statement.kind === 'update') return { Update: { TableName: table.name, Key, UpdateExpression: statement.update, ...expression, ...failure } };
  return { Delete: { TableName: table.name, Key, ...expression, ...failure } };
}

function nextToken(key: Record<string, AttributeValue> | undefined): string | undefined {
  return key === undefined ? undefined : Buffer.from(JSON.stringify(key)).toString('base64');
}

export function createPartiqlOperations(runtime: ServiceRuntime, transactWrite: NonNullable<DynamodbApi['TransactWriteItems']>): Partial<DynamodbApi> {
  const select = (statement: Extract<Statement, { kind: 'select' }>, input: ExecuteStatementInput, ctx: RequestContext): ExecuteStatementOutput => {
    const table = requireTable(runtime, ctx, statement.table);
    let start: Record<string, AttributeValue> | undefined;
    if (input.NextToken !== undefined) {
      try {
        start = JSON.parse(Buffer.from(input.NextToken, 'base64').toString('utf8')) as Record<string, AttributeValue>;
      } catch {
        throw validation('Given NextToken is not valid');
      }
    }
    const hasNames = Object.keys(statement.names).length > 0;
    const hasValues = Object.keys(statement.values).length > 0;
    const page = scan(runtime, ctx, table, {
      TableName: table.name,
      ...(statement.index ? { IndexName: statement.index } : {}),
      ...(statement.where ? { FilterExpression: statement.where } : {}),
      ...(statement.projection ? { ProjectionExpression: statement.projection } : {}),
      ...(hasNames ? { ExpressionAttributeNames: statement.names } : {}),
      ...(hasValues ? { ExpressionAttributeValues: statement.values } : {}),
      ...(input.Limit !== undefined ? { Limit: input.Limit } : {}),
      ...(start ? { ExclusiveStartKey: start } : {}),
      ...(input.ConsistentRead !== undefined ? { ConsistentRead: input.ConsistentRead } : {}),
    });
    const last = page.lastEvaluatedKey && toWire(page.lastEvaluatedKey);
    const token = nextToken(last);
    return { Items: page.items.map(toWire), ...(token ? { NextToken: token, LastEvaluatedKey: last } : {}) };
  };

  const write = (statement: WriteStatement, ctx: RequestContext, onFailure?: ReturnValuesOnConditionCheckFailure): void => {
    const action = writeAction(runtime, ctx, statement, onFailure);
    const [kind, request] = action.Put ? (['Put', action.Put] as const) : action.Update ? (['Update', action.Update] as const) : (['Delete', action.Delete!] as const);
    const plan = planWrite(kind, requireTable(runtime, ctx, request.TableName), request);
    try {
      executeWrite(runtime, ctx, plan, onFailure);
    } catch (error) {
      if (statement.kind === 'insert' && isServiceError(error) && error.code === 'ConditionalCheckFailedException') throw duplicateItem();
      throw error;
    }
  };

  const execute = (input: ExecuteStatementInput, ctx: RequestContext): ExecuteStatementOutput => {
    const statement = parseStatement(input.Statement, input.Parameters ?? []);
    if (statement.kind === 'select') return select(statement, input, ctx);
    write(statement, ctx, input.ReturnValuesOnConditionCheckFailure);
    return { Items: [] };
  };

  return {
    ExecuteStatement: execute,

    BatchExecuteStatement(input: BatchExecuteStatementInput, ctx: RequestContext): BatchExecuteStatementOutput {
      const codes: Record<string, NonNullable<BatchStatementResponse['Error']>['Code']> = {
        ConditionalCheckFailedException: 'ConditionalCheckFailed',
        DuplicateItemException: 'DuplicateItem',
        ResourceNotFoundException: 'ResourceNotFound',
        ValidationException: 'ValidationError',
      };
      const responses = input.Statements.map((request): BatchStatementResponse => {
        try {
          const statement = parseStatement(request.Statement, request.Parameters ?? []);
          if (statement.kind === 'select') {
            const result = select(statement, { Statement: request.Statement, ...(request.ConsistentRead !== undefined ? { ConsistentRead: request.ConsistentRead } : {}) }, ctx);
            return { TableName: statement.table, ...(result.Items?.[0] ? { Item: result.Items[0] } : {}) };
          }
          write(statement, ctx, request.ReturnValuesOnConditionCheckFailure);
          return { TableName: statement.table };
        } catch (error) {
          if (!isServiceError(error) || codes[error.code] === undefined) throw error;
          const item = error.fields?.Item as Record<string, AttributeValue> | undefined;
          return { Error: { Code: codes[error.code], Message: error.message, ...(item ? { Item: item } : {}) } };
        }
      });
      return { Responses: responses };
    },

    async ExecuteTransaction(input: ExecuteTransactionInput, ctx: RequestContext): Promise<ExecuteTransactionOutput> {
      const statements = input.TransactStatements.map((request) => parseStatement(request.Statement, request.Parameters ?? []));
      if (statements.some((statement) => statement.kind === 'select')) {
        throw validation('Transactions can only contain write statements in this emulator');
      }
      const writes = statements as WriteStatement[];
      const actions = writes.map((statement, i) => writeAction(runtime, ctx, statement, input.TransactStatements[i].ReturnValuesOnConditionCheckFailure));
      try {
        await transactWrite({ TransactItems: actions, ...(input.ClientRequestToken ? { ClientRequestToken: input.ClientRequestToken } : {}) }, ctx);
      } catch (error) {
        if (!isServiceError(error) || error.code !== 'TransactionCanceledException') throw error;
        const reasons = (error.fields?.CancellationReasons ?? []) as { Code?: string; Message?: string }[];
        const rewritten = reasons.map((reason, i) =>
          writes[i].kind === 'insert' && reason.Code === 'ConditionalCheckFailed' ? { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } : reason,
        );
        const message = `Transaction cancelled, please refer cancellation reasons for specific reasons [${rewritten.map((r) => r.Code).join(', ')}]`;
        throw new ServiceError('TransactionCanceledException', message, 400, { CancellationReasons: rewritten });
      }
      return { Responses: [] };
    },
  };
}
