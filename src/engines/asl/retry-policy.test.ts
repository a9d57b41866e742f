import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideRetry, errorMatches, retryDelayMs } from './retry-policy.js';
import type { MatchableError, RetrierDefinition } from './retry-policy.js';

describe('errorMatches', () => {
  const cases: ReadonlyArray<readonly [readonly string[], MatchableError, boolean]> = [
    [['States.ALL'], { error: 'Custom' }, true],
    [['States.ALL'], { error: 'States.Timeout' }, true],
    [['States.ALL'], { error: 'States.Runtime' }, false],
    [['States.Runtime'], { error: 'States.Runtime' }, false],
    [['States.ALL'], { error: 'States.DataLimitExceeded' }, true],
    [['States.ALL'], { error: 'States.DataLimitExceeded', terminal: true }, false],
    [['States.TaskFailed'], { error: 'Lambda.Unknown' }, true],
    [['States.TaskFailed'], { error: 'States.Permissions' }, true],
    [['States.TaskFailed'], { error: 'States.Timeout' }, false],
    [['States.Timeout'], { error: 'States.Timeout', heartbeat: true }, true],
    [['States.HeartbeatTimeout'], { error: 'States.Timeout', heartbeat: true }, true],
    [['States.HeartbeatTimeout'], { error: 'States.Timeout' }, false],
    [['ErrorA', 'ErrorB'], { error: 'ErrorB' }, true],
    [['ErrorA'], { error: 'errora' }, false],
    [['States.ALL'], {}, true],
  ];
  for (const [errorEquals, failure, expected] of cases) {
    it(`${errorEquals.join(',')} vs ${JSON.stringify(failure)} → ${expected}`, () => {
      assert.equal(errorMatches(errorEquals, failure), expected);
    });
  }
});

describe('retry delays', () => {
  const half = () => 0.5;
  const cases: ReadonlyArray<readonly [RetrierDefinition, number, number]> = [
    [{ ErrorEquals: ['E'] }, 0, 1000],
    [{ ErrorEquals: ['E'] }, 1, 2000],
    [{ ErrorEquals: ['E'] }, 2, 4000],
    [{ ErrorEquals: ['E'], IntervalSeconds: 3, BackoffRate: 1 }, 1, 3000],
    [{ ErrorEquals: ['E'], IntervalSeconds: 3, BackoffRate: 2, MaxDelaySeconds: 5 }, 2, 5000],
    [{ ErrorEquals: ['E'], IntervalSeconds: 2, BackoffRate: 2, JitterStrategy: 'FULL' }, 2, 4000],
    [{ ErrorEquals: ['E'], IntervalSeconds: 2, JitterStrategy: 'NONE' }, 0, 2000],
    [{ ErrorEquals: ['E'], IntervalSeconds: 1, BackoffRate: 1.5 }, 2, 2250],
  ];
  for (const [retrier, attempts, expected] of cases) {
    it(`${JSON.stringify(retrier)} after ${attempts} attempts waits ${expected} ms`, () => {
      assert.equal(retryDelayMs(retrier, attempts, half), expected);
    });
  }
});

describe('decideRetry', () => {
  const retriers: RetrierDefinition[] = [
    { ErrorEquals: ['ErrorA', 'ErrorB'], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 2 },
    { ErrorEquals: ['ErrorC'], IntervalSeconds: 5 },
  ];
  const random = () => 0;

  it('follows the spec example: A, B, C retried; the second B exhausts its retrier', () => {
    const attempts: number[] = [];
    const outcomes: (number | undefined)[] = [];
    for (const error of ['ErrorA', 'ErrorB', 'ErrorC', 'ErrorB']) {
      const decision = decideRetry(retriers, { error }, attempts, random);
      outcomes.push(decision?.delayMs);
      if (decision !== undefined) attempts[decision.retrier] = (attempts[decision.retrier] ?? 0) + 1;
    }
    assert.deepEqual(outcomes, [1000, 2000, 5000, undefined]);
  });

  it('MaxAttempts 0 never retries', () => {
    assert.equal(decideRetry([{ ErrorEquals: ['E'], MaxAttempts: 0 }, { ErrorEquals: ['States.ALL'] }], { error: 'E' }, [], random), undefined);
  });

  it('an unmatched error is not retried', () => {
    assert.equal(decideRetry(retriers, { error: 'Other' }, [], random), undefined);
  });
});
