/**
 * Log group retention: the day counts AWS accepts and the moment before which a group's events expire.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
import type { LogGroupRecord } from './model.js';
import { invalidParameter } from './model.js';

export const DAY_MS = 24 * 60 * 60 * 1000;

const RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** AWS checks the value the way it checks a model enum, and answers with the same Coral-style message. */
export function checkRetentionDays(days: number): void {
  if (!RETENTION_DAYS.includes(days)) {
    throw invalidParameter(
      `1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
    );
  }
}

/** Events with a timestamp before this have expired (-Infinity when the group keeps events forever). */
export function retentionCutoff(group: LogGroupRecord, now: number): number {
  return group.retentionInDays === undefined ? -Infinity : now - group.retentionInDays * DAY_MS;
}
