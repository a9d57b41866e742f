import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScaleOutStats, warmWaitMs } from './scale-out.js';

function stats(busyMs: number | undefined, coldStartMs: number | undefined): ScaleOutStats {
  const learned = new ScaleOutStats();
  if (busyMs !== undefined) learned.recordInvocation(busyMs);
  if (coldStartMs !== undefined) learned.recordColdStart(coldStartMs);
  return learned;
}

describe('warmWaitMs', () => {
  const cases: { name: string; stats: ScaleOutStats | undefined; saturated: boolean; busy: number; expected: number | undefined }[] = [
    { name: 'a saturated loop, as many busy as cores, short invocations: wait, at most a cold start', stats: stats(1, 80), saturated: true, busy: 2, expected: 80 },
    { name: 'the same with more busy than cores', stats: stats(1, 80), saturated: true, busy: 9, expected: 80 },
    { name: 'a loop with room: use another environment, as Lambda does', stats: stats(1, 80), saturated: false, busy: 9, expected: undefined },
    { name: 'fewer busy than cores: another one runs on an idle core', stats: stats(1, 80), saturated: true, busy: 1, expected: undefined },
    { name: 'invocations longer than a cold start never wait', stats: stats(200, 80), saturated: true, busy: 4, expected: undefined },
    { name: 'nothing learned yet', stats: undefined, saturated: true, busy: 4, expected: undefined },
    { name: 'no cold start measured yet', stats: stats(1, undefined), saturated: true, busy: 4, expected: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(warmWaitMs(c.stats, { saturated: c.saturated, busy: c.busy, parallelism: 2 }), c.expected);
    });
  }
});

describe('ScaleOutStats', () => {
  it('keeps running averages in which one outlier does not dominate', () => {
    const learned = stats(1, 100);
    learned.recordInvocation(101);
    learned.recordColdStart(200);
    assert.equal(learned.busyMs, 21);
    assert.equal(learned.coldStartMs, 120);
  });
});
