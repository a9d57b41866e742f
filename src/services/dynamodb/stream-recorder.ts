/**
 * The seam between DynamoDB's write path and DynamoDB Streams. Every committed item change is handed to
 * the recorder INSIDE the store transaction that writes the item, so a stream record exists exactly when
 * its change does (an acknowledged write and its record survive kill -9 together; a rolled-back write
 * leaves no record). The write path reports only real changes: no record for an update that changes nothing.
 */
import type { AttributeMap } from '../../engines/dynamodb/index.js';

export type StreamEventName = 'INSERT' | 'MODIFY' | 'REMOVE';

export interface ItemChange {
  account: string;
  region: string;
  tableName: string;
  eventName: StreamEventName;
  keys: AttributeMap;
  oldImage?: AttributeMap;
  newImage?: AttributeMap;
  /** Epoch milliseconds of the change (runtime.clock). */
  at: number;
  /** Set for deletions by Time to Live: the record's userIdentity is the DynamoDB service. */
  byTimeToLive?: boolean;
}

export interface StreamRecorder {
  /** Called synchronously inside the write's store transaction; must not throw for a table without a stream. */
  record(change: ItemChange): void;
}
