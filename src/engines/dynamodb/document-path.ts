import { javaBucket, javaStringHash } from './java-hash.js';
import { validationError, withDetails } from './validation-error.js';
import type { AttributeValue, Item } from './attribute-value.js';

/**
 * A resolved document path: attribute and map-key names are strings, list
 * indexes numbers. "a.b[1].c" is ['a', 'b', 1, 'c'].
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.Attributes.html#Expressions.Attributes.NestedElements.DocumentPathExamples
 */
export type PathElement = string | number;
export type DocumentPath = readonly PathElement[];

/** DynamoDB prints paths in messages as "[a, b, [1], c]". */
export function formatPath(path: DocumentPath): string {
  return `[${path.map((element) => (typeof element === 'number' ? `[${element}]` : element)).join(', ')}]`;
}

export function pathsEqual(a: DocumentPath, b: DocumentPath): boolean {
  return a.length === b.length && a.every((element, index) => element === b[index]);
}

export function childOf(value: AttributeValue, element: PathElement): AttributeValue | undefined {
  if (typeof element === 'number') return 'L' in value ? value.L[element] : undefined;
  return 'M' in value && Object.hasOwn(value.M, element) ? value.M[element] : undefined;
}

/** The value at a path, or `undefined` when any step is missing or of the wrong kind. */
export function valueAtPath(item: Item, path: DocumentPath): AttributeValue | undefined {
  const [head, ...rest] = path;
  if (typeof head !== 'string' || !Object.hasOwn(item, head)) return undefined;
  let value: AttributeValue | undefined = item[head];
  for (const element of rest) {
    if (value === undefined) return undefined;
    value = childOf(value, element);
  }
  return value;
}

/**
 * A trie of the paths one expression names, used to reject paths that
 * overlap (one is a prefix of the other, or both are the same) or conflict
 * (one indexes a list where the other reads a map key), as DynamoDB does for
 * update and projection expressions. A `null` child marks where a path ends.
 */
export interface PathTrieNode {
  readonly children: Map<PathElement, PathTrieNode | null>;
}

export function newTrieNode(): PathTrieNode {
  return { children: new Map() };
}

/**
 * DynamoDB names the second path of an overlap by walking down its path tree
 * taking each node's first child, and its nodes are Java HashMaps: "first" is
 * the lowest hash bucket. Reproducing that order keeps the message identical
 * when a node has several children.
 */
function firstChild(node: PathTrieNode): PathElement {
  const keys = [...node.children.keys()];
  let capacity = 16;
  while (keys.length > capacity * 0.75) capacity *= 2;
  const bucket = (key: PathElement): number => {
    const elementHash = typeof key === 'number' ? key : javaStringHash(key);
    // A path element hashes as Apache HashCodeBuilder(8191, 127) over its name or index.
    return javaBucket((Math.imul(8191, 127) + elementHash) | 0, capacity);
  };
  return keys.reduce((best, key) => (bucket(key) < bucket(best) ? key : best));
}

function pathToLeaf(path: DocumentPath, depth: number, node: PathTrieNode): PathElement[] {
  const elements = path.slice(0, depth);
  let current: PathTrieNode | null = node;
  while (current !== null && current.children.size > 0) {
    const element = firstChild(current);
    elements.push(element);
    current = current.children.get(element) ?? null;
  }
  return elements;
}

function chain(path: DocumentPath, from: number): PathTrieNode | null {
  if (from >= path.length) return null;
  const node = newTrieNode();
  node.children.set(path[from], chain(path, from + 1));
  return node;
}

function pathPairError(reason: string, one: DocumentPath, two: DocumentPath): Error {
  return validationError(withDetails(reason, [['path one', formatPath(one)], ['path two', formatPath(two)]]));
}

/** Adds a path to the trie, throwing DynamoDB's overlap or conflict error. */
export function insertPath(root: PathTrieNode, path: DocumentPath): void {
  let node = root;
  for (let depth = 0; ; depth += 1) {
    const element = path[depth];
    if (!node.children.has(element)) {
      const sibling = node.children.keys().next();
      if (sibling.done !== true && typeof sibling.value !== typeof element) {
        throw pathPairError(
          'Two document paths conflict with each other; must remove or rewrite one of these paths',
          path,
          pathToLeaf(path, depth, node),
        );
      }
      node.children.set(element, chain(path, depth + 1));
      return;
    }
    const child = node.children.get(element) ?? null;
    if (child === null || depth + 1 >= path.length) {
      throw pathPairError(
        'Two document paths overlap with each other; must remove or rewrite one of these paths',
        path,
        pathToLeaf(path, depth, node),
      );
    }
    node = child;
  }
}

/**
 * Copies the parts of an item the trie names, as ProjectionExpression and
 * the UPDATED_OLD / UPDATED_NEW return values do: missing parts are skipped,
 * a map or list left empty is dropped, and the list elements that remain are
 * packed in index order ("l[2], l[0]" of [x, y, z] gives [x, z]).
 */
export function projectTrie(item: Item, root: PathTrieNode): Item | undefined {
  const projected = projectChildren({ M: item }, root);
  return projected !== undefined && 'M' in projected ? projected.M : undefined;
}

function projectChildren(value: AttributeValue, node: PathTrieNode): AttributeValue | undefined {
  if (!('M' in value) && !('L' in value)) return undefined;
  const entries: [PathElement, AttributeValue][] = [];
  for (const [element, childNode] of node.children) {
    const child = childOf(value, element);
    if (child === undefined) continue;
    const projected = childNode === null ? child : projectChildren(child, childNode);
    if (projected !== undefined) entries.push([element, projected]);
  }
  if (entries.length === 0) return undefined;
  if ('L' in value) return { L: entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, member]) => member) };
  return { M: Object.fromEntries(entries) };
}
