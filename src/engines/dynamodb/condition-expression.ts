import { base64Of, bytesOf, typeOf } from './attribute-value.js';
import { compareBytes, compareScalars, valuesEqual } from './compare-values.js';
import { valueAtPath } from './document-path.js';
import { resolvePath } from './expression-attributes.js';
import {
  ITERABLE_TYPES,
  ORDERED_TYPES,
  OperatorCounter,
  checkDistinct,
  checkOperandCount,
  checkOperandTypes,
  operandTypeError,
  requiresPathError,
} from './operator-checks.js';
import { compareNumbers } from './number-value.js';
import { validationError, withDetails } from './validation-error.js';
import type { AttributeType, AttributeValue, Item } from './attribute-value.js';
import type { DocumentPath } from './document-path.js';
import type { ExpressionAttributes } from './expression-attributes.js';
import type { Comparator, SyntaxCondition, SyntaxFunction, SyntaxOperand } from './expression-syntax.js';
import type { PossibleTypes } from './operator-checks.js';

/**
 * Condition, filter and key condition expressions: resolution and checking of
 * a parsed condition, and its evaluation against an item.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 *
 * Evaluation never fails: a missing attribute or a value of the wrong type
 * makes a comparison or function false (and `<>` true), as in DynamoDB.
 */

export type ConditionOperand =
  | { readonly kind: 'path'; readonly path: DocumentPath }
  | { readonly kind: 'value'; readonly value: AttributeValue }
  | { readonly kind: 'size'; readonly operand: ConditionOperand };

export type ConditionFunctionName = 'attribute_exists' | 'attribute_not_exists' | 'attribute_type' | 'begins_with' | 'contains';

export type Condition =
  | { readonly kind: 'comparison'; readonly operator: Comparator; readonly left: ConditionOperand; readonly right: ConditionOperand }
  | { readonly kind: 'in'; readonly target: ConditionOperand; readonly candidates: readonly ConditionOperand[] }
  | { readonly kind: 'between'; readonly target: ConditionOperand; readonly low: ConditionOperand; readonly high: ConditionOperand }
  | { readonly kind: 'function'; readonly name: ConditionFunctionName; readonly args: readonly ConditionOperand[] }
  | { readonly kind: 'not'; readonly operand: Condition }
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition };

const FUNCTION_ARITY: Readonly<Record<string, number>> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
  size: 1,
};

/** The type names attribute_type accepts, listed in the order DynamoDB's message uses. */
const TYPE_NAMES_SYMBOLS = '{B,NULL,SS,BOOL,L,BS,N,NS,S,M}';
const TYPE_NAMES: ReadonlySet<string> = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);

/** The IN operator takes at most 100 candidates. */
const MAX_IN_OPERANDS = 100;

function possibleTypes(operand: ConditionOperand): PossibleTypes {
  switch (operand.kind) {
    case 'path':
      return 'any';
    case 'value':
      return [typeOf(operand.value)];
    case 'size':
      return ['N'];
  }
}

function pathOf(operand: ConditionOperand): DocumentPath | undefined {
  return operand.kind === 'path' ? operand.path : undefined;
}

/** "AttributeValue: {N:1}", the form BETWEEN messages quote bounds in. */
function describeValue(value: AttributeValue): string {
  const type = typeOf(value);
  if ('S' in value) return `AttributeValue: {S:${value.S}}`;
  if ('N' in value) return `AttributeValue: {N:${value.N}}`;
  if ('B' in value) return `AttributeValue: {B:${base64Of(value.B)}}`;
  return `AttributeValue: {${type}}`;
}

function checkBetweenBounds(low: ConditionOperand, high: ConditionOperand): void {
  if (low.kind !== 'value' || high.kind !== 'value') return;
  const details: [string, string][] = [['lower bound operand', describeValue(low.value)], ['upper bound operand', describeValue(high.value)]];
  if (typeOf(low.value) !== typeOf(high.value)) {
    throw validationError(withDetails('The BETWEEN operator requires same data type for lower and upper bounds', details));
  }
  if ((compareScalars(low.value, high.value) ?? 0) > 0) {
    throw validationError(withDetails('The BETWEEN operator requires upper bound to be greater than or equal to lower bound', details));
  }
}

function checkAttributeType(typeOperand: ConditionOperand): void {
  if (typeOperand.kind !== 'value' || !('S' in typeOperand.value)) {
    throw operandTypeError('attribute_type', possibleTypes(typeOperand));
  }
  const name = typeOperand.value.S;
  if (!TYPE_NAMES.has(name)) {
    throw validationError(withDetails('Invalid attribute type name found', [['type', name], ['valid types', TYPE_NAMES_SYMBOLS]]));
  }
}

class ConditionCompiler {
  private readonly counter = new OperatorCounter();

  constructor(private readonly attributes: ExpressionAttributes) {}

  private operand(syntax: SyntaxOperand): ConditionOperand {
    switch (syntax.kind) {
      case 'path':
        return { kind: 'path', path: resolvePath(syntax, this.attributes) };
      case 'value':
        return { kind: 'value', value: this.attributes.resolveValue(syntax.placeholder) };
      case 'function': {
        // Only size() survives the walk as an operand.
        const [operand] = this.functionArgs(syntax);
        return { kind: 'size', operand: operand };
      }
    }
  }

  /** Resolves and checks a function call's operands; the caller builds the node. */
  private functionArgs(syntax: SyntaxFunction): ConditionOperand[] {
    const args = syntax.args.map((arg) => this.operand(arg));
    const name = syntax.name;
    checkOperandCount(name, args.length, FUNCTION_ARITY[name] ?? 0);
    const allowed: PossibleTypes = name === 'begins_with' ? ['S', 'B'] : name === 'size' ? ITERABLE_TYPES : 'any';
    checkOperandTypes(name, args.map(possibleTypes), allowed);
    if (args.length > 1) checkDistinct(name, args.map(pathOf));
    if ((name === 'attribute_exists' || name === 'attribute_not_exists') && args[0]?.kind !== 'path') throw requiresPathError(name);
    if (name === 'attribute_type') checkAttributeType(args[1]);
    this.counter.increment();
    return args;
  }

  condition(syntax: SyntaxCondition): Condition {
    const condition = this.build(syntax);
    if (syntax.kind !== 'call') this.counter.increment();
    return condition;
  }

  private build(syntax: SyntaxCondition): Condition {
    switch (syntax.kind) {
      case 'comparison': {
        const left = this.operand(syntax.left);
        const right = this.operand(syntax.right);
        const ordered = syntax.operator !== '=' && syntax.operator !== '<>';
        checkOperandTypes(syntax.operator, [possibleTypes(left), possibleTypes(right)], ordered ? ORDERED_TYPES : 'any');
        checkDistinct(syntax.operator, [pathOf(left), pathOf(right)]);
        return { kind: 'comparison', operator: syntax.operator, left, right };
      }
      case 'in': {
        const target = this.operand(syntax.target);
        const candidates = syntax.candidates.map((candidate) => this.operand(candidate));
        checkDistinct('IN', [target, ...candidates].map(pathOf));
        if (candidates.length > MAX_IN_OPERANDS) {
          throw validationError(withDetails('The IN operator is provided with too many operands', [['number of operands', candidates.length]]));
        }
        return { kind: 'in', target, candidates };
      }
      case 'between': {
        const target = this.operand(syntax.target);
        const low = this.operand(syntax.low);
        const high = this.operand(syntax.high);
        checkOperandTypes('BETWEEN', [target, low, high].map(possibleTypes), ORDERED_TYPES);
        checkDistinct('BETWEEN', [target, low, high].map(pathOf));
        checkBetweenBounds(low, high);
        return { kind: 'between', target, low, high };
      }
      case 'call':
        return { kind: 'function', name: syntax.call.name as ConditionFunctionName, args: this.functionArgs(syntax.call) };
      case 'not':
        return { kind: 'not', operand: this.condition(syntax.operand) };
      case 'and':
      case 'or':
        return { kind: syntax.kind, left: this.condition(syntax.left), right: this.condition(syntax.right) };
    }
  }
}

/**
 * Resolves placeholders and applies DynamoDB's operand checks to a parsed
 * condition, operands before the operator that uses them.
 */
export function compileCondition(syntax: SyntaxCondition, attributes: ExpressionAttributes): Condition {
  return new ConditionCompiler(attributes).condition(syntax);
}

// ---- evaluation ----

/**
 * size() of a string counts UTF-16 code units, as DynamoDB's Java string
 * length does; of binary its bytes; of a set, list or map its members. Other
 * types have no size, which compares as a missing attribute.
 */
function sizeOf(value: AttributeValue | undefined): AttributeValue | undefined {
  if (value === undefined) return undefined;
  if ('S' in value) return { N: String(value.S.length) };
  if ('B' in value) return { N: String(bytesOf(value.B).length) };
  if ('SS' in value) return { N: String(value.SS.length) };
  if ('NS' in value) return { N: String(value.NS.length) };
  if ('BS' in value) return { N: String(value.BS.length) };
  if ('L' in value) return { N: String(value.L.length) };
  if ('M' in value) return { N: String(Object.keys(value.M).length) };
  return undefined;
}

function operandValue(operand: ConditionOperand, item: Item): AttributeValue | undefined {
  switch (operand.kind) {
    case 'path':
      return valueAtPath(item, operand.path);
    case 'value':
      return operand.value;
    case 'size':
      return sizeOf(operandValue(operand.operand, item));
  }
}

function ordered(left: AttributeValue | undefined, right: AttributeValue | undefined, test: (order: number) => boolean): boolean {
  if (left === undefined || right === undefined) return false;
  const order = compareScalars(left, right);
  return order !== undefined && test(order);
}

export function compare(operator: Comparator, left: AttributeValue | undefined, right: AttributeValue | undefined): boolean {
  switch (operator) {
    case '=':
      return left !== undefined && right !== undefined && valuesEqual(left, right);
    case '<>':
      return !(left !== undefined && right !== undefined && valuesEqual(left, right));
    case '<':
      return ordered(left, right, (order) => order < 0);
    case '<=':
      return ordered(left, right, (order) => order <= 0);
    case '>':
      return ordered(left, right, (order) => order > 0);
    case '>=':
      return ordered(left, right, (order) => order >= 0);
  }
}

function isSubsequence(haystack: Uint8Array, needle: Uint8Array, anchored: boolean): boolean {
  const last = anchored ? 0 : haystack.length - needle.length;
  for (let start = 0; start <= last; start += 1) {
    if (compareBytes(haystack.subarray(start, start + needle.length), needle) === 0) return true;
  }
  return false;
}

export function beginsWith(value: AttributeValue | undefined, prefix: AttributeValue | undefined): boolean {
  if (value === undefined || prefix === undefined) return false;
  if ('S' in value && 'S' in prefix) return value.S.startsWith(prefix.S);
  if ('B' in value && 'B' in prefix) return isSubsequence(bytesOf(value.B), bytesOf(prefix.B), true);
  return false;
}

/**
 * contains(): a substring of a string, a byte run of binary, a member of a
 * set of the operand's type, or an element of a list equal to the operand.
 */
export function contains(container: AttributeValue | undefined, operand: AttributeValue | undefined): boolean {
  if (container === undefined || operand === undefined) return false;
  if ('S' in container) return 'S' in operand && container.S.includes(operand.S);
  if ('B' in container) return 'B' in operand && isSubsequence(bytesOf(container.B), bytesOf(operand.B), false);
  if ('SS' in container) return 'S' in operand && container.SS.includes(operand.S);
  if ('NS' in container) return 'N' in operand && container.NS.some((member) => compareNumbers(member, operand.N) === 0);
  if ('BS' in container) return 'B' in operand && container.BS.some((member) => compareBytes(bytesOf(member), bytesOf(operand.B)) === 0);
  if ('L' in container) return container.L.some((element) => valuesEqual(element, operand));
  return false;
}

function evaluateFunction(name: ConditionFunctionName, args: readonly ConditionOperand[], item: Item): boolean {
  const [first, second] = args.map((arg) => operandValue(arg, item));
  switch (name) {
    case 'attribute_exists':
      return first !== undefined;
    case 'attribute_not_exists':
      return first === undefined;
    case 'attribute_type':
      return first !== undefined && second !== undefined && 'S' in second && typeOf(first) === (second.S as AttributeType);
    case 'begins_with':
      return beginsWith(first, second);
    case 'contains':
      return contains(first, second);
  }
}

/** Evaluates a compiled condition against an item (an empty item when none exists). */
export function evaluateCondition(condition: Condition, item: Item): boolean {
  switch (condition.kind) {
    case 'comparison':
      return compare(condition.operator, operandValue(condition.left, item), operandValue(condition.right, item));
    case 'in': {
      const target = operandValue(condition.target, item);
      return condition.candidates.some((candidate) => compare('=', target, operandValue(candidate, item)));
    }
    case 'between': {
      const target = operandValue(condition.target, item);
      return compare('>=', target, operandValue(condition.low, item)) && compare('<=', target, operandValue(condition.high, item));
    }
    case 'function':
      return evaluateFunction(condition.name, condition.args, item);
    case 'not':
      return !evaluateCondition(condition.operand, item);
    case 'and':
      return evaluateCondition(condition.left, item) && evaluateCondition(condition.right, item);
    case 'or':
      return evaluateCondition(condition.left, item) || evaluateCondition(condition.right, item);
  }
}
