import { isReservedWord } from './reserved-words.js';
import { validationError, withDetails } from './validation-error.js';
import type { SyntaxCondition, SyntaxOperand, SyntaxPath, SyntaxSetValue, SyntaxUpdateSection } from './expression-syntax.js';

/**
 * The checks DynamoDB makes on a parsed expression in the order the text
 * reads, before it looks up any placeholder: function names and where each
 * function may appear, reserved words used as bare names, list indexes that
 * do not fit, and update sections given twice. The first one met wins, so
 * "status = :v AND foo(a)" reports the reserved word.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 */

const CONDITION_FUNCTIONS: ReadonlySet<string> = new Set([
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
  'size',
]);
const UPDATE_FUNCTIONS: ReadonlySet<string> = new Set(['if_not_exists', 'list_append']);

/** Java's Integer.MAX_VALUE: the largest list index DynamoDB parses. */
const MAX_LIST_INDEX = 2 ** 31 - 1;

function functionError(reason: string, name: string): Error {
  return validationError(withDetails(reason, [['function', name]]));
}

/**
 * `nesting` counts the comparisons, functions and arithmetic around the call.
 * In conditions only size() may be nested, and size() alone is not a
 * condition; in updates only if_not_exists() may be nested.
 */
function checkFunction(name: string, category: 'condition' | 'update', nesting: number): void {
  if (!CONDITION_FUNCTIONS.has(name) && !UPDATE_FUNCTIONS.has(name)) throw functionError('Invalid function name', name);
  if (category === 'update') {
    if (!UPDATE_FUNCTIONS.has(name)) throw functionError('The function is not allowed in an update expression', name);
    if (nesting > 0 && name !== 'if_not_exists') {
      throw functionError('The function is not allowed to be used this way in an expression', name);
    }
    return;
  }
  if (!CONDITION_FUNCTIONS.has(name)) throw functionError('The function is not allowed in a condition expression', name);
  if ((nesting === 0) === (name === 'size')) {
    throw functionError('The function is not allowed to be used this way in an expression', name);
  }
}

export function walkPath(path: SyntaxPath): void {
  for (const element of path.elements) {
    if (element.kind === 'identifier' && isReservedWord(element.name)) {
      throw validationError(withDetails('Attribute name is a reserved keyword', [['reserved keyword', element.name]]));
    }
    if (element.kind === 'index' && Number(element.text) > MAX_LIST_INDEX) {
      throw validationError(withDetails('List index is not within the allowable range', [['index', `[${element.text}]`]]));
    }
  }
}

function walkOperand(operand: SyntaxOperand, category: 'condition' | 'update', nesting: number): void {
  if (operand.kind === 'path') walkPath(operand);
  if (operand.kind !== 'function') return;
  checkFunction(operand.name, category, nesting);
  operand.args.forEach((arg) => { walkOperand(arg, category, nesting + 1); });
}

export function walkCondition(condition: SyntaxCondition): void {
  switch (condition.kind) {
    case 'comparison':
      walkOperand(condition.left, 'condition', 1);
      walkOperand(condition.right, 'condition', 1);
      return;
    case 'in':
      [condition.target, ...condition.candidates].forEach((operand) => { walkOperand(operand, 'condition', 1); });
      return;
    case 'between':
      [condition.target, condition.low, condition.high].forEach((operand) => { walkOperand(operand, 'condition', 1); });
      return;
    case 'call':
      walkOperand(condition.call, 'condition', 0);
      return;
    case 'not':
      walkCondition(condition.operand);
      return;
    case 'and':
    case 'or':
      walkCondition(condition.left);
      walkCondition(condition.right);
  }
}

function walkSetValue(value: SyntaxSetValue): void {
  if (value.kind !== 'arithmetic') {
    walkOperand(value, 'update', 0);
    return;
  }
  walkOperand(value.left, 'update', 1);
  walkOperand(value.right, 'update', 1);
}

export function walkUpdate(sections: readonly SyntaxUpdateSection[]): void {
  const seen = new Set<string>();
  for (const section of sections) {
    for (const action of section.actions) {
      walkPath(action.path);
      if (action.kind === 'SET') walkSetValue(action.value);
    }
    if (seen.has(section.kind)) {
      throw validationError(withDetails(`The "${section.kind}" section can only be used once in an update expression`));
    }
    seen.add(section.kind);
  }
}
