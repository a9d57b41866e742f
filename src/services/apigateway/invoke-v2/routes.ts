/**
 * Route selection for HTTP APIs. A route key is `METHOD /path` (METHOD may be ANY) or `$default`; path
 * parts are literals, `{name}` (one segment) or a trailing greedy `{name+}` (one or more segments).
 * AWS picks the most specific match: a full match of path and method first, then greedy paths (the
 * longest literal prefix first), then `$default`; among equally specific paths an exact method beats ANY
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html#http-api-develop-routes.evaluation).
 */
import type { RouteV2 } from '../../apigatewayv2/records.js';

export const DEFAULT_ROUTE = '$default';

type Part = { kind: 'literal'; value: string } | { kind: 'variable'; name: string } | { kind: 'greedy'; name: string };

interface ParsedRoute {
  route: RouteV2;
  method: string;
  parts: Part[];
}

export interface RouteSelection {
  route: RouteV2;
  /** Decoded values of the path variables, by name (a greedy variable's name without `+`). */
  pathParameters: Record<string, string>;
}

function parsePart(text: string): Part {
  const variable = /^\{([^{}]+?)(\+?)\}$/.exec(text);
  if (!variable) return { kind: 'literal', value: text };
  return variable[2] ? { kind: 'greedy', name: variable[1] } : { kind: 'variable', name: variable[1] };
}

/** A route key's method and path parts, or undefined for `$default` (and keys that are not `METHOD /path`). */
export function parseRouteKey(route: RouteV2): ParsedRoute | undefined {
  const match = /^(\S+) (\/.*)$/.exec(route.RouteKey);
  if (!match) return undefined;
  return { route, method: match[1].toUpperCase(), parts: match[2].split('/').filter((part) => part !== '').map(parsePart) };
}

function bind(parts: Part[], segments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.kind === 'greedy') {
      if (i >= segments.length) return undefined;
      params[part.name] = segments.slice(i).join('/');
      return params;
    }
    if (i >= segments.length) return undefined;
    if (part.kind === 'literal' && part.value !== segments[i]) return undefined;
    if (part.kind === 'variable') params[part.name] = segments[i];
  }
  return parts.length === segments.length ? params : undefined;
}

const WEIGHT = { literal: 0, variable: 1, greedy: 2 } as const;

/** Negative when `a` is more specific than `b`: path parts left to right (literal, then {var}, then {greedy+}), then the method. */
function specificity(a: ParsedRoute, b: ParsedRoute): number {
  const greedyA = Number(a.parts.at(-1)?.kind === 'greedy');
  const greedyB = Number(b.parts.at(-1)?.kind === 'greedy');
  if (greedyA !== greedyB) return greedyA - greedyB;
  for (let i = 0; i < Math.min(a.parts.length, b.parts.length); i++) {
    const difference = WEIGHT[a.parts[i].kind] - WEIGHT[b.parts[i].kind];
    if (difference !== 0) return difference;
  }
  if (a.parts.length !== b.parts.length) return b.parts.length - a.parts.length;
  return Number(a.method === 'ANY') - Number(b.method === 'ANY');
}

/** The route for `method` and `path` (the path after the stage), or undefined: AWS's 404 Not Found. */
export function selectRoute(routes: RouteV2[], method: string, path: string): RouteSelection | undefined {
  const segments = path.split('/').filter((segment) => segment !== '').map(safeDecode);
  const wanted = method.toUpperCase();
  let best: { parsed: ParsedRoute; params: Record<string, string> } | undefined;
  let fallback: RouteV2 | undefined;
  for (const route of routes) {
    if (route.RouteKey === DEFAULT_ROUTE) {
      fallback = route;
      continue;
    }
    const parsed = parseRouteKey(route);
    if (!parsed || (parsed.method !== wanted && parsed.method !== 'ANY')) continue;
    const params = bind(parsed.parts, segments);
    if (params && (!best || specificity(parsed, best.parsed) < 0)) best = { parsed, params };
  }
  if (best) return { route: best.parsed.route, pathParameters: best.params };
  return fallback ? { route: fallback, pathParameters: {} } : undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The stage an address names: a first path segment that is a stage's name wins; otherwise the `$default`
 * stage serves the whole path, stage segment-free (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-stages.html).
 * `tail` is the path after the API id (host form: the whole path).
 */
export function selectStage<S>(stages: Record<string, S>, tail: string): { name: string; stage: S; path: string } | undefined {
  const [, first = '', ...rest] = tail.split('/');
  const named = safeDecode(first);
  if (named !== '' && named !== '$default' && Object.hasOwn(stages, named)) return { name: named, stage: stages[named], path: `/${rest.join('/')}` };
  return Object.hasOwn(stages, '$default') ? { name: '$default', stage: stages.$default, path: tail === '' ? '/' : tail } : undefined;
}
