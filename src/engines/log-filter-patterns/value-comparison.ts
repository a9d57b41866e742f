import { parseEventNumber } from './number-literal.js';

/** Operators allowed between a selector/field and a value. */
export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=';

/** The right-hand side of a condition, already compiled. */
export type ComparisonValue =
  /** Quoted or bare text, `*` wildcards at either end (only `=` / `!=`). */
  | { readonly kind: 'text'; readonly matches: (subject: string) => boolean }
  /** A numeric literal such as `400`, `-1.5` or `1e+3`. */
  | { readonly kind: 'number'; readonly value: number }
  /** A `%regex%` literal (only `=` / `!=`), searched anywhere in the value. */
  | { readonly kind: 'regex'; readonly regex: RegExp };

export interface Comparison {
  readonly operator: ComparisonOperator;
  readonly value: ComparisonValue;
}

/** A single value taken from the log event: a JSON scalar or a space-delimited field. */
export type ScalarSubject = string | number | boolean;

function asText(subject: ScalarSubject): string {
  return typeof subject === 'string' ? subject : String(subject);
}

function asNumber(subject: ScalarSubject): number | undefined {
  if (typeof subject === 'number') return subject;
  if (typeof subject === 'string') return parseEventNumber(subject);
  return undefined;
}

function orderedComparison(operator: ComparisonOperator, left: number, right: number): boolean {
  switch (operator) {
    case '=':
      return left === right;
    case '!=':
      return left !== right;
    case '<':
      return left < right;
    case '>':
      return left > right;
    case '<=':
      return left <= right;
    case '>=':
      return left >= right;
  }
}

/** Applies one condition to one value from the log event. */
export function compareScalar(subject: ScalarSubject, comparison: Comparison): boolean {
  const { operator, value } = comparison;
  switch (value.kind) {
    case 'text':
      return value.matches(asText(subject)) === (operator === '=');
    case 'regex':
      return value.regex.test(asText(subject)) === (operator === '=');
    case 'number': {
      const number = asNumber(subject);
      // A value that is not a number can only ever be "not equal" to one.
      if (number === undefined) return operator === '!=';
      return orderedComparison(operator, number, value.value);
    }
  }
}
