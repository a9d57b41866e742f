import { typeOf } from './attribute-value.js';
import { keyAttributes } from './key-schema.js';
import { compileLegacyFilter, evaluateComparison, validateComparison } from './legacy-conditions.js';
import { INVALID_PARAMETER_PREFIX } from './validate-attribute-value.js';
import { validationError } from './validation-error.js';
import type { AttributeValue } from './attribute-value.js';
import type { Condition, ConditionOperand } from './condition-expression.js';
import type { KeySchema } from './key-schema.js';
import type { ComparisonOperator, ConditionInput } from './legacy-conditions.js';

/**
 * Query key conditions, from a KeyConditionExpression or the legacy
 * KeyConditions: exactly an equality on the partition key, and optionally one
 * of = < <= > >= BETWEEN begins_with on the sort key, joined with AND.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html
 */

export type SortKeyOperator = 'EQ' | 'LT' | 'LE' | 'GT' | 'GE' | 'BETWEEN' | 'BEGINS_WITH';

export interface SortKeyCondition {
  readonly name: string;
  readonly operator: SortKeyOperator;
  readonly values: readonly AttributeValue[];
}

export interface KeyConditionPlan {
  readonly partitionKey: { readonly name: string; readonly value: AttributeValue };
  readonly sortKey?: SortKeyCondition;
}

interface ExtractedCondition {
  readonly operator: ComparisonOperator;
  readonly values: readonly AttributeValue[];
}

const COMPARISON_OPERATORS: Readonly<Record<string, ComparisonOperator>> = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' };
/** `:v < k` reads as `k > :v`. */
const REVERSED: Readonly<Partial<Record<ComparisonOperator, ComparisonOperator>>> = { LT: 'GT', GT: 'LT', LE: 'GE', GE: 'LE' };

function invalidCondition(reason: string): Error {
  return validationError(`Invalid condition in KeyConditionExpression: ${reason}`);
}

function operatorOf(condition: Condition): { operator: ComparisonOperator; name: string; operands: readonly ConditionOperand[] } {
  switch (condition.kind) {
    case 'comparison': {
      const operator = COMPARISON_OPERATORS[condition.operator];
      if (operator !== undefined) return { operator, name: condition.operator, operands: [condition.left, condition.right] };
      throw validationError(`Invalid operator used in KeyConditionExpression: ${condition.operator}`);
    }
    case 'between':
      return { operator: 'BETWEEN', name: 'BETWEEN', operands: [condition.target, condition.low, condition.high] };
    case 'function':
      if (condition.name === 'begins_with') return { operator: 'BEGINS_WITH', name: 'begins_with', operands: condition.args };
      throw validationError(`Invalid operator used in KeyConditionExpression: ${condition.name}`);
    case 'in':
    case 'not':
    case 'and':
    case 'or':
      throw validationError(`Invalid operator used in KeyConditionExpression: ${condition.kind.toUpperCase()}`);
  }
}

function extractOne(condition: Condition, extracted: Map<string, ExtractedCondition>): void {
  const { operator: written, name, operands } = operatorOf(condition);
  let operator = written;
  let key: string | undefined;
  const values: AttributeValue[] = [];
  for (const operand of operands) {
    if (operand.kind === 'path') {
      if (key !== undefined) throw invalidCondition('Multiple attribute names used in one condition');
      if (operand.path.length > 1) throw validationError('KeyConditionExpressions cannot have conditions on nested attributes');
      key = String(operand.path[0]);
    } else if (operand.kind === 'value') {
      if (key === undefined) {
        if (operator === 'BETWEEN' || operator === 'BEGINS_WITH') {
          throw invalidCondition(`${name} operator must have the key attribute as its first operand`);
        }
        operator = REVERSED[operator] ?? operator;
      }
      values.push(operand.value);
    } else {
      throw validationError('KeyConditionExpressions cannot contain nested operations');
    }
  }
  if (key === undefined) throw invalidCondition('No key attribute specified');
  if (extracted.has(key)) throw validationError('KeyConditionExpressions must only contain one condition per key');
  extracted.set(key, validateComparison(operator, values));
}

function extract(condition: Condition, extracted: Map<string, ExtractedCondition>): void {
  if (condition.kind === 'and') {
    extract(condition.left, extracted);
    extract(condition.right, extracted);
  } else {
    extractOne(condition, extracted);
  }
}

const NON_INDEXABLE: readonly ComparisonOperator[] = ['NULL', 'NOT_NULL', 'NE', 'CONTAINS', 'NOT_CONTAINS', 'IN'];

/** Matches the extracted conditions to the table's (or index's) key schema. */
function plan(conditions: ReadonlyMap<string, ExtractedCondition>, schema: KeySchema): KeyConditionPlan {
  if (conditions.size !== 1 && conditions.size !== 2) throw validationError('Conditions can be of length 1 or 2 only');
  let sortKey: SortKeyCondition | undefined;
  let partitionValue: AttributeValue | undefined;
  keyAttributes(schema).forEach((attribute, index) => {
    const isPartition = index === 0;
    if (isPartition && schema.sortKey === undefined && conditions.size > 1) throw validationError('Query key condition not supported');
    const condition = conditions.get(attribute.name);
    if (condition === undefined) {
      if (isPartition || conditions.size > 1) throw validationError(`Query condition missed key schema element: ${attribute.name}`);
      return;
    }
    if (NON_INDEXABLE.includes(condition.operator)) throw validationError('Attempted conditional constraint is not an indexable operation');
    if (condition.values.some((value) => typeOf(value) !== attribute.type)) {
      throw validationError(`${INVALID_PARAMETER_PREFIX}Condition parameter type does not match schema type`);
    }
    if (isPartition) {
      if (condition.operator !== 'EQ') throw validationError('Query key condition not supported');
      partitionValue = condition.values[0];
    } else {
      sortKey = { name: attribute.name, operator: condition.operator as SortKeyOperator, values: condition.values };
    }
  });
  const partitionKey = { name: schema.partitionKey.name, value: partitionValue! };
  return sortKey === undefined ? { partitionKey } : { partitionKey, sortKey };
}

/** A compiled KeyConditionExpression against the queried key schema. */
export function planKeyCondition(condition: Condition, schema: KeySchema): KeyConditionPlan {
  const extracted = new Map<string, ExtractedCondition>();
  extract(condition, extracted);
  return plan(extracted, schema);
}

/**
 * What DynamoDB checks of a KeyConditionExpression before it looks the table up: only supported operators,
 * each condition on one top-level attribute, and one or two conditions. Matching the key schema comes later.
 */
export function checkKeyConditionShape(condition: Condition): void {
  const extracted = new Map<string, ExtractedCondition>();
  extract(condition, extracted);
  if (extracted.size !== 1 && extracted.size !== 2) throw validationError('Conditions can be of length 1 or 2 only');
}

/** The legacy KeyConditions parameter against the queried key schema. */
export function planKeyConditions(keyConditions: Readonly<Record<string, ConditionInput>>, schema: KeySchema): KeyConditionPlan {
  const { conditions } = compileLegacyFilter(keyConditions);
  return plan(new Map(conditions.map((condition) => [condition.attribute, condition])), schema);
}

/** Whether a sort key value satisfies the sort key condition: its operators are a subset of the legacy comparisons. */
export function matchesSortKey(condition: SortKeyCondition, value: AttributeValue | undefined): boolean {
  return evaluateComparison(condition.operator, value, condition.values);
}
