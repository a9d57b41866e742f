import { invalidCharactersInTerm } from './filter-pattern-error.js';
import type { FilterMatcher } from './filter-matcher.js';
import { readQuotedText } from './quoted-text.js';

/**
 * Patterns for unstructured log events: terms, "quoted phrases", `?optional`
 * terms and `-excluded` terms.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-terms-unstructured-log-events
 *
 * - Matching is case sensitive and a term matches anywhere in the message
 *   (AWS's `ERROR` example matches "Exiting with ERRORCODE: -1").
 * - Every plain term must appear (AND); every `-term` must not.
 * - `?term`s match when any one of them appears (OR) — but only when the
 *   pattern has nothing else: "If you combine "?" with other filter patterns,
 *   all question mark terms will be ignored", so `?ERROR ?ARGUMENTS REQUEST`
 *   behaves as `REQUEST`.
 * - Terms holding anything but letters, digits and `_` must be quoted.
 * - `" "` "match[es] everything": a phrase of only whitespace is always true.
 */
type TermRole = 'required' | 'excluded' | 'optional';

interface TextTerm {
  readonly role: TermRole;
  readonly text: string;
}

/** Letters (any script), digits and underscore may appear unquoted. */
const BARE_TERM_CHARACTER = /^[\p{L}\p{N}_]$/u;
const WHITESPACE = /\s/;

function roleOfPrefix(char: string): TermRole {
  if (char === '?') return 'optional';
  if (char === '-') return 'excluded';
  return 'required';
}

function readQuotedPhrase(pattern: string, start: number): { text: string; end: number } {
  const phrase = readQuotedText(pattern, start);
  // CloudWatch answers `""` with "Invalid character(s) in term '""'"
  // (https://github.com/DefangLabs/defang/issues/1008).
  if (phrase.end === start + 2) throw invalidCharactersInTerm('""');
  return phrase;
}

function readBareTerm(pattern: string, start: number): { text: string; end: number } {
  let index = start;
  while (index < pattern.length && !WHITESPACE.test(pattern.charAt(index))) {
    const char = pattern.charAt(index);
    if (!BARE_TERM_CHARACTER.test(char)) throw invalidCharactersInTerm(char);
    index += 1;
  }
  return { text: pattern.slice(start, index), end: index };
}

function skipWhitespace(pattern: string, index: number): number {
  let position = index;
  while (position < pattern.length && WHITESPACE.test(pattern.charAt(position))) position += 1;
  return position;
}

export function tokenizeTextPattern(pattern: string): TextTerm[] {
  const terms: TextTerm[] = [];
  let index = skipWhitespace(pattern, 0);
  while (index < pattern.length) {
    const prefix = pattern.charAt(index);
    const role = roleOfPrefix(prefix);
    if (role !== 'required') {
      index += 1;
      // An older revision of the AWS page writes the exclusion as
      // `"ERROR" - "Exiting"`, so a space may follow the minus sign.
      if (role === 'excluded') index = skipWhitespace(pattern, index);
      const following = pattern.charAt(index);
      if (following === '' || WHITESPACE.test(following)) throw invalidCharactersInTerm(prefix);
    }
    const term = pattern.charAt(index) === '"' ? readQuotedPhrase(pattern, index) : readBareTerm(pattern, index);
    terms.push({ role, text: term.text });
    index = skipWhitespace(pattern, term.end);
  }
  return terms;
}

function appearsIn(message: string, term: TextTerm): boolean {
  return term.text.trim() === '' || message.includes(term.text);
}

/** Compiles a pattern that is neither JSON, space-delimited nor a standalone regex. */
export function compileTextPattern(pattern: string): FilterMatcher {
  const terms = tokenizeTextPattern(pattern);
  const required = terms.filter((term) => term.role === 'required');
  const excluded = terms.filter((term) => term.role === 'excluded');
  const optional = terms.filter((term) => term.role === 'optional');
  if (required.length > 0 || excluded.length > 0) {
    return {
      matches: (message) =>
        required.every((term) => appearsIn(message, term)) &&
        !excluded.some((term) => appearsIn(message, term)),
    };
  }
  return { matches: (message) => optional.some((term) => appearsIn(message, term)) };
}
