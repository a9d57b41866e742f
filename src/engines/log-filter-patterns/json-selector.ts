import { invalidCharactersInTerm, invalidFilterPattern } from './filter-pattern-error.js';

/**
 * JSON property selectors (`$.eventType`, `$.users[0].email`,
 * `$.coordinates[0][1]`, `$.arrayKey[*]`, `$.*`, `$.['cluster.name']`).
 *
 * Per https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-terms-json-log-events:
 * selectors start with `$.`, property names are "alphanumeric strings that
 * support hyphen and underscore characters", array elements use zero-based
 * `[N]`, bracket notation selects keys that contain a period, and the
 * wildcard "select[s] any array element or any JSON object field" — at most
 * one wildcard per selector.
 */
export type SelectorStep =
  | { readonly kind: 'property'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'wildcard' };

export interface JsonSelector {
  readonly steps: readonly SelectorStep[];
  readonly hasWildcard: boolean;
}

export const MAX_WILDCARDS_PER_SELECTOR = 1;

const PROPERTY_NAME = /^[A-Za-z0-9_-]+/;
const ARRAY_INDEX = /^\[(\d+)\]/;
const QUOTED_KEY = /^\['([^']*)'\]/;

/** Reads one `[…]` step at `text[index]`. */
function readBracketStep(text: string, index: number): { step: SelectorStep; length: number } {
  const rest = text.slice(index);
  if (rest.startsWith('[*]')) return { step: { kind: 'wildcard' }, length: 3 };
  const arrayIndex = ARRAY_INDEX.exec(rest);
  if (arrayIndex !== null) {
    return { step: { kind: 'index', index: Number(arrayIndex[1]) }, length: arrayIndex[0].length };
  }
  const quotedKey = QUOTED_KEY.exec(rest);
  if (quotedKey !== null) {
    return { step: { kind: 'property', name: quotedKey[1] ?? '' }, length: quotedKey[0].length };
  }
  throw invalidCharactersInTerm(text.slice(0, index + 2));
}

export function parseJsonSelector(text: string): JsonSelector {
  if (!text.startsWith('$')) throw invalidFilterPattern();
  const steps: SelectorStep[] = [];
  let index = 1;
  while (index < text.length) {
    const char = text.charAt(index);
    if (char === '[') {
      const bracket = readBracketStep(text, index);
      steps.push(bracket.step);
      index += bracket.length;
      continue;
    }
    if (char !== '.') throw invalidCharactersInTerm(text.slice(0, index + 1));
    index += 1;
    const following = text.charAt(index);
    if (following === '*') {
      steps.push({ kind: 'wildcard' });
      index += 1;
    } else if (following === '[') {
      // `$.['cluster.name']`: the bracket step is read on the next turn.
      continue;
    } else {
      const name = PROPERTY_NAME.exec(text.slice(index));
      if (name === null) {
        if (following === '') throw invalidFilterPattern();
        throw invalidCharactersInTerm(text.slice(0, index + 1));
      }
      steps.push({ kind: 'property', name: name[0] });
      index += name[0].length;
    }
  }
  if (steps.length === 0) throw invalidFilterPattern();
  const wildcards = steps.filter((step) => step.kind === 'wildcard').length;
  if (wildcards > MAX_WILDCARDS_PER_SELECTOR) throw invalidFilterPattern();
  return { steps, hasWildcard: wildcards > 0 };
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function childrenOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isJsonObject(value)) return Object.values(value);
  return [];
}

function applyStep(value: unknown, step: SelectorStep): unknown[] {
  switch (step.kind) {
    case 'property':
      return isJsonObject(value) && Object.hasOwn(value, step.name) ? [value[step.name]] : [];
    case 'index':
      return Array.isArray(value) && step.index < value.length ? [value[step.index]] : [];
    case 'wildcard':
      return childrenOf(value);
  }
}

/**
 * Every value the selector reaches in `document`: none when the path does not
 * exist, one for a plain path, possibly several through a wildcard.
 */
export function resolveJsonSelector(selector: JsonSelector, document: unknown): unknown[] {
  let values: unknown[] = [document];
  for (const step of selector.steps) {
    values = values.flatMap((value) => applyStep(value, step));
  }
  return values;
}
