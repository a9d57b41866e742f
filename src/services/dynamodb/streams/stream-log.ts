/**
 * The durable change log behind DynamoDB Streams: one store collection per table, keyed by sequence
 * number, written by the recorder inside the write's transaction while the table has a stream. Every
 * change is logged with both images; a stream's view type decides what a reader sees (records.ts), so the
 * log needs no knowledge of the view type. Records live 24 hours
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html#Streams.DataRetention).
 */
import { randomUUID } from 'node:crypto';
import type { AttributeMap, AttributeValue } from '../../../engines/dynamodb/index.js';
import { base64Of } from '../../../engines/dynamodb/index.js';
import type { Store } from '../../../store/store.js';
import { scopedName } from '../../../store/store.js';
import type { StreamEventName } from '../stream-recorder.js';

export const RETENTION_MS = 24 * 60 * 60 * 1000;
const SEQUENCE_DIGITS = 21;

/** Attribute values as plain JSON (binaries as base64), the form records are stored and delivered in. */
export type JsonAttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: JsonAttributeMap }
  | { L: JsonAttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };
export type JsonAttributeMap = Record<string, JsonAttributeValue>;

export interface LoggedChange {
  sequenceNumber: string;
  eventID: string;
  eventName: StreamEventName;
  /** Epoch milliseconds. */
  at: number;
  keys: JsonAttributeMap;
  oldImage?: JsonAttributeMap;
  newImage?: JsonAttributeMap;
  byTimeToLive?: boolean;
}

interface SequenceState {
  /** The last sequence number handed out, as a bigint string. */
  last: string;
  /** Every record up to this sequence number has been trimmed (empty when none was). */
  trimmedThrough: string;
}

export function formatSequenceNumber(n: bigint): string {
  return n.toString().padStart(SEQUENCE_DIGITS, '0');
}

/** Sequence numbers start at 10^20 so each has 21 digits, as AWS's do, and sorts as text. */
const FIRST_SEQUENCE = 10n ** 20n;

export function toJsonValue(value: AttributeValue): JsonAttributeValue {
  if ('B' in value) return { B: base64Of(value.B) };
  if ('BS' in value) return { BS: value.BS.map(base64Of) };
  if ('M' in value) return { M: toJsonMap(value.M) };
  if ('L' in value) return { L: value.L.map(toJsonValue) };
  if ('SS' in value) return { SS: [...value.SS] };
  if ('NS' in value) return { NS: [...value.NS] };
  return { ...value };
}

export function toJsonMap(map: AttributeMap): JsonAttributeMap {
  return Object.fromEntries(Object.entries(map).map(([name, value]) => [name, toJsonValue(value)]));
}

/**
 * Per store, per log (account, region, table): the time at which its oldest record outlives retention.
 * Appends before then skip the trim, so a write reads no old records. Only appends (at the current time)
 * and trims change the log, so the figure stays a lower bound on the real one.
 */
const trimDue = new WeakMap<Store, Map<string, number>>();

function trimDueOf(store: Store): Map<string, number> {
  let due = trimDue.get(store);
  if (due === undefined) {
    due = new Map();
    trimDue.set(store, due);
  }
  return due;
}

export class StreamLog {
  constructor(
    private readonly store: Store,
    private readonly account: string,
    private readonly region: string,
  ) {}

  private records(tableName: string) {
    return this.store.collection<LoggedChange>(scopedName('dynamodbstreams', this.account, this.region, `records/${tableName}`));
  }

  private sequences() {
    return this.store.collection<SequenceState>(scopedName('dynamodbstreams', this.account, this.region, 'sequences'));
  }

  private state(tableName: string): SequenceState {
    return this.sequences().get(tableName) ?? { last: formatSequenceNumber(FIRST_SEQUENCE - 1n), trimmedThrough: '' };
  }

  /** Appends a change (call inside the write's transaction) and trims what outlived retention. */
  append(change: Omit<LoggedChange, 'sequenceNumber' | 'eventID'>, tableName: string): LoggedChange {
    const state = this.state(tableName);
    const sequenceNumber = formatSequenceNumber(BigInt(state.last) + 1n);
    const logged: LoggedChange = { ...change, sequenceNumber, eventID: randomUUID().replaceAll('-', '') };
    this.records(tableName).put(sequenceNumber, logged);
    this.sequences().put(tableName, { ...state, last: sequenceNumber });
    const due = trimDueOf(this.store).get(this.logName(tableName));
    if (due === undefined || change.at >= due) this.trim(tableName, change.at);
    return logged;
  }

  private logName(tableName: string): string {
    return `${this.account}/${this.region}/${tableName}`;
  }

  /** Drops records older than 24 hours at `now`, remembering how far the trim went and when the next is due. */
  trim(tableName: string, now: number): void {
    const records = this.records(tableName);
    let trimmedThrough = '';
    let oldestKept: number | undefined;
    while (oldestKept === undefined) {
      const page = records.list({ limit: 100, ...(trimmedThrough ? { after: trimmedThrough } : {}) });
      for (const [key, record] of page) {
        if (record.at >= now - RETENTION_MS) {
          oldestKept = record.at;
          break;
        }
        records.delete(key);
        trimmedThrough = key;
      }
      if (page.length < 100) break;
    }
    trimDueOf(this.store).set(this.logName(tableName), (oldestKept ?? now) + RETENTION_MS);
    if (trimmedThrough) this.sequences().put(tableName, { ...this.state(tableName), trimmedThrough });
  }

  /** Records after `after` (all when empty), in order, from `notBefore` (epoch ms) on. */
  read(tableName: string, after: string, limit: number, notBefore: number): LoggedChange[] {
    const out: LoggedChange[] = [];
    let cursor = after;
    while (out.length < limit) {
      const page = this.records(tableName).list({ after: cursor || undefined, limit: limit - out.length });
      if (page.length === 0) break;
      for (const [key, record] of page) {
        cursor = key;
        if (record.at >= notBefore) out.push(record);
      }
    }
    return out;
  }

  lastSequenceNumber(tableName: string): string | undefined {
    return this.records(tableName).list({ reverse: true, limit: 1 })[0]?.[0];
  }

  trimmedThrough(tableName: string): string {
    return this.state(tableName).trimmedThrough;
  }
}
