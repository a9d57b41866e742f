/** Assertions shared by the service tests. */
import assert from 'node:assert/strict';

/** What the SDK v3 attaches to a service error besides its name and message. */
interface AwsError extends Error {
  $metadata?: { httpStatusCode?: number };
}

/**
 * Asserts that `promise` fails with AWS's error code, its message (exact, or matching a pattern where part of
 * it is generated) and its HTTP status (400 unless told).
 */
export async function rejectsWith(promise: Promise<unknown>, code: string, message: string | RegExp, status = 400): Promise<void> {
  await assert.rejects(promise, (error: AwsError) => {
    assert.equal(error.name, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    assert.equal(error.$metadata?.httpStatusCode, status);
    return true;
  });
}
