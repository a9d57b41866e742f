/**
 * A subset of PartiQL for DynamoDB, translated into the expression language the engine already checks
 * and evaluates: SELECT (projection of paths or *, FROM a table or "table"."index", WHERE), INSERT INTO
 * ... VALUE {...}, UPDATE ... SET/REMOVE ... WHERE, and DELETE FROM ... WHERE. Names become #name
 * placeholders and literals or `?` parameters become :value placeholders.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.html
 */
import type { AttributeValue } from '../../generated/dynamodb.js';
import { validation } from './tables.js';

export interface Translated {
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
}

export type Statement =
  | (Translated & { kind: 'select'; table: string; index?: string; projection?: string; where?: string })
  | (Translated & { kind: 'insert'; table: string; item: Record<string, AttributeValue> })
  | (Translated & { kind: 'update'; table: string; update: string; where: string })
  | (Translated & { kind: 'delete'; table: string; where: string });

type TokenKind = 'string' | 'quoted' | 'number' | 'word' | 'param' | 'symbol';

interface Token {
  kind: TokenKind;
  text: string;
}

const SYMBOLS = ['<<', '>>', '<=', '>=', '<>', '!=', '=', '<', '>', '(', ')', '[', ']', '{', '}', ',', '.', ':', '+', '-', '*'];
const FUNCTIONS = new Set(['begins_with', 'contains', 'attribute_exists', 'attribute_not_exists', 'attribute_type', 'size']);
const OPERATOR_WORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);

function syntaxError(detail: string): Error {
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
        if (i >= source.length) throw syntaxError('Unterminated literal');
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
    } else if (/[0-9]/.test(char)) {
      const match = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(i))!;
      tokens.push({ kind: 'number', text: match[0] });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))!;
      tokens.push({ kind: 'word', text: match[0] });
      i += match[0].length;
    } else if (char === '?') {
      tokens.push({ kind: 'param', text: '?' });
      i += 1;
    } else {
      const symbol = SYMBOLS.find((s) => source.startsWith(s, i));
      if (symbol === undefined) throw syntaxError(`Unexpected character ${char}`);
      tokens.push({ kind: 'symbol', text: symbol });
      i += symbol.length;
    }
  }
  return tokens;
}

class Translator implements Translated {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  private position = 0;
  private parameter = 0;
  private readonly nameKeys = new Map<string, string>();

  constructor(
    private readonly tokens: Token[],
    private readonly parameters: readonly AttributeValue[],
  ) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.position + offset];
  }

  isWord(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.kind === 'word' && token.text.toUpperCase() === word;
  }

  next(): Token {
    const token = this.tokens[this.position];
    if (token === undefined) throw syntaxError('Unexpected end of statement');
    this.position += 1;
    return token;
  }

  expectWord(word: string): void {
    if (!this.isWord(word)) throw syntaxError(`Expected ${word}`);
    this.position += 1;
  }

  expectSymbol(symbol: string): void {
    const token = this.next();
    if (token.kind !== 'symbol' || token.text !== symbol) throw syntaxError(`Expected ${symbol}`);
  }

  done(): boolean {
    return this.position >= this.tokens.length;
  }

  name(text: string): string {
    let key = this.nameKeys.get(text);
    if (key === undefined) {
      key = `#n${this.nameKeys.size}`;
      this.nameKeys.set(text, key);
      this.names[key] = text;
    }
    return key;
  }

  valuePlaceholder(value: AttributeValue): string {
    const key = `:v${Object.keys(this.values).length}`;
    this.values[key] = value;
    return key;
  }

  identifier(): string {
    const token = this.next();
    if (token.kind !== 'word' && token.kind !== 'quoted') throw syntaxError('Expected an identifier');
    return token.text;
  }

  /** A literal or `?` as an attribute value. */
  value(): AttributeValue {
    const token = this.next();
    if (token.kind === 'param') {
      const value = this.parameters[this.parameter];
      if (value === undefined) throw validation('Number of parameters in request and statement don\'t match.');
      this.parameter += 1;
      return value;
    }
    if (token.kind === 'string') return { S: token.text };
    if (token.kind === 'number') return { N: token.text };
    if (token.kind === 'symbol' && token.text === '-' && this.peek()?.kind === 'number') return { N: `-${this.next().text}` };
    if (token.kind === 'word' && ['TRUE', 'FALSE'].includes(token.text.toUpperCase())) return { BOOL: token.text.toUpperCase() === 'TRUE' };
    if (token.kind === 'word' && token.text.toUpperCase() === 'NULL') return { NULL: true };
    if (token.kind === 'symbol' && token.text === '{') {
      const map: Record<string, AttributeValue> = {};
      while (!(this.peek()?.kind === 'symbol' && this.peek()?.text === '}')) {
        const key = this.next();
        if (key.kind !== 'string' && key.kind !== 'quoted') throw syntaxError('Expected a string key');
        this.expectSymbol(':');
        map[key.text] = this.value();
        if (this.peek()?.text === ',') this.next();
      }
      this.next();
      return { M: map };
    }
    if (token.kind === 'symbol' && (token.text === '[' || token.text === '<<')) {
      const close = token.text === '[' ? ']' : '>>';
      const items: AttributeValue[] = [];
      while (this.peek()?.text !== close) {
        items.push(this.value());
        if (this.peek()?.text === ',') this.next();
      }
      this.next();
      if (close === ']') return { L: items };
      if (items.every((item) => item.S !== undefined)) return { SS: items.map((item) => item.S!) };
      if (items.every((item) => item.N !== undefined)) return { NS: items.map((item) => item.N!) };
      if (items.every((item) => item.B !== undefined)) return { BS: items.map((item) => item.B!) };
      throw validation('Set must contain values of one type: string, number or binary');
    }
    throw syntaxError(`Unexpected token ${token.text}`);
  }

  /** Translates tokens up to (not including) one of the stop words into expression text. */
  expression(stopWords: readonly string[]): string {
    const parts: string[] = [];
    while (!this.done() && !stopWords.some((word) => this.isWord(word))) {
      const token = this.peek()!;
      const previous = parts.at(-1);
      const afterPath = previous !== undefined && (previous.startsWith('#') || previous === ']');
      if (token.kind === 'word' && OPERATOR_WORDS.has(token.text.toUpperCase())) {
        parts.push(this.next().text.toUpperCase());
      } else if (token.kind === 'word' && FUNCTIONS.has(token.text) && this.peek(1)?.text === '(') {
        parts.push(this.next().text);
      } else if ((token.kind === 'word' && !['TRUE', 'FALSE', 'NULL'].includes(token.text.toUpperCase())) || token.kind === 'quoted') {
        parts.push(this.name(this.next().text));
      } else if (token.kind === 'symbol' && token.text === '[' && afterPath) {
        this.next();
        parts.push('[', this.next().text, ']');
        this.expectSymbol(']');
      } else if (token.kind === 'symbol' && ['(', ')', ',', '.', '=', '<', '<=', '>', '>=', '<>', '+'].includes(token.text)) {
        parts.push(this.next().text);
      } else if (token.kind === 'symbol' && token.text === '!=') {
        this.next();
        parts.push('<>');
      } else if (token.kind === 'symbol' && token.text === '-' && afterPath) {
        parts.push(this.next().text);
      } else {
        parts.push(this.valuePlaceholder(this.value()));
      }
    }
    return parts.join(' ').replace(/ \. /g, '.').replace(/ \[ (\d+) \]/g, '[$1]');
  }
}

function tableAndIndex(translator: Translator): { table: string; index?: string } {
  const table = translator.identifier();
  if (translator.peek()?.text !== '.') return { table };
  translator.next();
  return { table, index: translator.identifier() };
}

export function parseStatement(source: string, parameters: readonly AttributeValue[] = []): Statement {
  const translator = new Translator(tokenize(source), parameters);
  const verb = translator.next().text.toUpperCase();
  const finish = <T extends Statement>(statement: T): T => {
    if (!translator.done()) throw syntaxError(`Unexpected token ${translator.peek()!.text}`);
    return statement;
  };
  if (verb === 'SELECT') {
    let projection: string | undefined;
    if (translator.peek()?.text === '*') translator.next();
    else projection = translator.expression(['FROM']);
    translator.expectWord('FROM');
    const { table, index } = tableAndIndex(translator);
    let where: string | undefined;
    if (translator.isWord('WHERE')) {
      translator.next();
      where = translator.expression([]);
    }
    return finish({ kind: 'select', table, ...(index ? { index } : {}), ...(projection ? { projection } : {}), ...(where ? { where } : {}), names: translator.names, values: translator.values });
  }
  if (verb === 'INSERT') {
    translator.expectWord('INTO');
    const table = translator.identifier();
    translator.expectWord('VALUE');
    const item = translator.value();
    if (item.M === undefined) throw syntaxError('INSERT expects a tuple value');
    return finish({ kind: 'insert', table, item: item.M, names: {}, values: {} });
  }
  if (verb === 'UPDATE') {
    const table = translator.identifier();
    const sets: string[] = [];
    const removes: string[] = [];
    while (translator.isWord('SET') || translator.isWord('REMOVE')) {
      const clause = translator.next().text.toUpperCase();
      (clause === 'SET' ? sets : removes).push(translator.expression(['SET', 'REMOVE', 'WHERE']));
    }
    if (sets.length + removes.length === 0) throw syntaxError('Expected SET or REMOVE');
    translator.expectWord('WHERE');
    const where = translator.expression(['RETURNING']);
    const update = [sets.length > 0 ? `SET ${sets.join(', ')}` : '', removes.length > 0 ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' ');
    return finish({ kind: 'update', table, update, where, names: translator.names, values: translator.values });
  }
  if (verb === 'DELETE') {
    translator.expectWord('FROM');
    const table = translator.identifier();
    translator.expectWord('WHERE');
    const where = translator.expression(['RETURNING']);
    return finish({ kind: 'delete', table, where, names: translator.names, values: translator.values });
  }
  throw syntaxError(`Unexpected keyword ${verb}`);
}
