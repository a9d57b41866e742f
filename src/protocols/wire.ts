/** HTTP as the protocol layer sees it: already read, nothing streaming. */
export interface WireRequest {
  method: string;
  /** The path as received (still percent-encoded), without the query string. */
  path: string;
  /** The raw query string without '?' (S3 sub-resources such as `?acl` have no '=' and must stay visible). */
  rawQuery: string;
  query: URLSearchParams;
  /** Header names in lower case, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  host: string;
}

/** A WireRequest from what HTTP gives: method, request target (path and query string), headers and body. */
export function wireRequestOf(method: string, target: string, headers: WireRequest['headers'], body: Buffer): WireRequest {
  const q = target.indexOf('?');
  const rawQuery = q >= 0 ? target.slice(q + 1) : '';
  return {
    method,
    path: q >= 0 ? target.slice(0, q) : target,
    rawQuery,
    query: new URLSearchParams(rawQuery),
    headers,
    body,
    host: typeof headers.host === 'string' ? headers.host : '',
  };
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

export function header(request: WireRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

const formCache = new WeakMap<WireRequest, URLSearchParams>();

/** The form parameters of a query-protocol request: the body when form-encoded, else the query string. */
export function formParams(request: WireRequest): URLSearchParams {
  let params = formCache.get(request);
  if (!params) {
    const contentType = header(request, 'content-type') ?? '';
    const formBody = request.body.length > 0 && (contentType.startsWith('application/x-www-form-urlencoded') || contentType === '');
    params = formBody ? new URLSearchParams(request.body.toString('utf8')) : request.query;
    formCache.set(request, params);
  }
  return params;
}
