/**
 * The Get* listings' paging: MaxResults (a string in this model) and an opaque NextToken that holds the
 * key of the first item of the next page.
 */
import { decodeNextToken, encodeNextToken } from '../shared/next-token.js';
import { badRequest } from './api-store.js';

// AWS does not document the default page size of API Gateway v2 listings; 100 keeps answers small.
const DEFAULT_PAGE_SIZE = 100;

export interface Listing<T> {
  Items: T[];
  NextToken?: string;
}

function pageSize(maxResults: string | undefined): number {
  if (maxResults === undefined) return DEFAULT_PAGE_SIZE;
  const size = Number(maxResults);
  if (!Number.isInteger(size) || size < 1) throw badRequest(`Invalid MaxResults: ${maxResults}`);
  return size;
}

/**
 * One page of `items` in the order of their keys (ids, or stage names): a token names a key, not an
 * offset, so a page stays right when items before it were deleted meanwhile.
 */
export function paginate<T>(all: T[], keyOf: (item: T) => string, nextToken: string | undefined, maxResults: string | undefined): Listing<T> {
  const size = pageSize(maxResults);
  const items = [...all].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  let start = 0;
  if (nextToken) {
    const key = decodeNextToken(nextToken, (payload) => (typeof payload === 'object' && payload !== null && 'from' in payload && typeof payload.from === 'string' ? payload.from : undefined), () => badRequest('Invalid NextToken'));
    start = items.findIndex((item) => keyOf(item) >= key);
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + size);
  const next = items[start + size] as T | undefined;
  return { Items: page, NextToken: next === undefined ? undefined : encodeNextToken({ from: keyOf(next) }) };
}
