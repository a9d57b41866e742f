import { isJsonObject } from './json-value.js';
import { PathNotResolvedError, parseAslPath, queryPath } from './path-query.js';
import { runtimeFailure } from './state-errors.js';
import { StringMatchesPatternError, compileStringMatches } from './string-matches.js';
import { parseTimestamp } from './timestamps.js';
import type { JsonObject, JsonValue } from './json-value.js';
import type { PathScope } from './path-query.js';

/**
 * JSONPath Choice Rules (already validated, so Variable and "...Path" operands are path strings): boolean expressions (And, Or, Not) over data-test
 * expressions that compare the value at "Variable" with a literal or, for the
 * "...Path" operators, with another value of the input
 * (https://states-language.net/spec.html#choice-state). Values of the wrong
 * type compare false rather than failing.
 */
type ValueKind = 'String' | 'Numeric' | 'Boolean' | 'Timestamp';
type Relation = 'Equals' | 'LessThan' | 'GreaterThan' | 'LessThanEquals' | 'GreaterThanEquals';

const RELATIONS: readonly Relation[] = ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'];
const KINDS: readonly ValueKind[] = ['String', 'Numeric', 'Boolean', 'Timestamp'];

/** Every comparison operator, with the type its operand must have. */
export const COMPARISON_OPERATORS: ReadonlyMap<string, 'string' | 'number' | 'boolean' | 'timestamp' | 'path'> = new Map([
  ...KINDS.flatMap((kind) =>
    RELATIONS.filter((relation) => kind !== 'Boolean' || relation === 'Equals').flatMap((relation) => [
      [`${kind}${relation}`, operandType(kind)] as const,
      [`${kind}${relation}Path`, 'path'] as const,
    ]),
  ),
  ['StringMatches', 'string'],
  ['IsNull', 'boolean'],
  ['IsPresent', 'boolean'],
  ['IsNumeric', 'boolean'],
  ['IsString', 'boolean'],
  ['IsBoolean', 'boolean'],
  ['IsTimestamp', 'boolean'],
]);

function operandType(kind: ValueKind): 'string' | 'number' | 'boolean' | 'timestamp' {
  switch (kind) {
    case 'String':
      return 'string';
    case 'Numeric':
      return 'number';
    case 'Boolean':
      return 'boolean';
    case 'Timestamp':
      return 'timestamp';
  }
}

export function evaluateChoiceRule(rule: JsonObject, scope: PathScope): boolean {
  if (Array.isArray(rule.And)) return rule.And.every((inner) => evaluateChoiceRule(asRule(inner), scope));
  if (Array.isArray(rule.Or)) return rule.Or.some((inner) => evaluateChoiceRule(asRule(inner), scope));
  if (rule.Not !== undefined) return !evaluateChoiceRule(asRule(rule.Not), scope);
  return evaluateDataTest(rule, scope);
}

function asRule(value: JsonValue): JsonObject {
  return isJsonObject(value) ? value : {};
}

function evaluateDataTest(rule: JsonObject, scope: PathScope): boolean {
  const variable = rule.Variable as string;
  const operator = Object.keys(rule).find((key) => COMPARISON_OPERATORS.has(key));
  if (operator === undefined) throw runtimeFailure(`The choice rule on '${variable}' has no comparison operator.`);
  const expected = rule[operator];
  if (operator === 'IsPresent') return resolves(variable, scope) === expected;
  const actual = resolveOperand(variable, scope);
  switch (operator) {
    case 'IsNull':
      return (actual === null) === expected;
    case 'IsNumeric':
      return (typeof actual === 'number') === expected;
    case 'IsString':
      return (typeof actual === 'string') === expected;
    case 'IsBoolean':
      return (typeof actual === 'boolean') === expected;
    case 'IsTimestamp':
      return (typeof actual === 'string' && parseTimestamp(actual) !== undefined) === expected;
    case 'StringMatches':
      return typeof actual === 'string' && typeof expected === 'string' && matches(actual, expected);
  }
  const byPath = operator.endsWith('Path');
  const name = byPath ? operator.slice(0, -4) : operator;
  const kind = KINDS.find((candidate) => name.startsWith(candidate))!;
  const relation = name.slice(kind.length) as Relation;
  const other = byPath ? resolveOperand(expected as string, scope) : expected;
  return compareValues(kind, relation, actual, other);
}

function matches(value: string, pattern: string): boolean {
  try {
    return compileStringMatches(pattern).test(value);
  } catch (error) {
    if (error instanceof StringMatchesPatternError) throw runtimeFailure(error.message);
    throw error;
  }
}

function resolves(pathText: string, scope: PathScope): boolean {
  try {
    queryPath(parseAslPath(pathText), scope);
    return true;
  } catch (error) {
    if (error instanceof PathNotResolvedError) return false;
    throw error;
  }
}

function resolveOperand(pathText: string, scope: PathScope): JsonValue {
  try {
    return queryPath(parseAslPath(pathText), scope);
  } catch (error) {
    if (error instanceof PathNotResolvedError) {
      throw runtimeFailure(`Invalid path '${pathText}': The choice state's condition path references an invalid value.`);
    }
    throw error;
  }
}

function compareValues(kind: ValueKind, relation: Relation, actual: JsonValue, expected: JsonValue): boolean {
  switch (kind) {
    case 'String':
      return typeof actual === 'string' && typeof expected === 'string' && relate(relation, actual, expected);
    case 'Numeric':
      return typeof actual === 'number' && typeof expected === 'number' && relate(relation, actual, expected);
    case 'Boolean':
      return typeof actual === 'boolean' && typeof expected === 'boolean' && actual === expected;
    case 'Timestamp': {
      const left = typeof actual === 'string' ? parseTimestamp(actual) : undefined;
      const right = typeof expected === 'string' ? parseTimestamp(expected) : undefined;
      return left !== undefined && right !== undefined && relate(relation, left, right);
    }
  }
}

/** Strings compare by UTF-16 code unit, like Java's String.compareTo which AWS names. */
function relate<T extends string | number>(relation: Relation, left: T, right: T): boolean {
  switch (relation) {
    case 'Equals':
      return left === right;
    case 'LessThan':
      return left < right;
    case 'GreaterThan':
      return left > right;
    case 'LessThanEquals':
      return left <= right;
    case 'GreaterThanEquals':
      return left >= right;
  }
}
