/**
 * NextToken for Parameter Store listings: an opaque token carrying the position of the last item returned
 * (a stored key, or a version number), so a page picks up where the previous one stopped even if items
 * were added or removed in between.
 */
import { ServiceError } from '../../shared/errors.js';
import type { Page } from '../shared/next-token.js';
import { decodeNextToken, encodeNextToken } from '../shared/next-token.js';

export function encodeToken(position: string): string {
  return encodeNextToken({ after: position });
}

export function invalidToken(): ServiceError {
  return new ServiceError('InvalidNextToken', "The specified token isn't valid.");
}

export function decodeToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  return decodeNextToken(
    token,
    (payload) => {
      const after = (payload as { after?: unknown } | null)?.after;
      return typeof after === 'string' ? after : undefined;
    },
    invalidToken,
  );
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
