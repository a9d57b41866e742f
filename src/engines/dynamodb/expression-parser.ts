import { tokenize } from './expression-lexer.js';
import { validationError, withDetails } from './validation-error.js';
import type { Token, TokenKind } from './expression-lexer.js';
import type {
  Comparator,
  SyntaxCondition,
  SyntaxFunction,
  SyntaxOperand,
  SyntaxPath,
  SyntaxPathElement,
  SyntaxSetValue,
  SyntaxUpdateAction,
  SyntaxUpdateSection,
  SyntaxValue,
  UpdateSectionKind,
} from './expression-syntax.js';

/**
 * Parses the three expression grammars DynamoDB shares across its operations:
 *
 *   condition  := operand comparator operand | operand IN ( operand, ... )
 *               | operand BETWEEN operand AND operand | function
 *               | ( condition ) | NOT condition | condition AND condition
 *               | condition OR condition            (NOT > AND > OR)
 *   update     := ( SET path = value, ... | REMOVE path, ...
 *               | ADD path :v, ... | DELETE path :v, ... )+
 *   value      := operand | operand (+|-) operand | ( value-with-operator )
 *   projection := path, ...
 *   operand    := path | :value | function | ( operand )
 *   path       := name ( .name | [index] )*
 *
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Syntax
 *
 * A syntax error names the token where parsing could go no further, "near"
 * the text from the token before it to the token after it ("ADD hits : incr"
 * reports token ":" near "hits : incr"); the end of input is the token
 * "<EOF>" and contributes no text. Parentheses around a parenthesised
 * condition, operand or arithmetic are rejected as redundant as soon as the
 * outer one closes, before anything later in the expression is read.
 */

/** Thrown to abandon an alternative; never escapes the parser. */
class Backtrack extends Error {
  static readonly instance = new Backtrack('backtrack');
}

const REDUNDANT_PARENTHESES_MESSAGE = withDetails('The expression has redundant parentheses');
/**
 * Nimbus's own wording. Thousands of nested parentheses fit in DynamoDB's 4 KB expression limit but not in
 * this recursive parser's stack; DynamoDB answers such an expression with a ValidationException naming the
 * expression (ScyllaDB's Alternator suite, test_limits.py test_deeply_nested_expression_*), so Nimbus does
 * too rather than failing the request.
 */
const NESTED_TOO_DEEPLY_MESSAGE = withDetails('The expression is nested too deeply');

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && error.message.includes('call stack');
}

class Parser {
  private position = 0;
  private furthest = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  private get current(): Token {
    return this.tokens[Math.min(this.position, this.tokens.length - 1)];
  }

  private fail(): never {
    this.furthest = Math.max(this.furthest, this.position);
    throw Backtrack.instance;
  }

  private expect(kind: TokenKind): Token {
    const token = this.current;
    if (token.kind !== kind) this.fail();
    this.position += 1;
    return token;
  }

  private accept(kind: TokenKind): boolean {
    if (this.current.kind !== kind) {
      this.furthest = Math.max(this.furthest, this.position);
      return false;
    }
    this.position += 1;
    return true;
  }

  /** Tries an alternative, rewinding when it does not match. */
  private attempt<T>(alternative: () => T): T | undefined {
    const start = this.position;
    try {
      return alternative();
    } catch (error) {
      if (error !== Backtrack.instance) throw error;
      this.position = start;
      return undefined;
    }
  }

  private firstOf<T>(alternatives: readonly (() => T)[]): T {
    for (const alternative of alternatives) {
      const result = this.attempt(alternative);
      if (result !== undefined) return result;
    }
    return this.fail();
  }

  private list<T>(item: () => T): T[] {
    const items = [item()];
    while (this.accept(',')) items.push(item());
    return items;
  }

  /** Runs a whole-input rule and turns a failure into DynamoDB's syntax error. */
  run<T>(rule: () => T): T {
    try {
      const result = rule();
      this.expect('eof');
      return result;
    } catch (error) {
      if (isStackOverflow(error)) throw validationError(NESTED_TOO_DEEPLY_MESSAGE);
      if (error !== Backtrack.instance) throw error;
      throw validationError(this.syntaxErrorMessage(this.furthest));
    }
  }

  private syntaxErrorMessage(index: number): string {
    const token = this.tokens[index];
    const previous = this.tokens[index - 1];
    const next = this.tokens[index + 1];
    const nearEnd = token.kind === 'eof' || next === undefined || next.kind === 'eof' ? this.source.length : next.end;
    const near = this.source.slice(previous?.start ?? 0, nearEnd);
    return withDetails('Syntax error', [['token', `"${token.text}"`], ['near', `"${near}"`]]);
  }

  // ---- paths and operands ----

  private pathElementName(): SyntaxPathElement {
    const token = this.current;
    if (token.kind === 'identifier') {
      this.position += 1;
      return { kind: 'identifier', name: token.text };
    }
    if (token.kind === 'name') {
      this.position += 1;
      return { kind: 'placeholder', name: token.text };
    }
    return this.fail();
  }

  path(): SyntaxPath {
    const elements = [this.pathElementName()];
    for (;;) {
      const dereference = this.attempt((): SyntaxPathElement => {
        if (this.accept('.')) return this.pathElementName();
        this.expect('[');
        const index = this.expect('index');
        this.expect(']');
        return { kind: 'index', text: index.text };
      });
      if (dereference === undefined) return { kind: 'path', elements };
      elements.push(dereference);
    }
  }

  private value(): SyntaxValue {
    return { kind: 'value', placeholder: this.expect('value').text };
  }

  private functionCall(): SyntaxFunction {
    const name = this.expect('identifier').text;
    this.expect('(');
    const args = this.list(() => this.operand());
    this.expect(')');
    return { kind: 'function', name, args };
  }

  /** Returns the operand and whether it was written inside its own parentheses. */
  private operandWithParens(): { operand: SyntaxOperand; parenthesized: boolean } {
    return this.firstOf<{ operand: SyntaxOperand; parenthesized: boolean }>([
      () => ({ operand: this.functionCall(), parenthesized: false }),
      () => ({ operand: this.path(), parenthesized: false }),
      () => ({ operand: this.value(), parenthesized: false }),
      () => {
        this.expect('(');
        const inner = this.operandWithParens();
        this.expect(')');
        if (inner.parenthesized) throw validationError(REDUNDANT_PARENTHESES_MESSAGE);
        return { operand: inner.operand, parenthesized: true };
      },
    ]);
  }

  private operand(): SyntaxOperand {
    return this.operandWithParens().operand;
  }

  // ---- conditions ----

  private comparator(): Comparator {
    const kind = this.current.kind;
    if (kind === '=' || kind === '<>' || kind === '<' || kind === '<=' || kind === '>' || kind === '>=') {
      this.position += 1;
      return kind;
    }
    return this.fail();
  }

  private primaryCondition(): { condition: SyntaxCondition; parenthesized: boolean } {
    return this.firstOf<{ condition: SyntaxCondition; parenthesized: boolean }>([
      () => {
        const left = this.operand();
        const operator = this.comparator();
        return { condition: { kind: 'comparison', operator, left, right: this.operand() }, parenthesized: false };
      },
      () => {
        const target = this.operand();
        this.expect('IN');
        this.expect('(');
        const candidates = this.list(() => this.operand());
        this.expect(')');
        return { condition: { kind: 'in', target, candidates }, parenthesized: false };
      },
      () => {
        const target = this.operand();
        this.expect('BETWEEN');
        const low = this.operand();
        this.expect('AND');
        return { condition: { kind: 'between', target, low, high: this.operand() }, parenthesized: false };
      },
      () => ({ condition: { kind: 'call', call: this.functionCall() }, parenthesized: false }),
      () => {
        this.expect('(');
        const inner = this.orCondition();
        this.expect(')');
        if (inner.parenthesized) throw validationError(REDUNDANT_PARENTHESES_MESSAGE);
        return { condition: inner.condition, parenthesized: true };
      },
      () => {
        this.expect('NOT');
        return { condition: { kind: 'not', operand: this.primaryCondition().condition }, parenthesized: false };
      },
    ]);
  }

  private andCondition(): { condition: SyntaxCondition; parenthesized: boolean } {
    let left = this.primaryCondition();
    while (this.accept('AND')) {
      const right = this.primaryCondition();
      left = { condition: { kind: 'and', left: left.condition, right: right.condition }, parenthesized: false };
    }
    return left;
  }

  private orCondition(): { condition: SyntaxCondition; parenthesized: boolean } {
    let left = this.andCondition();
    while (this.accept('OR')) {
      const right = this.andCondition();
      left = { condition: { kind: 'or', left: left.condition, right: right.condition }, parenthesized: false };
    }
    return left;
  }

  condition(): SyntaxCondition {
    return this.orCondition().condition;
  }

  // ---- updates ----

  private arithmetic(): { value: SyntaxSetValue; parenthesized: boolean } {
    return this.firstOf<{ value: SyntaxSetValue; parenthesized: boolean }>([
      () => {
        const left = this.operand();
        const operator = this.accept('+') ? '+' : this.accept('-') ? '-' : this.fail();
        return { value: { kind: 'arithmetic', operator, left, right: this.operand() }, parenthesized: false };
      },
      () => {
        this.expect('(');
        const inner = this.arithmetic();
        this.expect(')');
        if (inner.parenthesized) throw validationError(REDUNDANT_PARENTHESES_MESSAGE);
        return { value: inner.value, parenthesized: true };
      },
    ]);
  }

  private setValue(): SyntaxSetValue {
    return this.attempt(() => this.arithmetic().value) ?? this.operand();
  }

  private updateAction(kind: UpdateSectionKind): SyntaxUpdateAction {
    const path = this.path();
    switch (kind) {
      case 'SET':
        this.expect('=');
        return { kind, path, value: this.setValue() };
      case 'REMOVE':
        return { kind, path };
      case 'ADD':
      case 'DELETE':
        return { kind, path, value: this.value() };
    }
  }

  private updateSection(): SyntaxUpdateSection {
    const kind = this.current.kind;
    if (kind !== 'SET' && kind !== 'REMOVE' && kind !== 'ADD' && kind !== 'DELETE') return this.fail();
    this.position += 1;
    return { kind, actions: this.list(() => this.updateAction(kind)) };
  }

  update(): SyntaxUpdateSection[] {
    const sections = [this.updateSection()];
    for (;;) {
      const kind = this.current.kind;
      if (kind !== 'SET' && kind !== 'REMOVE' && kind !== 'ADD' && kind !== 'DELETE') {
        this.furthest = Math.max(this.furthest, this.position);
        return sections;
      }
      sections.push(this.updateSection());
    }
  }

  projection(): SyntaxPath[] {
    return this.list(() => this.path());
  }
}

function parserFor(source: string): Parser {
  return new Parser(source, tokenize(source));
}

export function parseConditionSyntax(source: string): SyntaxCondition {
  const parser = parserFor(source);
  return parser.run(() => parser.condition());
}

export function parseUpdateSyntax(source: string): SyntaxUpdateSection[] {
  const parser = parserFor(source);
  return parser.run(() => parser.update());
}

export function parseProjectionSyntax(source: string): SyntaxPath[] {
  const parser = parserFor(source);
  return parser.run(() => parser.projection());
}

/**
 * An ExpressionAttributeNames or ExpressionAttributeValues key must read as a
 * single placeholder token of the right kind.
 */
export function isPlaceholderKey(key: string, kind: 'name' | 'value'): boolean {
  const tokens = tokenize(key);
  return tokens.length === 2 && tokens[0]?.kind === kind;
}
