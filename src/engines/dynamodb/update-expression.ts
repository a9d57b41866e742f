import { bytesOf, typeOf } from './attribute-value.js';
import { compareBytes, valuesEqual } from './compare-values.js';
import { childOf, insertPath, newTrieNode, projectTrie, valueAtPath } from './document-path.js';
import { resolvePath } from './expression-attributes.js';
import { OperatorCounter, checkDistinct, checkOperandCount, checkOperandTypes, requiresPathError } from './operator-checks.js';
import { addDecimals, assertStorableResult, compareNumbers, decimalOf, formatDecimal, negateDecimal } from './number-value.js';
import { assertNestingWithinLimit } from './validate-attribute-value.js';
import { validationError, withDetails } from './validation-error.js';
import type { AttributeType, AttributeValue, Item } from './attribute-value.js';
import type { DocumentPath, PathElement, PathTrieNode } from './document-path.js';
import type { ExpressionAttributes } from './expression-attributes.js';
import type { SyntaxOperand, SyntaxSetValue, SyntaxUpdateAction, SyntaxUpdateSection } from './expression-syntax.js';
import type { PossibleTypes } from './operator-checks.js';

/**
 * Update expressions: resolution and checking of a parsed update, and its
 * application to an item.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
 *
 * Every action reads the item as it was before the update, so "SET a = b,
 * b = a" swaps, and list indexes refer to the original list: "REMOVE l[0],
 * l[1]" removes the first two elements, an index past the end appends, and
 * the list is then packed in index order.
 */

export type UpdateOperand =
  | { readonly kind: 'path'; readonly path: DocumentPath }
  | { readonly kind: 'value'; readonly value: AttributeValue }
  | { readonly kind: 'if_not_exists'; readonly path: DocumentPath; readonly fallback: UpdateOperand }
  | { readonly kind: 'list_append'; readonly left: UpdateOperand; readonly right: UpdateOperand };

export type UpdateValue = UpdateOperand | { readonly kind: '+' | '-'; readonly left: UpdateOperand; readonly right: UpdateOperand };

export type UpdateAction =
  | { readonly kind: 'SET'; readonly path: DocumentPath; readonly value: UpdateValue }
  | { readonly kind: 'REMOVE'; readonly path: DocumentPath }
  | { readonly kind: 'ADD' | 'DELETE'; readonly path: DocumentPath; readonly value: AttributeValue };

export interface CompiledUpdate {
  /** In the order written. */
  readonly actions: readonly UpdateAction[];
  /** The paths the actions write, for UPDATED_OLD and UPDATED_NEW. */
  readonly paths: PathTrieNode;
}

const ATTRIBUTE_NOT_FOUND_MESSAGE = 'The provided expression refers to an attribute that does not exist in the item';
const INCORRECT_DATA_TYPE_MESSAGE = 'An operand in the update expression has an incorrect data type';
const INVALID_DOCUMENT_PATH_MESSAGE = 'The document path provided in the update expression is invalid for update';

/** How ADD and DELETE name an operand's type in their messages. */
const TYPE_NAMES: Readonly<Record<AttributeType, string>> = {
  S: 'STRING',
  N: 'NUMBER',
  B: 'BINARY',
  BOOL: 'BOOLEAN',
  NULL: 'NULL',
  L: 'LIST',
  M: 'MAP',
  SS: 'STRING_SET',
  NS: 'NUMBER_SET',
  BS: 'BINARY_SET',
};

const SET_TYPES: readonly AttributeType[] = ['SS', 'NS', 'BS'];
const ADD_TYPES: readonly AttributeType[] = ['N', ...SET_TYPES];

function isArithmetic(value: UpdateValue): value is Extract<UpdateValue, { kind: '+' | '-' }> {
  return value.kind === '+' || value.kind === '-';
}

function possibleTypes(operand: UpdateOperand): PossibleTypes {
  switch (operand.kind) {
    case 'value':
      return [typeOf(operand.value)];
    case 'list_append':
      return ['L'];
    case 'path':
    case 'if_not_exists':
      return 'any';
  }
}

class UpdateCompiler {
  private readonly counter = new OperatorCounter();

  constructor(private readonly attributes: ExpressionAttributes) {}

  operand(syntax: SyntaxOperand): UpdateOperand {
    switch (syntax.kind) {
      case 'path':
        return { kind: 'path', path: resolvePath(syntax, this.attributes) };
      case 'value':
        return { kind: 'value', value: this.attributes.resolveValue(syntax.placeholder) };
      case 'function': {
        const args = syntax.args.map((arg) => this.operand(arg));
        checkOperandCount(syntax.name, args.length, 2);
        const [first, second] = args as [UpdateOperand, UpdateOperand];
        this.counter.increment();
        if (syntax.name === 'list_append') {
          checkOperandTypes('list_append', args.map(possibleTypes), ['L']);
          return { kind: 'list_append', left: first, right: second };
        }
        checkDistinct('if_not_exists', args.map((arg) => (arg.kind === 'path' ? arg.path : undefined)));
        if (first.kind !== 'path') throw requiresPathError('if_not_exists');
        return { kind: 'if_not_exists', path: first.path, fallback: second };
      }
    }
  }

  value(syntax: SyntaxSetValue): UpdateValue {
    if (syntax.kind !== 'arithmetic') return this.operand(syntax);
    const left = this.operand(syntax.left);
    const right = this.operand(syntax.right);
    checkOperandTypes(syntax.operator, [possibleTypes(left), possibleTypes(right)], ['N']);
    this.counter.increment();
    return { kind: syntax.operator, left, right };
  }

  /**
   * DynamoDB checks the actions last to first: every target path (names,
   * overlaps), then every value. So "SET a = :x, b = :y" with neither value
   * defined reports :y.
   */
  compile(sections: readonly SyntaxUpdateSection[]): CompiledUpdate {
    const syntaxActions = sections.flatMap((section) => section.actions);
    const paths = newTrieNode();
    const resolvedPaths = new Map<SyntaxUpdateAction, DocumentPath>();
    for (const action of [...syntaxActions].reverse()) {
      const path = resolvePath(action.path, this.attributes);
      insertPath(paths, path);
      resolvedPaths.set(action, path);
    }
    const compiled = new Map<SyntaxUpdateAction, UpdateAction>();
    for (const action of [...syntaxActions].reverse()) {
      compiled.set(action, this.action(action, resolvedPaths.get(action)!));
    }
    return { actions: syntaxActions.map((action) => compiled.get(action)!), paths };
  }

  private action(action: SyntaxUpdateAction, path: DocumentPath): UpdateAction {
    switch (action.kind) {
      case 'SET':
        return { kind: 'SET', path, value: this.value(action.value) };
      case 'REMOVE':
        return { kind: 'REMOVE', path };
      case 'ADD':
      case 'DELETE': {
        const value = this.attributes.resolveValue(action.value.placeholder);
        const type = typeOf(value);
        if (!(action.kind === 'ADD' ? ADD_TYPES : SET_TYPES).includes(type)) {
          throw validationError(
            withDetails('Incorrect operand type for operator or function', [['operator', action.kind], ['operand type', TYPE_NAMES[type]]]),
          );
        }
        return { kind: action.kind, path, value };
      }
    }
  }
}

export function compileUpdate(sections: readonly SyntaxUpdateSection[], attributes: ExpressionAttributes): CompiledUpdate {
  return new UpdateCompiler(attributes).compile(sections);
}

// ---- application ----

function fail(message: string): never {
  throw validationError(message);
}

function requireOperand(value: AttributeValue | undefined, type: AttributeType): AttributeValue {
  if (value === undefined) return fail(ATTRIBUTE_NOT_FOUND_MESSAGE);
  if (typeOf(value) !== type) return fail(INCORRECT_DATA_TYPE_MESSAGE);
  return value;
}

function numberOf(value: AttributeValue): string {
  return 'N' in value ? value.N : '0';
}

function sum(left: string, right: string, subtract: boolean): AttributeValue {
  const b = decimalOf(right);
  const result = addDecimals(decimalOf(left), subtract ? negateDecimal(b) : b);
  assertStorableResult(result);
  return { N: formatDecimal(result) };
}

function evaluateOperand(operand: UpdateOperand, item: Item): AttributeValue | undefined {
  switch (operand.kind) {
    case 'path':
      return valueAtPath(item, operand.path);
    case 'value':
      return operand.value;
    case 'if_not_exists': {
      const existing = valueAtPath(item, operand.path);
      const fallback = evaluateOperand(operand.fallback, item);
      // DynamoDB requires the fallback to exist even when it is not used.
      if (fallback === undefined) return fail(ATTRIBUTE_NOT_FOUND_MESSAGE);
      return existing ?? fallback;
    }
    case 'list_append': {
      const left = evaluateOperand(operand.left, item);
      const right = evaluateOperand(operand.right, item);
      const first = requireOperand(left, 'L');
      const second = requireOperand(right, 'L');
      return { L: [...('L' in first ? first.L : []), ...('L' in second ? second.L : [])] };
    }
  }
}

function evaluateValue(value: UpdateValue, item: Item): AttributeValue | undefined {
  if (!isArithmetic(value)) return evaluateOperand(value, item);
  const left = evaluateOperand(value.left, item);
  const right = evaluateOperand(value.right, item);
  const first = requireOperand(left, 'N');
  const second = requireOperand(right, 'N');
  return sum(numberOf(first), numberOf(second), value.kind === '-');
}

function setUnion(existing: AttributeValue, added: AttributeValue): AttributeValue {
  if ('SS' in existing && 'SS' in added) return { SS: [...existing.SS, ...added.SS.filter((member) => !existing.SS.includes(member))] };
  if ('NS' in existing && 'NS' in added) {
    return { NS: [...existing.NS, ...added.NS.filter((member) => !existing.NS.some((old) => compareNumbers(old, member) === 0))] };
  }
  if ('BS' in existing && 'BS' in added) {
    const fresh = added.BS.filter((member) => !existing.BS.some((old) => compareBytes(bytesOf(old), bytesOf(member)) === 0));
    return { BS: [...existing.BS, ...fresh] };
  }
  return existing;
}

/** Removes members; a set left empty removes the attribute. */
function setDifference(existing: AttributeValue, removed: AttributeValue): AttributeValue | undefined {
  const keep = <T>(members: readonly T[], gone: (member: T) => boolean, make: (rest: T[]) => AttributeValue): AttributeValue | undefined => {
    const rest = members.filter((member) => !gone(member));
    return rest.length === 0 ? undefined : make(rest);
  };
  if ('SS' in existing && 'SS' in removed) return keep(existing.SS, (member) => removed.SS.includes(member), (SS) => ({ SS }));
  if ('NS' in existing && 'NS' in removed) {
    return keep(existing.NS, (member) => removed.NS.some((gone) => compareNumbers(gone, member) === 0), (NS) => ({ NS }));
  }
  if ('BS' in existing && 'BS' in removed) {
    return keep(existing.BS, (member) => removed.BS.some((gone) => valuesEqual({ B: gone }, { B: member })), (BS) => ({ BS }));
  }
  return existing;
}

function actionResult(action: UpdateAction, existing: AttributeValue | undefined, original: Item): AttributeValue | undefined {
  switch (action.kind) {
    case 'SET':
      return evaluateValue(action.value, original) ?? fail(ATTRIBUTE_NOT_FOUND_MESSAGE);
    case 'REMOVE':
      return undefined;
    case 'ADD':
      if (existing === undefined) return action.value;
      if (typeOf(existing) !== typeOf(action.value)) return fail(INCORRECT_DATA_TYPE_MESSAGE);
      return 'N' in action.value ? sum(numberOf(existing), action.value.N, false) : setUnion(existing, action.value);
    case 'DELETE':
      if (existing === undefined) return undefined;
      if (typeOf(existing) !== typeOf(action.value)) return fail(INCORRECT_DATA_TYPE_MESSAGE);
      return setDifference(existing, action.value);
  }
}

/** The actions arranged along their paths, each leaf holding its action. */
interface UpdateNode {
  readonly children: Map<PathElement, UpdateNode | UpdateAction>;
}

function isAction(child: UpdateNode | UpdateAction): child is UpdateAction {
  return 'kind' in child;
}

function buildTree(actions: readonly UpdateAction[]): UpdateNode {
  const root: UpdateNode = { children: new Map() };
  for (const action of actions) {
    let node = root;
    action.path.forEach((element, index) => {
      if (index === action.path.length - 1) {
        node.children.set(element, action);
        return;
      }
      const next = node.children.get(element);
      const child: UpdateNode = next !== undefined && !isAction(next) ? next : { children: new Map() };
      node.children.set(element, child);
      node = child;
    });
  }
  return root;
}

function applyNode(node: UpdateNode, container: AttributeValue, original: Item): AttributeValue {
  if (!('M' in container) && !('L' in container)) return fail(INVALID_DOCUMENT_PATH_MESSAGE);
  const results = new Map<PathElement, AttributeValue | undefined>();
  for (const [element, child] of node.children) {
    if ((typeof element === 'number') !== ('L' in container)) return fail(INVALID_DOCUMENT_PATH_MESSAGE);
    const existing = childOf(container, element);
    if (isAction(child)) results.set(element, actionResult(child, existing, original));
    else if (existing === undefined) return fail(INVALID_DOCUMENT_PATH_MESSAGE);
    else results.set(element, applyNode(child, existing, original));
  }
  const merge = (entries: [PathElement, AttributeValue][]): [PathElement, AttributeValue][] => {
    const kept = entries.flatMap(([element, value]): [PathElement, AttributeValue][] => {
      if (!results.has(element)) return [[element, value]];
      const replaced = results.get(element);
      return replaced === undefined ? [] : [[element, replaced]];
    });
    const present = new Set(entries.map(([element]) => element));
    const added = [...results].filter((entry): entry is [PathElement, AttributeValue] => !present.has(entry[0]) && entry[1] !== undefined);
    return [...kept, ...added];
  };
  if ('M' in container) return { M: Object.fromEntries(merge(Object.entries(container.M))) };
  const entries = merge(container.L.map((value, index): [PathElement, AttributeValue] => [index, value]));
  return { L: entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, value]) => value) };
}

/**
 * Applies a compiled update to an item (an empty one when none exists yet),
 * returning the new item or throwing DynamoDB's update error.
 */
export function applyUpdate(update: CompiledUpdate, item: Item): Item {
  const updated = applyNode(buildTree(update.actions), { M: item }, item);
  const result = 'M' in updated ? updated.M : {};
  assertNestingWithinLimit(result);
  return result;
}

function operandPaths(operand: UpdateValue): DocumentPath[] {
  switch (operand.kind) {
    case 'path':
      return [operand.path];
    case 'value':
      return [];
    case 'if_not_exists':
      return [operand.path, ...operandPaths(operand.fallback)];
    case 'list_append':
    case '+':
    case '-':
      return [...operandPaths(operand.left), ...operandPaths(operand.right)];
  }
}

/** Every document path an update names: the paths it writes, and those it reads. */
export function updatePaths(update: CompiledUpdate): { readonly targets: DocumentPath[]; readonly all: DocumentPath[] } {
  const targets = update.actions.map((action) => action.path);
  const reads = update.actions.flatMap((action) => (action.kind === 'SET' ? operandPaths(action.value) : []));
  return { targets, all: [...targets, ...reads] };
}

/**
 * The type each top-level attribute is written with, where the expression alone tells it (a value, an
 * arithmetic result, a list_append); a copied path or if_not_exists is only known once applied. The first
 * action naming an attribute decides, as DynamoDB's index-key check reads them.
 */
export function updateWriteTypes(update: CompiledUpdate): Map<string, AttributeType> {
  const types = new Map<string, AttributeType>();
  for (const action of update.actions) {
    const [attribute] = action.path;
    if (action.path.length !== 1 || typeof attribute !== 'string' || types.has(attribute)) continue;
    const type = action.kind === 'REMOVE' ? undefined : action.kind === 'SET' ? writtenType(action.value) : typeOf(action.value);
    if (type !== undefined) types.set(attribute, type);
  }
  return types;
}

function writtenType(value: UpdateValue): AttributeType | undefined {
  if (isArithmetic(value)) return 'N';
  if (value.kind === 'value') return typeOf(value.value);
  return value.kind === 'list_append' ? 'L' : undefined;
}

/** The parts of an item an update wrote: UPDATED_OLD on the old item, UPDATED_NEW on the new. */
export function updatedAttributes(update: CompiledUpdate, item: Item): Item | undefined {
  return projectTrie(item, update.paths);
}
