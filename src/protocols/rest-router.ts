/**
 * Finds the operation a REST request (restJson1, restXml) calls from its method, path and query string,
 * using each operation's `http.requestUri` template: literal segments, `{Label}` and greedy `{Label+}`
 * segments, and literal query parts (`?acl`, `?list-type=2`) that must be present.
 * https://smithy.io/2.0/spec/http-bindings.html#http-trait
 *
 * botocore's models drop the `x-id=<Operation>` literals the Smithy models carry, so several S3
 * operations share a template (GET /{Bucket}/{Key+} is GetObject or ListParts). Those are told apart by
 * their required query-string and header members (ListParts requires ?uploadId), and by the x-id hint
 * when the client sends it.
 */
import type { Operation, ServiceModel } from './model.js';
import type { WireRequest } from './wire.js';
import { header } from './wire.js';

type Segment = { kind: 'literal'; text: string } | { kind: 'label'; name: string } | { kind: 'greedy'; name: string };

interface Route {
  operation: Operation;
  method: string;
  segments: Segment[];
  /** Index of the greedy label in `segments`, or -1. */
  greedyIndex: number;
  literalSegments: number;
  /** Query keys the template requires, with the value it requires (undefined: any value). */
  literalQuery: [string, string | undefined][];
  /** Wire names of required members bound to the query string and to headers (lower case). */
  requiredQuery: string[];
  requiredHeaders: string[];
  order: number;
}

interface RouteTable {
  byMethod: Map<string, Route[]>;
  all: Route[];
  /** Every header name some route requires: whether each is present is all of the headers routing reads. */
  headerNames: string[];
  /** Recent routing results by everything routing reads (see routingKey); clients repeat the same few requests. */
  recent: Map<string, RouteResult>;
}

export interface RouteMatch {
  operation: Operation;
  /** Label values, percent-decoded; a greedy label keeps its slashes. */
  labels: Record<string, string>;
  /** Query keys the template itself names: they are not input members. */
  literalQueryKeys: string[];
}

/** The outcome of routing: a match, or whether the path matched an operation under another method. */
export type RouteResult = { match: RouteMatch; methodMismatch: false } | { match: undefined; methodMismatch: boolean };

const X_ID = 'x-id';

function parseSegment(text: string): Segment {
  const label = /^\{([^}]+?)(\+?)\}$/.exec(text);
  if (!label) return { kind: 'literal', text };
  return label[2] ? { kind: 'greedy', name: label[1] } : { kind: 'label', name: label[1] };
}

function parseTemplateQuery(query: string | undefined): [string, string | undefined][] {
  if (!query) return [];
  return query
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? [part, undefined] : [part.slice(0, eq), part.slice(eq + 1)];
    });
}

function requiredBindings(model: ServiceModel, operation: Operation): { query: string[]; headers: string[] } {
  const shape = operation.input ? model.shapes[operation.input.shape] : undefined;
  const query: string[] = [];
  const headers: string[] = [];
  for (const member of shape?.required ?? []) {
    const ref = shape?.members?.[member];
    if (ref?.location === 'querystring') query.push(ref.locationName ?? member);
    if (ref?.location === 'header') headers.push((ref.locationName ?? member).toLowerCase());
  }
  return { query, headers };
}

function compileRoute(model: ServiceModel, operation: Operation, order: number): Route {
  const [path, query] = operation.http.requestUri.split('?', 2);
  const segments = path.split('/').filter((part) => part !== '').map(parseSegment);
  const required = requiredBindings(model, operation);
  return {
    operation,
    method: operation.http.method.toUpperCase(),
    segments,
    greedyIndex: segments.findIndex((segment) => segment.kind === 'greedy'),
    literalSegments: segments.filter((segment) => segment.kind === 'literal').length,
    literalQuery: parseTemplateQuery(query),
    requiredQuery: required.query,
    requiredHeaders: required.headers,
    order,
  };
}

const tables = new WeakMap<ServiceModel, RouteTable>();

function routeTable(model: ServiceModel): RouteTable {
  let table = tables.get(model);
  if (!table) {
    const all = Object.values(model.operations).map((operation, order) => compileRoute(model, operation, order));
    const byMethod = new Map<string, Route[]>();
    for (const route of all) {
      const routes = byMethod.get(route.method) ?? [];
      routes.push(route);
      byMethod.set(route.method, routes);
    }
    const headerNames = [...new Set(all.flatMap((route) => route.requiredHeaders))];
    table = { byMethod, all, headerNames, recent: new Map() };
    tables.set(model, table);
  }
  return table;
}

/** The path's segments, percent-decoded; undefined when the path has a malformed escape. */
function decodeSegments(path: string): string[] | undefined {
  const relative = path.startsWith('/') ? path.slice(1) : path;
  try {
    return relative.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

function matchSegment(segment: Segment, text: string, labels: Record<string, string>): boolean {
  if (segment.kind === 'literal') return segment.text === text;
  if (text === '') return false;
  labels[segment.name] = text;
  return true;
}

/** Matches path segments against a template; a greedy label takes one or more whole segments, slashes kept. */
function matchPath(route: Route, requestSegments: string[]): Record<string, string> | undefined {
  const { segments, greedyIndex } = route;
  // A trailing slash is tolerated unless a greedy label could own it (S3 keys may end in '/').
  const parts = greedyIndex < 0 && requestSegments.length > 0 && requestSegments.at(-1) === '' ? requestSegments.slice(0, -1) : requestSegments;
  if (greedyIndex < 0 ? parts.length !== segments.length : parts.length < segments.length) return undefined;
  const labels: Record<string, string> = {};
  const tailLength = greedyIndex < 0 ? 0 : segments.length - greedyIndex - 1;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment.kind === 'greedy') {
      const value = parts.slice(i, parts.length - tailLength).join('/');
      if (value === '') return undefined;
      labels[segment.name] = value;
      continue;
    }
    const text = greedyIndex >= 0 && i > greedyIndex ? parts[parts.length - (segments.length - i)] : parts[i];
    if (!matchSegment(segment, text, labels)) return undefined;
  }
  return labels;
}

function matchQuery(route: Route, query: URLSearchParams): boolean {
  return route.literalQuery.every(([key, value]) => query.has(key) && (value === undefined || query.get(key) === value));
}

function presentRequired(route: Route, request: WireRequest): number {
  const query = route.requiredQuery.filter((key) => request.query.has(key)).length;
  const headers = route.requiredHeaders.filter((name) => header(request, name) !== undefined).length;
  return query + headers;
}

/**
 * How specific a matching route is, compared element by element: the client's x-id hint first, then
 * literal path segments, literal query keys, whether every required bound member is present and how many
 * are, a route without a greedy label, a route not deprecated, and finally the model's order.
 */
function rank(route: Route, request: WireRequest): number[] {
  const present = presentRequired(route, request);
  const required = route.requiredQuery.length + route.requiredHeaders.length;
  return [
    request.query.get(X_ID) === route.operation.name ? 1 : 0,
    route.literalSegments,
    route.literalQuery.length,
    present === required ? 1 : 0,
    present,
    route.greedyIndex < 0 ? 1 : 0,
    route.operation.deprecated ? 0 : 1,
    -route.order,
  ];
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** Frozen: a match may be remembered and shared by every request routed the same way. */
function toMatch(route: Route, labels: Record<string, string>): RouteMatch {
  return Object.freeze({ operation: route.operation, labels: Object.freeze(labels), literalQueryKeys: Object.freeze(route.literalQuery.map(([key]) => key)) as string[] });
}

const lastMatches = new WeakMap<WireRequest, RouteMatch>();

/** Routing results kept per model: a bounded memo, dropped whole when full. */
const RECENT_ROUTES = 256;

/**
 * What routing reads of a request: method, path, query string, and which required headers are present.
 * Two requests with the same key route the same way.
 */
function routingKey(table: RouteTable, request: WireRequest, path: string): string {
  let key = `${request.method} ${path}?${request.rawQuery}`;
  for (const name of table.headerNames) key += header(request, name) === undefined ? '0' : '1';
  return key;
}

/**
 * Routes a request. `path` is the still-encoded path to route on; it defaults to the request's (rest-xml
 * passes another one for S3 virtual-hosted requests, whose bucket is in the host).
 */
export function findRoute(model: ServiceModel, request: WireRequest, path = request.path): RouteResult {
  const table = routeTable(model);
  const key = routingKey(table, request, path);
  let result = table.recent.get(key);
  if (!result) {
    result = routeAfresh(table, request, path);
    if (table.recent.size >= RECENT_ROUTES) table.recent.clear();
    table.recent.set(key, result);
  }
  if (result.match) lastMatches.set(request, result.match);
  return result;
}

function routeAfresh(table: RouteTable, request: WireRequest, path: string): RouteResult {
  const segments = decodeSegments(path);
  if (!segments) return { match: undefined, methodMismatch: false };
  let best: { route: Route; labels: Record<string, string>; rank: number[] } | undefined;
  for (const route of table.byMethod.get(request.method.toUpperCase()) ?? []) {
    const labels = matchQuery(route, request.query) ? matchPath(route, segments) : undefined;
    if (!labels) continue;
    const routeRank = rank(route, request);
    if (!best || compareRanks(routeRank, best.rank) > 0) best = { route, labels, rank: routeRank };
  }
  if (best) return { match: toMatch(best.route, best.labels), methodMismatch: false };
  const methodMismatch = table.all.some((route) => matchQuery(route, request.query) && matchPath(route, segments) !== undefined);
  return { match: undefined, methodMismatch };
}

/**
 * The labels of `operation` in this request: from the routing already done for it when it chose the same
 * operation, else by matching that operation's template alone (empty labels when it does not match).
 */
export function matchOperation(model: ServiceModel, operation: Operation, request: WireRequest, path = request.path): RouteMatch {
  const remembered = lastMatches.get(request);
  if (remembered?.operation === operation) return remembered;
  const route = routeTable(model).all.find((candidate) => candidate.operation === operation) ?? compileRoute(model, operation, 0);
  const segments = decodeSegments(path);
  const labels = segments ? matchPath(route, segments) : undefined;
  return toMatch(route, labels ?? {});
}
