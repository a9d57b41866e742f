/**
 * Event source mappings as stored: one collection for every account and region, so the pollers of all of
 * them can be restarted when Lambda loads after a restart. The checkpoint (the last sequence number the
 * function has processed) lives with the mapping and moves only after a batch succeeds.
 */
import type { EventSourceMappingConfiguration, EventSourcePosition, FunctionResponseType } from '../../../generated/lambda.js';
import type { Store } from '../../../store/store.js';
import type { FunctionScope } from '../function-record.js';

export interface MappingRecord {
  uuid: string;
  account: string;
  region: string;
  eventSourceArn: string;
  /** The function's ARN, qualified when the mapping names a version or alias. */
  functionArn: string;
  startingPosition: EventSourcePosition;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  maximumRetryAttempts: number;
  maximumRecordAgeInSeconds: number;
  bisectBatchOnFunctionError: boolean;
  parallelizationFactor: number;
  /** The filters' Pattern strings, as given. */
  filterPatterns: string[];
  functionResponseTypes: FunctionResponseType[];
  enabled: boolean;
  /** Epoch milliseconds. */
  lastModified: number;
  lastProcessingResult: string;
  /** Records after this sequence number are next; undefined until the poller first positions itself. */
  checkpoint?: string;
}

const COLLECTION = 'lambda/event-source-mappings';

export class MappingStore {
  constructor(private readonly store: Store) {}

  private collection() {
    return this.store.collection<MappingRecord>(COLLECTION);
  }

  get(scope: FunctionScope, uuid: string): MappingRecord | undefined {
    const record = this.collection().get(uuid);
    return record && record.account === scope.account && record.region === scope.region ? record : undefined;
  }

  /** Any account's mapping (the poller's view). */
  find(uuid: string): MappingRecord | undefined {
    return this.collection().get(uuid);
  }

  put(record: MappingRecord): void {
    this.collection().put(record.uuid, record);
  }

  delete(uuid: string): void {
    this.collection().delete(uuid);
  }

  all(): MappingRecord[] {
    return this.collection()
      .list()
      .map(([, record]) => record);
  }

  list(scope: FunctionScope): MappingRecord[] {
    return this.all()
      .filter((r) => r.account === scope.account && r.region === scope.region)
      .sort((a, b) => a.lastModified - b.lastModified || a.uuid.localeCompare(b.uuid));
  }
}

/** The mapping as Lambda returns it; `state` is the transitional state an operation reports. */
export function mappingView(record: MappingRecord, state?: string): EventSourceMappingConfiguration {
  return {
    UUID: record.uuid,
    StartingPosition: record.startingPosition,
    BatchSize: record.batchSize,
    MaximumBatchingWindowInSeconds: record.maximumBatchingWindowInSeconds,
    ParallelizationFactor: record.parallelizationFactor,
    EventSourceArn: record.eventSourceArn,
    FilterCriteria: record.filterPatterns.length ? { Filters: record.filterPatterns.map((Pattern) => ({ Pattern })) } : undefined,
    FunctionArn: record.functionArn,
    LastModified: new Date(record.lastModified),
    LastProcessingResult: record.lastProcessingResult,
    State: state ?? (record.enabled ? 'Enabled' : 'Disabled'),
    StateTransitionReason: 'User action',
    DestinationConfig: { OnFailure: {} },
    MaximumRecordAgeInSeconds: record.maximumRecordAgeInSeconds,
    BisectBatchOnFunctionError: record.bisectBatchOnFunctionError,
    MaximumRetryAttempts: record.maximumRetryAttempts,
    TumblingWindowInSeconds: 0,
    FunctionResponseTypes: record.functionResponseTypes,
    EventSourceMappingArn: `arn:aws:lambda:${record.region}:${record.account}:event-source-mapping:${record.uuid}`,
  };
}
