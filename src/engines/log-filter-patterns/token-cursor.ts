import { invalidFilterPattern } from './filter-pattern-error.js';
import type { ConditionToken } from './condition-lexer.js';

/** Sequential read access to condition tokens; running off the end is a syntax error. */
export class TokenCursor {
  private position = 0;

  constructor(private readonly tokens: readonly ConditionToken[]) {}

  peek(): ConditionToken | undefined {
    return this.tokens[this.position];
  }

  next(): ConditionToken {
    const token = this.tokens[this.position];
    if (token === undefined) throw invalidFilterPattern();
    this.position += 1;
    return token;
  }

  atEnd(): boolean {
    return this.position >= this.tokens.length;
  }

  /** Consumes the next token if it has the given kind. */
  accept(kind: ConditionToken['kind']): boolean {
    if (this.peek()?.kind !== kind) return false;
    this.position += 1;
    return true;
  }

  /** Consumes the next token, which must be a bare word. */
  nextWord(): string {
    const token = this.next();
    if (token.kind !== 'word') throw invalidFilterPattern();
    return token.text;
  }
}
