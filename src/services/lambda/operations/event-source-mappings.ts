/**
 * Event source mappings for DynamoDB streams: Create/Get/List/Update/DeleteEventSourceMapping
 * (https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html, parameters for
 * DynamoDB: https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html). Mappings report the
 * transitional state of the operation (Creating, Updating, Deleting) and are Enabled or Disabled at once.
 */
import { randomUUID } from 'node:crypto';
import type {
  CreateEventSourceMappingRequest,
  DeleteEventSourceMappingRequest,
  EventSourceMappingConfiguration,
  FilterCriteria,
  GetEventSourceMappingRequest,
  LambdaApi,
  ListEventSourceMappingsRequest,
  ListEventSourceMappingsResponse,
  UpdateEventSourceMappingRequest,
} from '../../../generated/lambda.js';
import type { RequestContext } from '../../../shared/request-context.js';
import { registerStreamRecorder } from '../../dynamodb/streams/recorder.js';
import { StreamLog } from '../../dynamodb/streams/stream-log.js';
import { tableNameOf, tableStream } from '../../dynamodbstreams/table-streams.js';
import { invalidParameter, notInNimbus, userError } from '../errors.js';
import { parsePattern } from '../event-sources/filter-criteria.js';
import type { MappingRecord } from '../event-sources/mapping-record.js';
import { MappingStore, mappingView } from '../event-sources/mapping-record.js';
import { StreamPollers } from '../event-sources/stream-poller.js';
import type { FunctionScope } from '../function-record.js';
import { functionArn } from '../function-record.js';
import { parseFunctionReference } from '../function-names.js';
import type { LambdaService } from '../lambda-service.js';

const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_MAX_ITEMS = 100;

function mappingNotFound(): ReturnType<typeof userError> {
  return userError('ResourceNotFoundException', 'The resource you requested does not exist.', 404);
}

function filterPatterns(criteria: FilterCriteria | undefined): string[] {
  const patterns = (criteria?.Filters ?? []).map((filter) => filter.Pattern ?? '');
  for (const pattern of patterns) parsePattern(pattern);
  return patterns;
}

export function eventSourceMappingOperations(service: LambdaService): Partial<LambdaApi> {
  const { runtime } = service;
  registerStreamRecorder(runtime);
  const mappings = new MappingStore(runtime.store);
  const pollers = new StreamPollers(runtime);
  pollers.restoreAll();

  /** The function a mapping invokes, as an ARN (qualified when a version or alias was named); it must exist. */
  const targetArn = (scope: FunctionScope, reference: string): string => {
    const { name, qualifier } = parseFunctionReference(scope, reference);
    service.resolve(scope, name, qualifier);
    return functionArn(scope, name, qualifier);
  };

  const existing = (ctx: RequestContext, uuid: string): MappingRecord => {
    const record = mappings.get(ctx, uuid);
    if (!record) throw mappingNotFound();
    return record;
  };

  return {
    async CreateEventSourceMapping(input: CreateEventSourceMappingRequest, ctx: RequestContext): Promise<EventSourceMappingConfiguration> {
      const arn = input.EventSourceArn;
      if (arn === undefined) throw invalidParameter('Unrecognized event source, must be kafka or specify EventSourceArn');
      const tableName = tableNameOf(arn);
      if (!tableName) {
        if (/^arn:aws[\w-]*:(sqs|kinesis|kafka|mq|docdb|rds):/.test(arn)) throw notInNimbus('Event source mappings other than for DynamoDB streams are');
        throw invalidParameter(`Unrecognized event source: ${arn}`);
      }
      const fnArn = targetArn(ctx, input.FunctionName);
      const stream = await tableStream(runtime, ctx, tableName);
      if (stream?.arn !== arn) throw invalidParameter(`Stream not found: ${arn}`);
      if (input.StartingPosition === undefined) throw invalidParameter('1 validation error detected: Value null at \'startingPosition\' failed to satisfy constraint: Member must not be null');
      if (input.StartingPosition === 'AT_TIMESTAMP') throw invalidParameter('Unsupported starting position for DynamoDB streams: AT_TIMESTAMP');
      const duplicate = mappings.list(ctx).find((m) => m.eventSourceArn === arn && m.functionArn === fnArn);
      if (duplicate) {
        throw userError('ResourceConflictException', `The event source arn (" ${arn} ") and function (" ${fnArn} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${duplicate.uuid}`, 409);
      }
      const log = new StreamLog(runtime.store, ctx.account, ctx.region);
      const record: MappingRecord = {
        uuid: randomUUID(),
        account: ctx.account,
        region: ctx.region,
        eventSourceArn: arn,
        functionArn: fnArn,
        startingPosition: input.StartingPosition,
        batchSize: input.BatchSize ?? DEFAULT_BATCH_SIZE,
        maximumBatchingWindowInSeconds: input.MaximumBatchingWindowInSeconds ?? 0,
        maximumRetryAttempts: input.MaximumRetryAttempts ?? -1,
        maximumRecordAgeInSeconds: input.MaximumRecordAgeInSeconds ?? -1,
        bisectBatchOnFunctionError: input.BisectBatchOnFunctionError ?? false,
        parallelizationFactor: input.ParallelizationFactor ?? 1,
        filterPatterns: filterPatterns(input.FilterCriteria),
        functionResponseTypes: input.FunctionResponseTypes ?? [],
        enabled: input.Enabled ?? true,
        lastModified: runtime.clock.now(),
        lastProcessingResult: 'No records processed',
        // LATEST starts after the newest record now in the stream; TRIM_HORIZON at the oldest.
        checkpoint: input.StartingPosition === 'LATEST' ? (log.lastSequenceNumber(tableName) ?? '') : '',
      };
      mappings.put(record);
      if (record.enabled) pollers.start(record.uuid);
      return mappingView(record, 'Creating');
    },

    GetEventSourceMapping(input: GetEventSourceMappingRequest, ctx: RequestContext): EventSourceMappingConfiguration {
      return mappingView(existing(ctx, input.UUID));
    },

    ListEventSourceMappings(input: ListEventSourceMappingsRequest, ctx: RequestContext): ListEventSourceMappingsResponse {
      let fnArn: string | undefined;
      if (input.FunctionName !== undefined) {
        const { name, qualifier } = parseFunctionReference(ctx, input.FunctionName);
        fnArn = functionArn(ctx, name, qualifier);
      }
      let all = mappings.list(ctx).filter((m) => (input.EventSourceArn === undefined || m.eventSourceArn === input.EventSourceArn) && (fnArn === undefined || m.functionArn === fnArn));
      if (input.Marker !== undefined) {
        const index = all.findIndex((m) => m.uuid === input.Marker);
        if (index < 0) throw invalidParameter('Invalid marker');
        all = all.slice(index + 1);
      }
      const limit = input.MaxItems ?? DEFAULT_MAX_ITEMS;
      const page = all.slice(0, limit);
      return { EventSourceMappings: page.map((m) => mappingView(m)), NextMarker: all.length > limit ? page[page.length - 1]?.uuid : undefined };
    },

    UpdateEventSourceMapping(input: UpdateEventSourceMappingRequest, ctx: RequestContext): EventSourceMappingConfiguration {
      const current = existing(ctx, input.UUID);
      const updated: MappingRecord = {
        ...current,
        functionArn: input.FunctionName !== undefined ? targetArn(ctx, input.FunctionName) : current.functionArn,
        enabled: input.Enabled ?? current.enabled,
        batchSize: input.BatchSize ?? current.batchSize,
        maximumBatchingWindowInSeconds: input.MaximumBatchingWindowInSeconds ?? current.maximumBatchingWindowInSeconds,
        maximumRetryAttempts: input.MaximumRetryAttempts ?? current.maximumRetryAttempts,
        maximumRecordAgeInSeconds: input.MaximumRecordAgeInSeconds ?? current.maximumRecordAgeInSeconds,
        bisectBatchOnFunctionError: input.BisectBatchOnFunctionError ?? current.bisectBatchOnFunctionError,
        parallelizationFactor: input.ParallelizationFactor ?? current.parallelizationFactor,
        filterPatterns: input.FilterCriteria !== undefined ? filterPatterns(input.FilterCriteria) : current.filterPatterns,
        functionResponseTypes: input.FunctionResponseTypes ?? current.functionResponseTypes,
        lastModified: runtime.clock.now(),
      };
      mappings.put(updated);
      if (updated.enabled) pollers.start(updated.uuid);
      else pollers.stop(updated.uuid);
      return mappingView(updated, 'Updating');
    },

    DeleteEventSourceMapping(input: DeleteEventSourceMappingRequest, ctx: RequestContext): EventSourceMappingConfiguration {
      const current = existing(ctx, input.UUID);
      pollers.stop(current.uuid);
      mappings.delete(current.uuid);
      return mappingView(current, 'Deleting');
    },
  };
}
