import { pathsEqual, formatPath } from './document-path.js';
import { validationError, withDetails } from './validation-error.js';
import type { AttributeType } from './attribute-value.js';
import type { DocumentPath } from './document-path.js';

/**
 * The checks DynamoDB applies to each operator and function once its
 * operands are resolved, in its order: operand count, operand types, a first
 * operand repeated later, then the operator's own rules.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 */

/** The types an operand may produce; `'any'` for a document path. */
export type PossibleTypes = readonly AttributeType[] | 'any';

/**
 * How DynamoDB lists "any type" in an operand-type message; the order is its
 * own (a hash set's), observed from the service.
 */
const ANY_TYPE_SYMBOLS = '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}';

export const ORDERED_TYPES: readonly AttributeType[] = ['S', 'N', 'B'];
export const ITERABLE_TYPES: readonly AttributeType[] = ['S', 'B', 'SS', 'NS', 'BS', 'L', 'M'];

function typeSymbols(types: PossibleTypes): string {
  if (types === 'any') return ANY_TYPE_SYMBOLS;
  return types.length === 1 ? (types[0] ?? '') : `{${types.join(',')}}`;
}

export function checkOperandCount(operator: string, count: number, expected: number): void {
  if (count !== expected) {
    throw validationError(
      withDetails('Incorrect number of operands for operator or function', [['operator or function', operator], ['number of operands', count]]),
    );
  }
}

export function operandTypeError(operator: string, types: PossibleTypes): Error {
  return validationError(
    withDetails('Incorrect operand type for operator or function', [['operator or function', operator], ['operand type', typeSymbols(types)]]),
  );
}

/** Every operand must be able to produce one of the allowed types. */
export function checkOperandTypes(operator: string, operands: readonly PossibleTypes[], allowed: PossibleTypes): void {
  if (allowed === 'any') return;
  for (const types of operands) {
    if (types !== 'any' && !types.some((type) => allowed.includes(type))) throw operandTypeError(operator, types);
  }
}

/** "a = a", "contains(a, a)": a path may not be compared with itself. */
export function checkDistinct(operator: string, paths: readonly (DocumentPath | undefined)[]): void {
  const [first, ...rest] = paths;
  if (first === undefined) return;
  if (rest.some((path) => path !== undefined && pathsEqual(first, path))) {
    throw validationError(
      withDetails('The first operand must be distinct from the remaining operands for this operator or function', [
        ['operator', operator],
        ['first operand', formatPath(first)],
      ]),
    );
  }
}

export function requiresPathError(operator: string): Error {
  return validationError(withDetails('Operator or function requires a document path', [['operator or function', operator]]));
}

/** DynamoDB's limit on the operators and functions in one expression. */
const MAX_OPERATORS = 300;

export class OperatorCounter {
  private count = 0;

  increment(): void {
    this.count += 1;
    if (this.count > MAX_OPERATORS) {
      throw validationError(withDetails('The expression contains too many operators', [['operator count', this.count]]));
    }
  }
}
