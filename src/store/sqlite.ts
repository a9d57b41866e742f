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
import type { Collection, ListOptions, Store } from './store.js';
import { prefixUpperBound } from './store.js';

type Statement = Database.Statement;

export class SqliteStore implements Store {
  readonly durable: boolean;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Statement>();
  private readonly collections = new Map<string, Collection<unknown>>();

  constructor(dataDir: string | undefined) {
    this.durable = dataDir !== undefined;
    if (dataDir !== undefined) {
      mkdirSync(dataDir, { recursive: true });
      this.db = new Database(join(dataDir, 'nimbus.sqlite'));
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    } else {
      this.db = new Database(':memory:');
    }
    this.db.exec('CREATE TABLE IF NOT EXISTS records (collection TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (collection, key)) WITHOUT ROWID');
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
    let collection = this.collections.get(name) as Collection<T> | undefined;
    if (!collection) {
      collection = new SqliteCollection<T>(name, (sql) => this.statement(sql));
      this.collections.set(name, collection);
    }
    return collection;
  }

  hasRecords(prefix: string): boolean {
    return this.statement('SELECT 1 FROM records WHERE collection >= ? AND collection < ? LIMIT 1').get(prefix, prefixUpperBound(prefix)) !== undefined;
  }

  transaction<R>(fn: () => R): R {
    if (this.db.inTransaction) return fn();
    return this.db.transaction(fn)();
  }

  reset(): void {
    this.db.exec('DELETE FROM records');
  }

  close(): void {
    this.db.close();
  }
}

class SqliteCollection<T> implements Collection<T> {
  constructor(
    private readonly name: string,
    private readonly statement: (sql: string) => Statement,
  ) {}

  get(key: string): T | undefined {
    // pluck: the value column alone, without building a row object (this is the hottest read).
    const value = this.statement('SELECT value FROM records WHERE collection = ? AND key = ?').pluck(true).get(this.name, key) as string | undefined;
    return value === undefined ? undefined : (JSON.parse(value) as T);
  }

  put(key: string, value: T): void {
    this.statement('INSERT OR REPLACE INTO records (collection, key, value) VALUES (?, ?, ?)').run(this.name, key, JSON.stringify(value));
  }

  delete(key: string): boolean {
    return this.statement('DELETE FROM records WHERE collection = ? AND key = ?').run(this.name, key).changes > 0;
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
    return this.statement('DELETE FROM records WHERE collection = ? AND key >= ? AND key < ?').run(this.name, prefix, prefixUpperBound(prefix)).changes;
  }
}
