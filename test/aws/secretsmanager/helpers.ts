/** Shared by the Secrets Manager tests: a client for the running Nimbus and AWS-error assertions. */
import assert from 'node:assert/strict';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Nimbus } from '../../../src/index.js';
import { clientSettings } from '../../helpers/nimbus.js';

export function secretsManager(nimbus: Nimbus, region?: string): SecretsManagerClient {
  return new SecretsManagerClient(clientSettings(nimbus, region ? { region } : {}));
}

/** Asserts an AWS error: its code, its exact message and its HTTP status (400 unless told). */
export async function rejectsWith(promise: Promise<unknown>, code: string, message: string | RegExp, status = 400): Promise<void> {
  await assert.rejects(promise, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    assert.equal(error.$metadata?.httpStatusCode, status);
    return true;
  });
}

export const DAY_MS = 24 * 60 * 60 * 1000;
