import { invalidFilterPattern } from './filter-pattern-error.js';
import type { TokenCursor } from './token-cursor.js';

/**
 * `&&` / `||` trees over conditions. JSON and space-delimited patterns use the
 * same rules: "Compound expressions support the use of parentheses and the
 * following standard order of operations: () > && > ||"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-terms-json-log-events).
 */
export type BooleanExpression<Leaf> =
  | { readonly kind: 'leaf'; readonly leaf: Leaf }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly BooleanExpression<Leaf>[] };

type LeafParser<Leaf> = (cursor: TokenCursor) => Leaf;

function parsePrimary<Leaf>(cursor: TokenCursor, parseLeaf: LeafParser<Leaf>): BooleanExpression<Leaf> {
  if (cursor.accept('open')) {
    const inner = parseDisjunction(cursor, parseLeaf);
    if (!cursor.accept('close')) throw invalidFilterPattern();
    return inner;
  }
  return { kind: 'leaf', leaf: parseLeaf(cursor) };
}

function parseConjunction<Leaf>(cursor: TokenCursor, parseLeaf: LeafParser<Leaf>): BooleanExpression<Leaf> {
  const operands = [parsePrimary(cursor, parseLeaf)];
  while (cursor.accept('and')) operands.push(parsePrimary(cursor, parseLeaf));
  const [only] = operands;
  return operands.length === 1 && only !== undefined ? only : { kind: 'and', operands };
}

function parseDisjunction<Leaf>(cursor: TokenCursor, parseLeaf: LeafParser<Leaf>): BooleanExpression<Leaf> {
  const operands = [parseConjunction(cursor, parseLeaf)];
  while (cursor.accept('or')) operands.push(parseConjunction(cursor, parseLeaf));
  const [only] = operands;
  return operands.length === 1 && only !== undefined ? only : { kind: 'or', operands };
}

/** Parses a whole expression; every token of the cursor must be used. */
export function parseBooleanExpression<Leaf>(
  cursor: TokenCursor,
  parseLeaf: LeafParser<Leaf>,
): BooleanExpression<Leaf> {
  const expression = parseDisjunction(cursor, parseLeaf);
  if (!cursor.atEnd()) throw invalidFilterPattern();
  return expression;
}

export function evaluateBooleanExpression<Leaf>(
  expression: BooleanExpression<Leaf>,
  test: (leaf: Leaf) => boolean,
): boolean {
  switch (expression.kind) {
    case 'leaf':
      return test(expression.leaf);
    case 'and':
      return expression.operands.every((operand) => evaluateBooleanExpression(operand, test));
    case 'or':
      return expression.operands.some((operand) => evaluateBooleanExpression(operand, test));
  }
}

export function leavesOf<Leaf>(expression: BooleanExpression<Leaf>): Leaf[] {
  if (expression.kind === 'leaf') return [expression.leaf];
  return expression.operands.flatMap((operand) => leavesOf(operand));
}
