import { utf8Length } from './attribute-value.js';
import { compileCondition } from './condition-expression.js';
import { ExpressionAttributes } from './expression-attributes.js';
import { isPlaceholderKey, parseConditionSyntax, parseProjectionSyntax, parseUpdateSyntax } from './expression-parser.js';
import { walkCondition, walkPath, walkUpdate } from './expression-walk.js';
import { javaHashSetOrder } from './java-hash.js';
import { compileProjection } from './projection-expression.js';
import { compileUpdate } from './update-expression.js';
import { normalizeAttributeValue } from './validate-attribute-value.js';
import { DynamoDbValidationError, validationError, withDetails } from './validation-error.js';
import type { AttributeValue } from './attribute-value.js';
import type { Condition } from './condition-expression.js';
import type { CompiledProjection } from './projection-expression.js';
import type { CompiledUpdate } from './update-expression.js';

/**
 * The expression parameters of one request, checked and compiled in
 * DynamoDB's order:
 * 1. expression and legacy (non-expression) parameters may not be mixed;
 * 2. ExpressionAttributeNames / Values need an expression that can use them;
 * 3. the names map, then the values map (keys, then values) are validated;
 * 4. each expression is parsed and checked, errors prefixed with its name
 *    ("Invalid ConditionExpression: ..."): UpdateExpression before
 *    ConditionExpression, KeyConditionExpression before FilterExpression before
 *    ProjectionExpression;
 * 5. placeholders no expression used are reported, names before values.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html
 */

export type ExpressionOperation = 'GetItem' | 'PutItem' | 'DeleteItem' | 'UpdateItem' | 'Query' | 'Scan' | 'ConditionCheck';

export interface ExpressionRequest {
  readonly UpdateExpression?: string;
  readonly ConditionExpression?: string;
  readonly FilterExpression?: string;
  readonly ProjectionExpression?: string;
  readonly KeyConditionExpression?: string;
  readonly ExpressionAttributeNames?: Readonly<Record<string, string>>;
  readonly ExpressionAttributeValues?: Readonly<Record<string, unknown>>;
  /** The legacy parameters only matter by their presence here. */
  readonly AttributeUpdates?: unknown;
  readonly AttributesToGet?: unknown;
  readonly Expected?: unknown;
  readonly QueryFilter?: unknown;
  readonly ScanFilter?: unknown;
  readonly ConditionalOperator?: unknown;
  readonly KeyConditions?: unknown;
}

export interface CompiledExpressions {
  readonly update?: CompiledUpdate;
  readonly condition?: Condition;
  readonly filter?: Condition;
  readonly projection?: CompiledProjection;
  readonly keyCondition?: Condition;
  /** The validated ExpressionAttributeValues, normalised. */
  readonly values: Readonly<Record<string, AttributeValue>>;
}

/** Expressions longer than 4 KB are rejected. */
const MAX_EXPRESSION_LENGTH = 4096;
/** Placeholder keys may be at most 255 characters. */
const MAX_PLACEHOLDER_LENGTH = 255;
/** Attribute names may be at most 64 KB. */
const MAX_ATTRIBUTE_NAME_BYTES = 65535;

const EXPRESSION_PARAMETERS = ['UpdateExpression', 'ProjectionExpression', 'ConditionExpression', 'FilterExpression', 'KeyConditionExpression'] as const;
const LEGACY_PARAMETERS = ['AttributeUpdates', 'AttributesToGet', 'Expected', 'QueryFilter', 'ScanFilter', 'ConditionalOperator'] as const;

/** The expressions that take ExpressionAttributeValues, per operation, as the error names them. */
const VALUE_EXPRESSIONS: Readonly<Record<ExpressionOperation, readonly (keyof ExpressionRequest)[]>> = {
  GetItem: [],
  PutItem: ['ConditionExpression'],
  DeleteItem: ['ConditionExpression'],
  ConditionCheck: ['ConditionExpression'],
  UpdateItem: ['UpdateExpression', 'ConditionExpression'],
  Query: ['FilterExpression', 'KeyConditionExpression'],
  Scan: ['FilterExpression'],
};

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * "Can not use both expression and non-expression parameters in the same
 * request". KeyConditions only clashes with KeyConditionExpression: DynamoDB
 * accepts it beside a FilterExpression or ProjectionExpression.
 */
export function checkParameterMixing(request: ExpressionRequest): void {
  const legacy: string[] = LEGACY_PARAMETERS.filter((name) => present(request[name]));
  if (present(request.KeyConditions) && present(request.KeyConditionExpression)) legacy.push('KeyConditions');
  if (legacy.length === 0) return;
  const expressions = EXPRESSION_PARAMETERS.filter((name) => present(request[name]));
  if (expressions.length === 0) return;
  throw validationError(
    'Can not use both expression and non-expression parameters in the same request: ' +
      `Non-expression parameters: {${legacy.join(', ')}} Expression parameters: {${expressions.join(', ')}}`,
  );
}

function checkPlaceholderKeys(label: string, keys: readonly string[], kind: 'name' | 'value'): void {
  if (keys.length === 0) throw validationError(`${label} must not be empty`);
  for (const key of keys) {
    const invalidKey = (reason: string): Error => validationError(`${label} contains invalid key: ${reason}`);
    if (key === '') throw invalidKey(withDetails('The expression attribute map contains an empty key'));
    if (key.length > MAX_PLACEHOLDER_LENGTH) {
      throw invalidKey(
        kind === 'name'
          ? withDetails('The expression attribute map contains a key that is too long', [['size of key', key.length]])
          : withDetails('The expression attribute map contains a key that is too long'),
      );
    }
    if (!isPlaceholderKey(key, kind)) throw invalidKey(withDetails('Syntax error', [['key', `"${key}"`]]));
  }
}

function normalizeValues(values: Readonly<Record<string, unknown>>): Record<string, AttributeValue> {
  return Object.fromEntries(
    Object.entries(values).map(([key, raw]) => {
      try {
        return [key, normalizeAttributeValue(raw)];
      } catch (error) {
        if (!(error instanceof DynamoDbValidationError)) throw error;
        throw validationError(`ExpressionAttributeValues contains invalid value: ${error.message} for key ${key}`);
      }
    }),
  );
}

function checkNameValues(names: Readonly<Record<string, string>>): void {
  for (const [key, name] of Object.entries(names)) {
    if (name === '') throw validationError(`ExpressionAttributeNames contains invalid value: Empty attribute name for key ${key}`);
    if (utf8Length(name) > MAX_ATTRIBUTE_NAME_BYTES) {
      throw validationError(
        `ExpressionAttributeNames contains invalid value: Attribute name is too large, must be less than 65536 bytes for key ${key}`,
      );
    }
  }
}

/** Runs one expression's checks, prefixing DynamoDB's "Invalid XExpression: ". */
function compileExpression<T>(label: string, source: string, compile: (source: string) => T): T {
  try {
    if (source === '') throw validationError(withDetails('The expression can not be empty'));
    if (source.length > MAX_EXPRESSION_LENGTH) {
      throw validationError(
        label === 'UpdateExpression' || label === 'ProjectionExpression'
          ? withDetails('Expression size has exceeded the maximum allowed size')
          : withDetails('Expression size has exceeded the maximum allowed size', [['expression size', source.length]]),
      );
    }
    return compile(source);
  } catch (error) {
    if (!(error instanceof DynamoDbValidationError)) throw error;
    throw validationError(`Invalid ${label}: ${error.message}`);
  }
}

/** How many distinct expression texts of each kind keep their checked syntax. */
const SYNTAX_CACHE_SIZE = 512;

/**
 * Parsing and the syntax checks depend on the text alone, and applications send the same few expressions
 * over and over, so the checked syntax tree is kept by text (trees are read-only). A text that fails is
 * not kept: it throws again, with the same message, every time.
 */
function memoized<T>(parseAndCheck: (source: string) => T): (source: string) => T {
  const cache = new Map<string, T>();
  return (source) => {
    let syntax = cache.get(source);
    if (syntax === undefined) {
      syntax = parseAndCheck(source);
      if (cache.size >= SYNTAX_CACHE_SIZE) cache.clear();
      cache.set(source, syntax);
    }
    return syntax;
  };
}

const conditionSyntax = memoized((source) => {
  const syntax = parseConditionSyntax(source);
  walkCondition(syntax);
  return syntax;
});

const updateSyntax = memoized((source) => {
  const syntax = parseUpdateSyntax(source);
  walkUpdate(syntax);
  return syntax;
});

const projectionSyntax = memoized((source) => {
  const syntax = parseProjectionSyntax(source);
  syntax.forEach(walkPath);
  return syntax;
});

function conditionCompiler(attributes: ExpressionAttributes): (source: string) => Condition {
  return (source) => compileCondition(conditionSyntax(source), attributes);
}

function reportUnused(label: string, defined: readonly string[], used: ReadonlySet<string>): void {
  const unused = defined.filter((key) => !used.has(key));
  if (unused.length > 0) {
    throw validationError(`Value provided in ${label} unused in expressions: keys: {${javaHashSetOrder(unused).join(', ')}}`);
  }
}

/**
 * Steps 1 and 2: legacy and expression parameters not mixed, and placeholders only beside an expression
 * that can use them. DynamoDB checks these before the attribute values a request carries (its Key, Item,
 * ...), and the rest of the expression checks after them.
 */
export function checkExpressionParameters(operation: ExpressionOperation, request: ExpressionRequest): void {
  checkParameterMixing(request);
  const anyExpression = EXPRESSION_PARAMETERS.some((name) => present(request[name]));
  if (present(request.ExpressionAttributeNames) && !anyExpression) {
    throw validationError('ExpressionAttributeNames can only be specified when using expressions');
  }
  const valueExpressions = VALUE_EXPRESSIONS[operation];
  if (present(request.ExpressionAttributeValues) && !valueExpressions.some((name) => present(request[name]))) {
    const which = valueExpressions.length === 0 ? '' : `: ${valueExpressions.join(' and ')} ${valueExpressions.length > 1 ? 'are' : 'is'} null`;
    throw validationError(`ExpressionAttributeValues can only be specified when using expressions${which}`);
  }
}

/**
 * Validates and compiles every expression of a request. Throws
 * `DynamoDbValidationError` with DynamoDB's message for the first problem.
 */
export function compileRequestExpressions(operation: ExpressionOperation, request: ExpressionRequest): CompiledExpressions {
  checkExpressionParameters(operation, request);
  const names = request.ExpressionAttributeNames;
  const rawValues = request.ExpressionAttributeValues;
  if (names !== undefined) checkPlaceholderKeys('ExpressionAttributeNames', Object.keys(names), 'name');
  if (rawValues !== undefined) checkPlaceholderKeys('ExpressionAttributeValues', Object.keys(rawValues), 'value');
  const values = rawValues === undefined ? {} : normalizeValues(rawValues);
  if (names !== undefined) checkNameValues(names);

  const attributes = new ExpressionAttributes(names, values);
  const compile = <T>(label: keyof ExpressionRequest, compiler: (source: string) => T): T | undefined => {
    const source = request[label];
    return typeof source === 'string' ? compileExpression(label, source, compiler) : undefined;
  };
  const update = compile('UpdateExpression', (source) => compileUpdate(updateSyntax(source), attributes));
  const condition = compile('ConditionExpression', conditionCompiler(attributes));
  // A Query's key condition is checked whole (syntax, names, operand types) before its filter and
  // projection: dynalite's suite, recorded against DynamoDB, gets "Invalid KeyConditionExpression: Incorrect
  // operand type ..." for attribute_type(a, :n) beside an empty FilterExpression (query.js). Its Query-only
  // rules (which operators, which attributes) come later, from the caller.
  const keyCondition = compile('KeyConditionExpression', conditionCompiler(attributes));
  const filter = compile('FilterExpression', conditionCompiler(attributes));
  const projection = compile('ProjectionExpression', (source) => compileProjection(projectionSyntax(source), attributes));

  reportUnused('ExpressionAttributeNames', Object.keys(names ?? {}), attributes.usedNames);
  reportUnused('ExpressionAttributeValues', Object.keys(values), attributes.usedValues);
  return {
    values,
    ...(update === undefined ? {} : { update }),
    ...(condition === undefined ? {} : { condition }),
    ...(filter === undefined ? {} : { filter }),
    ...(projection === undefined ? {} : { projection }),
    ...(keyCondition === undefined ? {} : { keyCondition }),
  };
}
