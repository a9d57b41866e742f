/**
 * Writing log events: PutLogEvents' rules, the per-event records, and the stream and group statistics
 * updated in the same transaction. The batch rules are AWS's:
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html
 */
import type { InputLogEvent, PutLogEventsResponse, RejectedLogEventsInfo } from '../../generated/logs.js';
import type { ServiceRuntime } from '../service.js';
import type { PositionedEvent } from './event-positions.js';
import { eventPosition, gapBefore, recordEvents } from './event-positions.js';
import type { LogStreamRecord } from './model.js';
import { eventKeyPrefix, invalidParameter, isRun, LogsState, streamKey } from './model.js';
import { DAY_MS, retentionCutoff } from './retention.js';

const MAX_BATCH_BYTES = 1_048_576;
/** AWS counts each event as its message's UTF-8 bytes plus 26. */
const EVENT_OVERHEAD_BYTES = 26;
const TOO_OLD_MS = 14 * DAY_MS;
const TOO_NEW_MS = 2 * 60 * 60 * 1000;
const MAX_SPAN_MS = DAY_MS;
/** Expired events removed per write, so one call never does unbounded work. */
const PRUNE_BATCH = 1000;

/** Sequence tokens are ignored now, but AWS still returns one: 56 digits, like its own. */
export function sequenceToken(uploads: number): string {
  return String(uploads).padStart(56, '0');
}

/**
 * Events are in chronological order, so the rejected ones are a prefix (too old, or expired by the
 * group's retention) and a suffix (too new); the accepted ones are the slice between.
 */
function classify(events: InputLogEvent[], now: number, cutoff: number): { accepted: [number, number]; rejected: RejectedLogEventsInfo | undefined } {
  const rejected: RejectedLogEventsInfo = {};
  events.forEach((event, index) => {
    if (event.timestamp < now - TOO_OLD_MS) rejected.tooOldLogEventEndIndex = index;
    if (event.timestamp < cutoff) rejected.expiredLogEventEndIndex = index;
    if (event.timestamp > now + TOO_NEW_MS && rejected.tooNewLogEventStartIndex === undefined) rejected.tooNewLogEventStartIndex = index;
  });
  const start = Math.max(rejected.tooOldLogEventEndIndex ?? -1, rejected.expiredLogEventEndIndex ?? -1) + 1;
  const end = Math.max(start, rejected.tooNewLogEventStartIndex ?? events.length);
  return { accepted: [start, end], rejected: Object.keys(rejected).length > 0 ? rejected : undefined };
}

const messageBytes = (events: PositionedEvent[]): number => events.reduce((sum, { event }) => sum + Buffer.byteLength(event.message, 'utf8'), 0);

/** Drops a bounded batch of the stream's expired events; returns the bytes they held. */
function pruneExpired(state: LogsState, group: string, stream: LogStreamRecord, cutoff: number): number {
  if (stream.firstEventTimestamp === undefined || stream.firstEventTimestamp >= cutoff) return 0;
  const prefix = eventKeyPrefix(group, stream.name);
  const boundary = gapBefore(cutoff);
  let removed = 0;
  for (const [key, record] of state.events.list({ prefix, limit: PRUNE_BATCH })) {
    const position = key.slice(prefix.length);
    if (position >= boundary) break;
    state.events.delete(key);
    const held = recordEvents(position, record);
    const kept = held.filter((positioned) => positioned.position >= boundary);
    removed += messageBytes(held) - messageBytes(kept);
    // A run reaching past the cutoff keeps its newer events, now keyed by the first of them.
    if (kept.length > 0 && isRun(record)) state.events.put(prefix + kept[0].position, { run: record.run.slice(held.length - kept.length), ingestionTime: record.ingestionTime });
  }
  const [oldest] = state.events.list({ prefix, limit: 1 });
  if (oldest) stream.firstEventTimestamp = recordEvents(oldest[0].slice(prefix.length), oldest[1])[0].event.timestamp;
  return removed;
}

/**
 * Splits the stream's runs that reach past `from` back into single events, so events written at or after
 * `from` out of order never land inside one. Rare (a batch older than what its stream holds), and bounded
 * by what the stream holds from there on.
 */
function splitRunsFrom(state: LogsState, prefix: string, from: string): void {
  const [before] = state.events.list({ prefix, after: prefix + from, reverse: true, limit: 1 });
  const candidates = before ? [before] : [];
  candidates.push(...state.events.list({ prefix, after: prefix + from }));
  for (const [key, record] of candidates) {
    if (!isRun(record)) continue;
    state.events.delete(key);
    for (const { position, event } of recordEvents(key.slice(prefix.length), record)) state.events.put(prefix + position, event);
  }
}

/**
 * Stores a batch's accepted events: one run when they all sort after what the stream holds (always so for
 * a writer whose clock moves forward, like Lambda's), else one record each.
 */
function storeEvents(state: LogsState, prefix: string, stream: LogStreamRecord, events: InputLogEvent[], ingestionTime: number): void {
  const firstSequence = stream.lastSequence + 1;
  stream.lastSequence += events.length;
  const inOrder = stream.lastEventTimestamp === undefined || events[0].timestamp >= stream.lastEventTimestamp;
  if (inOrder && events.length > 1) {
    state.events.put(prefix + eventPosition(events[0].timestamp, firstSequence), { run: events.map(({ timestamp, message }) => ({ timestamp, message })), ingestionTime });
    return;
  }
  if (!inOrder) splitRunsFrom(state, prefix, gapBefore(events[0].timestamp));
  events.forEach(({ timestamp, message }, index) => {
    state.events.put(prefix + eventPosition(timestamp, firstSequence + index), { timestamp, message, ingestionTime });
  });
}

/**
 * Appends events to a stream as PutLogEvents does: the batch must be in chronological order, within
 * 1,048,576 bytes and (for the events it keeps) within 24 hours; events too old, too new or past the
 * group's retention are reported in rejectedLogEventsInfo instead of failing the call.
 */
export function appendLogEvents(runtime: ServiceRuntime, account: string, region: string, group: string, stream: string, events: InputLogEvent[]): PutLogEventsResponse {
  let batchBytes = 0;
  const messageSizes = events.map((event, index) => {
    if (index > 0 && event.timestamp < events[index - 1].timestamp) {
      throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
    }
    const bytes = Buffer.byteLength(event.message, 'utf8');
    batchBytes += bytes + EVENT_OVERHEAD_BYTES;
    return bytes;
  });
  if (batchBytes > MAX_BATCH_BYTES) throw invalidParameter(`Upload too large: ${batchBytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);

  const state = new LogsState(runtime.store, account, region);
  const now = runtime.clock.now();
  const { response, stored } = runtime.store.transaction(() => {
    const groupRecord = state.requireGroup(group);
    const streamRecord = state.requireStream(group, stream);
    const cutoff = retentionCutoff(groupRecord, now);
    const { accepted, rejected } = classify(events, now, cutoff);
    const [start, end] = accepted;
    if (end > start && events[end - 1].timestamp - events[start].timestamp > MAX_SPAN_MS) {
      throw invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
    }

    let added = 0;
    for (let index = start; index < end; index++) added += messageSizes[index];
    if (end > start) {
      storeEvents(state, eventKeyPrefix(group, stream), streamRecord, events.slice(start, end), now);
      const first = events[start].timestamp;
      const last = events[end - 1].timestamp;
      streamRecord.firstEventTimestamp = Math.min(streamRecord.firstEventTimestamp ?? first, first);
      streamRecord.lastEventTimestamp = Math.max(streamRecord.lastEventTimestamp ?? last, last);
      streamRecord.lastIngestionTime = now;
    }
    streamRecord.uploads += 1;
    const pruned = pruneExpired(state, group, streamRecord, cutoff);
    streamRecord.storedBytes += added - pruned;
    groupRecord.storedBytes += added - pruned;
    state.streams.put(streamKey(group, stream), streamRecord);
    state.groups.put(group, groupRecord);

    const result: PutLogEventsResponse = { nextSequenceToken: sequenceToken(streamRecord.uploads) };
    if (rejected) result.rejectedLogEventsInfo = rejected;
    return { response: result, stored: end - start };
  });

  if (stored > 0) {
    runtime.bus.emit({ topic: 'logs:events-put', account, region, detail: { logGroupName: group, logStreamName: stream, count: stored } });
  }
  return response;
}
