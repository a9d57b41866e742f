/**
 * The pool with real Node runtime processes: which environment an invocation gets when the others are
 * busy. Handlers meet at a barrier in the file system, so every outcome asserted is decided by which
 * invocations run at the same time, never by how long anything takes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { InvokeTarget } from './pool.js';
import { EnvironmentPool } from './pool.js';

/** Arrives at the barrier (a file per party in `event.dir`), then waits until `event.parties` have arrived. */
const BARRIER_HANDLER = `
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
export const handler = async (event) => {
  if (!event.dir) return 'warm';
  writeFileSync(join(event.dir, event.name), '');
  while (readdirSync(event.dir).length < event.parties) await new Promise((resolve) => setTimeout(resolve, 5));
  return event.name;
};`;

const root = mkdtempSync(join(tmpdir(), 'nimbus-pool-test-'));
writeFileSync(join(root, 'index.mjs'), BARRIER_HANDLER);
after(() => {
  rmSync(root, { recursive: true, force: true });
});

let environments = 0;
const target: InvokeTarget = {
  key: 'test/barrier',
  functionId: 'test/barrier',
  newEnvironmentId: () => `environment-${String(++environments)}`,
  spec: () => Promise.resolve({ runtime: 'nodejs20.x', handler: 'index.handler', taskRoot: root, memoryMb: 256, timeoutSeconds: 10, variables: { PATH: process.env.PATH ?? '' } }),
};

let invocations = 0;
function invoke(pool: EnvironmentPool, event: object): Promise<{ payload: string; environmentId: string }> {
  return pool.invoke(target, { requestId: `request-${String(++invocations)}`, payload: Buffer.from(JSON.stringify(event)), invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:barrier', traceId: 'Root=1-00000000-000000000000000000000000' }).then((outcome) => {
    assert.equal(outcome.status, 'success', outcome.payload.toString());
    return { payload: JSON.parse(outcome.payload.toString()) as string, environmentId: outcome.environmentId };
  });
}

/** `parties` invocations that can only finish if all of them run at the same time. */
async function meet(pool: EnvironmentPool, parties: number): Promise<{ payload: string; environmentId: string }[]> {
  const dir = mkdtempSync(join(root, 'barrier-'));
  return Promise.all(Array.from({ length: parties }, (_, i) => invoke(pool, { dir, name: `party-${String(i)}`, parties })));
}

describe('EnvironmentPool', () => {
  it('runs concurrent invocations in environments of their own while Nimbus has room, as Lambda does', async () => {
    const pool = new EnvironmentPool({ accountConcurrency: 10, idleMs: 60_000, parallelism: 1 }, { saturated: () => false });
    try {
      await invoke(pool, {});
      const results = await meet(pool, 3);
      assert.deepEqual(results.map((r) => r.payload), ['party-0', 'party-1', 'party-2']);
      assert.equal(new Set(results.map((r) => r.environmentId)).size, 3);
    } finally {
      pool.close();
    }
  });

  it('while saturated, still runs invocations that wait on each other: a waiting one starts its own environment', async () => {
    const pool = new EnvironmentPool({ accountConcurrency: 10, idleMs: 60_000, parallelism: 1 }, { saturated: () => true });
    try {
      // Learn the configuration's cold start and a short invocation, so that the next ones would rather wait.
      await invoke(pool, {});
      await invoke(pool, {});
      const results = await meet(pool, 2);
      assert.deepEqual(results.map((r) => r.payload), ['party-0', 'party-1']);
      assert.equal(new Set(results.map((r) => r.environmentId)).size, 2);
    } finally {
      pool.close();
    }
  });
});
