import { parseAslPath } from './path-query.js';
import type { AslPath } from './path-query.js';

/**
 * Intrinsic function invocations such as
 * States.Format('Hello \\{{}\\}', $.name, States.ArrayLength($$.Execution.Input.list)).
 * Arguments are string literals in apostrophes (with the escapes \' \{ \} \\),
 * numbers, booleans, null, paths and nested invocations
 * (https://states-language.net/spec.html#intrinsic-functions).
 */
export type IntrinsicArgument =
  | { readonly kind: 'string'; readonly value: string; readonly raw: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'path'; readonly path: AslPath }
  | { readonly kind: 'call'; readonly call: IntrinsicCall };

export interface IntrinsicCall {
  readonly name: string;
  readonly args: readonly IntrinsicArgument[];
}

/** AWS allows up to 10 nested intrinsic functions within a field. */
const MAX_INTRINSIC_NESTING = 10;

export class IntrinsicSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntrinsicSyntaxError';
  }
}

export function parseIntrinsic(text: string): IntrinsicCall {
  const parser = new IntrinsicParser(text);
  const call = parser.parseCall(1);
  parser.skipSpaces();
  if (!parser.atEnd()) parser.fail('Unexpected text after the closing parenthesis');
  return call;
}

class IntrinsicParser {
  private position = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  fail(message: string): never {
    throw new IntrinsicSyntaxError(`${message} at position ${this.position} in ${this.text}`);
  }

  skipSpaces(): void {
    while (/\s/.test(this.text[this.position] ?? '')) this.position++;
  }

  parseCall(depth: number): IntrinsicCall {
    if (depth > MAX_INTRINSIC_NESTING) this.fail(`More than ${MAX_INTRINSIC_NESTING} nested intrinsic functions`);
    const name = /^[A-Za-z0-9._]+/.exec(this.text.slice(this.position))?.[0];
    if (name === undefined) this.fail('Expected an intrinsic function name');
    this.position += name.length;
    if (this.text[this.position] !== '(') this.fail("Expected '('");
    this.position++;
    const args: IntrinsicArgument[] = [];
    this.skipSpaces();
    if (this.text[this.position] === ')') {
      this.position++;
      return { name, args };
    }
    for (;;) {
      this.skipSpaces();
      args.push(this.parseArgument(depth));
      this.skipSpaces();
      const separator = this.text[this.position];
      this.position++;
      if (separator === ')') return { name, args };
      if (separator !== ',') this.fail("Expected ',' or ')'");
    }
  }

  private parseArgument(depth: number): IntrinsicArgument {
    const rest = this.text.slice(this.position);
    const char = rest[0] ?? '';
    if (char === "'") return this.parseString();
    if (char === '$') return { kind: 'path', path: this.parsePath() };
    const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?(?=\s*[,)])/.exec(rest);
    if (number !== null) {
      this.position += number[0].length;
      return { kind: 'number', value: Number(number[0]) };
    }
    const keyword = /^(null|true|false)(?=\s*[,)])/.exec(rest);
    if (keyword !== null) {
      this.position += keyword[0].length;
      if (keyword[0] === 'null') return { kind: 'null' };
      return { kind: 'boolean', value: keyword[0] === 'true' };
    }
    if (/^[A-Za-z0-9._]+\(/.test(rest)) return { kind: 'call', call: this.parseCall(depth + 1) };
    return this.fail('Expected an argument');
  }

  /** Reads a quoted literal; `raw` keeps the escapes so States.Format can tell \{ from a placeholder. */
  private parseString(): IntrinsicArgument {
    this.position++;
    let value = '';
    let raw = '';
    for (;;) {
      const char = this.text[this.position];
      if (char === undefined) this.fail('Unterminated string literal');
      if (char === "'") break;
      if (char === '\\') {
        const escaped = this.text[this.position + 1];
        if (escaped !== "'" && escaped !== '{' && escaped !== '}' && escaped !== '\\') this.fail('Open escape backslash');
        value += escaped;
        raw += `\\${escaped}`;
        this.position += 2;
        continue;
      }
      value += char;
      raw += char;
      this.position++;
    }
    this.position++;
    return { kind: 'string', value, raw };
  }

  /** A path argument runs to the next top-level ',' or ')', outside brackets and quotes. */
  private parsePath(): AslPath {
    const start = this.position;
    let depth = 0;
    let quote: string | undefined;
    while (!this.atEnd()) {
      const char = this.text[this.position];
      if (quote !== undefined) {
        if (char === '\\') this.position++;
        else if (char === quote) quote = undefined;
      } else if (char === "'" || char === '"') {
        quote = char;
      } else if (char === '[' || char === '(') {
        depth++;
      } else if (char === ']' || char === ')') {
        if (depth === 0) break;
        depth--;
      } else if (char === ',' && depth === 0) {
        break;
      }
      this.position++;
    }
    const text = this.text.slice(start, this.position).trimEnd();
    try {
      return parseAslPath(text);
    } catch (error) {
      return this.fail(error instanceof Error ? error.message : `Invalid path ${text}`);
    }
  }
}
