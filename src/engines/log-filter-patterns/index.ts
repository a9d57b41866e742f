/**
 * CloudWatch Logs filter patterns (FilterLogEvents, metric filters,
 * subscription filters), as documented at
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 *
 * Pure and dependency-free: `compileFilterPattern` validates a pattern once
 * (throwing `FilterPatternError` with the InvalidParameterException message)
 * and returns a matcher to run against each log event message.
 *
 * Layout: compile-filter-pattern picks the syntax; text-pattern,
 * json-pattern, space-delimited-pattern and regex-pattern compile one syntax
 * each; condition-lexer, token-cursor, boolean-expression, condition-value and
 * value-comparison are shared by the JSON and space-delimited conditions;
 * aws-regex, json-selector, log-line-fields, wildcard-string and
 * number-literal hold the smaller rules.
 */
export { compileFilterPattern } from './compile-filter-pattern.js';
export { FilterPatternError } from './filter-pattern-error.js';
export type { FilterMatcher } from './filter-matcher.js';
