import { JsonPathNotFoundError, isDefinite, parseJsonPath, readAll, readDefinite } from './json-path.js';
import { runtimeFailure } from './state-errors.js';
import type { JsonPath } from './json-path.js';
import type { JsonValue } from './json-value.js';

/**
 * Paths as JSONPath states write them: "$..." reads the state's data, "$$..."
 * the Context Object, and "$name..." a state machine variable
 * (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html#using-variables-in-jsonpath-states).
 */
export interface AslPath {
  readonly text: string;
  readonly source: 'input' | 'context' | 'variable';
  readonly variable?: string;
  readonly path: JsonPath;
}

/** A path that did not resolve; `reason` is Jayway's message, e.g. "No results for path: $['a']". */
export class PathNotResolvedError extends Error {
  constructor(
    readonly pathText: string,
    readonly reason: string,
  ) {
    super(`Invalid path '${pathText}' : ${reason}`);
    this.name = 'PathNotResolvedError';
  }
}

/** What "$", "$$" and "$name" refer to while a field is evaluated. */
export interface PathScope {
  readonly input: JsonValue;
  readonly context: JsonValue;
  readonly variable: (name: string) => JsonValue | undefined;
}

const VARIABLE_PREFIX = /^\$([\p{ID_Start}_][\p{ID_Continue}]*)/u;

/** @throws JsonPathSyntaxError when the text is not a path. */
export function parseAslPath(text: string): AslPath {
  if (text.startsWith('$$')) return { text, source: 'context', path: parseJsonPath(text.slice(1)) };
  const variable = VARIABLE_PREFIX.exec(text);
  if (variable !== null) {
    const name = variable[1];
    return { text, source: 'variable', variable: name, path: parseJsonPath(`$${text.slice(name.length + 1)}`) };
  }
  return { text, source: 'input', path: parseJsonPath(text) };
}

export function isValidAslPath(text: string): boolean {
  try {
    parseAslPath(text);
    return true;
  } catch {
    return false;
  }
}

/** A Reference Path: definite, and reading the state's data or a variable. */
export function isReferencePath(text: string): boolean {
  try {
    return isDefinite(parseAslPath(text).path);
  } catch {
    return false;
  }
}

/**
 * Evaluates a path: a definite path yields its single value, an indefinite one
 * the array of every match (ASL gathers multiple results into an array).
 * @throws PathNotResolvedError when a definite path does not resolve.
 */
export function queryPath(path: AslPath, scope: PathScope): JsonValue {
  try {
    const document = documentFor(path, scope);
    return isDefinite(path.path) ? readDefinite(path.path, document) : readAll(path.path, document);
  } catch (error) {
    if (error instanceof JsonPathNotFoundError) throw new PathNotResolvedError(path.text, error.message);
    throw error;
  }
}

function documentFor(path: AslPath, scope: PathScope): JsonValue {
  if (path.source === 'input') return scope.input;
  if (path.source === 'context') return scope.context;
  const value = scope.variable(path.variable!);
  if (value === undefined) throw new JsonPathNotFoundError(`The variable '${path.variable!}' is not defined`);
  return value;
}

/**
 * Applies a path field such as InputPath or OutputPath, failing the state the
 * way AWS does: "Invalid path '$.a' : No results for path: $['a']".
 */
export function queryPathField(text: string, scope: PathScope): JsonValue {
  try {
    return queryPath(parseAslPath(text), scope);
  } catch (error) {
    if (error instanceof PathNotResolvedError) throw runtimeFailure(error.message);
    throw error;
  }
}
