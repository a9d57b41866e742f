/**
 * nextToken paging for the Describe operations. A token carries the sort key of the last item returned,
 * tagged with the listing it belongs to, so a page resumes exactly after it even when items were added or
 * removed in between, and a token from another listing is refused as AWS refuses an unknown one.
 */
import type { Collection } from '../../store/store.js';
import type { ServiceError } from '../../shared/errors.js';
import type { Page } from '../shared/next-token.js';
import { decodeNextToken, encodeNextToken } from '../shared/next-token.js';
import { invalidParameter } from './model.js';

export function invalidNextToken(): ServiceError {
  return invalidParameter('The specified nextToken is invalid.');
}

function tokenFor(scope: string, lastKey: string): string {
  return encodeNextToken([scope, lastKey]);
}

function keyFromToken(scope: string, token: string): string {
  return decodeNextToken(
    token,
    (payload) => (Array.isArray(payload) && payload.length === 2 && payload[0] === scope && typeof payload[1] === 'string' ? payload[1] : undefined),
    invalidNextToken,
  );
}

export interface PageRequest {
  /** Names the listing, so its tokens are not accepted by another one. */
  scope: string;
  token: string | undefined;
  limit: number;
  descending?: boolean;
}

/** One page of a collection's records in key order, keeping those `accept` admits; reads batch by batch. */
export function pageRecords<T>(collection: Collection<T>, prefix: string, request: PageRequest, accept: (value: T) => boolean = () => true): Page<[string, T]> {
  const batchSize = Math.max(request.limit + 1, 100);
  let after = request.token === undefined ? undefined : keyFromToken(request.scope, request.token);
  const items: [string, T][] = [];
  for (;;) {
    const batch = collection.list({ prefix, after, reverse: request.descending, limit: batchSize });
    for (const entry of batch) {
      if (accept(entry[1])) items.push(entry);
      if (items.length > request.limit) break;
    }
    if (items.length > request.limit || batch.length < batchSize) break;
    after = batch[batch.length - 1][0];
  }
  return finishPage(items, request, ([key]) => key);
}

/** One page of items already sorted in memory (ascending, or descending when asked) by `sortKey`. */
export function pageSorted<T>(items: T[], sortKey: (item: T) => string, request: PageRequest): Page<T> {
  let rest = items;
  if (request.token !== undefined) {
    const last = keyFromToken(request.scope, request.token);
    rest = items.filter((item) => (request.descending ? sortKey(item) < last : sortKey(item) > last));
  }
  return finishPage(rest.slice(0, request.limit + 1), request, sortKey);
}

function finishPage<T>(items: T[], request: PageRequest, sortKey: (item: T) => string): Page<T> {
  if (items.length <= request.limit) return { items };
  const page = items.slice(0, request.limit);
  return { items: page, nextToken: tokenFor(request.scope, sortKey(page[page.length - 1])) };
}
