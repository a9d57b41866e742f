/** Shared by the CloudWatch Logs tests: a client for a started Nimbus and an assertion for AWS errors. */
import assert from 'node:assert/strict';
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

interface AwsError extends Error {
  $metadata?: { httpStatusCode?: number };
}

/** Asserts that `promise` fails with AWS's error code, message and HTTP status. */
export async function rejectsWith(promise: Promise<unknown>, name: string, message: string, status = 400): Promise<void> {
  await assert.rejects(promise, (error: AwsError) => {
    assert.equal(error.name, name);
    assert.equal(error.message, message);
    assert.equal(error.$metadata?.httpStatusCode, status);
    return true;
  });
}
