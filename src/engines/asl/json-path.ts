import { isJsonObject, jsonEquals } from './json-value.js';
import type { JsonValue } from './json-value.js';

/**
 * JsonPath as the States Language uses it: the Jayway dialect
 * (https://github.com/json-path/JsonPath), which Step Functions runs. Paths
 * made only of single names and single indexes are "definite" and yield one
 * value or a Jayway-style "path not found" error; any wildcard, deep scan,
 * slice, union or filter makes a path indefinite, and it then yields a list
 * of matches that may be empty.
 */
export type PathSegment =
  | { readonly kind: 'name'; readonly names: readonly string[] }
  | { readonly kind: 'index'; readonly indexes: readonly number[] }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'slice'; readonly start?: number; readonly end?: number; readonly step?: number }
  | { readonly kind: 'filter'; readonly filter: FilterExpression }
  | { readonly kind: 'descendant'; readonly child: PathSegment };

export interface JsonPath {
  readonly text: string;
  readonly root: '$' | '@';
  readonly segments: readonly PathSegment[];
}

type Literal = JsonValue | RegExp;

export type FilterExpression =
  | { readonly kind: 'or' | 'and'; readonly left: FilterExpression; readonly right: FilterExpression }
  | { readonly kind: 'not'; readonly operand: FilterExpression }
  | { readonly kind: 'exists'; readonly path: JsonPath }
  | { readonly kind: 'compare'; readonly op: ComparisonOperator; readonly left: FilterOperand; readonly right: FilterOperand };

type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~' | 'in' | 'nin';
type FilterOperand = { readonly kind: 'path'; readonly path: JsonPath } | { readonly kind: 'literal'; readonly value: Literal };

export class JsonPathSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPathSyntaxError';
  }
}

/** A definite path that does not resolve; the message is Jayway's, which AWS quotes in causes. */
export class JsonPathNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPathNotFoundError';
  }
}

/** Parsed paths by text: the paths of a definition are parsed once, not on every state visit. Never mutated. */
const parsedPaths = new Map<string, JsonPath>();
const MAX_CACHED_PATHS = 10_000;

export function parseJsonPath(text: string): JsonPath {
  const cached = parsedPaths.get(text);
  if (cached !== undefined) return cached;
  const parser = new PathParser(text, 0, false);
  const path = parser.parsePath();
  if (!parser.atEnd()) throw new JsonPathSyntaxError(`Unexpected character '${text[parser.position]}' at position ${parser.position} in path ${text}`);
  if (parsedPaths.size >= MAX_CACHED_PATHS) parsedPaths.clear();
  parsedPaths.set(text, path);
  return path;
}

export function isDefinite(path: JsonPath): boolean {
  return path.segments.every(
    (segment) => (segment.kind === 'name' && segment.names.length === 1) || (segment.kind === 'index' && segment.indexes.length === 1),
  );
}

/** Jayway's normalized form, e.g. $['a'][0]['b'], used in its error messages. */
export function normalizedPath(path: JsonPath, segmentCount = path.segments.length): string {
  return path.root + path.segments.slice(0, segmentCount).map(formatSegment).join('');
}

function formatSegment(segment: PathSegment): string {
  switch (segment.kind) {
    case 'name':
      return `[${segment.names.map((name) => `'${name}'`).join(',')}]`;
    case 'index':
      return `[${segment.indexes.join(',')}]`;
    case 'wildcard':
      return '[*]';
    case 'slice':
      return `[${segment.start ?? ''}:${segment.end ?? ''}${segment.step === undefined ? '' : `:${segment.step}`}]`;
    case 'filter':
      return '[?]';
    case 'descendant':
      return `..${formatSegment(segment.child)}`;
  }
}

/**
 * Reads a definite path: returns the one value or throws JsonPathNotFoundError
 * with Jayway's message ("No results for path: $['a']" when the last step is
 * missing, "Missing property in path $['a']" when an earlier one is).
 */
export function readDefinite(path: JsonPath, document: JsonValue): JsonValue {
  let current: JsonValue = document;
  path.segments.forEach((segment, i) => {
    if (segment.kind === 'name') {
      const name = segment.names[0];
      if (!isJsonObject(current) || !(name in current)) {
        if (i === path.segments.length - 1) throw new JsonPathNotFoundError(`No results for path: ${normalizedPath(path)}`);
        throw new JsonPathNotFoundError(`Missing property in path ${normalizedPath(path, i + 1)}`);
      }
      current = current[name];
    } else if (segment.kind === 'index') {
      const value = Array.isArray(current) ? current.at(segment.indexes[0]) : undefined;
      if (value === undefined) throw new JsonPathNotFoundError(`No results for path: ${normalizedPath(path)}`);
      current = value;
    } else {
      throw new JsonPathSyntaxError(`Path ${path.text} is not definite`);
    }
  });
  return current;
}

/** Reads any path and returns every match in document order (possibly none). */
export function readAll(path: JsonPath, document: JsonValue, root: JsonValue = document): JsonValue[] {
  let nodes: JsonValue[] = [document];
  for (const segment of path.segments) {
    nodes = nodes.flatMap((node) => applySegment(segment, node, root));
  }
  return nodes;
}

function applySegment(segment: PathSegment, node: JsonValue, root: JsonValue): JsonValue[] {
  switch (segment.kind) {
    case 'name':
      return isJsonObject(node) ? segment.names.filter((name) => name in node).map((name) => node[name]) : [];
    case 'index': {
      if (!Array.isArray(node)) return [];
      return segment.indexes.flatMap((index) => {
        const value = node.at(index);
        return value === undefined ? [] : [value];
      });
    }
    case 'wildcard':
      return childrenOf(node);
    case 'slice':
      return Array.isArray(node) ? sliceArray(node, segment.start, segment.end, segment.step) : [];
    case 'filter':
      return childrenOf(node).filter((child) => evaluateFilter(segment.filter, child, root));
    case 'descendant':
      return descendantsAndSelf(node).flatMap((candidate) => applySegment(segment.child, candidate, root));
  }
}

function childrenOf(node: JsonValue): JsonValue[] {
  if (Array.isArray(node)) return node;
  if (isJsonObject(node)) return Object.values(node);
  return [];
}

function descendantsAndSelf(node: JsonValue): JsonValue[] {
  return [node, ...childrenOf(node).flatMap(descendantsAndSelf)];
}

function sliceArray(array: JsonValue[], start: number | undefined, end: number | undefined, step = 1): JsonValue[] {
  if (step === 0) return [];
  const length = array.length;
  const clamp = (value: number): number => (value < 0 ? Math.max(length + value, 0) : Math.min(value, length));
  const result: JsonValue[] = [];
  if (step > 0) {
    for (let i = clamp(start ?? 0); i < clamp(end ?? length); i += step) result.push(array[i]);
  } else {
    const from = start === undefined ? length - 1 : Math.min(clamp(start), length - 1);
    const to = end === undefined ? -1 : clamp(end);
    for (let i = from; i > to; i += step) result.push(array[i]);
  }
  return result;
}

function evaluateFilter(filter: FilterExpression, current: JsonValue, root: JsonValue): boolean {
  switch (filter.kind) {
    case 'or':
      return evaluateFilter(filter.left, current, root) || evaluateFilter(filter.right, current, root);
    case 'and':
      return evaluateFilter(filter.left, current, root) && evaluateFilter(filter.right, current, root);
    case 'not':
      return !evaluateFilter(filter.operand, current, root);
    case 'exists':
      return resolveFilterPath(filter.path, current, root) !== undefined;
    case 'compare':
      return compare(filter.op, resolveOperand(filter.left, current, root), resolveOperand(filter.right, current, root));
  }
}

function resolveFilterPath(path: JsonPath, current: JsonValue, root: JsonValue): JsonValue | undefined {
  const matches = readAll(path, path.root === '@' ? current : root, root);
  if (isDefinite(path)) return matches[0];
  return matches;
}

function resolveOperand(operand: FilterOperand, current: JsonValue, root: JsonValue): Literal | undefined {
  return operand.kind === 'literal' ? operand.value : resolveFilterPath(operand.path, current, root);
}

function compare(op: ComparisonOperator, left: Literal | undefined, right: Literal | undefined): boolean {
  if (left === undefined || right === undefined || left instanceof RegExp) return false;
  if (op === '=~') return typeof left === 'string' && right instanceof RegExp && right.test(left);
  if (right instanceof RegExp) return false;
  switch (op) {
    case '==':
      return jsonEquals(left, right);
    case '!=':
      return !jsonEquals(left, right);
    case 'in':
      return Array.isArray(right) && right.some((item) => jsonEquals(item, left));
    case 'nin':
      return Array.isArray(right) && !right.some((item) => jsonEquals(item, left));
    default:
      return orderedCompare(op, left, right);
  }
}

function orderedCompare(op: '<' | '<=' | '>' | '>=', left: JsonValue, right: JsonValue): boolean {
  const comparable = (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
  if (!comparable) return false;
  switch (op) {
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
  }
}

/** Characters that end a dot-notation name inside a filter, where operators follow paths. */
const FILTER_NAME_STOP = new Set([' ', '\t', ')', '=', '!', '<', '>', '&', '|', ',', ']']);

class PathParser {
  position: number;

  constructor(
    private readonly text: string,
    start: number,
    private readonly inFilter: boolean,
  ) {
    this.position = start;
  }

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  private peek(offset = 0): string {
    return this.text[this.position + offset] ?? '';
  }

  private fail(message: string): never {
    throw new JsonPathSyntaxError(`${message} at position ${this.position} in path ${this.text}`);
  }

  parsePath(): JsonPath {
    const start = this.position;
    const root = this.peek();
    if (root !== '$' && root !== '@') this.fail('Path must start with $ or @');
    this.position++;
    const segments: PathSegment[] = [];
    while (!this.atEnd() && !this.atFilterBoundary()) {
      segments.push(this.parseSegment());
    }
    return { text: this.text.slice(start, this.position), root, segments };
  }

  private atFilterBoundary(): boolean {
    if (!this.inFilter) return false;
    const next = this.peek();
    return next !== '.' && next !== '[';
  }

  private parseSegment(): PathSegment {
    const char = this.peek();
    if (char === '.' && this.peek(1) === '.') {
      this.position += 2;
      if (this.peek() === '[') return { kind: 'descendant', child: this.parseBracket() };
      if (this.peek() === '*') {
        this.position++;
        return { kind: 'descendant', child: { kind: 'wildcard' } };
      }
      return { kind: 'descendant', child: { kind: 'name', names: [this.parseDotName()] } };
    }
    if (char === '.') {
      this.position++;
      if (this.peek() === '[') return this.parseBracket();
      if (this.peek() === '*') {
        this.position++;
        return { kind: 'wildcard' };
      }
      return { kind: 'name', names: [this.parseDotName()] };
    }
    if (char === '[') return this.parseBracket();
    return this.fail(`Unexpected character '${char}'`);
  }

  /** A dot-notation name; a backslash escapes the next character ($.store\.book names "store.book"). */
  private parseDotName(): string {
    let name = '';
    while (!this.atEnd()) {
      const char = this.peek();
      if (char === '\\') {
        if (this.position + 1 >= this.text.length) this.fail('Dangling escape');
        name += this.peek(1);
        this.position += 2;
        continue;
      }
      if (char === '.' || char === '[' || (this.inFilter && FILTER_NAME_STOP.has(char))) break;
      name += char;
      this.position++;
    }
    if (name === '') this.fail('Empty property name');
    return name;
  }

  private parseBracket(): PathSegment {
    this.position++;
    this.skipSpaces();
    let segment: PathSegment;
    const char = this.peek();
    if (char === '*') {
      this.position++;
      segment = { kind: 'wildcard' };
    } else if (char === '?') {
      this.position++;
      this.skipSpaces();
      if (this.peek() !== '(') this.fail("Expected '(' after '?'");
      this.position++;
      const filter = this.parseFilterOr();
      this.skipSpaces();
      if (this.peek() !== ')') this.fail("Expected ')' to close the filter");
      this.position++;
      segment = { kind: 'filter', filter };
    } else if (char === "'" || char === '"') {
      const names = [this.parseQuoted()];
      this.skipSpaces();
      while (this.peek() === ',') {
        this.position++;
        this.skipSpaces();
        names.push(this.parseQuoted());
        this.skipSpaces();
      }
      segment = { kind: 'name', names };
    } else {
      segment = this.parseIndexesOrSlice();
    }
    this.skipSpaces();
    if (this.peek() !== ']') this.fail("Expected ']'");
    this.position++;
    return segment;
  }

  private parseIndexesOrSlice(): PathSegment {
    const parts: (number | undefined)[] = [this.parseOptionalInteger()];
    this.skipSpaces();
    if (this.peek() === ':') {
      while (this.peek() === ':' && parts.length < 3) {
        this.position++;
        this.skipSpaces();
        parts.push(this.parseOptionalInteger());
        this.skipSpaces();
      }
      return { kind: 'slice', start: parts[0], end: parts[1], step: parts[2] };
    }
    const indexes: number[] = [];
    const first = parts[0];
    if (first === undefined) this.fail('Expected an index');
    indexes.push(first);
    while (this.peek() === ',') {
      this.position++;
      this.skipSpaces();
      const next = this.parseOptionalInteger();
      if (next === undefined) this.fail('Expected an index');
      indexes.push(next);
      this.skipSpaces();
    }
    return { kind: 'index', indexes };
  }

  private parseOptionalInteger(): number | undefined {
    const match = /^-?\d+/.exec(this.text.slice(this.position));
    if (match === null) return undefined;
    this.position += match[0].length;
    return Number(match[0]);
  }

  private parseQuoted(): string {
    const quote = this.peek();
    if (quote !== "'" && quote !== '"') this.fail('Expected a quoted name');
    this.position++;
    let value = '';
    while (!this.atEnd() && this.peek() !== quote) {
      if (this.peek() === '\\' && this.position + 1 < this.text.length) {
        value += this.peek(1);
        this.position += 2;
      } else {
        value += this.peek();
        this.position++;
      }
    }
    if (this.atEnd()) this.fail('Unterminated quoted name');
    this.position++;
    return value;
  }

  private skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.position++;
  }

  private parseFilterOr(): FilterExpression {
    let left = this.parseFilterAnd();
    this.skipSpaces();
    while (this.text.startsWith('||', this.position)) {
      this.position += 2;
      left = { kind: 'or', left, right: this.parseFilterAnd() };
      this.skipSpaces();
    }
    return left;
  }

  private parseFilterAnd(): FilterExpression {
    let left = this.parseFilterUnary();
    this.skipSpaces();
    while (this.text.startsWith('&&', this.position)) {
      this.position += 2;
      left = { kind: 'and', left, right: this.parseFilterUnary() };
      this.skipSpaces();
    }
    return left;
  }

  private parseFilterUnary(): FilterExpression {
    this.skipSpaces();
    if (this.peek() === '!' && this.peek(1) !== '=') {
      this.position++;
      return { kind: 'not', operand: this.parseFilterUnary() };
    }
    if (this.peek() === '(') {
      this.position++;
      const inner = this.parseFilterOr();
      this.skipSpaces();
      if (this.peek() !== ')') this.fail("Expected ')'");
      this.position++;
      return inner;
    }
    const left = this.parseOperand();
    this.skipSpaces();
    const op = this.parseOperator();
    if (op === undefined) {
      if (left.kind !== 'path') this.fail('A filter needs a comparison or a path');
      return { kind: 'exists', path: left.path };
    }
    this.skipSpaces();
    return { kind: 'compare', op, left, right: this.parseOperand() };
  }

  private parseOperator(): ComparisonOperator | undefined {
    for (const op of ['==', '!=', '<=', '>=', '=~', '<', '>'] as const) {
      if (this.text.startsWith(op, this.position)) {
        this.position += op.length;
        return op;
      }
    }
    for (const op of ['nin', 'in'] as const) {
      if (this.text.startsWith(`${op} `, this.position)) {
        this.position += op.length;
        return op;
      }
    }
    return undefined;
  }

  private parseOperand(): FilterOperand {
    const char = this.peek();
    if (char === '@' || char === '$') {
      const sub = new PathParser(this.text, this.position, true);
      const path = sub.parsePath();
      this.position = sub.position;
      return { kind: 'path', path };
    }
    return { kind: 'literal', value: this.parseLiteral() };
  }

  private parseLiteral(): Literal {
    const char = this.peek();
    if (char === "'" || char === '"') return this.parseQuoted();
    if (char === '/') {
      const end = this.text.indexOf('/', this.position + 1);
      if (end < 0) this.fail('Unterminated regular expression');
      const flags = /^[a-z]*/.exec(this.text.slice(end + 1))?.[0] ?? '';
      const regex = new RegExp(this.text.slice(this.position + 1, end), flags);
      this.position = end + 1 + flags.length;
      return regex;
    }
    if (char === '[') {
      this.position++;
      const items: JsonValue[] = [];
      this.skipSpaces();
      while (this.peek() !== ']') {
        const item = this.parseLiteral();
        if (item instanceof RegExp) this.fail('Regular expressions are not list items');
        items.push(item);
        this.skipSpaces();
        if (this.peek() === ',') {
          this.position++;
          this.skipSpaces();
        } else if (this.peek() !== ']') {
          this.fail("Expected ',' or ']'");
        }
      }
      this.position++;
      return items;
    }
    const word = /^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(this.text.slice(this.position));
    if (word === null) return this.fail('Expected a value');
    this.position += word[0].length;
    return JSON.parse(word[0]) as JsonValue;
  }
}
