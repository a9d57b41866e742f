/**
 * MaxResults/NextToken paging over an already ordered list. The token is opaque to clients: it carries
 * the position of the next item, so a list that changes between calls shifts like AWS's eventually
 * consistent listings do, without ever repeating a page.
 */
import { ServiceError } from '../../shared/errors.js';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

function encode(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decode(token: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // Not one of ours: answered below.
  }
  throw new ServiceError('InvalidNextTokenException', 'The NextToken value is invalid.');
}

export function paginate<T>(items: T[], maxResults: number, nextToken: string | undefined): Page<T> {
  const start = nextToken === undefined ? 0 : decode(nextToken);
  const end = start + maxResults;
  return { items: items.slice(start, end), nextToken: end < items.length ? encode(end) : undefined };
}
