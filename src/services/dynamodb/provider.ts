/**
 * Amazon DynamoDB: tables with secondary indexes, items with expressions and legacy parameters, Query and
 * Scan, batches and transactions, PartiQL, Time to Live, consumed capacity and item collection metrics.
 * Every item change is handed to the stream recorder inside its store transaction when the table has a
 * stream (see stream-recorders.ts).
 *
 * Known limitations: tables and indexes are ACTIVE at once (no CREATING/UPDATING period to wait through);
 * throughput is recorded but never enforced (no throttling); ItemCount and TableSizeBytes are live rather
 * than refreshed every six hours; Scan visits items in key order rather than hash order, and a GSI Query
 * returns items with equal index keys in table key order rather than DynamoDB's hash order; a disabled
 * stream stays readable for 24 hours only until the table enables a new one; PartiQL returns
 * consumed capacity only from ExecuteStatement, has no ORDER BY on several keys and no functions in SELECT
 * projections, and its syntax errors carry Nimbus's own detail after DynamoDB's "Statement wasn't well
 * formed" prefix; backups,
 * point-in-time recovery, global tables, imports/exports, Kinesis destinations, contributor insights and
 * resource policies answer NotImplemented.
 */
import { DynamoDbValidationError } from '../../engines/dynamodb/index.js';
import type { DynamodbApi } from '../../generated/dynamodb.js';
import { ServiceError } from '../../shared/errors.js';
import type { ServiceRuntime } from '../service.js';
import { createBatchOperations } from './batch-operations.js';
import { createItemOperations } from './item-operations.js';
import { createPartiqlOperations } from './partiql-operations.js';
import { createTableOperations } from './table-operations.js';
import { registerStreamRecorder } from './streams/recorder.js';
import { scheduleSweeps } from './time-to-live.js';

type Handler = (input: never, ctx: never) => unknown;

/** The engine's validation errors are DynamoDB's ValidationException, message unchanged. */
function asServiceError(error: unknown): unknown {
  return error instanceof DynamoDbValidationError ? new ServiceError('ValidationException', error.message, 400) : error;
}

function withValidationErrors<F extends Handler>(handler: F): F {
  return ((input: never, ctx: never) => {
    try {
      const result = handler(input, ctx);
      return result instanceof Promise ? result.catch((error: unknown) => { throw asServiceError(error); }) : result;
    } catch (error) {
      throw asServiceError(error);
    }
  }) as F;
}

export function createDynamodbProvider(runtime: ServiceRuntime): Partial<DynamodbApi> {
  // Changes are logged from the first write, not from the first Streams or Lambda call.
  registerStreamRecorder(runtime);
  scheduleSweeps(runtime);
  const items = { ...createItemOperations(runtime), ...createBatchOperations(runtime) };
  const operations: Partial<DynamodbApi> = {
    ...createTableOperations(runtime),
    ...items,
    ...createPartiqlOperations(runtime, {
      PutItem: items.PutItem!,
      UpdateItem: items.UpdateItem!,
      DeleteItem: items.DeleteItem!,
      TransactWriteItems: items.TransactWriteItems!,
      TransactGetItems: items.TransactGetItems!,
    }),
  };
  return Object.fromEntries(Object.entries(operations).map(([name, handler]) => [name, withValidationErrors(handler as Handler)]));
}
