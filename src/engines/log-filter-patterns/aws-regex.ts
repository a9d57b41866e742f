import { invalidCharactersInTerm, invalidFilterPattern } from './filter-pattern-error.js';

/**
 * The regex dialect CloudWatch Logs accepts between `%…%`, translated to a
 * JavaScript RegExp.
 *
 * AWS documents a deliberately small dialect ("Supported regular expressions
 * (regex) syntax",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#regex-expressions):
 * letters, digits, the symbols `: _ # = @ / ; , -`, the operators
 * `^ $ ? [ ] { } | \ * + .`, the escapes `\d \D \s \S \w \W \xhh`, and no
 * parentheses at all (`\x28` is the documented way to match "("). Anything else
 * is rejected, so `%something!%` is invalid. The page's own examples put a
 * space inside a regex (`%^shutting down%`), so a plain space is accepted too.
 */

const REGEX_SYMBOLS = new Set([':', '_', '#', '=', '@', '/', ';', ',', '-', ' ']);
const REGEX_OPERATORS = new Set(['^', '$', '?', '[', ']', '{', '}', '|', '\\', '*', '+', '.']);
const CLASS_ESCAPES = new Set(['d', 'D', 's', 'S', 'w', 'W']);
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;
const ALPHANUMERIC = /^[A-Za-z0-9]$/;
/** `{m,n}`, `{m,}`, `{,n}`, `{m}`; AWS writes `{m, n}` with a space, so spaces are tolerated. */
const QUANTIFIER = /^\{ *(\d*) *(,?) *(\d*) *\}/;

function isAllowedLiteral(char: string): boolean {
  return ALPHANUMERIC.test(char) || REGEX_SYMBOLS.has(char);
}

function checkCharacter(char: string): void {
  if (!isAllowedLiteral(char) && !REGEX_OPERATORS.has(char)) {
    throw invalidCharactersInTerm(char);
  }
}

/** Translates one backslash escape starting at `body[index]`; returns the JS text and its length. */
function translateEscape(body: string, index: number): { source: string; length: number } {
  const escaped = body.charAt(index + 1);
  if (escaped === '') throw invalidFilterPattern();
  if (CLASS_ESCAPES.has(escaped)) return { source: `\\${escaped}`, length: 2 };
  if (escaped === 'x') {
    const hex = body.slice(index + 2, index + 4);
    if (!HEX_PAIR.test(hex)) throw invalidFilterPattern();
    return { source: `\\x${hex}`, length: 4 };
  }
  // Escaping an operator or symbol gives its literal meaning. Other escapes
  // (\b, \n, \1, …) are not part of the documented dialect.
  checkCharacter(escaped);
  if (ALPHANUMERIC.test(escaped)) throw invalidFilterPattern();
  return { source: `\\${escaped}`, length: 2 };
}

/**
 * Translates a `{…}` quantifier. JavaScript reads `{,n}` and `{m, n}` as
 * literal text, whereas AWS documents that either bound may be omitted.
 */
function translateQuantifier(body: string, index: number): { source: string; length: number } {
  const match = QUANTIFIER.exec(body.slice(index));
  if (match === null) throw invalidFilterPattern();
  const [whole, min = '', comma = '', max = ''] = match;
  if (min === '' && max === '') throw invalidFilterPattern();
  if (comma === '') return { source: `{${min}}`, length: whole.length };
  return { source: `{${min === '' ? '0' : min},${max}}`, length: whole.length };
}

/** Validates an AWS regex body (the text between the `%` signs) and builds the equivalent RegExp. */
export function compileAwsRegex(body: string): RegExp {
  if (body === '') throw invalidFilterPattern();
  let source = '';
  let insideClass = false;
  let index = 0;
  while (index < body.length) {
    const char = body.charAt(index);
    if (char === '\\') {
      const escape = translateEscape(body, index);
      source += escape.source;
      index += escape.length;
      continue;
    }
    checkCharacter(char);
    if (insideClass) {
      if (char === ']') insideClass = false;
      source += char;
      index += 1;
      continue;
    }
    if (char === '[') {
      insideClass = true;
      source += char;
      // A leading ']' (or '^]') is a literal member of the class, as in POSIX.
      const next = body.slice(index + 1, index + 3);
      if (next.startsWith(']')) {
        source += '\\]';
        index += 2;
        continue;
      }
      if (next === '^]') {
        source += '^\\]';
        index += 3;
        continue;
      }
      index += 1;
      continue;
    }
    if (char === '{') {
      const quantifier = translateQuantifier(body, index);
      source += quantifier.source;
      index += quantifier.length;
      continue;
    }
    if (char === '}' || char === ']') throw invalidFilterPattern();
    source += char;
    index += 1;
  }
  if (insideClass) throw invalidFilterPattern();
  try {
    // 's': AWS documents '.' as "any single character", newlines included.
    return new RegExp(source, 's');
  } catch (cause) {
    if (cause instanceof SyntaxError) throw invalidFilterPattern();
    throw cause;
  }
}

/** Text between `%` signs; `null` when `text` is not a `%…%` literal. */
export function regexBodyOf(text: string): string | null {
  if (text.length >= 2 && text.startsWith('%') && text.endsWith('%')) return text.slice(1, -1);
  return null;
}
