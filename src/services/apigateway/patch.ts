/**
 * JSON-Patch-like patchOperations of Update* calls
 * (https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html). Each operation names a
 * path a resource allows; anything else is a BadRequestException.
 */
import type { PatchOperation } from '../../generated/apigateway.js';
import { badRequest } from './api-record.js';

export interface PatchRule<T> {
  /** The path, or its prefix when it ends with `/` (e.g. `/variables/`). */
  path: string;
  apply(target: T, op: string, value: string | undefined, key: string): void;
}

/** Applies `operations` to `target` in order, with the rules of its resource type. */
export function applyPatch<T>(target: T, operations: PatchOperation[] | undefined, rules: PatchRule<T>[]): void {
  for (const operation of operations ?? []) {
    const op = operation.op ?? 'replace';
    const path = operation.path ?? '';
    const rule = rules.find((candidate) => (candidate.path.endsWith('/') ? path.startsWith(candidate.path) && path.length > candidate.path.length : path === candidate.path));
    if (!rule) throw badRequest(`Invalid patch path '${path}' specified for op '${op}'. Must be one of: [${rules.map((r) => r.path.endsWith('/') ? `${r.path}*` : r.path).join(', ')}]`);
    const key = rule.path.endsWith('/') ? decodeURIComponent(path.slice(rule.path.length).replace(/~1/g, '/')) : '';
    rule.apply(target, op, operation.value, key);
  }
}

export function booleanValue(value: string | undefined, path: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw badRequest(`Invalid value '${value ?? ''}' for ${path}: expected true or false`);
}

/** A rule that sets or clears one string field. */
export function stringField<T>(path: string, set: (target: T, value: string | undefined) => void): PatchRule<T> {
  return {
    path,
    apply: (target, op, value) => {
      set(target, op === 'remove' ? undefined : value);
    },
  };
}
