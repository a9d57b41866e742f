/**
 * Shard iterators: opaque strings naming a position in a stream's one shard. They expire 15 minutes after
 * they are issued (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html).
 */
import { ServiceError } from '../../shared/errors.js';

export const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;

export interface ShardIteratorState {
  streamArn: string;
  shardId: string;
  /** The iterator reads records after this sequence number ('' reads from the trim horizon). */
  after: string;
  /** Epoch milliseconds it was issued. */
  issuedAt: number;
}

export function encodeIterator(state: ShardIteratorState): string {
  return Buffer.from(JSON.stringify([state.streamArn, state.shardId, state.after, state.issuedAt]), 'utf8').toString('base64url');
}

export function decodeIterator(iterator: string, now: number): ShardIteratorState {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(iterator, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  if (!Array.isArray(parts) || parts.length !== 4 || typeof parts[0] !== 'string' || typeof parts[1] !== 'string' || typeof parts[2] !== 'string' || typeof parts[3] !== 'number') {
    throw new ServiceError('ValidationException', 'Invalid ShardIterator');
  }
  const [streamArn, shardId, after, issuedAt] = parts as [string, string, string, number];
  if (now - issuedAt > ITERATOR_LIFETIME_MS) throw new ServiceError('ExpiredIteratorException', 'Iterator expired. The iterator was created over 15 minutes ago.');
  return { streamArn, shardId, after, issuedAt };
}
