import { invalidCharactersInTerm, invalidFilterPattern } from './filter-pattern-error.js';
import { readQuotedText } from './quoted-text.js';
import type { ComparisonOperator } from './value-comparison.js';

/**
 * Tokens of the condition language shared by JSON patterns (`{ … }`) and
 * space-delimited patterns (`[ … ]`): selectors or field names, comparison
 * operators, values, `&&`, `||`, parentheses and commas.
 */
export type ConditionToken =
  /** A bare run of characters: a selector, field name, keyword or unquoted value. */
  | { readonly kind: 'word'; readonly text: string }
  /** A double-quoted value with its escapes resolved. */
  | { readonly kind: 'quoted'; readonly text: string }
  /** A `%…%` regex; `body` is the text between the percent signs. */
  | { readonly kind: 'regex'; readonly body: string }
  | { readonly kind: 'operator'; readonly operator: ComparisonOperator }
  | { readonly kind: 'and' }
  | { readonly kind: 'or' }
  | { readonly kind: 'open' }
  | { readonly kind: 'close' }
  | { readonly kind: 'comma' };

const WHITESPACE = /\s/;
/** Characters that end a bare word because they start another token. */
const WORD_TERMINATORS = new Set(['(', ')', ',', '=', '!', '<', '>', '&', '|', '"', '%']);

function isWordCharacter(char: string): boolean {
  return !WHITESPACE.test(char) && !WORD_TERMINATORS.has(char);
}

/**
 * Reads a bare word. `['…']` is consumed whole, because AWS selects a JSON
 * key that contains a period with `$.['cluster.name']`.
 */
function readWord(source: string, start: number): { text: string; end: number } {
  let index = start;
  while (index < source.length) {
    const char = source.charAt(index);
    if (char === '[' && source.charAt(index + 1) === "'") {
      const closing = source.indexOf("']", index + 2);
      if (closing === -1) throw invalidFilterPattern();
      index = closing + 2;
      continue;
    }
    if (!isWordCharacter(char)) break;
    index += 1;
  }
  // A quote glued to a word (`$."sc-status"`) is rejected by CloudWatch with
  // the word so far plus the quote: "Invalid character(s) in term '$."'".
  if (source.charAt(index) === '"') {
    throw invalidCharactersInTerm(source.slice(start, index + 1));
  }
  return { text: source.slice(start, index), end: index };
}

function readOperator(source: string, index: number): { token: ConditionToken; end: number } {
  const char = source.charAt(index);
  const next = source.charAt(index + 1);
  switch (char) {
    case '=':
      return { token: { kind: 'operator', operator: '=' }, end: index + 1 };
    case '!':
      if (next === '=') return { token: { kind: 'operator', operator: '!=' }, end: index + 2 };
      break;
    case '<':
    case '>': {
      if (next === '=') {
        const operator = char === '<' ? '<=' : '>=';
        return { token: { kind: 'operator', operator }, end: index + 2 };
      }
      return { token: { kind: 'operator', operator: char }, end: index + 1 };
    }
    case '&':
      if (next === '&') return { token: { kind: 'and' }, end: index + 2 };
      break;
    case '|':
      if (next === '|') return { token: { kind: 'or' }, end: index + 2 };
      break;
  }
  throw invalidFilterPattern();
}

/** Splits the inside of a JSON or space-delimited pattern into tokens. */
export function tokenizeConditions(source: string): ConditionToken[] {
  const tokens: ConditionToken[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source.charAt(index);
    if (WHITESPACE.test(char)) {
      index += 1;
    } else if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: char === '(' ? 'open' : char === ')' ? 'close' : 'comma' });
      index += 1;
    } else if (char === '"') {
      const quoted = readQuotedText(source, index);
      tokens.push({ kind: 'quoted', text: quoted.text });
      index = quoted.end;
    } else if (char === '%') {
      const closing = source.indexOf('%', index + 1);
      if (closing === -1) throw invalidFilterPattern();
      tokens.push({ kind: 'regex', body: source.slice(index + 1, closing) });
      index = closing + 1;
    } else if (isWordCharacter(char)) {
      const word = readWord(source, index);
      tokens.push({ kind: 'word', text: word.text });
      index = word.end;
    } else {
      const operator = readOperator(source, index);
      tokens.push(operator.token);
      index = operator.end;
    }
  }
  return tokens;
}
