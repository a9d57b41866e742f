/**
 * The pollers behind DynamoDB stream event source mappings
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html): one per enabled mapping, on runtime.clock,
 * each tick reading at most one batch after the mapping's checkpoint and invoking the function
 * synchronously with the `aws:dynamodb` event. The checkpoint moves (durably) only past records the
 * function processed, so a restart resumes where processing stopped. A failed batch is retried from the
 * same position until MaximumRetryAttempts is spent (-1: until the records expire), split in half on each
 * failure when BisectBatchOnFunctionError is set; with ReportBatchItemFailures the checkpoint moves up to
 * the first failed record (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html).
 */
import type { InvocationResponse } from '../../../generated/lambda.js';
import { streamRecord } from '../../dynamodb/streams/records.js';
import type { JsonStreamRecord } from '../../dynamodb/streams/records.js';
import { RETENTION_MS, StreamLog } from '../../dynamodb/streams/stream-log.js';
import { tableNameOf, tableStream } from '../../dynamodbstreams/table-streams.js';
import type { ServiceRuntime } from '../../service.js';
import { parsePattern, passesFilters } from './filter-criteria.js';
import type { MappingRecord } from './mapping-record.js';
import { MappingStore } from './mapping-record.js';

/** How often an idle shard is polled (Lambda polls a stream's shards four times a second). */
export const POLL_INTERVAL_MS = 250;
/** The pause before a failed batch is retried. */
export const RETRY_DELAY_MS = 1000;

type BatchOutcome = { kind: 'ok' } | { kind: 'failed' } | { kind: 'partial'; firstFailed: string };

interface RetryState {
  /** The checkpoint the failing batch starts after. */
  from: string;
  attempts: number;
  /** The batch size while bisecting. */
  limit: number;
}

export class StreamPollers {
  private readonly mappings: MappingStore;
  private readonly timers = new Map<string, () => void>();
  private readonly retries = new Map<string, RetryState>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly runtime: ServiceRuntime) {
    this.mappings = new MappingStore(runtime.store);
    runtime.lifecycle.onReset(() => {
      this.stopAll();
    });
    runtime.lifecycle.onStop(async () => {
      this.stopAll();
      // Let running batches settle before the store closes.
      await Promise.allSettled(this.running);
    });
  }

  /** Restarts the pollers of every enabled mapping (Lambda loading after a restart). */
  restoreAll(): void {
    for (const mapping of this.mappings.all()) if (mapping.enabled) this.start(mapping.uuid);
  }

  start(uuid: string, delay = 0): void {
    if (this.timers.has(uuid)) return;
    this.timers.set(
      uuid,
      this.runtime.clock.schedule(delay, () => {
        const tick = this.tick(uuid);
        this.running.add(tick);
        void tick.finally(() => this.running.delete(tick));
      }),
    );
  }

  stop(uuid: string): void {
    this.timers.get(uuid)?.();
    this.timers.delete(uuid);
    this.retries.delete(uuid);
  }

  private stopAll(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.retries.clear();
  }

  private async tick(uuid: string): Promise<void> {
    let next = POLL_INTERVAL_MS;
    try {
      next = await this.poll(uuid);
    } catch (error) {
      // Stopped or reset meanwhile: the mapping (and the store) may be gone.
      if (!this.timers.has(uuid)) return;
      this.note(uuid, `PROBLEM: ${error instanceof Error ? error.message : String(error)}`);
    }
    // The timer entry stays while the tick runs, so start() cannot add a second one; a stop() removed it.
    if (!this.timers.has(uuid)) return;
    this.timers.delete(uuid);
    if (this.mappings.find(uuid)?.enabled) this.start(uuid, next);
  }

  private note(uuid: string, lastProcessingResult: string): void {
    const current = this.mappings.find(uuid);
    if (current && current.lastProcessingResult !== lastProcessingResult) this.mappings.put({ ...current, lastProcessingResult });
  }

  private advance(uuid: string, checkpoint: string, lastProcessingResult: string): void {
    const current = this.mappings.find(uuid);
    if (current) this.mappings.put({ ...current, checkpoint, lastProcessingResult });
    this.retries.delete(uuid);
  }

  /** One bounded step; returns the delay before the next. */
  private async poll(uuid: string): Promise<number> {
    const mapping = this.mappings.find(uuid);
    if (!mapping?.enabled) return POLL_INTERVAL_MS;
    const tableName = tableNameOf(mapping.eventSourceArn);
    const stream = tableName ? await tableStream(this.runtime, mapping, tableName) : undefined;
    if (!stream || stream.arn !== mapping.eventSourceArn) {
      this.note(uuid, 'PROBLEM: Stream not found');
      return POLL_INTERVAL_MS;
    }
    const checkpoint = mapping.checkpoint ?? '';
    let retry = this.retries.get(uuid);
    if (retry?.from !== checkpoint) retry = undefined;
    const now = this.runtime.clock.now();
    const log = new StreamLog(this.runtime.store, mapping.account, mapping.region);
    const changes = log.read(stream.tableName, checkpoint, retry?.limit ?? mapping.batchSize, Math.max(stream.createdAt, now - RETENTION_MS));
    if (changes.length === 0) return POLL_INTERVAL_MS;
    const windowMs = mapping.maximumBatchingWindowInSeconds * 1000;
    const waited = now - (changes[0]).at;
    if (!retry && changes.length < mapping.batchSize && waited < windowMs) return windowMs - waited;

    const lastRead = (changes[changes.length - 1]).sequenceNumber;
    const patterns = mapping.filterPatterns.map(parsePattern);
    const records = changes
      .map((change): JsonStreamRecord & { eventSourceARN: string } => ({ ...streamRecord(change, stream.viewType, mapping.region), eventSourceARN: mapping.eventSourceArn }))
      .filter((record) => passesFilters(patterns, record));
    if (records.length === 0) {
      this.advance(uuid, lastRead, mapping.lastProcessingResult);
      return 0;
    }
    const outcome = await this.invoke(mapping, records);
    if (outcome.kind === 'ok') {
      this.advance(uuid, lastRead, 'OK');
      return 0;
    }
    let from = checkpoint;
    if (outcome.kind === 'partial') {
      // Everything before the first failed record is done; the retry starts at that record.
      const index = changes.findIndex((c) => c.sequenceNumber === outcome.firstFailed);
      from = index > 0 ? (changes[index - 1]).sequenceNumber : checkpoint;
      if (from !== checkpoint) this.advance(uuid, from, 'PROBLEM: Function call failed');
    }
    const state: RetryState = from === checkpoint && retry ? retry : { from, attempts: 0, limit: mapping.batchSize };
    state.attempts += 1;
    if (mapping.maximumRetryAttempts !== -1 && state.attempts > mapping.maximumRetryAttempts) {
      // Retries are spent: the batch is discarded (no on-failure destination in Nimbus yet).
      const batch = log.read(stream.tableName, from, state.limit, 0);
      this.advance(uuid, batch[batch.length - 1]?.sequenceNumber ?? lastRead, 'PROBLEM: Function call failed');
      return 0;
    }
    if (mapping.bisectBatchOnFunctionError) state.limit = Math.max(1, Math.ceil(Math.min(state.limit, changes.length) / 2));
    this.retries.set(uuid, state);
    this.note(uuid, 'PROBLEM: Function call failed');
    return RETRY_DELAY_MS;
  }

  private async invoke(mapping: MappingRecord, records: (JsonStreamRecord & { eventSourceARN: string })[]): Promise<BatchOutcome> {
    let response: InvocationResponse;
    try {
      response = await this.runtime.client.call<InvocationResponse>(
        'lambda',
        'Invoke',
        { FunctionName: mapping.functionArn, Payload: Buffer.from(JSON.stringify({ Records: records }), 'utf8') },
        { account: mapping.account, region: mapping.region },
      );
    } catch {
      return { kind: 'failed' };
    }
    if (response.FunctionError) return { kind: 'failed' };
    if (!mapping.functionResponseTypes.includes('ReportBatchItemFailures')) return { kind: 'ok' };
    return batchItemFailures(response.Payload, records.map((r) => r.dynamodb.SequenceNumber));
  }
}

/**
 * Reads a ReportBatchItemFailures response: an empty or absent list is success; a failure naming no record
 * of the batch fails the whole batch, as Lambda treats it.
 */
function batchItemFailures(payload: Uint8Array | undefined, sequenceNumbers: string[]): BatchOutcome {
  let body: unknown;
  try {
    body = payload?.length ? JSON.parse(Buffer.from(payload).toString('utf8')) : undefined;
  } catch {
    return { kind: 'ok' };
  }
  const failures = typeof body === 'object' && body !== null ? (body as { batchItemFailures?: unknown }).batchItemFailures : undefined;
  if (!Array.isArray(failures) || failures.length === 0) return { kind: 'ok' };
  let first: number | undefined;
  for (const failure of failures as unknown[]) {
    const id = typeof failure === 'object' && failure !== null ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    const index = typeof id === 'string' ? sequenceNumbers.indexOf(id) : -1;
    if (index < 0) return { kind: 'failed' };
    first = first === undefined ? index : Math.min(first, index);
  }
  return { kind: 'partial', firstFailed: sequenceNumbers[first ?? 0] };
}
