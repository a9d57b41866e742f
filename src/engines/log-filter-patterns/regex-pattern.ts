import { compileAwsRegex, regexBodyOf } from './aws-regex.js';
import type { FilterMatcher } from './filter-matcher.js';

/**
 * A standalone regex pattern, `%AUTHORIZED%`: the event matches when the regex
 * is found anywhere in the message (AWS's example matches both
 * "[ERROR 401] UNAUTHORIZED REQUEST" and "[SUCCESS 200] AUTHORIZED REQUEST").
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-terms-regex
 */
export function isStandaloneRegexPattern(pattern: string): boolean {
  return regexBodyOf(pattern) !== null;
}

export function compileRegexPattern(pattern: string): FilterMatcher {
  const regex = compileAwsRegex(regexBodyOf(pattern) ?? '');
  return { matches: (message) => regex.test(message) };
}
