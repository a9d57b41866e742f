import { invalidFilterPattern } from './filter-pattern-error.js';

/**
 * Reads a double-quoted string starting at its opening quote, for both text-pattern phrases and the values
 * of JSON and space-delimited conditions, which CloudWatch quotes alike. `\"` and `\\` are the escapes it
 * understands (the AWS CDK escapes exactly these two when it renders a quoted term); any other backslash is
 * kept as written. `end` is the index after the closing quote; a missing one is a syntax error.
 */
export function readQuotedText(source: string, start: number): { text: string; end: number } {
  let text = '';
  let index = start + 1;
  while (index < source.length) {
    const char = source.charAt(index);
    if (char === '"') return { text, end: index + 1 };
    if (char === '\\') {
      const next = source.charAt(index + 1);
      if (next === '"' || next === '\\') {
        text += next;
        index += 2;
        continue;
      }
    }
    text += char;
    index += 1;
  }
  throw invalidFilterPattern();
}
