/**
 * Nimbus state: named collections of JSON records, ordered by key. A collection name carries its
 * service, account and region (`ssm/000000000000/us-east-1/parameters`), so every store is per account
 * and region by construction. Every put is durable when it returns (see sqlite.ts).
 */
export interface ListOptions {
  /** Only keys starting with this. */
  prefix?: string;
  /** Only keys strictly after this one (pagination). */
  after?: string;
  /** Descending key order. */
  reverse?: boolean;
  limit?: number;
}

export interface Collection<T> {
  get(key: string): T | undefined;
  put(key: string, value: T): void;
  delete(key: string): boolean;
  /** Entries in key order (UTF-8 byte order), optionally filtered and paged. */
  list(options?: ListOptions): [string, T][];
  count(prefix?: string): number;
  /** Removes every key starting with `prefix` (all keys when empty); returns how many went. */
  deletePrefix(prefix?: string): number;
}

export interface Store {
  collection<T>(name: string): Collection<T>;
  /** Whether any collection whose name starts with `prefix` holds a record (e.g. `lambda/`). */
  hasRecords(prefix: string): boolean;
  /**
   * A record as one deep-frozen object shared by every reader until the record changes: for hot paths that
   * only read (a function's configuration at every invoke), where get()'s private copy costs a parse.
   */
  peek<T>(collection: string, key: string): Frozen<T> | undefined;
  /** Runs `fn` atomically: every write in it lands, or none does. Nested calls join the outer one. */
  transaction<R>(fn: () => R): R;
  /** Wipes every collection (POST /_nimbus/reset). */
  reset(): void;
  close(): void;
  readonly durable: boolean;
}

/** A value no one may change, however deep: what Store.peek hands out. */
export type Frozen<T> = { readonly [K in keyof T]: Frozen<T[K]> };

/** The name of a collection scoped to a service, account and region. */
export function scopedName(service: string, account: string, region: string, collection: string): string {
  return `${service}/${account}/${region}/${collection}`;
}

/** The smallest string greater than every string that starts with `prefix`. */
export function prefixUpperBound(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}
