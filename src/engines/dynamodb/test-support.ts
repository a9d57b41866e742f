import assert from 'node:assert/strict';
import { DynamoDbValidationError } from './validation-error.js';

/** Asserts that `run` throws a DynamoDbValidationError with exactly `message`. */
export function assertValidationError(run: () => unknown, message: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof DynamoDbValidationError, `expected a DynamoDbValidationError, got ${String(error)}`);
    assert.equal(error.message, message);
    assert.equal(error.code, 'ValidationException');
    return true;
  });
}

/** The message a check throws, or undefined when it passes: for tables of cases that compare messages whole. */
export function messageOf(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
