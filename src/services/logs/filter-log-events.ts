/**
 * FilterLogEvents: the events of many streams of a group, interleaved in one order and matched against
 * a filter pattern. https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
 *
 * "The returned log events are sorted by event timestamp, the timestamp when the event was ingested by
 * CloudWatch Logs, and the ID of the PutLogEvents request": here (timestamp, ingestion time, stream name,
 * ingestion sequence). Each stream is read in key order from the store and the streams are merged through
 * a heap, so no stream is loaded whole. The nextToken carries the sort key of the last event examined.
 */
import { createHash } from 'node:crypto';
import type { FilteredLogEvent, FilterLogEventsRequest, FilterLogEventsResponse } from '../../generated/logs.js';
import { decodeNextToken, encodeNextToken } from '../shared/next-token.js';
import type { PositionedEvent } from './event-positions.js';
import { eventsFrom, gapBefore, MAX_TIMESTAMP, sequenceOf } from './event-positions.js';
import { compilePattern } from './filter-pattern.js';
import { MinHeap } from './min-heap.js';
import type { LogGroupRecord, LogStreamRecord, LogsState } from './model.js';
import { eventKeyPrefix, groupKeyPrefix, invalidParameter, streamKey } from './model.js';
import { invalidNextToken } from './pagination.js';
import { retentionCutoff } from './retention.js';

const MAX_EVENTS = 10_000;
const MAX_RESPONSE_BYTES = 1_048_576;
const EVENT_OVERHEAD_BYTES = 26;
/**
 * Events examined per call. AWS documents that a page may be partial or empty while a nextToken says more
 * may follow; the budget keeps one call's work bounded on a large group with a rare match.
 */
const SCAN_BUDGET = 100_000;

/** [timestamp, ingestionTime, logStreamName, sequence]: the merge order. */
type SortKey = [number, number, string, number];

interface StreamCursor {
  stream: string;
  events: Generator<PositionedEvent>;
  /** The stream's next event in range, and its place in the merge order. */
  head: PositionedEvent;
  key: SortKey;
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (a[0] !== b[0]) return a[0] - b[0];
  if (a[1] !== b[1]) return a[1] - b[1];
  if (a[2] !== b[2]) return a[2] < b[2] ? -1 : 1;
  return a[3] - b[3];
}

function encodeToken(key: SortKey): string {
  return encodeNextToken(key);
}

function decodeToken(token: string): SortKey {
  return decodeNextToken(token, (payload) => (isSortKey(payload) ? payload : undefined), invalidNextToken);
}

function isSortKey(payload: unknown): payload is SortKey {
  return (
    Array.isArray(payload) &&
    payload.length === 4 &&
    Number.isSafeInteger(payload[0]) &&
    Number.isSafeInteger(payload[1]) &&
    typeof payload[2] === 'string' &&
    Number.isSafeInteger(payload[3])
  );
}

/** A 56-digit id like AWS's: the event's position in its stream, then digits derived from the stream. */
function eventId(group: string, stream: string, position: string): string {
  const digest = createHash('sha256').update(`${group}:${stream}`).digest();
  const streamDigits = (BigInt(`0x${digest.subarray(0, 16).toString('hex')}`) % 10n ** 25n).toString().padStart(25, '0');
  return `${position}${streamDigits}`;
}

function selectStreams(state: LogsState, group: string, request: FilterLogEventsRequest): LogStreamRecord[] {
  if (request.logStreamNames !== undefined) {
    return request.logStreamNames.flatMap((name) => state.streams.get(streamKey(group, name)) ?? []);
  }
  return state.streams.list({ prefix: groupKeyPrefix(group) + (request.logStreamNamePrefix ?? '') }).map(([, stream]) => stream);
}

export function filterLogEvents(state: LogsState, group: LogGroupRecord, request: FilterLogEventsRequest, now: number): FilterLogEventsResponse {
  if (request.logStreamNames !== undefined && request.logStreamNamePrefix !== undefined) {
    // AWS documents the InvalidParameterException, not its message.
    throw invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
  }
  const matcher = compilePattern(request.filterPattern ?? '');
  const resumeAfter = request.nextToken === undefined ? undefined : decodeToken(request.nextToken);
  // Both ends are inclusive here (unlike GetLogEvents, whose endTime is exclusive).
  const lowest = Math.max(request.startTime ?? 0, retentionCutoff(group, now), resumeAfter?.[0] ?? 0);
  const highest = Math.min(request.endTime ?? MAX_TIMESTAMP, MAX_TIMESTAMP);

  const heap = new MinHeap<StreamCursor>((a, b) => compareKeys(a.key, b.key));
  /** Moves a stream's cursor to its next event in range and puts it (back) in the heap, or retires it. */
  const advance = (stream: string, events: Generator<PositionedEvent>): void => {
    for (;;) {
      const next = events.next();
      if (next.done || next.value.event.timestamp > highest) return;
      const { event, position } = next.value;
      const key: SortKey = [event.timestamp, event.ingestionTime, stream, sequenceOf(position)];
      if (resumeAfter && compareKeys(key, resumeAfter) <= 0) continue;
      heap.push({ stream, events, head: next.value, key });
      return;
    }
  };
  for (const stream of selectStreams(state, group.name, request)) {
    if (stream.lastEventTimestamp === undefined || stream.lastEventTimestamp < lowest || (stream.firstEventTimestamp ?? 0) > highest) continue;
    advance(stream.name, eventsFrom(state.events, eventKeyPrefix(group.name, stream.name), gapBefore(lowest), 'forward'));
  }

  const limit = request.limit ?? MAX_EVENTS;
  const events: FilteredLogEvent[] = [];
  let bytes = 0;
  let scanned = 0;
  let lastExamined: SortKey | undefined;
  let more = false;
  for (let cursor = heap.peek(); cursor; cursor = heap.peek()) {
    if (scanned >= SCAN_BUDGET) {
      more = true;
      break;
    }
    const { event, position } = cursor.head;
    if (matcher.matches(event.message)) {
      const size = Buffer.byteLength(event.message, 'utf8') + EVENT_OVERHEAD_BYTES;
      if (events.length >= limit || (events.length > 0 && bytes + size > MAX_RESPONSE_BYTES)) {
        // A match is left over: the next page starts with it.
        more = true;
        break;
      }
      events.push({
        logStreamName: cursor.stream,
        timestamp: event.timestamp,
        message: event.message,
        ingestionTime: event.ingestionTime,
        eventId: eventId(group.name, cursor.stream, position),
      });
      bytes += size;
    }
    scanned += 1;
    lastExamined = cursor.key;
    heap.pop();
    advance(cursor.stream, cursor.events);
  }

  const response: FilterLogEventsResponse = {
    events,
    // Deprecated since May 15, 2020: AWS now always answers with an empty list (FilterLogEvents API reference).
    searchedLogStreams: [],
  };
  if (more && lastExamined) response.nextToken = encodeToken(lastExamined);
  return response;
}
