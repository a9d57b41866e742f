/**
 * Event filtering for event source mappings: a record reaches the function when any filter's pattern
 * matches it (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html). The documented
 * subset is served: exact values (strings, numbers, booleans, null), prefix, numeric ranges, exists and
 * anything-but; a field holding an array matches when any element does.
 */
import { invalidParameter } from '../errors.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Pattern = { [key: string]: Pattern | Json[] };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NUMERIC_OPERATORS = new Set(['<', '<=', '=', '>', '>=']);

function checkPattern(pattern: unknown): pattern is Pattern {
  if (!isObject(pattern)) return false;
  return Object.values(pattern).every((value) => (Array.isArray(value) ? value.every(checkMatcher) : checkPattern(value)));
}

function checkMatcher(matcher: Json): boolean {
  if (!isObject(matcher)) return true;
  const entries = Object.entries(matcher);
  if (entries.length !== 1) return false;
  const [[kind, argument]] = entries as [[string, Json]];
  switch (kind) {
    case 'prefix':
      return typeof argument === 'string';
    case 'exists':
      return typeof argument === 'boolean';
    case 'anything-but':
      return Array.isArray(argument) ? argument.every((v) => typeof v !== 'object' || v === null) : typeof argument !== 'object' || argument === null;
    case 'numeric':
      return Array.isArray(argument) && argument.length % 2 === 0 && argument.length > 0 && argument.every((v, i) => (i % 2 === 0 ? typeof v === 'string' && NUMERIC_OPERATORS.has(v) : typeof v === 'number'));
    default:
      return false;
  }
}

/** Parses a filter's Pattern, or InvalidParameterValueException as CreateEventSourceMapping answers. */
export function parsePattern(text: string): Pattern {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!checkPattern(parsed)) throw invalidParameter(`Invalid filter pattern definition.`);
  return parsed;
}

function compare(value: number, operator: string, bound: number): boolean {
  if (operator === '<') return value < bound;
  if (operator === '<=') return value <= bound;
  if (operator === '=') return value === bound;
  if (operator === '>') return value > bound;
  return value >= bound;
}

function matchesValue(matcher: Json, value: Json | undefined): boolean {
  if (!isObject(matcher)) return value !== undefined && matcher === value;
  const [[kind, argument]] = Object.entries(matcher) as [[string, Json]];
  if (kind === 'exists') return argument === (value !== undefined);
  if (value === undefined) return false;
  if (kind === 'prefix') return typeof value === 'string' && value.startsWith(argument as string);
  if (kind === 'anything-but') return !(Array.isArray(argument) ? argument : [argument]).includes(value);
  const bounds = argument as (string | number)[];
  if (typeof value !== 'number') return false;
  for (let i = 0; i < bounds.length; i += 2) if (!compare(value, bounds[i] as string, bounds[i + 1] as number)) return false;
  return true;
}

export function matchesPattern(pattern: Pattern, event: Json | undefined): boolean {
  const fields = isObject(event) ? event : {};
  return Object.entries(pattern).every(([name, expected]) => {
    const value = fields[name];
    if (!Array.isArray(expected)) return matchesPattern(expected, value);
    const candidates: (Json | undefined)[] = Array.isArray(value) ? value : [value];
    return expected.some((matcher) => candidates.some((candidate) => matchesValue(matcher, candidate)));
  });
}

/** True when the record passes the mapping's filters (every record does when there are none). */
export function passesFilters(patterns: Pattern[], record: unknown): boolean {
  return patterns.length === 0 || patterns.some((pattern) => matchesPattern(pattern, record as Json));
}
