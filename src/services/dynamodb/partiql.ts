/**
 * PartiQL for DynamoDB, parsed and translated into the expression language the engine already checks and
 * evaluates: attribute names become #name placeholders, literals and `?` parameters :value placeholders.
 *
 *   SELECT * | path[, ...] FROM table | "table"."index" [WHERE condition] [ORDER BY key [ASC|DESC]]
 *   INSERT INTO table VALUE {'name': value, ...}
 *   UPDATE table SET path = value | REMOVE path [...] WHERE condition [RETURNING (ALL|MODIFIED) (OLD|NEW) *]
 *   DELETE FROM table WHERE condition [RETURNING ALL OLD *]
 *   EXISTS(SELECT * FROM table WHERE condition)      (ExecuteTransaction only)
 *
 * Conditions take =, <>, !=, <, <=, >, >=, BETWEEN, IN [...], AND, OR, NOT, IS [NOT] MISSING, IS [NOT] NULL
 * (and the other IS types), begins_with, contains, attribute_type and size, over nested paths and list
 * indexes. SET values take + and -, list_append, if_not_exists, set_add and set_delete.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.html
 * Messages are DynamoDB's PartiQL ValidationException texts.
 */
import type { PathElement } from '../../engines/dynamodb/index.js';
import type { AttributeValue } from '../../generated/dynamodb.js';
import type { ServiceError } from '../../shared/errors.js';
import { validation } from './tables.js';

export interface Translated {
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
}

/** The values a WHERE clause pins each top-level attribute to (`a = v` or `a IN [v, ...]` under AND). */
export type KeyTerms = Map<string, AttributeValue[]>;

/** A value SELECT names by a nested path: answered as the attribute `name`, not nested as stored. */
export interface SelectedPath {
  name: string;
  path: PathElement[];
}

export type Returning = 'ALL_OLD' | 'ALL_NEW' | 'UPDATED_OLD' | 'UPDATED_NEW';

export type Statement =
  | (Translated & {
      kind: 'select';
      table: string;
      index?: string;
      projection?: string;
      /** Set when a selected path is nested: what each selected value is answered as. */
      outputs?: SelectedPath[];
      where?: string;
      terms: KeyTerms;
      orderBy?: { name: string; descending: boolean };
    })
  | { kind: 'insert'; table: string; item: Record<string, AttributeValue> }
  | (Translated & { kind: 'update'; table: string; update: string; where: string; terms: KeyTerms; returning?: Returning })
  | (Translated & { kind: 'delete'; table: string; where: string; terms: KeyTerms; returning?: 'ALL_OLD' })
  | (Translated & { kind: 'exists'; table: string; where: string; terms: KeyTerms });

type TokenKind = 'string' | 'quoted' | 'number' | 'word' | 'param' | 'symbol' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
}

const SYMBOLS = ['<<', '>>', '<=', '>=', '<>', '!=', '=', '<', '>', '(', ')', '[', ']', '{', '}', ',', '.', ':', '+', '-', '*'];
const COMPARATORS = new Set(['=', '<>', '!=', '<', '<=', '>', '>=']);
/** IS <type>: the PartiQL type names and the DynamoDB type each stands for. */
const IS_TYPES: Record<string, string> = { NULL: 'NULL', BOOLEAN: 'BOOL', BLOB: 'B', STRING: 'S', NUMERIC: 'N', STRUCT: 'M', TUPLE: 'M', LIST: 'L' };
const CONDITION_FUNCTIONS = new Set(['begins_with', 'contains', 'attribute_type']);

export function syntaxError(detail: string): ServiceError {
  return validation(`Statement wasn't well formed, can't be processed: ${detail}`);
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i];
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === "'" || char === '"') {
      let text = '';
      i += 1;
      for (;;) {
        if (i >= source.length) throw syntaxError('unterminated quoted text');
        if (source[i] === char && source[i + 1] === char) {
          text += char;
          i += 2;
        } else if (source[i] === char) {
          i += 1;
          break;
        } else {
          text += source[i];
          i += 1;
        }
      }
      tokens.push({ kind: char === "'" ? 'string' : 'quoted', text });
    } else if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const match = /^([0-9]*\.?[0-9]+|[0-9]+\.)([eE][+-]?[0-9]+)?/.exec(source.slice(i))!;
      tokens.push({ kind: 'number', text: match[0] });
      i += match[0].length;
    } else if (/[A-Za-z_$]/.test(char)) {
      const match = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(i))!;
      tokens.push({ kind: 'word', text: match[0] });
      i += match[0].length;
    } else if (char === '?') {
      tokens.push({ kind: 'param', text: '?' });
      i += 1;
    } else {
      const symbol = SYMBOLS.find((s) => source.startsWith(s, i));
      if (symbol === undefined) throw syntaxError(`unexpected character ${char}`);
      tokens.push({ kind: 'symbol', text: symbol });
      i += symbol.length;
    }
  }
  tokens.push({ kind: 'end', text: '<EOF>' });
  return tokens;
}

/** A condition rendered as expression text, with the key terms it pins when it is a conjunction. */
interface Rendered {
  text: string;
  terms: KeyTerms;
}

interface Operand {
  text: string;
  /** A path's steps: attribute and map-key names, list indexes. */
  steps?: PathElement[];
  /** Set for a path that is one top-level attribute name. */
  attribute?: string;
  /** Set for a literal or parameter. */
  value?: AttributeValue;
  isPath: boolean;
}

const noTerms = (): KeyTerms => new Map();

class Parser implements Translated {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  private position = 0;
  private parameter = 0;
  private readonly nameKeys = new Map<string, string>();

  constructor(
    private readonly tokens: Token[],
    private readonly parameters: readonly AttributeValue[],
  ) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)];
  }

  isWord(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'word' && token.text.toUpperCase() === word;
  }

  isSymbol(symbol: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'symbol' && token.text === symbol;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind === 'end') throw syntaxError('unexpected end of statement');
    this.position += 1;
    return token;
  }

  expectWord(word: string): void {
    if (!this.isWord(word)) throw syntaxError(`expected ${word} but found ${this.peek().text}`);
    this.position += 1;
  }

  expectSymbol(symbol: string): void {
    if (!this.isSymbol(symbol)) throw syntaxError(`expected ${symbol} but found ${this.peek().text}`);
    this.position += 1;
  }

  acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.position += 1;
    return true;
  }

  acceptSymbol(symbol: string): boolean {
    if (!this.isSymbol(symbol)) return false;
    this.position += 1;
    return true;
  }

  atEnd(): boolean {
    return this.peek().kind === 'end';
  }

  /** Every `?` must have a parameter and every parameter a `?`. */
  checkParameters(): void {
    if (this.parameter !== this.parameters.length) throw validation("Number of parameters in request and statement don't match.");
  }

  private name(text: string): string {
    let key = this.nameKeys.get(text);
    if (key === undefined) {
      key = `#n${String(this.nameKeys.size)}`;
      this.nameKeys.set(text, key);
      this.names[key] = text;
    }
    return key;
  }

  placeholder(value: AttributeValue): string {
    const key = `:v${String(Object.keys(this.values).length)}`;
    this.values[key] = value;
    return key;
  }

  identifier(): string {
    const token = this.next();
    if (token.kind !== 'word' && token.kind !== 'quoted') throw syntaxError(`expected an identifier but found ${token.text}`);
    return token.text;
  }

  /** A document path: an attribute, then `.name` and `[index]` steps. */
  path(): Operand {
    const head = this.identifier();
    let text = this.name(head);
    const steps: PathElement[] = [head];
    for (;;) {
      if (this.acceptSymbol('.')) {
        const name = this.identifier();
        text += `.${this.name(name)}`;
        steps.push(name);
      } else if (this.isSymbol('[')) {
        this.next();
        const index = this.next();
        if (index.kind !== 'number' || !/^[0-9]+$/.test(index.text)) throw syntaxError(`expected a list index but found ${index.text}`);
        this.expectSymbol(']');
        text += `[${index.text}]`;
        steps.push(Number(index.text));
      } else {
        break;
      }
    }
    return { text, steps, isPath: true, ...(steps.length === 1 ? { attribute: head } : {}) };
  }

  private parameterValue(): AttributeValue {
    const value = this.parameters[this.parameter];
    if (value === undefined) throw validation("Number of parameters in request and statement don't match.");
    this.parameter += 1;
    return value;
  }

  /** A literal or `?`: strings, numbers, booleans, NULL, {tuples}, [lists] and <<sets>>. */
  value(): AttributeValue {
    const token = this.next();
    if (token.kind === 'param') return this.parameterValue();
    if (token.kind === 'string') return { S: token.text };
    if (token.kind === 'number') return { N: token.text };
    if (token.kind === 'symbol' && token.text === '-' && this.peek().kind === 'number') return { N: `-${this.next().text}` };
    if (token.kind === 'word' && ['TRUE', 'FALSE'].includes(token.text.toUpperCase())) return { BOOL: token.text.toUpperCase() === 'TRUE' };
    if (token.kind === 'word' && token.text.toUpperCase() === 'NULL') return { NULL: true };
    if (token.kind === 'symbol' && token.text === '{') return { M: this.tuple() };
    if (token.kind === 'symbol' && token.text === '[') return { L: this.sequence(']') };
    if (token.kind === 'symbol' && token.text === '<<') return setOf(this.sequence('>>'));
    throw syntaxError(`unexpected token ${token.text}`);
  }

  private tuple(): Record<string, AttributeValue> {
    const map: Record<string, AttributeValue> = {};
    while (!this.acceptSymbol('}')) {
      const key = this.next();
      if (key.kind !== 'string' && key.kind !== 'quoted' && key.kind !== 'param') throw syntaxError(`expected a tuple key but found ${key.text}`);
      const name = key.kind === 'param' ? this.parameterValue().S : key.text;
      if (name === undefined) throw validation('Tuple keys must be of type String. Actual type: non-string under tuple');
      if (name in map) throw validation(`Duplicate keys in tuple. Key: ${name} under tuple`);
      this.expectSymbol(':');
      map[name] = this.value();
      if (!this.isSymbol('}')) this.expectSymbol(',');
    }
    return map;
  }

  private sequence(close: string): AttributeValue[] {
    const items: AttributeValue[] = [];
    while (!this.acceptSymbol(close)) {
      items.push(this.value());
      if (!this.isSymbol(close)) this.expectSymbol(',');
    }
    return items;
  }

  private startsValue(): boolean {
    const token = this.peek();
    if (token.kind === 'string' || token.kind === 'number' || token.kind === 'param') return true;
    if (token.kind === 'word') return ['TRUE', 'FALSE', 'NULL'].includes(token.text.toUpperCase());
    return token.kind === 'symbol' && ['{', '[', '<<', '-'].includes(token.text);
  }

  /** A condition operand: a path, a literal or parameter, or size(path). */
  operand(): Operand {
    if (this.isWord('MISSING')) throw validation('MISSING must be compared using IS operator');
    if (this.startsValue()) {
      const value = this.value();
      return { text: this.placeholder(value), value, isPath: false };
    }
    if (this.peek().kind === 'word' && this.peek().text.toLowerCase() === 'size' && this.isSymbol('(', 1)) {
      this.next();
      this.next();
      const path = this.path();
      this.expectSymbol(')');
      return { text: `size(${path.text})`, isPath: false };
    }
    return this.path();
  }

  condition(): Rendered {
    let left = this.conjunction();
    while (this.acceptWord('OR')) {
      const right = this.conjunction();
      left = { text: `${left.text} OR ${right.text}`, terms: noTerms() };
    }
    return left;
  }

  private conjunction(): Rendered {
    let left = this.negation();
    while (this.acceptWord('AND')) {
      const right = this.negation();
      const terms = new Map(left.terms);
      for (const [name, values] of right.terms) terms.set(name, [...(terms.get(name) ?? []), ...values]);
      left = { text: `${left.text} AND ${right.text}`, terms };
    }
    return left;
  }

  private negation(): Rendered {
    if (this.acceptWord('NOT')) return { text: `NOT ${this.negation().text}`, terms: noTerms() };
    return this.predicate();
  }

  private predicate(): Rendered {
    if (this.acceptSymbol('(')) {
      const inner = this.condition();
      this.expectSymbol(')');
      return { text: `(${inner.text})`, terms: inner.terms };
    }
    const token = this.peek();
    if (token.kind === 'word' && this.isSymbol('(', 1)) {
      const name = token.text.toLowerCase();
      if (name === 'exists') throw validation('EXISTS can only be used in ExecuteTransaction write requests.');
      if (CONDITION_FUNCTIONS.has(name)) return { text: this.call(name), terms: noTerms() };
      if (name !== 'size') throw validation(`Unrecognized function: ${token.text}`);
    }
    const left = this.operand();
    if (this.acceptWord('IS')) {
      const negated = this.acceptWord('NOT');
      const type = this.next().text.toUpperCase();
      if (!left.isPath) throw validation('The left hand side argument to IS must be a Variable Reference, Literal, or Path');
      if (type === 'MISSING') return { text: `${negated ? 'attribute_exists' : 'attribute_not_exists'}(${left.text})`, terms: noTerms() };
      const dynamoType = IS_TYPES[type];
      if (dynamoType === undefined) {
        throw validation(`Unsupported data type for IS operator: ${type}. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]`);
      }
      const check = `attribute_type(${left.text}, ${this.placeholder({ S: dynamoType })})`;
      return { text: negated ? `NOT ${check}` : check, terms: noTerms() };
    }
    if (this.acceptWord('BETWEEN')) {
      const low = this.operand();
      this.expectWord('AND');
      const high = this.operand();
      return { text: `${left.text} BETWEEN ${low.text} AND ${high.text}`, terms: noTerms() };
    }
    if (this.acceptWord('IN')) {
      const open = this.next();
      const close = open.text === '[' ? ']' : open.text === '(' ? ')' : undefined;
      if (close === undefined || !left.isPath) {
        throw validation('IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member');
      }
      const candidates: Operand[] = [];
      while (!this.acceptSymbol(close)) {
        candidates.push(this.operand());
        if (!this.isSymbol(close)) this.expectSymbol(',');
      }
      if (candidates.length === 0) {
        throw validation('IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member');
      }
      const values = candidates.map((c) => c.value);
      const terms = left.attribute !== undefined && values.every((v) => v !== undefined) ? new Map([[left.attribute, values]]) : noTerms();
      return { text: `${left.text} IN (${candidates.map((c) => c.text).join(', ')})`, terms };
    }
    const operator = this.next();
    if (operator.kind !== 'symbol' || !COMPARATORS.has(operator.text)) throw syntaxError(`unexpected token ${operator.text}`);
    const right = this.operand();
    const terms = noTerms();
    if (operator.text === '=') {
      if (left.attribute !== undefined && right.value !== undefined) terms.set(left.attribute, [right.value]);
      else if (right.attribute !== undefined && left.value !== undefined) terms.set(right.attribute, [left.value]);
    }
    return { text: `${left.text} ${operator.text === '!=' ? '<>' : operator.text} ${right.text}`, terms };
  }

  /** begins_with, contains and attribute_type, with their arguments. */
  private call(name: string): string {
    this.next();
    this.expectSymbol('(');
    const args: string[] = [];
    while (!this.acceptSymbol(')')) {
      args.push(this.operand().text);
      if (!this.isSymbol(')')) this.expectSymbol(',');
    }
    return `${name}(${args.join(', ')})`;
  }

  /** A SET value: a term, or two joined by + or -. */
  private setValue(target: Operand): { action: 'SET' | 'ADD' | 'DELETE'; text: string } {
    const token = this.peek();
    const name = token.kind === 'word' && this.isSymbol('(', 1) ? token.text.toLowerCase() : undefined;
    if (name === 'set_add' || name === 'set_delete') {
      const label = name === 'set_add' ? 'ADD' : 'DELETE';
      this.next();
      this.expectSymbol('(');
      const first = this.path();
      if (first.text !== target.text) throw validation(`The first argument to SET_${label} must equal the assignment value`);
      this.expectSymbol(',');
      const set = this.value();
      if (!('SS' in set || 'NS' in set || 'BS' in set)) throw validation(`The second argument to SET_${label} must be a value with type SET`);
      this.expectSymbol(')');
      return { action: label, text: `${target.text} ${this.placeholder(set)}` };
    }
    let text = this.setTerm();
    if (this.isSymbol('+') || this.isSymbol('-')) text += ` ${this.next().text} ${this.setTerm()}`;
    return { action: 'SET', text: `${target.text} = ${text}` };
  }

  private setTerm(): string {
    const token = this.peek();
    const name = token.kind === 'word' && this.isSymbol('(', 1) ? token.text.toLowerCase() : undefined;
    if (name === 'list_append' || name === 'if_not_exists') {
      this.next();
      this.expectSymbol('(');
      const first = this.setTerm();
      this.expectSymbol(',');
      const second = this.setTerm();
      this.expectSymbol(')');
      return `${name}(${first}, ${second})`;
    }
    if (name !== undefined) throw validation(`Unrecognized function: ${token.text}`);
    if (this.startsValue()) return this.placeholder(this.value());
    return this.path().text;
  }

  /** UPDATE's SET and REMOVE clauses, as UpdateExpression text. */
  updateClauses(): string {
    const sections: Record<'SET' | 'REMOVE' | 'ADD' | 'DELETE', string[]> = { SET: [], REMOVE: [], ADD: [], DELETE: [] };
    while (this.isWord('SET') || this.isWord('REMOVE')) {
      const clause = this.next().text.toUpperCase();
      do {
        const target = this.path();
        if (clause === 'REMOVE') {
          sections.REMOVE.push(target.text);
        } else {
          this.expectSymbol('=');
          const { action, text } = this.setValue(target);
          sections[action].push(text);
        }
      } while (this.acceptSymbol(','));
    }
    const text = (['SET', 'REMOVE', 'ADD', 'DELETE'] as const).filter((s) => sections[s].length > 0).map((s) => `${s} ${sections[s].join(', ')}`);
    if (text.length === 0) throw syntaxError(`expected SET or REMOVE but found ${this.peek().text}`);
    return text.join(' ');
  }

  /** RETURNING (ALL|MODIFIED) (OLD|NEW) * */
  returning(): Returning | undefined {
    if (!this.acceptWord('RETURNING')) return undefined;
    const scope = this.next().text.toUpperCase();
    const image = this.next().text.toUpperCase();
    if (!['ALL', 'MODIFIED'].includes(scope) || !['OLD', 'NEW'].includes(image) || !this.acceptSymbol('*')) {
      throw validation("Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause");
    }
    return `${scope === 'ALL' ? 'ALL' : 'UPDATED'}_${image}` as Returning;
  }
}

function setOf(items: AttributeValue[]): AttributeValue {
  if (items.length === 0) throw validation('Empty bags are not supported');
  if (items.every((item) => 'S' in item)) return { SS: items.map((item) => item.S!) };
  if (items.every((item) => 'N' in item)) return { NS: items.map((item) => item.N!) };
  if (items.every((item) => 'B' in item)) return { BS: items.map((item) => item.B!) };
  throw validation('Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags');
}

/**
 * A selected nested value is answered as a top-level attribute named by its path's last dotted step:
 * `a.b.c` as `c` (nubo-db/dynamodb-conformance, recorded against DynamoDB), `a.b[1]` as `b[1]` (as
 * Dynoxide answers it; not confirmed against the service).
 */
function selectedPath(steps: PathElement[]): SelectedPath {
  const last = steps.findLastIndex((step) => typeof step === 'string');
  const name = `${steps[last]}${steps.slice(last + 1).map((index) => `[${index}]`).join('')}`;
  return { name, path: steps };
}

function tableAndIndex(parser: Parser): { table: string; index?: string } {
  const table = parser.identifier();
  if (!parser.acceptSymbol('.')) return { table };
  return { table, index: parser.identifier() };
}

function select(parser: Parser): Extract<Statement, { kind: 'select' }> {
  let projection: string | undefined;
  let outputs: SelectedPath[] | undefined;
  if (!parser.acceptSymbol('*')) {
    const selected: Operand[] = [];
    do {
      if (parser.isSymbol('*')) throw validation("Other attributes should not be present in the projection when '*' is used.");
      selected.push(parser.path());
    } while (parser.acceptSymbol(','));
    const paths = selected.map((path) => path.text);
    const duplicate = paths.find((path, i) => paths.indexOf(path) !== i);
    if (duplicate !== undefined) throw validation(`Duplicate identifiers in select clause: ${parser.names[duplicate] ?? duplicate}`);
    projection = paths.join(', ');
    if (selected.some((path) => path.attribute === undefined)) {
      outputs = selected.map((path) => selectedPath(path.steps!));
      // Nested values are picked from the whole top-level attributes: a projection packs the list elements
      // it keeps, so `a[1]` would be found at `a[0]`.
      projection = [...new Set(paths.map((path) => /^#n[0-9]+/.exec(path)![0]))].join(', ');
    }
  } else if (parser.isSymbol(',')) {
    throw validation("Other attributes should not be present in the projection when '*' is used.");
  }
  parser.expectWord('FROM');
  const { table, index } = tableAndIndex(parser);
  let where: Rendered | undefined;
  if (parser.acceptWord('WHERE')) where = parser.condition();
  let orderBy: { name: string; descending: boolean } | undefined;
  if (parser.acceptWord('ORDER')) {
    parser.expectWord('BY');
    const name = parser.identifier();
    const descending = parser.acceptWord('DESC');
    if (!descending) parser.acceptWord('ASC');
    orderBy = { name, descending };
  }
  return {
    kind: 'select',
    table,
    ...(index !== undefined ? { index } : {}),
    ...(projection !== undefined ? { projection } : {}),
    ...(outputs !== undefined ? { outputs } : {}),
    ...(where ? { where: where.text } : {}),
    terms: where?.terms ?? noTerms(),
    ...(orderBy ? { orderBy } : {}),
    names: parser.names,
    values: parser.values,
  };
}

/**
 * Parses one statement with its parameters. Throws DynamoDB's ValidationException for a statement that is
 * not well formed or uses what PartiQL for DynamoDB does not support.
 */
export function parseStatement(source: string, parameters: readonly AttributeValue[] = []): Statement {
  const parser = new Parser(tokenize(source), parameters);
  const verb = parser.peek().kind === 'word' ? parser.next().text.toUpperCase() : '';
  let statement: Statement;
  if (verb === 'SELECT') {
    statement = select(parser);
  } else if (verb === 'INSERT') {
    parser.expectWord('INTO');
    const table = parser.identifier();
    if (parser.isWord('VALUES')) {
      throw validation('Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead');
    }
    parser.expectWord('VALUE');
    const item = parser.value();
    if (!('M' in item)) throw validation('Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.');
    if (parser.isWord('RETURNING')) throw validation('RETURNING is not supported in INSERT');
    statement = { kind: 'insert', table, item: item.M! };
  } else if (verb === 'UPDATE') {
    const table = parser.identifier();
    const update = parser.updateClauses();
    parser.expectWord('WHERE');
    const where = parser.condition();
    const returning = parser.returning();
    statement = { kind: 'update', table, update, where: where.text, terms: where.terms, ...(returning ? { returning } : {}), names: parser.names, values: parser.values };
  } else if (verb === 'DELETE') {
    parser.expectWord('FROM');
    const table = parser.identifier();
    parser.expectWord('WHERE');
    const where = parser.condition();
    const returning = parser.returning();
    if (returning !== undefined && returning !== 'ALL_OLD') {
      const words = { ALL_NEW: 'ALL NEW *', UPDATED_OLD: 'MODIFIED OLD *', UPDATED_NEW: 'MODIFIED NEW *' }[returning];
      throw validation(`Invalid returning clause: RETURNING ${words}. Only RETURNING ALL OLD * is allowed in DELETE statements.`);
    }
    statement = { kind: 'delete', table, where: where.text, terms: where.terms, ...(returning ? { returning } : {}), names: parser.names, values: parser.values };
  } else if (verb === 'EXISTS') {
    parser.expectSymbol('(');
    parser.expectWord('SELECT');
    const inner = select(parser);
    parser.expectSymbol(')');
    if (inner.index !== undefined) throw validation('Operations on indices are not supported in transactions');
    if (inner.where === undefined) throw validation('EXISTS() must contain a single item read with additional condition');
    statement = { kind: 'exists', table: inner.table, where: inner.where, terms: inner.terms, names: inner.names, values: inner.values };
  } else {
    throw syntaxError('Expected data manipulation');
  }
  if (!parser.atEnd()) throw syntaxError(`unexpected token ${parser.peek().text}`);
  parser.checkParameters();
  return statement;
}
