import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from './clock.js';

describe('ManualClock', () => {
  it('fires due timers in due order as time moves, and never early', () => {
    const clock = new ManualClock(1000);
    const fired: string[] = [];
    clock.schedule(300, () => fired.push(`c@${String(clock.now())}`));
    clock.schedule(100, () => fired.push(`a@${String(clock.now())}`));
    const cancel = clock.schedule(200, () => fired.push('cancelled'));
    cancel();
    clock.advance(99);
    assert.deepEqual(fired, []);
    clock.advance(250);
    assert.deepEqual(fired, ['a@1100', 'c@1300']);
    assert.equal(clock.now(), 1349);
  });

  it('runs timers scheduled by timers within the same advance', () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    clock.schedule(10, () => {
      fired.push(clock.now());
      clock.schedule(10, () => fired.push(clock.now()));
    });
    clock.advance(25);
    assert.deepEqual(fired, [10, 20]);
  });
});
