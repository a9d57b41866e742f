/**
 * Tokens of DynamoDB's expression language, shared by condition, filter, key
 * condition, update and projection expressions.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html
 *
 * The rules follow DynamoDB's grammar as observed in its syntax errors:
 * - identifiers start with a letter and go on with letters, digits and "_"
 *   (so "_hidden" is the unknown token "_" followed by "hidden");
 * - "#" and ":" followed by letters, digits or "_" are name and value
 *   placeholders; alone they are unknown tokens;
 * - a list index is "0" or a digit run without a leading zero ("03" is the
 *   two tokens "0" and "3");
 * - AND, OR, NOT, BETWEEN, IN, SET, ADD, DELETE and REMOVE are keywords in any
 *   case and in every kind of expression, but only as whole words;
 * - spaces, tabs, CR and LF separate tokens; any other character is a token
 *   of its own, which the parser then rejects.
 */
export type TokenKind =
  | ','
  | '('
  | ')'
  | '.'
  | '['
  | ']'
  | '='
  | '<>'
  | '<'
  | '<='
  | '>'
  | '>='
  | '+'
  | '-'
  | 'IN'
  | 'BETWEEN'
  | 'NOT'
  | 'AND'
  | 'OR'
  | 'SET'
  | 'ADD'
  | 'DELETE'
  | 'REMOVE'
  | 'index'
  | 'identifier'
  | 'name'
  | 'value'
  | 'unknown'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** UTF-16 offsets into the expression, end exclusive. */
  readonly start: number;
  readonly end: number;
}

const KEYWORDS = new Map<string, TokenKind>(
  (['IN', 'BETWEEN', 'NOT', 'AND', 'OR', 'SET', 'ADD', 'DELETE', 'REMOVE'] as const).map((keyword) => [keyword, keyword]),
);

const PUNCTUATION = new Map<string, TokenKind>(
  ([',', '(', ')', '.', '[', ']', '=', '+', '-'] as const).map((symbol) => [symbol, symbol]),
);

const WHITESPACE = /[ \t\r\n]/;
const LETTER = /[A-Za-z]/;
const WORD_CHARACTER = /[A-Za-z0-9_]/;

function wordEnd(source: string, from: number): number {
  let end = from;
  while (end < source.length && WORD_CHARACTER.test(source.charAt(end))) end += 1;
  return end;
}

function indexEnd(source: string, start: number): number {
  if (source.charAt(start) === '0') return start + 1;
  let end = start;
  while (end < source.length && /[0-9]/.test(source.charAt(end))) end += 1;
  return end;
}

function comparatorToken(source: string, start: number): { kind: TokenKind; length: number } | undefined {
  const pair = source.slice(start, start + 2);
  if (pair === '<>' || pair === '<=' || pair === '>=') return { kind: pair, length: 2 };
  const single = source.charAt(start);
  if (single === '<' || single === '>') return { kind: single, length: 1 };
  return undefined;
}

/** Splits an expression into tokens, ending with an `eof` token at the end of the text. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const push = (kind: TokenKind, start: number, end: number): void => {
    tokens.push({ kind, text: source.slice(start, end), start, end });
  };
  let position = 0;
  while (position < source.length) {
    const char = source.charAt(position);
    if (WHITESPACE.test(char)) {
      position += 1;
      continue;
    }
    if (LETTER.test(char)) {
      const end = wordEnd(source, position);
      push(KEYWORDS.get(source.slice(position, end).toUpperCase()) ?? 'identifier', position, end);
      position = end;
    } else if ((char === '#' || char === ':') && WORD_CHARACTER.test(source.charAt(position + 1))) {
      const end = wordEnd(source, position + 1);
      push(char === '#' ? 'name' : 'value', position, end);
      position = end;
    } else if (/[0-9]/.test(char)) {
      const end = indexEnd(source, position);
      push('index', position, end);
      position = end;
    } else {
      const comparator = comparatorToken(source, position);
      const punctuation = PUNCTUATION.get(char);
      // Characters outside the BMP are one unknown token, not two halves.
      const length = comparator?.length ?? (punctuation === undefined ? String.fromCodePoint(source.codePointAt(position) ?? 0).length : 1);
      push(comparator?.kind ?? punctuation ?? 'unknown', position, position + length);
      position += length;
    }
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: source.length, end: source.length });
  return tokens;
}
