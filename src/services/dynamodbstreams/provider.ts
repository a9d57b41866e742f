/**
 * Amazon DynamoDB Streams: the change log of each table with a stream, read shard by shard
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB_Streams.html).
 * DynamoDB's write path logs every change (../dynamodb/streams/recorder.ts); a stream's records are the
 * changes logged since its label's instant, shaped by its view type.
 *
 * Known limitations: each stream has one shard that never splits or closes while the stream is enabled
 * (ShardFilter CHILD_SHARDS therefore finds none); only the table's latest stream is listed and readable
 * (an earlier stream of the same table is gone once a new one is enabled; a disabled stream stays readable
 * for 24 hours only until then); a stream is found through
 * DynamoDB's DescribeTable, so Streams works only as far as DynamoDB reports LatestStreamArn.
 */
import type {
  DescribeStreamInput,
  DescribeStreamOutput,
  DynamodbstreamsApi,
  GetRecordsInput,
  GetRecordsOutput,
  GetShardIteratorInput,
  GetShardIteratorOutput,
  ListStreamsInput,
  ListStreamsOutput,
  RecordShape,
} from '../../generated/dynamodbstreams.js';
import type { AttributeValue } from '../../generated/dynamodbstreams.js';
import { ServiceError } from '../../shared/errors.js';
import type { RequestContext } from '../../shared/request-context.js';
import { registerStreamRecorder } from '../dynamodb/streams/recorder.js';
import { streamRecord } from '../dynamodb/streams/records.js';
import type { JsonAttributeMap, JsonAttributeValue } from '../dynamodb/streams/stream-log.js';
import { RETENTION_MS, StreamLog } from '../dynamodb/streams/stream-log.js';
import type { ServiceRuntime } from '../service.js';
import { decodeIterator, encodeIterator } from './shard-iterator.js';
import type { TableStream } from './table-streams.js';
import { allStreams, streamByArn, streamNotFound, tableNameOf, tableStream } from './table-streams.js';

const DEFAULT_LIST_LIMIT = 100;
const DEFAULT_RECORDS_LIMIT = 1000;

/** The one shard's id (AWS's form: shardId-<20 digits: the creation instant>-<8 hex>), derived from the stream so it is stable across calls and restarts. */
export function shardIdOf(stream: TableStream): string {
  let hash = 0;
  for (const char of stream.arn) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  return `shardId-${String(stream.createdAt).padStart(20, '0')}-${hash.toString(16).padStart(8, '0')}`;
}

function typedValue(value: JsonAttributeValue): AttributeValue {
  if ('B' in value) return { B: Buffer.from(value.B, 'base64') };
  if ('BS' in value) return { BS: value.BS.map((b) => Buffer.from(b, 'base64')) };
  if ('M' in value) return { M: typedMap(value.M) };
  if ('L' in value) return { L: value.L.map(typedValue) };
  return value;
}

function typedMap(map: JsonAttributeMap): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(map).map(([name, value]) => [name, typedValue(value)]));
}

export function createDynamodbstreamsProvider(runtime: ServiceRuntime): Partial<DynamodbstreamsApi> {
  registerStreamRecorder(runtime);
  const log = (ctx: RequestContext) => new StreamLog(runtime.store, ctx.account, ctx.region);
  /** The stream's records start at its label's instant and go back no further than retention. */
  const horizon = (stream: TableStream) => Math.max(stream.createdAt, runtime.clock.now() - RETENTION_MS);

  return {
    async ListStreams(input: ListStreamsInput, ctx: RequestContext): Promise<ListStreamsOutput> {
      let streams: TableStream[];
      if (input.TableName !== undefined) {
        const stream = await tableStream(runtime, ctx, input.TableName);
        streams = stream ? [stream] : [];
      } else {
        streams = await allStreams(runtime, ctx);
      }
      if (input.ExclusiveStartStreamArn !== undefined) {
        const start = input.ExclusiveStartStreamArn;
        const index = streams.findIndex((s) => s.arn === start);
        streams = index >= 0 ? streams.slice(index + 1) : streams.filter((s) => s.tableName > (tableNameOf(start) ?? ''));
      }
      const limit = input.Limit ?? DEFAULT_LIST_LIMIT;
      const page = streams.slice(0, limit);
      return {
        Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })),
        LastEvaluatedStreamArn: streams.length > limit ? page[page.length - 1]?.arn : undefined,
      };
    },

    async DescribeStream(input: DescribeStreamInput, ctx: RequestContext): Promise<DescribeStreamOutput> {
      const stream = await streamByArn(runtime, ctx, input.StreamArn);
      const shardId = shardIdOf(stream);
      const first = log(ctx).read(stream.tableName, '', 1, horizon(stream))[0];
      const last = log(ctx).lastSequenceNumber(stream.tableName);
      // The one shard has no parent, so it is nobody's child and comes after no other shard id.
      const listed = input.ShardFilter?.Type !== 'CHILD_SHARDS' && (input.ExclusiveStartShardId === undefined || input.ExclusiveStartShardId < shardId);
      return {
        StreamDescription: {
          StreamArn: stream.arn,
          StreamLabel: stream.label,
          StreamStatus: stream.status,
          StreamViewType: stream.viewType,
          CreationRequestDateTime: new Date(stream.createdAt),
          TableName: stream.tableName,
          KeySchema: stream.keySchema,
          Shards: listed
            ? [
                {
                  ShardId: shardId,
                  SequenceNumberRange: {
                    StartingSequenceNumber: first?.sequenceNumber,
                    // A disabled stream's shard is closed at its last record.
                    EndingSequenceNumber: stream.status === 'DISABLED' ? last : undefined,
                  },
                },
              ]
            : [],
        },
      };
    },

    async GetShardIterator(input: GetShardIteratorInput, ctx: RequestContext): Promise<GetShardIteratorOutput> {
      const stream = await streamByArn(runtime, ctx, input.StreamArn);
      if (input.ShardId !== shardIdOf(stream)) {
        throw new ServiceError('ResourceNotFoundException', 'Requested resource not found: Shard does not exist');
      }
      const now = runtime.clock.now();
      let after: string;
      if (input.ShardIteratorType === 'TRIM_HORIZON') {
        after = '';
      } else if (input.ShardIteratorType === 'LATEST') {
        after = log(ctx).lastSequenceNumber(stream.tableName) ?? '';
      } else {
        const sequenceNumber = input.SequenceNumber;
        if (sequenceNumber === undefined || !/^\d{21,40}$/.test(sequenceNumber)) {
          throw new ServiceError('ValidationException', `Invalid SequenceNumber for ShardIteratorType ${input.ShardIteratorType}`);
        }
        const at = BigInt(sequenceNumber);
        const trimmed = log(ctx).trimmedThrough(stream.tableName);
        if (trimmed && at <= BigInt(trimmed)) {
          throw new ServiceError('TrimmedDataAccessException', `Requested sequence number ${sequenceNumber} is beyond the trim horizon of the shard`);
        }
        const last = log(ctx).lastSequenceNumber(stream.tableName);
        if (last === undefined || at > BigInt(last)) {
          throw new ServiceError('ValidationException', `Invalid SequenceNumber ${sequenceNumber} for shard ${input.ShardId}: the sequence number is not in the shard`);
        }
        after = (input.ShardIteratorType === 'AT_SEQUENCE_NUMBER' ? at - 1n : at).toString().padStart(sequenceNumber.length, '0');
      }
      return { ShardIterator: encodeIterator({ streamArn: stream.arn, shardId: input.ShardId, after, issuedAt: now }) };
    },

    async GetRecords(input: GetRecordsInput, ctx: RequestContext): Promise<GetRecordsOutput> {
      const now = runtime.clock.now();
      const position = decodeIterator(input.ShardIterator, now);
      const tableName = tableNameOf(position.streamArn);
      const stream = tableName ? await tableStream(runtime, ctx, tableName) : undefined;
      if (stream?.arn !== position.streamArn) throw streamNotFound(position.streamArn);
      const trimmed = log(ctx).trimmedThrough(stream.tableName);
      if (position.after && trimmed && position.after < trimmed) {
        throw new ServiceError('TrimmedDataAccessException', 'The operation attempted to read past the oldest stream record in a shard.');
      }
      const changes = log(ctx).read(stream.tableName, position.after, input.Limit ?? DEFAULT_RECORDS_LIMIT, horizon(stream));
      const records: RecordShape[] = changes.map((change) => {
        const json = streamRecord(change, stream.viewType, ctx.region);
        return {
          ...json,
          dynamodb: {
            ...json.dynamodb,
            ApproximateCreationDateTime: new Date(json.dynamodb.ApproximateCreationDateTime * 1000),
            Keys: typedMap(json.dynamodb.Keys),
            NewImage: json.dynamodb.NewImage ? typedMap(json.dynamodb.NewImage) : undefined,
            OldImage: json.dynamodb.OldImage ? typedMap(json.dynamodb.OldImage) : undefined,
          },
          userIdentity: json.userIdentity ? { Type: json.userIdentity.type, PrincipalId: json.userIdentity.principalId } : undefined,
        };
      });
      const lastRead = changes[changes.length - 1]?.sequenceNumber ?? position.after;
      return { Records: records, NextShardIterator: encodeIterator({ ...position, after: lastRead, issuedAt: now }) };
    },
  };
}
