import { StatesError } from './state-errors.js';
import type { RandomSource } from './random-source.js';

/**
 * Which errors a Retrier or Catcher handles, and how long a retry waits
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
 */
export interface RetrierDefinition {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: 'FULL' | 'NONE';
}

export interface MatchableError {
  readonly error?: string;
  /** Set for failures no Retrier or Catcher may handle. */
  readonly terminal?: boolean;
  /** A States.Timeout caused by missing heartbeats. */
  readonly heartbeat?: boolean;
}

const DEFAULT_INTERVAL_SECONDS = 1;
const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_BACKOFF_RATE = 2;

/**
 * States.ALL matches every error and States.TaskFailed every error except
 * States.Timeout; neither, nor an explicit name, catches States.Runtime, which
 * "isn't retriable, and will always cause the execution to fail".
 */
export function errorMatches(errorEquals: readonly string[], failure: MatchableError): boolean {
  if (failure.terminal === true || failure.error === StatesError.Runtime) return false;
  return errorEquals.some((name) => {
    if (name === StatesError.All) return true;
    if (name === StatesError.TaskFailed) return failure.error !== StatesError.Timeout;
    if (name === StatesError.HeartbeatTimeout) return failure.heartbeat === true;
    return name === failure.error;
  });
}

export interface RetryDecision {
  /** Index of the Retrier that matched. */
  readonly retrier: number;
  readonly delayMs: number;
}

/**
 * Picks the first Retrier whose ErrorEquals matches. Its MaxAttempts counts
 * across every visit to that Retrier within one state run; when it is
 * exhausted, retries cease even if a later Retrier would match
 * (https://states-language.net/spec.html#retrying-after-error).
 */
export function decideRetry(
  retriers: readonly RetrierDefinition[],
  failure: MatchableError,
  attemptsSoFar: readonly number[],
  random: RandomSource,
): RetryDecision | undefined {
  const index = retriers.findIndex((retrier) => errorMatches(retrier.ErrorEquals, failure));
  if (index < 0) return undefined;
  const retrier = retriers[index];
  const attempts = attemptsSoFar[index] ?? 0;
  if (attempts >= (retrier.MaxAttempts ?? DEFAULT_MAX_ATTEMPTS)) return undefined;
  return { retrier: index, delayMs: retryDelayMs(retrier, attempts, random) };
}

/** IntervalSeconds × BackoffRate^attempts, capped by MaxDelaySeconds, then randomized in [0, delay) by FULL jitter. */
export function retryDelayMs(retrier: RetrierDefinition, attempts: number, random: RandomSource): number {
  const interval = retrier.IntervalSeconds ?? DEFAULT_INTERVAL_SECONDS;
  const backoff = retrier.BackoffRate ?? DEFAULT_BACKOFF_RATE;
  let seconds = interval * backoff ** attempts;
  if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') seconds *= random();
  return Math.round(seconds * 1000);
}
