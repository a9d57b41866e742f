import { evaluateBooleanExpression, leavesOf, parseBooleanExpression } from './boolean-expression.js';
import { tokenizeConditions } from './condition-lexer.js';
import { checkRegexQuota, parseComparisonValue } from './condition-value.js';
import { invalidCharactersInTerm, invalidFilterPattern, unclosedPattern } from './filter-pattern-error.js';
import { splitLogLine } from './log-line-fields.js';
import { TokenCursor } from './token-cursor.js';
import { compareScalar } from './value-comparison.js';
import type { BooleanExpression } from './boolean-expression.js';
import type { ConditionToken } from './condition-lexer.js';
import type { FilterMatcher } from './filter-matcher.js';
import type { LogLineField } from './log-line-fields.js';
import type { Comparison } from './value-comparison.js';

/**
 * Space-delimited filter patterns: `[ip, user, ..., status_code = 4*, bytes > 1000]`.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-term-space-delimited-log-events
 */
type PatternSlot =
  /** `...`: "reference any unnamed field … as many fields as needed" (zero or more). */
  | { readonly kind: 'ellipsis' }
  /** A named field, optionally with conditions on its value. */
  | {
      readonly kind: 'field';
      readonly name: string;
      readonly condition: BooleanExpression<Comparison> | undefined;
    };

interface NamedComparison {
  readonly fieldName: string;
  readonly comparison: Comparison;
}

const ELLIPSIS = '...';
const FIELD_NAME_CHARACTER = /^[A-Za-z0-9_-]$/;

function checkFieldName(name: string): void {
  for (const char of name) {
    if (!FIELD_NAME_CHARACTER.test(char)) throw invalidCharactersInTerm(char);
  }
}

function parseNamedComparison(cursor: TokenCursor): NamedComparison {
  const fieldName = cursor.nextWord();
  checkFieldName(fieldName);
  const operatorToken = cursor.next();
  if (operatorToken.kind !== 'operator') throw invalidFilterPattern();
  const value = parseComparisonValue(operatorToken.operator, cursor.next());
  return { fieldName, comparison: { operator: operatorToken.operator, value } };
}

/**
 * Each comma-separated slot is `...`, a bare name, or conditions on one field
 * (`status_code = 404 || status_code = 410`). Conditions may only name their
 * own field: AWS answers "Invalid filter pattern" to
 * `[…, status_code = 4* && bytes > 1000]`
 * (https://github.com/awsdocs/amazon-cloudwatch-logs-user-guide/issues/21).
 */
function parseSlot(tokens: readonly ConditionToken[]): PatternSlot {
  const [first] = tokens;
  if (first === undefined) throw invalidFilterPattern();
  if (tokens.length === 1) {
    if (first.kind !== 'word') throw invalidFilterPattern();
    if (first.text === ELLIPSIS) return { kind: 'ellipsis' };
    checkFieldName(first.text);
    return { kind: 'field', name: first.text, condition: undefined };
  }
  const named = parseBooleanExpression(new TokenCursor(tokens), parseNamedComparison);
  const names = new Set(leavesOf(named).map((leaf) => leaf.fieldName));
  const [name] = names;
  if (name === undefined || names.size !== 1) throw invalidFilterPattern();
  return { kind: 'field', name, condition: mapLeaves(named, (leaf) => leaf.comparison) };
}

function mapLeaves<From, To>(
  expression: BooleanExpression<From>,
  map: (leaf: From) => To,
): BooleanExpression<To> {
  if (expression.kind === 'leaf') return { kind: 'leaf', leaf: map(expression.leaf) };
  return { kind: expression.kind, operands: expression.operands.map((operand) => mapLeaves(operand, map)) };
}

function splitSlots(tokens: readonly ConditionToken[]): ConditionToken[][] {
  const slots: ConditionToken[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'comma') slots.push([]);
    else slots[slots.length - 1]?.push(token);
  }
  return slots;
}

function slotAccepts(slot: PatternSlot, value: string): boolean {
  if (slot.kind !== 'field' || slot.condition === undefined) return true;
  return evaluateBooleanExpression(slot.condition, (comparison) => compareScalar(value, comparison));
}

/**
 * Assigns line fields to pattern slots. Without `...`, the last named field
 * takes the rest of the line: AWS's `[w1=ERROR, w2]` matches
 * "ERROR 09/25/2014 12:00:02 Failed to process request", and its docs insist
 * on that trailing "blank indicator" — with `[w1=ERROR]` alone, w1 would be
 * the whole line. With `...` present, every named slot is exactly one field
 * and the ellipses absorb the rest.
 */
function matchLine(slots: readonly PatternSlot[], line: string): boolean {
  const fields = splitLogLine(line);
  const lastSlotTakesRest = slots.every((slot) => slot.kind === 'field');
  const failed = new Set<string>();

  const remainderFrom = (fieldIndex: number): string => {
    const field: LogLineField | undefined = fields[fieldIndex];
    if (field === undefined) return '';
    if (fieldIndex === fields.length - 1) return field.value;
    return line.slice(field.start).trim();
  };

  const matchFrom = (slotIndex: number, fieldIndex: number): boolean => {
    const slot = slots[slotIndex];
    if (slot === undefined) return fieldIndex === fields.length;
    const key = `${slotIndex}:${fieldIndex}`;
    if (failed.has(key)) return false;
    let matched = false;
    if (slot.kind === 'ellipsis') {
      for (let taken = fields.length - fieldIndex; taken >= 0 && !matched; taken -= 1) {
        matched = matchFrom(slotIndex + 1, fieldIndex + taken);
      }
    } else if (fieldIndex < fields.length) {
      if (lastSlotTakesRest && slotIndex === slots.length - 1) {
        matched = slotAccepts(slot, remainderFrom(fieldIndex));
      } else {
        const field = fields[fieldIndex];
        matched = field !== undefined && slotAccepts(slot, field.value) && matchFrom(slotIndex + 1, fieldIndex + 1);
      }
    }
    if (!matched) failed.add(key);
    return matched;
  };

  return matchFrom(0, 0);
}

/** Compiles a pattern whose trimmed text starts with `[`. */
export function compileSpaceDelimitedPattern(pattern: string): FilterMatcher {
  if (!pattern.endsWith(']')) throw unclosedPattern('[', ']');
  const slots = splitSlots(tokenizeConditions(pattern.slice(1, -1))).map(parseSlot);
  checkRegexQuota(
    slots.flatMap((slot) =>
      slot.kind === 'field' && slot.condition !== undefined
        ? leavesOf(slot.condition).map((comparison) => comparison.value)
        : [],
    ),
  );
  return { matches: (message) => matchLine(slots, message) };
}
