import { compileAwsRegex } from './aws-regex.js';
import { invalidCharactersInTerm, invalidFilterPattern } from './filter-pattern-error.js';
import { parsePatternNumber } from './number-literal.js';
import { compileWildcardString } from './wildcard-string.js';
import type { ConditionToken } from './condition-lexer.js';
import type { ComparisonOperator, ComparisonValue } from './value-comparison.js';

/**
 * Unquoted values may only hold letters, digits and `_`, plus the characters
 * AWS's own unquoted examples use: `.` and `*` (`123.123.*`, `*.html*`) and the
 * sign of a number (`+1000`, `1e-3`). "Strings that have unicode and other
 * characters such as '@', '$', '\' etc. must be enclosed in double quotes"
 * (older revision of
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html).
 */
const BARE_VALUE_CHARACTER = /^[A-Za-z0-9_.*+-]$/;

const EQUALITY_OPERATORS: ReadonlySet<ComparisonOperator> = new Set(['=', '!=']);

function checkBareValue(text: string): void {
  for (const char of text) {
    if (!BARE_VALUE_CHARACTER.test(char)) throw invalidCharactersInTerm(char);
  }
}

/**
 * Compiles the value on the right of a comparison. Text and regex values only
 * support `=` and `!=`; `<`, `>`, `<=` and `>=` need a number.
 */
export function parseComparisonValue(
  operator: ComparisonOperator,
  token: ConditionToken,
): ComparisonValue {
  const equalityOnly = EQUALITY_OPERATORS.has(operator);
  switch (token.kind) {
    case 'quoted':
      if (!equalityOnly) throw invalidFilterPattern();
      return { kind: 'text', matches: compileWildcardString(token.text) };
    case 'regex':
      if (!equalityOnly) throw invalidFilterPattern();
      return { kind: 'regex', regex: compileAwsRegex(token.body) };
    case 'word': {
      const number = parsePatternNumber(token.text);
      if (number !== undefined) return { kind: 'number', value: number };
      if (!equalityOnly) throw invalidFilterPattern();
      checkBareValue(token.text);
      return { kind: 'text', matches: compileWildcardString(token.text) };
    }
    default:
      throw invalidFilterPattern();
  }
}

/**
 * "There is a limit of 2 regex for each filter pattern when creating a
 * delimited or JSON filter pattern" (Quotas, "Supported regular expressions
 * (regex) syntax").
 */
export const MAX_REGEX_PER_STRUCTURED_PATTERN = 2;

export function checkRegexQuota(values: readonly ComparisonValue[]): void {
  const regexCount = values.filter((value) => value.kind === 'regex').length;
  if (regexCount > MAX_REGEX_PER_STRUCTURED_PATTERN) throw invalidFilterPattern();
}
