/**
 * GetLogEvents: one stream's events in a time range, paged forward and backward.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html
 *
 * Tokens have AWS's shape, `f/` or `b/` then 56 digits; the digits are a position in the stream (see
 * event-positions.ts). `f/P` reads the events after P and `b/P` the events before it, so the forward token
 * of a page is the position of its newest event and the backward token that of its oldest. A page that
 * finds nothing returns the token it was given, which is how AWS tells a reader it reached the end.
 */
import type { GetLogEventsRequest, GetLogEventsResponse } from '../../generated/logs.js';
import type { PositionedEvent } from './event-positions.js';
import { eventsFrom, gapBefore, MAX_TIMESTAMP, POSITION_DIGITS, shiftPosition } from './event-positions.js';
import type { LogGroupRecord, LogsState } from './model.js';
import { eventKeyPrefix } from './model.js';
import { invalidNextToken } from './pagination.js';
import { retentionCutoff } from './retention.js';

const MAX_EVENTS = 10_000;
/** "as many log events as can fit in a response size of 1 MB", counted like PutLogEvents counts a batch. */
const MAX_RESPONSE_BYTES = 1_048_576;
const EVENT_OVERHEAD_BYTES = 26;
const TOKEN_DIGITS = 56;

type Direction = 'forward' | 'backward';

interface Cursor {
  direction: Direction;
  position: string;
}

function tokenOf(direction: Direction, position: string): string {
  return `${direction === 'forward' ? 'f' : 'b'}/${position.padStart(TOKEN_DIGITS, '0')}`;
}

function parseToken(token: string): Cursor {
  const match = /^([fb])\/(\d{56})$/.exec(token);
  const padding = match?.[2].slice(0, TOKEN_DIGITS - POSITION_DIGITS);
  if (!match || !/^0*$/.test(padding ?? '')) throw invalidNextToken();
  return { direction: match[1] === 'f' ? 'forward' : 'backward', position: match[2].slice(TOKEN_DIGITS - POSITION_DIGITS) };
}

export function getLogEvents(state: LogsState, group: LogGroupRecord, stream: string, request: GetLogEventsRequest, now: number): GetLogEventsResponse {
  // startTime is inclusive and endTime exclusive; expired events are out of range whatever was asked.
  const lower = gapBefore(Math.max(request.startTime ?? 0, retentionCutoff(group, now)));
  const upper = gapBefore(request.endTime ?? MAX_TIMESTAMP);
  const cursor: Cursor =
    request.nextToken !== undefined
      ? parseToken(request.nextToken)
      : request.startFromHead
        ? { direction: 'forward', position: lower }
        : { direction: 'backward', position: upper };

  const limit = request.limit ?? MAX_EVENTS;
  const page: PositionedEvent[] = [];
  let bytes = 0;
  const take = (positioned: PositionedEvent): boolean => {
    const size = Buffer.byteLength(positioned.event.message, 'utf8') + EVENT_OVERHEAD_BYTES;
    if (page.length >= limit || (page.length > 0 && bytes + size > MAX_RESPONSE_BYTES)) return false;
    page.push(positioned);
    bytes += size;
    return true;
  };

  const prefix = eventKeyPrefix(group.name, stream);
  const batchSize = Math.min(limit + 1, 1000);
  if (cursor.direction === 'forward') {
    const from = cursor.position > lower ? cursor.position : lower;
    for (const positioned of eventsFrom(state.events, prefix, from, 'forward', batchSize)) {
      if (positioned.position >= upper || !take(positioned)) break;
    }
  } else {
    const from = cursor.position < upper ? cursor.position : upper;
    for (const positioned of eventsFrom(state.events, prefix, from, 'backward', batchSize)) {
      if (positioned.position <= lower || !take(positioned)) break;
    }
    page.reverse();
  }

  const events = page.map(({ event }) => ({ timestamp: event.timestamp, message: event.message, ingestionTime: event.ingestionTime }));
  if (page.length > 0) {
    return { events, nextForwardToken: tokenOf('forward', page[page.length - 1].position), nextBackwardToken: tokenOf('backward', page[0].position) };
  }
  if (cursor.direction === 'forward') {
    return {
      events,
      nextForwardToken: request.nextToken ?? tokenOf('forward', cursor.position),
      nextBackwardToken: tokenOf('backward', shiftPosition(cursor.position, 1n)),
    };
  }
  // Nothing before the cursor: reading forward starts over from the beginning of the range.
  return { events, nextForwardToken: tokenOf('forward', lower), nextBackwardToken: request.nextToken ?? tokenOf('backward', cursor.position) };
}
