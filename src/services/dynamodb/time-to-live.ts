/**
 * Time to Live: an item whose TTL attribute (a Number of epoch seconds) is in the past is deleted by
 * DynamoDB in the background, with a stream record by the service. Nimbus deletes such items when a
 * request touches them (so reads never see them) and in a sweep on runtime.clock. Items whose expiry is
 * more than five years in the past are never deleted, as DynamoDB documents.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
 */
import type { Item } from '../../engines/dynamodb/index.js';
import type { Collection } from '../../store/store.js';
import type { ServiceRuntime } from '../service.js';
import { itemsOf, writeItem } from './item-store.js';
import type { Scope, TableRecord } from './tables.js';
import { tablesOf } from './tables.js';

const FIVE_YEARS_SECONDS = 5 * 365 * 24 * 3600;
export const SWEEP_INTERVAL_MS = 60_000;

/** Tables with TTL enabled, across accounts and regions, so the sweep need not list every table. */
interface TtlTable {
  account: string;
  region: string;
  tableName: string;
}

function ttlTables(runtime: ServiceRuntime): Collection<TtlTable> {
  return runtime.store.collection<TtlTable>('dynamodb/global/-/ttl-tables');
}

export function trackTtl(runtime: ServiceRuntime, scope: Scope, tableName: string, enabled: boolean): void {
  const key = `${scope.account}/${scope.region}/${tableName}`;
  if (enabled) ttlTables(runtime).put(key, { account: scope.account, region: scope.region, tableName });
  else ttlTables(runtime).delete(key);
}

export function isExpired(table: TableRecord, item: Item | undefined, nowMs: number): boolean {
  if (item === undefined || table.ttl?.enabled !== true) return false;
  const value = item[table.ttl.attribute];
  if (value === undefined || !('N' in value)) return false;
  const seconds = Number(value.N);
  const now = nowMs / 1000;
  return seconds <= now && seconds >= now - FIVE_YEARS_SECONDS;
}

/**
 * Deletes the item if it has expired (in a transaction of its own, or the caller's); returns what remains.
 * Reading the item needs no transaction: a single statement is atomic, and nothing runs in between.
 */
export function liveItem(runtime: ServiceRuntime, scope: Scope, table: TableRecord, item: Item | undefined): Item | undefined {
  if (!isExpired(table, item, runtime.clock.now())) return item;
  runtime.store.transaction(() => {
    writeItem(runtime, scope, table, item, undefined, { byTimeToLive: true });
  });
  return undefined;
}

export function sweepExpired(runtime: ServiceRuntime): void {
  for (const [, entry] of ttlTables(runtime).list()) {
    const table = tablesOf(runtime, entry).get(entry.tableName);
    if (table?.ttl?.enabled !== true) continue;
    runtime.store.transaction(() => {
      for (const [, item] of itemsOf(runtime, entry, table).list()) liveItem(runtime, entry, table, item);
    });
  }
}

/** Runs the sweep every SWEEP_INTERVAL_MS of the runtime's clock until Nimbus stops. */
export function scheduleSweeps(runtime: ServiceRuntime): void {
  let cancel: () => void = () => undefined;
  const tick = (): void => {
    sweepExpired(runtime);
    cancel = runtime.clock.schedule(SWEEP_INTERVAL_MS, tick);
  };
  cancel = runtime.clock.schedule(SWEEP_INTERVAL_MS, tick);
  runtime.lifecycle.onStop(() => {
    cancel();
  });
}
