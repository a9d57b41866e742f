/**
 * MaxResults/NextToken paging over an already ordered list. The token is opaque to clients: it carries
 * the position of the next item, so a list that changes between calls shifts like AWS's eventually
 * consistent listings do, without ever repeating a page.
 */
import { ServiceError } from '../../shared/errors.js';
import type { Page } from '../shared/next-token.js';
import { decodeNextToken, encodeNextToken } from '../shared/next-token.js';

function encode(offset: number): string {
  return encodeNextToken({ offset });
}

function decode(token: string): number {
  return decodeNextToken(
    token,
    (payload) => {
      const offset = (payload as { offset?: unknown } | null)?.offset;
      return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? offset : undefined;
    },
    () => new ServiceError('InvalidNextTokenException', 'The NextToken value is invalid.'),
  );
}

export function paginate<T>(items: T[], maxResults: number, nextToken: string | undefined): Page<T> {
  const start = nextToken === undefined ? 0 : decode(nextToken);
  const end = start + maxResults;
  return { items: items.slice(start, end), nextToken: end < items.length ? encode(end) : undefined };
}
