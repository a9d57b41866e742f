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

/** The error `send` fails with, as a plain record to compare whole; fails the test if `send` succeeds. */
export async function failureOf(send: () => Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await send();
  } catch (error) {
    assert.ok(error instanceof Error && '$metadata' in error, `not an AWS service error: ${String(error)}`);
    const { name, message, $metadata } = error as AwsError;
    return { name, message, status: $metadata?.httpStatusCode };
  }
  assert.fail('the request succeeded');
}

/** An AWS SDK v3 service error as tests read it. */
export interface RejectedCall {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
}

/** The error a call fails with; fails the test if the call succeeds. */
export async function rejection(promise: Promise<unknown>): Promise<RejectedCall> {
  try {
    await promise;
  } catch (error) {
    return error as RejectedCall;
  }
  assert.fail('expected the call to fail');
}
