/**
 * Syntax trees of parsed expressions, before placeholders are resolved.
 * Parentheses leave no trace except in the redundancy check the parser makes.
 */

export type SyntaxPathElement =
  /** A bare attribute name, subject to the reserved-word check. */
  | { readonly kind: 'identifier'; readonly name: string }
  /** An expression attribute name such as `#n`. */
  | { readonly kind: 'placeholder'; readonly name: string }
  /** A list index; `text` keeps the digits for the out-of-range message. */
  | { readonly kind: 'index'; readonly text: string };

export interface SyntaxPath {
  readonly kind: 'path';
  readonly elements: readonly SyntaxPathElement[];
}

export interface SyntaxValue {
  readonly kind: 'value';
  readonly placeholder: string;
}

export interface SyntaxFunction {
  readonly kind: 'function';
  readonly name: string;
  readonly args: readonly SyntaxOperand[];
}

export type SyntaxOperand = SyntaxPath | SyntaxValue | SyntaxFunction;

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type SyntaxCondition =
  | { readonly kind: 'comparison'; readonly operator: Comparator; readonly left: SyntaxOperand; readonly right: SyntaxOperand }
  | { readonly kind: 'in'; readonly target: SyntaxOperand; readonly candidates: readonly SyntaxOperand[] }
  | { readonly kind: 'between'; readonly target: SyntaxOperand; readonly low: SyntaxOperand; readonly high: SyntaxOperand }
  | { readonly kind: 'call'; readonly call: SyntaxFunction }
  | { readonly kind: 'not'; readonly operand: SyntaxCondition }
  | { readonly kind: 'and' | 'or'; readonly left: SyntaxCondition; readonly right: SyntaxCondition };

export interface SyntaxArithmetic {
  readonly kind: 'arithmetic';
  readonly operator: '+' | '-';
  readonly left: SyntaxOperand;
  readonly right: SyntaxOperand;
}

export type SyntaxSetValue = SyntaxOperand | SyntaxArithmetic;

export type UpdateSectionKind = 'SET' | 'REMOVE' | 'ADD' | 'DELETE';

export type SyntaxUpdateAction =
  | { readonly kind: 'SET'; readonly path: SyntaxPath; readonly value: SyntaxSetValue }
  | { readonly kind: 'REMOVE'; readonly path: SyntaxPath }
  | { readonly kind: 'ADD' | 'DELETE'; readonly path: SyntaxPath; readonly value: SyntaxValue };

export interface SyntaxUpdateSection {
  readonly kind: UpdateSectionKind;
  readonly actions: readonly SyntaxUpdateAction[];
}
