/**
 * Where a log event sits in its stream, and reading a stream in order from any point.
 *
 * Every event has a POSITION of 31 digits: the timestamp zero-padded to 15 digits, then the stream's
 * ingestion sequence zero-padded to 16. Position order is therefore chronological, and events that share
 * a timestamp keep the order they were ingested in. Sequences start at 1, so a position ending in sixteen
 * zeros holds no event: `gapBefore(t)` sorts after every event before t and before every event at t,
 * which is how time ranges become key ranges. Records are keyed `group:stream:POSITION`, by an event's
 * position or by the first position of a run (model.ts), which no other record's position falls inside.
 */
import type { Collection } from '../../store/store.js';
import type { StoredEventRecord, StoredLogEvent } from './model.js';
import { isRun } from './model.js';

const TIMESTAMP_DIGITS = 15;
const SEQUENCE_DIGITS = 16;
export const POSITION_DIGITS = TIMESTAMP_DIGITS + SEQUENCE_DIGITS;
/** The largest timestamp a position holds (year 33658): AWS refuses events more than 2 hours ahead anyway. */
export const MAX_TIMESTAMP = 10 ** TIMESTAMP_DIGITS - 1;

const MAX_POSITION = 10n ** BigInt(POSITION_DIGITS) - 1n;

function clampTimestamp(timestamp: number): number {
  return Math.min(Math.max(Math.trunc(timestamp), 0), MAX_TIMESTAMP);
}

export function eventPosition(timestamp: number, sequence: number): string {
  return `${String(clampTimestamp(timestamp)).padStart(TIMESTAMP_DIGITS, '0')}${String(sequence).padStart(SEQUENCE_DIGITS, '0')}`;
}

/** The gap just before the first event at `timestamp`. */
export function gapBefore(timestamp: number): string {
  return eventPosition(timestamp, 0);
}

export function sequenceOf(position: string): number {
  return Number(position.slice(TIMESTAMP_DIGITS));
}

/** The position `delta` places away, kept within the position range. */
export function shiftPosition(position: string, delta: bigint): string {
  let shifted = BigInt(position) + delta;
  if (shifted < 0n) shifted = 0n;
  if (shifted > MAX_POSITION) shifted = MAX_POSITION;
  return shifted.toString().padStart(POSITION_DIGITS, '0');
}

export interface PositionedEvent {
  position: string;
  event: StoredLogEvent;
}

/** The events a record holds, with their positions, oldest first. */
export function recordEvents(position: string, record: StoredEventRecord): PositionedEvent[] {
  if (!isRun(record)) return [{ position, event: record }];
  const first = sequenceOf(position);
  return record.run.map(({ timestamp, message }, index) => ({ position: eventPosition(timestamp, first + index), event: { timestamp, message, ingestionTime: record.ingestionTime } }));
}

/**
 * A stream's events strictly after (`forward`) or strictly before (`backward`) `start`, nearest first,
 * read from the store a batch of records at a time so a long stream is never loaded whole.
 */
export function* eventsFrom(
  events: Collection<StoredEventRecord>,
  keyPrefix: string,
  start: string,
  direction: 'forward' | 'backward',
  batchSize = 256,
): Generator<PositionedEvent> {
  const forward = direction === 'forward';
  const inRange = (position: string): boolean => (forward ? position > start : position < start);
  if (forward) {
    // The record at or just before `start` may be a run that reaches past it.
    const [before] = events.list({ prefix: keyPrefix, after: `${keyPrefix}${start}\u0000`, reverse: true, limit: 1 });
    if (before) yield* recordEvents(before[0].slice(keyPrefix.length), before[1]).filter((positioned) => inRange(positioned.position));
  }
  let after = keyPrefix + start;
  for (;;) {
    const batch = events.list({ prefix: keyPrefix, after, reverse: !forward, limit: batchSize });
    for (const [key, record] of batch) {
      const held = recordEvents(key.slice(keyPrefix.length), record);
      // Read backward, a run that starts before `start` may still reach past it.
      if (forward) yield* held;
      else for (let i = held.length - 1; i >= 0; i--) if (inRange(held[i].position)) yield held[i];
    }
    if (batch.length < batchSize) return;
    after = batch[batch.length - 1][0];
  }
}
