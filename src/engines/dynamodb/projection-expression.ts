import { insertPath, newTrieNode, projectTrie } from './document-path.js';
import { resolvePath } from './expression-attributes.js';
import type { Item } from './attribute-value.js';
import type { DocumentPath, PathTrieNode } from './document-path.js';
import type { ExpressionAttributes } from './expression-attributes.js';
import type { SyntaxPath } from './expression-syntax.js';

/**
 * Projection expressions: the attributes, map keys and list elements to
 * return. Paths that overlap ("a, a.b") or conflict ("a[0], a.b") are
 * rejected; DynamoDB checks them last to first, so "a.b, a" reports
 * "path one: [a, b], path two: [a]".
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html
 */
export interface CompiledProjection {
  /** In the order written. */
  readonly paths: readonly DocumentPath[];
  readonly trie: PathTrieNode;
}

export function compileProjection(syntax: readonly SyntaxPath[], attributes: ExpressionAttributes): CompiledProjection {
  const trie = newTrieNode();
  const resolved = new Map<SyntaxPath, DocumentPath>();
  for (const path of [...syntax].reverse()) {
    const documentPath = resolvePath(path, attributes);
    insertPath(trie, documentPath);
    resolved.set(path, documentPath);
  }
  return { paths: syntax.map((path) => resolved.get(path)!), trie };
}

/**
 * Builds the projected item: nested maps keep only the named keys, lists only
 * the named elements packed in index order, and parts that do not exist are
 * left out (an item with none of them projects to `{}`).
 */
export function applyProjection(projection: CompiledProjection, item: Item): Item {
  return projectTrie(item, projection.trie) ?? {};
}

/** A projection of top-level attribute names, as AttributesToGet asks for. */
export function projectionOfAttributes(names: readonly string[]): CompiledProjection {
  const trie = newTrieNode();
  names.forEach((name) => { insertPath(trie, [name]); });
  return { paths: names.map((name) => [name]), trie };
}
