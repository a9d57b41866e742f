import { typeOf } from './attribute-value.js';
import { compareScalars } from './compare-values.js';
import { beginsWith, compare, contains } from './condition-expression.js';
import { projectionOfAttributes } from './projection-expression.js';
import { INVALID_PARAMETER_PREFIX, normalizeAttributeValue } from './validate-attribute-value.js';
import { validationError } from './validation-error.js';
import type { AttributeType, AttributeValue, Item } from './attribute-value.js';
import type { CompiledProjection } from './projection-expression.js';

/**
 * The legacy conditional parameters — Expected, QueryFilter, ScanFilter,
 * KeyConditions with ConditionalOperator — and AttributesToGet, compiled to
 * the same kind of checks the expressions make.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html
 *
 * Conditions name top-level attributes literally (a dot is part of the name).
 */

export type ComparisonOperator =
  | 'EQ'
  | 'NE'
  | 'LE'
  | 'LT'
  | 'GE'
  | 'GT'
  | 'NOT_NULL'
  | 'NULL'
  | 'CONTAINS'
  | 'NOT_CONTAINS'
  | 'BEGINS_WITH'
  | 'IN'
  | 'BETWEEN';

export interface LegacyCondition {
  readonly attribute: string;
  readonly operator: ComparisonOperator;
  readonly values: readonly AttributeValue[];
}

export interface LegacyConditions {
  readonly conditions: readonly LegacyCondition[];
  readonly conditionalOperator: 'AND' | 'OR';
}

/** The Condition shape of QueryFilter, ScanFilter and KeyConditions. */
export interface ConditionInput {
  readonly ComparisonOperator?: string;
  readonly AttributeValueList?: readonly unknown[];
}

/** The ExpectedAttributeValue shape. */
export interface ExpectedInput extends ConditionInput {
  readonly Value?: unknown;
  readonly Exists?: boolean;
}

const SCALAR_TYPES: readonly AttributeType[] = ['S', 'N', 'B'];

/** How many values each operator takes, and of which types. */
const OPERATORS: Readonly<Record<ComparisonOperator, { readonly count: (n: number) => boolean; readonly types: readonly AttributeType[] | 'any' }>> = {
  EQ: { count: (n) => n === 1, types: 'any' },
  NE: { count: (n) => n === 1, types: 'any' },
  LE: { count: (n) => n === 1, types: SCALAR_TYPES },
  LT: { count: (n) => n === 1, types: SCALAR_TYPES },
  GE: { count: (n) => n === 1, types: SCALAR_TYPES },
  GT: { count: (n) => n === 1, types: SCALAR_TYPES },
  NOT_NULL: { count: (n) => n === 0, types: 'any' },
  NULL: { count: (n) => n === 0, types: 'any' },
  CONTAINS: { count: (n) => n === 1, types: [...SCALAR_TYPES, 'BOOL', 'NULL'] },
  NOT_CONTAINS: { count: (n) => n === 1, types: [...SCALAR_TYPES, 'BOOL', 'NULL'] },
  BEGINS_WITH: { count: (n) => n === 1, types: ['S', 'B'] },
  IN: { count: (n) => n >= 1, types: SCALAR_TYPES },
  BETWEEN: { count: (n) => n === 2, types: SCALAR_TYPES },
};

function isComparisonOperator(operator: string): operator is ComparisonOperator {
  return Object.hasOwn(OPERATORS, operator);
}

function invalid(reason: string): Error {
  return validationError(INVALID_PARAMETER_PREFIX + reason);
}

/**
 * Validates an operator and its AttributeValueList: the count, then each
 * value's type, then that all values share the first one's type, then the
 * order of BETWEEN's bounds.
 */
export function validateComparison(operator: string, rawValues: readonly unknown[]): { operator: ComparisonOperator; values: AttributeValue[] } {
  if (!isComparisonOperator(operator)) throw validationError('Comparison type does not exist in DynamoDB');
  const values = rawValues.map(normalizeAttributeValue);
  const rule = OPERATORS[operator];
  if (!rule.count(values.length)) throw invalid(`Invalid number of argument(s) for the ${operator} ComparisonOperator`);
  const [first] = values;
  for (const value of values) {
    const type = typeOf(value);
    if (rule.types !== 'any' && !rule.types.includes(type)) {
      throw invalid(`ComparisonOperator ${operator} is not valid for ${type} AttributeValue type`);
    }
    if (first !== undefined && type !== typeOf(first)) throw invalid('AttributeValues inside AttributeValueList must be of same type');
  }
  const [low, high] = values;
  if (operator === 'BETWEEN' && low !== undefined && high !== undefined && (compareScalars(low, high) ?? 0) > 0) {
    throw validationError('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
  }
  return { operator, values };
}

function conditionalOperatorOf(conditionalOperator: string | undefined, count: number): 'AND' | 'OR' {
  if (conditionalOperator === undefined) return 'AND';
  if (count === 0) throw validationError('ConditionalOperator cannot be used without Filter or Expected');
  if (count === 1) throw validationError('ConditionalOperator can only be used when Filter or Expected has two or more elements');
  return conditionalOperator === 'OR' ? 'OR' : 'AND';
}

/** QueryFilter, ScanFilter or KeyConditions. */
export function compileLegacyFilter(filter: Readonly<Record<string, ConditionInput>> | undefined, conditionalOperator?: string): LegacyConditions {
  const conditions = Object.entries(filter ?? {}).map(([attribute, condition]): LegacyCondition => {
    const { operator, values } = validateComparison(condition.ComparisonOperator ?? '', condition.AttributeValueList ?? []);
    return { attribute, operator, values };
  });
  return { conditions, conditionalOperator: conditionalOperatorOf(conditionalOperator, conditions.length) };
}

function checkExpectedShape(attribute: string, expected: ExpectedInput): void {
  const has = (value: unknown): boolean => value !== undefined && value !== null;
  const forAttribute = ` for Attribute: ${attribute}`;
  if (has(expected.Exists) && has(expected.ComparisonOperator)) {
    throw invalid(`Exists and ComparisonOperator cannot be used together${forAttribute}`);
  }
  if (has(expected.Value) && has(expected.AttributeValueList)) throw invalid(`Value and AttributeValueList cannot be used together${forAttribute}`);
  if (!has(expected.ComparisonOperator) && has(expected.AttributeValueList)) {
    throw invalid(`AttributeValueList can only be used with a ComparisonOperator${forAttribute}`);
  }
  if (expected.Exists === false && has(expected.Value)) throw invalid(`Value cannot be used when Exists is false${forAttribute}`);
  if (has(expected.Value) || has(expected.AttributeValueList)) return;
  const operator = expected.ComparisonOperator;
  if (operator !== undefined) {
    if (operator !== 'NULL' && operator !== 'NOT_NULL') {
      throw invalid(`Value or AttributeValueList must be used with ComparisonOperator: ${operator}${forAttribute}`);
    }
  } else if (expected.Exists !== false) {
    throw invalid(`Value must be provided when Exists is ${expected.Exists === true ? 'true' : 'null'}${forAttribute}`);
  }
}

/**
 * Expected: `Value` alone (or with Exists true) means EQ, `Exists: false`
 * means NULL, and a ComparisonOperator works as in a filter.
 */
export function compileExpected(expected: Readonly<Record<string, ExpectedInput>> | undefined, conditionalOperator?: string): LegacyConditions {
  const conditions = Object.entries(expected ?? {}).map(([attribute, entry]): LegacyCondition => {
    checkExpectedShape(attribute, entry);
    if (entry.ComparisonOperator !== undefined) {
      const rawValues = entry.Value !== undefined && entry.Value !== null ? [entry.Value] : (entry.AttributeValueList ?? []);
      return { attribute, ...validateComparison(entry.ComparisonOperator, rawValues) };
    }
    if (entry.Exists === false) return { attribute, operator: 'NULL', values: [] };
    return { attribute, operator: 'EQ', values: [normalizeAttributeValue(entry.Value)] };
  });
  return { conditions, conditionalOperator: conditionalOperatorOf(conditionalOperator, conditions.length) };
}

/** One comparison against an attribute's value (`undefined` when it is missing). */
export function evaluateComparison(operator: ComparisonOperator, value: AttributeValue | undefined, values: readonly AttributeValue[]): boolean {
  const [first, second] = values;
  switch (operator) {
    case 'EQ':
      return compare('=', value, first);
    case 'NE':
      return compare('<>', value, first);
    case 'LT':
      return compare('<', value, first);
    case 'LE':
      return compare('<=', value, first);
    case 'GT':
      return compare('>', value, first);
    case 'GE':
      return compare('>=', value, first);
    case 'NULL':
      return value === undefined;
    case 'NOT_NULL':
      return value !== undefined;
    case 'CONTAINS':
      return contains(value, first);
    case 'NOT_CONTAINS':
      // Unlike NOT contains() in an expression, a missing attribute fails.
      return value !== undefined && !contains(value, first);
    case 'BEGINS_WITH':
      return beginsWith(value, first);
    case 'IN':
      return values.some((candidate) => compare('=', value, candidate));
    case 'BETWEEN':
      return compare('>=', value, first) && compare('<=', value, second);
  }
}

export function evaluateLegacyConditions(legacy: LegacyConditions, item: Item): boolean {
  const results = legacy.conditions.map((condition) =>
    evaluateComparison(condition.operator, Object.hasOwn(item, condition.attribute) ? item[condition.attribute] : undefined, condition.values),
  );
  return legacy.conditionalOperator === 'OR' ? results.some(Boolean) : results.every(Boolean);
}

/** QueryFilter may only name non-key attributes. */
export function checkQueryFilterKeys(filter: LegacyConditions, keyNames: readonly string[]): void {
  const keyCondition = filter.conditions.find((condition) => keyNames.includes(condition.attribute));
  if (keyCondition !== undefined) {
    throw validationError(`QueryFilter can only contain non-primary key attributes: Primary key attribute: ${keyCondition.attribute}`);
  }
}

/** AttributesToGet as a projection of top-level attributes. */
export function compileAttributesToGet(names: readonly string[]): CompiledProjection {
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw invalid(`Duplicate value in attribute name: ${duplicate}`);
  return projectionOfAttributes(names);
}
