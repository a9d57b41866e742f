/**
 * The store on SQLite (better-sqlite3): one table of (collection, key) -> JSON.
 *
 * Durability: WAL journal with synchronous=NORMAL. A commit is in the WAL file (the OS page cache) before
 * better-sqlite3 returns, so an acknowledged write survives the process being killed at any moment
 * (kill -9); only a power loss or kernel crash can drop the last commits, which FULL would also cover at a
 * large cost per write. Ephemeral mode uses an in-memory SQLite database: the same code and ordering
 * semantics, nothing on disk.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Collection, Frozen, ListOptions, Store } from './store.js';
import { prefixUpperBound } from './store.js';

type Statement = Database.Statement;

/**
 * How much of the database file SQLite may map (address space, not memory: the OS pages it in and out
 * on demand). Beyond it, reads fall back to pread.
 */
const MMAP_BYTES = 1024 * 1024 * 1024;

export class SqliteStore implements Store {
  readonly durable: boolean;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Statement>();
  private readonly collections = new Map<string, SqliteCollection<unknown>>();
  private readonly begin: Statement;
  private readonly commit: Statement;
  private readonly rollback: Statement;

  constructor(dataDir: string | undefined) {
    this.durable = dataDir !== undefined;
    if (dataDir !== undefined) {
      mkdirSync(dataDir, { recursive: true });
      this.db = new Database(join(dataDir, 'nimbus.sqlite'));
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      // The table is WITHOUT ROWID, so a record's value lives in the key B-tree (large rows are what
      // https://www.sqlite.org/withoutrowid.html warns about): a lookup that compares its key against a
      // large record (a 16 KB item, a history chunk, both also copied into interior pages as dividers)
      // reads that record's whole overflow chain, and SQLite reads overflow pages around its page cache
      // (SQLITE_DIRECT_OVERFLOW_READ), one pread each, so a bigger cache_size does not help. With tens of
      // MB stored, every get and put of every service paid 10-40 preads (.prof/store-scale.mts). Mapped,
      // those pages are memory reads the OS caches; they count in RSS only once touched.
      // https://www.sqlite.org/mmap.html
      this.db.pragma(`mmap_size = ${String(MMAP_BYTES)}`);
    } else {
      this.db = new Database(':memory:');
    }
    this.db.exec('CREATE TABLE IF NOT EXISTS records (collection TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (collection, key)) WITHOUT ROWID');
    this.begin = this.db.prepare('BEGIN');
    this.commit = this.db.prepare('COMMIT');
    this.rollback = this.db.prepare('ROLLBACK');
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  collection<T>(name: string): Collection<T> {
    return this.sqliteCollection<T>(name);
  }

  private sqliteCollection<T>(name: string): SqliteCollection<T> {
    let collection = this.collections.get(name) as SqliteCollection<T> | undefined;
    if (!collection) {
      collection = new SqliteCollection<T>(name, (sql) => this.statement(sql), () => this.db.inTransaction);
      this.collections.set(name, collection);
    }
    return collection;
  }

  peek<T>(collection: string, key: string): Frozen<T> | undefined {
    return this.sqliteCollection<T>(collection).peek(key);
  }

  hasRecords(prefix: string): boolean {
    return this.statement('SELECT 1 FROM records WHERE collection >= ? AND collection < ? LIMIT 1').get(prefix, prefixUpperBound(prefix)) !== undefined;
  }

  /**
   * BEGIN and COMMIT by hand rather than through db.transaction(fn): that builds four wrapper functions
   * per call, a measurable share of a small write. A nested call joins the transaction already open.
   */
  transaction<R>(fn: () => R): R {
    if (this.db.inTransaction) return fn();
    this.begin.run();
    try {
      const result = fn();
      // An async fn would commit before its awaits ran: refused, as better-sqlite3 refuses it.
      if (result instanceof Promise) throw new TypeError('A store transaction cannot return a promise');
      this.commit.run();
      return result;
    } catch (error) {
      // A failed COMMIT may already have ended the transaction (SQLite rolls back on some errors).
      if (this.db.inTransaction) this.rollback.run();
      throw error;
    }
  }

  reset(): void {
    this.db.exec('DELETE FROM records');
    for (const collection of this.collections.values()) collection.forget();
  }

  close(): void {
    this.db.close();
  }
}

/** Values cached per collection, and the largest value (in characters) worth keeping. */
const CACHED_VALUES = 512;
const CACHED_VALUE_CHARS = 64 * 1024;

class SqliteCollection<T> implements Collection<T> {
  /**
   * The JSON text of recently read records (hot ones: a parameter read in a loop, a function record at
   * every invoke), so a repeated get skips SQLite; every get still parses, so callers own their copy.
   * Every write drops its keys. Nothing read inside a transaction is cached: it may roll back.
   */
  private readonly cache = new Map<string, string>();
  /** Parsed and frozen copies of cached records, for peek(): kept exactly as long as their text is. */
  private readonly frozen = new Map<string, Frozen<T>>();

  constructor(
    private readonly name: string,
    private readonly statement: (sql: string) => Statement,
    private readonly inTransaction: () => boolean,
  ) {}

  get(key: string): T | undefined {
    let value = this.cache.get(key);
    if (value === undefined) {
      // pluck: the value column alone, without building a row object.
      value = this.statement('SELECT value FROM records WHERE collection = ? AND key = ?').pluck(true).get(this.name, key) as string | undefined;
      if (value === undefined) return undefined;
      if (value.length <= CACHED_VALUE_CHARS && !this.inTransaction()) {
        if (this.cache.size >= CACHED_VALUES) this.uncache(this.cache.keys().next().value as string);
        this.cache.set(key, value);
      }
    }
    return JSON.parse(value) as T;
  }

  /** The record as a shared frozen object (see Store.peek); a fresh parse when it is not cacheable. */
  peek(key: string): Frozen<T> | undefined {
    const shared = this.frozen.get(key);
    if (shared !== undefined) return shared;
    const value = this.get(key);
    if (value === undefined) return undefined;
    const frozen = deepFreeze(value);
    if (this.cache.has(key)) this.frozen.set(key, frozen);
    return frozen;
  }

  put(key: string, value: T): void {
    this.uncache(key);
    this.statement('INSERT OR REPLACE INTO records (collection, key, value) VALUES (?, ?, ?)').run(this.name, key, JSON.stringify(value));
  }

  delete(key: string): boolean {
    this.uncache(key);
    return this.statement('DELETE FROM records WHERE collection = ? AND key = ?').run(this.name, key).changes > 0;
  }

  forget(): void {
    this.cache.clear();
    this.frozen.clear();
  }

  private uncache(key: string): void {
    this.cache.delete(key);
    this.frozen.delete(key);
  }

  list(options: ListOptions = {}): [string, T][] {
    const prefix = options.prefix ?? '';
    const conditions = ['collection = ?', 'key >= ?', 'key < ?'];
    const params: (string | number)[] = [this.name, prefix, prefixUpperBound(prefix)];
    if (options.after !== undefined) {
      conditions.push(options.reverse ? 'key < ?' : 'key > ?');
      params.push(options.after);
    }
    let sql = `SELECT key, value FROM records WHERE ${conditions.join(' AND ')} ORDER BY key ${options.reverse ? 'DESC' : 'ASC'}`;
    if (options.limit !== undefined) {
      sql += ' LIMIT ?';
      params.push(options.limit);
    }
    const rows = this.statement(sql).all(...params) as { key: string; value: string }[];
    return rows.map((row) => [row.key, JSON.parse(row.value) as T]);
  }

  count(prefix = ''): number {
    const row = this.statement('SELECT count(*) AS n FROM records WHERE collection = ? AND key >= ? AND key < ?').get(this.name, prefix, prefixUpperBound(prefix)) as { n: number };
    return row.n;
  }

  deletePrefix(prefix = ''): number {
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.uncache(key);
    return this.statement('DELETE FROM records WHERE collection = ? AND key >= ? AND key < ?').run(this.name, prefix, prefixUpperBound(prefix)).changes;
  }
}

function deepFreeze<T>(value: T): Frozen<T> {
  if (typeof value === 'object' && value !== null) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}
