/**
 * Timestamp wire formats (https://smithy.io/2.0/spec/protocol-traits.html#timestampformat-trait):
 * epoch seconds for JSON bodies, ISO 8601 for XML and query strings, RFC 822 (HTTP date) for headers.
 */
import type { TimestampFormat } from './model.js';

export function formatTimestamp(date: Date, format: TimestampFormat): string | number {
  switch (format) {
    case 'unixTimestamp':
      // Millisecond precision, as AWS's JSON services write it (1700000000.123).
      return Math.round(date.getTime()) / 1000;
    case 'rfc822':
      return date.toUTCString();
    case 'iso8601':
      return date.toISOString();
  }
}

/** Reads a timestamp in any of the three formats; undefined when it is none of them. */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(value * 1000) : undefined;
  if (typeof value !== 'string' || value === '') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(value)) return new Date(Number(value) * 1000);
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
