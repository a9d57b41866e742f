/** Shared by the CloudWatch Logs tests: a client for a started Nimbus, the clock's fixed start and time units. */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Nimbus } from '../../../src/index.js';
import { clientSettings } from '../../helpers/nimbus.js';

/** A fixed start for ManualClock: mid-January 2025, noon UTC. */
export const T0 = Date.UTC(2025, 0, 15, 12);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function logsClient(nimbus: Nimbus): CloudWatchLogsClient {
  return new CloudWatchLogsClient(clientSettings(nimbus));
}
