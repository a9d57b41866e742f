/**
 * Opaque NextTokens, shared by the services that page their listings. Clients must not read a token, so what
 * it holds is each listing's choice (a position, an offset, a sort key); only the envelope is common: JSON,
 * which takes any of those as it is, in base64url, which travels in JSON bodies, query strings and CLI
 * arguments without escaping.
 */

/** A page of a listing, and the token for the next one when there is more. */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export function encodeNextToken(payload: unknown): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/**
 * The payload of a token `encodeNextToken` made, as `read` takes it. A token that is not ours, or whose
 * payload `read` refuses (answers undefined), throws `invalid()`: each service answers with its own error.
 */
export function decodeNextToken<T>(token: string, read: (payload: unknown) => T | undefined, invalid: () => Error): T {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const value = read(payload);
  if (value === undefined) throw invalid();
  return value;
}
