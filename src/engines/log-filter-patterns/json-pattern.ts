import { evaluateBooleanExpression, leavesOf, parseBooleanExpression } from './boolean-expression.js';
import { tokenizeConditions } from './condition-lexer.js';
import { checkRegexQuota, parseComparisonValue } from './condition-value.js';
import { invalidFilterPattern, unclosedPattern } from './filter-pattern-error.js';
import { parseJsonSelector, resolveJsonSelector } from './json-selector.js';
import { TokenCursor } from './token-cursor.js';
import { compareScalar } from './value-comparison.js';
import type { BooleanExpression } from './boolean-expression.js';
import type { FilterMatcher } from './filter-matcher.js';
import type { JsonSelector } from './json-selector.js';
import type { Comparison, ScalarSubject } from './value-comparison.js';

/**
 * JSON filter patterns: `{ SELECTOR OPERATOR VALUE }`, `{ SELECTOR IS TRUE }`,
 * `{ SELECTOR IS FALSE }`, `{ SELECTOR IS NULL }`, `{ SELECTOR NOT EXISTS }`,
 * combined with `&&`, `||` and parentheses.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-terms-json-log-events
 */
type JsonCondition =
  | { readonly kind: 'compare'; readonly selector: JsonSelector; readonly comparison: Comparison }
  | { readonly kind: 'is'; readonly selector: JsonSelector; readonly expected: boolean | null }
  | { readonly kind: 'not-exists'; readonly selector: JsonSelector };

/**
 * "You can only use up to one wildcard selector in a property selector, and up
 * to three wildcard selectors in a filter pattern with compound expressions."
 */
export const MAX_WILDCARD_SELECTORS_PER_PATTERN = 3;

const IS_OPERANDS: ReadonlyMap<string, boolean | null> = new Map([
  ['TRUE', true],
  ['FALSE', false],
  ['NULL', null],
]);

function parseJsonCondition(cursor: TokenCursor): JsonCondition {
  const selector = parseJsonSelector(cursor.nextWord());
  const token = cursor.next();
  if (token.kind === 'operator') {
    const value = parseComparisonValue(token.operator, cursor.next());
    return { kind: 'compare', selector, comparison: { operator: token.operator, value } };
  }
  if (token.kind !== 'word') throw invalidFilterPattern();
  const keyword = token.text.toUpperCase();
  if (keyword === 'IS') {
    // `IS NOT …` is documented as unsupported, and falls through to the error.
    const expected = IS_OPERANDS.get(cursor.nextWord().toUpperCase());
    if (expected === undefined) throw invalidFilterPattern();
    return { kind: 'is', selector, expected };
  }
  // `NOT EXISTS` is the only existence test; a bare `EXISTS` is unsupported.
  if (keyword === 'NOT' && cursor.nextWord().toUpperCase() === 'EXISTS') {
    return { kind: 'not-exists', selector };
  }
  throw invalidFilterPattern();
}

function checkQuotas(conditions: readonly JsonCondition[]): void {
  const wildcardSelectors = conditions.filter((condition) => condition.selector.hasWildcard).length;
  if (wildcardSelectors > MAX_WILDCARD_SELECTORS_PER_PATTERN) throw invalidFilterPattern();
  checkRegexQuota(
    conditions.flatMap((condition) => (condition.kind === 'compare' ? [condition.comparison.value] : [])),
  );
}

function isScalar(value: unknown): value is ScalarSubject {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * A selector that reaches an object or array never satisfies a comparison,
 * whatever the operator: "If a property selector points to an array or
 * object, the filter pattern won't match the log format." Through a wildcard,
 * one matching element is enough.
 */
function conditionHolds(condition: JsonCondition, document: Record<string, unknown>): boolean {
  const values = resolveJsonSelector(condition.selector, document);
  switch (condition.kind) {
    case 'compare':
      return values.some((value) => isScalar(value) && compareScalar(value, condition.comparison));
    case 'is':
      return values.some((value) => value === condition.expected);
    case 'not-exists':
      return values.length === 0;
  }
}

/** Only messages that are a whole JSON object are "JSON log events". */
function parseJsonEvent(message: string): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  return parsed as Record<string, unknown>;
}

/** Compiles a pattern whose trimmed text starts with `{`. */
export function compileJsonPattern(pattern: string): FilterMatcher {
  if (!pattern.endsWith('}')) throw unclosedPattern('{', '}');
  const tokens = tokenizeConditions(pattern.slice(1, -1));
  if (tokens.length === 0) throw invalidFilterPattern();
  const expression: BooleanExpression<JsonCondition> = parseBooleanExpression(
    new TokenCursor(tokens),
    parseJsonCondition,
  );
  checkQuotas(leavesOf(expression));
  return {
    matches(message: string): boolean {
      const document = parseJsonEvent(message);
      if (document === undefined) return false;
      return evaluateBooleanExpression(expression, (condition) => conditionHolds(condition, document));
    },
  };
}
