/**
 * Where a log event sits in its stream, and reading a stream in order from any point.
 *
 * Each event is its own record keyed `group:stream:POSITION`, where POSITION is 31 digits: the timestamp
 * zero-padded to 15 digits, then the stream's ingestion sequence zero-padded to 16. Key order is therefore
 * chronological, and events that share a timestamp keep the order they were ingested in. Sequences start
 * at 1, so a position ending in sixteen zeros holds no event: `gapBefore(t)` sorts after every event
 * before t and before every event at t, which is how time ranges become key ranges.
 */
import type { Collection } from '../../store/store.js';
import type { StoredLogEvent } from './model.js';

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

/**
 * A stream's events strictly after (`forward`) or strictly before (`backward`) `start`, nearest first,
 * read from the store a batch at a time so a long stream is never loaded whole.
 */
export function* eventsFrom(
  events: Collection<StoredLogEvent>,
  keyPrefix: string,
  start: string,
  direction: 'forward' | 'backward',
  batchSize = 256,
): Generator<PositionedEvent> {
  let after = keyPrefix + start;
  for (;;) {
    const batch = events.list({ prefix: keyPrefix, after, reverse: direction === 'backward', limit: batchSize });
    for (const [key, event] of batch) yield { position: key.slice(keyPrefix.length), event };
    if (batch.length < batchSize) return;
    after = batch[batch.length - 1][0];
  }
}
