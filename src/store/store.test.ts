import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

/** One conformance suite for both modes of the store: on disk and in memory. */
function conformance(mode: string, open: () => Store): void {
  describe(`store conformance: ${mode}`, () => {
    const store = open();
    after(() => {
      store.close();
    });

    it('puts, gets, overwrites and deletes JSON records', () => {
      const c = store.collection<{ n: number; tags?: string[] }>('svc/1/r/things');
      assert.equal(c.get('a'), undefined);
      c.put('a', { n: 1, tags: ['x'] });
      c.put('a', { n: 2 });
      assert.deepEqual(c.get('a'), { n: 2 });
      assert.equal(c.delete('a'), true);
      assert.equal(c.delete('a'), false);
    });

    it('keeps collections apart', () => {
      store.collection<number>('svc/1/r/a').put('k', 1);
      store.collection<number>('svc/2/r/a').put('k', 2);
      assert.equal(store.collection<number>('svc/1/r/a').get('k'), 1);
      assert.equal(store.collection<number>('svc/2/r/a').get('k'), 2);
    });

    it('lists in UTF-8 byte order with prefix, after, reverse and limit', () => {
      const c = store.collection<number>('svc/1/r/order');
      for (const [i, key] of ['b', 'a/2', 'a/10', 'a/1', 'é', 'Z', 'a'].entries()) c.put(key, i);
      assert.deepEqual(c.list().map(([k]) => k), ['Z', 'a', 'a/1', 'a/10', 'a/2', 'b', 'é']);
      assert.deepEqual(c.list({ prefix: 'a/' }).map(([k]) => k), ['a/1', 'a/10', 'a/2']);
      assert.deepEqual(c.list({ prefix: 'a/', after: 'a/1' }).map(([k]) => k), ['a/10', 'a/2']);
      assert.deepEqual(c.list({ reverse: true, limit: 2 }).map(([k]) => k), ['é', 'b']);
      assert.deepEqual(c.list({ reverse: true, after: 'a/1', prefix: 'a' }).map(([k]) => k), ['a']);
      assert.equal(c.count('a'), 4);
      assert.equal(c.deletePrefix('a/'), 3);
      assert.equal(c.count(), 4);
    });

    it('rolls back every write of a failed transaction', () => {
      const c = store.collection<number>('svc/1/r/tx');
      c.put('kept', 1);
      assert.throws(() =>
        store.transaction(() => {
          c.put('half', 1);
          c.delete('kept');
          throw new Error('abort');
        }),
      );
      assert.equal(c.get('half'), undefined);
      assert.equal(c.get('kept'), 1);
      store.transaction(() => {
        store.transaction(() => {
          c.put('nested', 2);
        });
      });
      assert.equal(c.get('nested'), 2);
    });

    it('peek shares one frozen copy of a record until the record changes', () => {
      const name = 'svc/1/r/peeked';
      const c = store.collection<{ n: number; nested: { tags: string[] } }>(name);
      c.put('k', { n: 1, nested: { tags: ['a'] } });
      const first = store.peek<{ n: number; nested: { tags: string[] } }>(name, 'k');
      assert.deepEqual(first, { n: 1, nested: { tags: ['a'] } });
      assert.equal(store.peek(name, 'k'), first);
      assert.throws(() => {
        (first as { nested: { tags: string[] } }).nested.tags.push('b');
      }, TypeError);
      // get() still hands out a private copy.
      const own = c.get('k');
      assert.ok(own);
      own.n = 5;
      assert.equal(c.get('k')?.n, 1);

      c.put('k', { n: 2, nested: { tags: [] } });
      assert.equal(store.peek<{ n: number }>(name, 'k')?.n, 2);
      c.deletePrefix('k');
      assert.equal(store.peek(name, 'k'), undefined);
      assert.equal(store.peek(name, 'never'), undefined);
    });

    it('peek never keeps what it read inside a transaction that rolled back', () => {
      const name = 'svc/1/r/peek-rollback';
      const c = store.collection<number>(name);
      c.put('k', 1);
      assert.equal(store.peek(name, 'k'), 1);
      assert.throws(() => {
        store.transaction(() => {
          c.put('k', 2);
          assert.equal(store.peek(name, 'k'), 2);
          throw new Error('roll back');
        });
      });
      assert.equal(store.peek(name, 'k'), 1);
      store.reset();
      assert.equal(store.peek(name, 'k'), undefined);
    });

    it('reset wipes everything', () => {
      store.collection<number>('svc/1/r/x').put('k', 1);
      store.reset();
      assert.equal(store.collection<number>('svc/1/r/x').get('k'), undefined);
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'nimbus-store-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});
conformance('durable (SQLite file)', () => new SqliteStore(dir));
conformance('ephemeral (SQLite in memory)', () => new SqliteStore(undefined));

describe('durable store', () => {
  it('brings records back after reopening', () => {
    const reopenDir = mkdtempSync(join(tmpdir(), 'nimbus-reopen-'));
    try {
      const first = new SqliteStore(reopenDir);
      first.collection<{ v: string }>('svc/1/r/c').put('k', { v: 'kept' });
      first.close();
      const second = new SqliteStore(reopenDir);
      assert.deepEqual(second.collection<{ v: string }>('svc/1/r/c').get('k'), { v: 'kept' });
      assert.equal(second.durable, true);
      second.close();
    } finally {
      rmSync(reopenDir, { recursive: true, force: true });
    }
  });

  // Records bigger than a page live in overflow pages that the store reads through its memory map, from the
  // database file once checkpointed (past 1000 WAL pages, and at close) and from the WAL before that.
  it('reads large records among small ones, before and after checkpoints and reopening', () => {
    const bigDir = mkdtempSync(join(tmpdir(), 'nimbus-big-'));
    const big = (i: number, round: number): string => `${String(round)}:${String(i)}:`.padEnd(20_000, String.fromCharCode(97 + (i % 26)));
    const check = (store: Store, round: number): void => {
      const large = store.collection<string>('svc/1/r/large');
      const small = store.collection<number>('svc/1/r/small');
      for (let i = 0; i < 300; i++) assert.equal(large.get(`k${String(i).padStart(3, '0')}`), big(i, i % 3 === 0 ? round : 1));
      for (let i = 0; i < 300; i++) assert.equal(small.get(`k${String(i)}`), i);
      assert.equal(large.count(), 300);
      assert.deepEqual(large.list({ limit: 1, after: 'k149' }), [['k150', big(150, round)]]);
    };
    try {
      const first = new SqliteStore(bigDir);
      for (let i = 0; i < 300; i++) {
        first.collection<string>('svc/1/r/large').put(`k${String(i).padStart(3, '0')}`, big(i, 1));
        first.collection<number>('svc/1/r/small').put(`k${String(i)}`, i);
      }
      check(first, 1);
      for (let i = 0; i < 300; i += 3) first.collection<string>('svc/1/r/large').put(`k${String(i).padStart(3, '0')}`, big(i, 2));
      check(first, 2);
      first.close();
      const second = new SqliteStore(bigDir);
      check(second, 2);
      second.close();
    } finally {
      rmSync(bigDir, { recursive: true, force: true });
    }
  });
});
