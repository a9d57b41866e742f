import { MATCH_EVERY_EVENT } from './filter-matcher.js';
import { compileJsonPattern } from './json-pattern.js';
import { compileRegexPattern, isStandaloneRegexPattern } from './regex-pattern.js';
import { compileSpaceDelimitedPattern } from './space-delimited-pattern.js';
import { compileTextPattern } from './text-pattern.js';
import type { FilterMatcher } from './filter-matcher.js';

/**
 * Compiles a CloudWatch Logs filter pattern (FilterLogEvents, metric filters,
 * subscription filters, Live Tail) into a matcher. The pattern's first
 * character picks the syntax: `{` JSON, `[` space-delimited, `%…%` a
 * standalone regex, anything else unstructured terms. An empty pattern
 * matches every event.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 *
 * @throws FilterPatternError when the pattern is invalid; its message is the
 *   one to return in an InvalidParameterException.
 */
export function compileFilterPattern(pattern: string): FilterMatcher {
  const trimmed = pattern.trim();
  if (trimmed === '') return MATCH_EVERY_EVENT;
  if (trimmed.startsWith('{')) return compileJsonPattern(trimmed);
  if (trimmed.startsWith('[')) return compileSpaceDelimitedPattern(trimmed);
  if (isStandaloneRegexPattern(trimmed)) return compileRegexPattern(trimmed);
  return compileTextPattern(trimmed);
}
