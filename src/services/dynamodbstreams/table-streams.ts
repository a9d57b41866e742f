/**
 * A table's stream as DynamoDB describes it: the stream belongs to the table record (StreamSpecification,
 * LatestStreamArn, LatestStreamLabel), so Streams reads it through DynamoDB's own DescribeTable.
 */
import type { DescribeTableOutput, ListTablesOutput } from '../../generated/dynamodb.js';
import type { KeySchemaElement, StreamStatus, StreamViewType } from '../../generated/dynamodbstreams.js';
import { ServiceError } from '../../shared/errors.js';
import type { ServiceRuntime } from '../service.js';

/** The account and region a stream is looked up in. */
export interface StreamScope {
  account: string;
  region: string;
}

export interface TableStream {
  arn: string;
  label: string;
  tableName: string;
  viewType: StreamViewType;
  status: StreamStatus;
  /** Epoch milliseconds the stream was enabled (its label is that instant). */
  createdAt: number;
  keySchema: KeySchemaElement[];
}

export function streamNotFound(arn: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', `Requested resource not found: Stream: ${arn} not found`);
}

/** The table a stream ARN names (arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>). */
export function tableNameOf(arn: string): string | undefined {
  return /^arn:aws[\w-]*:dynamodb:[\w-]+:\d{12}:table\/([\w.-]+)\/stream\/[^/]+$/.exec(arn)?.[1];
}

/** A stream label is the ISO-8601 instant (UTC, no zone) the stream was enabled. */
function labelTime(label: string): number {
  const time = Date.parse(`${label}Z`);
  return Number.isNaN(time) ? 0 : time;
}

export async function tableStream(runtime: ServiceRuntime, ctx: StreamScope, tableName: string): Promise<TableStream | undefined> {
  let table: DescribeTableOutput['Table'];
  try {
    ({ Table: table } = await runtime.client.call<DescribeTableOutput>('dynamodb', 'DescribeTable', { TableName: tableName }, { account: ctx.account, region: ctx.region }));
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'ResourceNotFoundException') return undefined;
    throw error;
  }
  if (!table?.LatestStreamArn || !table.LatestStreamLabel) return undefined;
  const enabled = table.StreamSpecification?.StreamEnabled === true;
  return {
    arn: table.LatestStreamArn,
    label: table.LatestStreamLabel,
    tableName,
    viewType: table.StreamSpecification?.StreamViewType ?? 'KEYS_ONLY',
    status: enabled ? 'ENABLED' : 'DISABLED',
    createdAt: labelTime(table.LatestStreamLabel),
    keySchema: (table.KeySchema ?? []).map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
  };
}

/** The stream an ARN names, or ResourceNotFoundException. */
export async function streamByArn(runtime: ServiceRuntime, ctx: StreamScope, arn: string): Promise<TableStream> {
  const tableName = tableNameOf(arn);
  const stream = tableName ? await tableStream(runtime, ctx, tableName) : undefined;
  if (stream?.arn !== arn) throw streamNotFound(arn);
  return stream;
}

/** Every table's stream in the caller's account and region, in table name order. */
export async function allStreams(runtime: ServiceRuntime, ctx: StreamScope): Promise<TableStream[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await runtime.client.call<ListTablesOutput>('dynamodb', 'ListTables', start ? { ExclusiveStartTableName: start } : {}, { account: ctx.account, region: ctx.region });
    names.push(...(page.TableNames ?? []));
    start = page.LastEvaluatedTableName;
  } while (start);
  const streams: TableStream[] = [];
  for (const name of names) {
    const stream = await tableStream(runtime, ctx, name);
    if (stream) streams.push(stream);
  }
  return streams;
}
