/**
 * NextToken for Parameter Store listings: an opaque token carrying the position of the last item returned
 * (a stored key, or a version number), so a page picks up where the previous one stopped even if items
 * were added or removed in between.
 */
import { ServiceError } from '../../shared/errors.js';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export function encodeToken(position: string): string {
  return Buffer.from(JSON.stringify({ after: position }), 'utf8').toString('base64url');
}

export function invalidToken(): ServiceError {
  return new ServiceError('InvalidNextToken', "The specified token isn't valid.");
}

export function decodeToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // Not one of ours; answered below.
  }
  throw invalidToken();
}

/**
 * Takes up to `limit` of the items that pass `select`, in order, from those after the token's position.
 * `positionOf` names an item's position for the next token.
 */
export function paginate<I, T>(
  candidates: Iterable<I>,
  select: (item: I) => T | undefined,
  positionOf: (item: I) => string,
  limit: number,
): Page<T> {
  const items: T[] = [];
  let last: I | undefined;
  for (const candidate of candidates) {
    const selected = select(candidate);
    if (selected === undefined) continue;
    if (items.length === limit) return { items, nextToken: encodeToken(positionOf(last!)) };
    items.push(selected);
    last = candidate;
  }
  return { items };
}
