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

/** A REST request written as its request line reads: the method, then the path and query string together. */
export function restWireRequest(method: string, pathAndQuery: string, body = '', headers: Record<string, string> = {}, host = 'localhost:4566'): WireRequest {
  const [path, rawQuery = ''] = pathAndQuery.split('?', 2);
  return { method, path, rawQuery, query: new URLSearchParams(rawQuery), headers, body: Buffer.from(body), host };
}
