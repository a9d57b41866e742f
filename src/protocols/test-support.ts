/** Builds WireRequests for protocol unit tests. */
import type { WireRequest } from './wire.js';

export function wireRequest(parts: Partial<Omit<WireRequest, 'body'>> & { body?: string | Buffer }): WireRequest {
  const rawQuery = parts.rawQuery ?? '';
  return {
    method: parts.method ?? 'POST',
    path: parts.path ?? '/',
    rawQuery,
    query: parts.query ?? new URLSearchParams(rawQuery),
    headers: parts.headers ?? {},
    body: typeof parts.body === 'string' ? Buffer.from(parts.body) : (parts.body ?? Buffer.alloc(0)),
    host: parts.host ?? '127.0.0.1:4566',
  };
}
