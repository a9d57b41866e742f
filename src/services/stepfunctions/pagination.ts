import { ServiceError } from '../../shared/errors.js';

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/**
 * Pages a list that the caller already ordered. maxResults 0 or absent means
 * the default of 100 (the API reference's "default page size"), and the token
 * is an opaque offset; a token that is not ours answers InvalidToken.
 */
export function paginate<T>(all: readonly T[], maxResults: number | undefined, nextToken: string | undefined): Page<T> {
  const size = maxResults === undefined || maxResults === 0 ? 100 : maxResults;
  const start = nextToken === undefined ? 0 : decodeToken(nextToken);
  const items = all.slice(start, start + size);
  const end = start + items.length;
  return end < all.length ? { items, nextToken: Buffer.from(JSON.stringify({ offset: end })).toString('base64') } : { items };
}

function decodeToken(token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown };
    if (typeof parsed.offset === 'number' && Number.isInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // Falls through to InvalidToken.
  }
  throw new ServiceError('InvalidToken', `Invalid Token: '${token}'`);
}
