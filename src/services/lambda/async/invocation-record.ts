/**
 * What Lambda sends about a finished asynchronous event: the invocation record for a destination, and
 * the bare event with attributes for a dead-letter queue
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
 */
import type { QueuedEvent } from './event-queue.js';

/**
 * Why the record was sent. ZeroReservedConcurrency is what Lambda reports for an event it discarded
 * without running because the function's reserved concurrency is 0.
 */
export type InvocationCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded' | 'ZeroReservedConcurrency';

export interface InvocationRecord {
  version: '1.0';
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: InvocationCondition;
    approximateInvokeCount: number;
  };
  requestPayload: unknown;
  responseContext?: { statusCode: number; executedVersion: string; functionError?: string };
  responsePayload?: unknown;
}

/** A payload as JSON when it is JSON; Lambda carries anything else as a string. */
function payloadValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The record of an event. `functionArn` is the version that ran (or would have); the response parts
 * appear once the function has run at least once.
 */
export function invocationRecord(event: QueuedEvent, condition: InvocationCondition, functionArn: string, now: number): InvocationRecord {
  const record: InvocationRecord = {
    version: '1.0',
    timestamp: new Date(now).toISOString(),
    requestContext: { requestId: event.id, functionArn, condition, approximateInvokeCount: event.attempts },
    requestPayload: payloadValue(event.payload),
  };
  if (event.response) {
    const { executedVersion, functionError, payload } = event.response;
    record.responseContext = functionError ? { statusCode: 200, executedVersion, functionError } : { statusCode: 200, executedVersion };
    record.responsePayload = payloadValue(payload);
  }
  return record;
}

/** The `errorMessage` of Lambda's error payload, or the payload itself when it has none. */
export function errorMessageOf(payload: string): string {
  const value = payloadValue(payload);
  if (typeof value === 'object' && value !== null && 'errorMessage' in value && typeof value.errorMessage === 'string') return value.errorMessage;
  return payload;
}

/** A dead-letter queue gets the event unchanged; why it failed travels in message attributes. */
export interface DeadLetter {
  body: string;
  requestId: string;
  /** The 3-digit HTTP status of the last attempt (200 when the function itself failed). */
  errorCode: number;
  /** Truncated to 1 KB, as Lambda does. */
  errorMessage: string;
}

export function deadLetter(event: QueuedEvent): DeadLetter {
  const failure = event.lastFailure ?? { statusCode: 200, message: '' };
  return {
    body: event.payload,
    requestId: event.id,
    errorCode: failure.statusCode,
    errorMessage: Buffer.from(failure.message).subarray(0, 1024).toString('utf8'),
  };
}
