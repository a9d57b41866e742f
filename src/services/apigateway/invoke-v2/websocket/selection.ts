/**
 * Selection expressions of WebSocket APIs other than route selection (route-selection.ts): an
 * integration's TemplateSelectionExpression picks a request template, its
 * IntegrationResponseSelectionExpression an integration response, an integration response's
 * TemplateSelectionExpression a response template, and a route's RouteResponseSelectionExpression a
 * route response (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-selection-expressions.html).
 *
 * The language: `$name` or `${name}` is a variable (`request.body.a.b`, `integration.response.statuscode`,
 * `integration.response.body.a.b`), `\$` a literal dollar (so `\$default` is the key `$default`), anything
 * else literal text. Keys are either literal, or a pattern between slashes (`/4\d\d/`) matching the whole
 * value; `$default` catches what nothing else matched.
 */
import { memberText, parseBody } from './route-selection.js';

/** What the variables of an expression can read. */
export interface SelectionScope {
  /** The client's message as text (`request.body.*`). */
  requestBody?: string;
  /** The backend's status (`integration.response.statuscode`). */
  statusCode?: number;
  /** The backend's answer as text (`integration.response.body.*`). */
  responseBody?: string;
}

const DEFAULT_KEY = '$default';
/** `\$` (kept literal), `${name}` or `$name`. */
const TOKEN = /\\\$|\$\{([^}]+)\}|\$([A-Za-z][A-Za-z0-9_.-]*)/g;

function variableValue(name: string, scope: SelectionScope): string | undefined {
  if (name === 'default') return DEFAULT_KEY;
  if (name === 'integration.response.statuscode') return scope.statusCode === undefined ? undefined : String(scope.statusCode);
  const request = /^request\.body\.(.+)$/.exec(name);
  if (request) return scope.requestBody === undefined ? undefined : memberText(parseBody(scope.requestBody), request[1]);
  const response = /^integration\.response\.body\.(.+)$/.exec(name);
  return response && scope.responseBody !== undefined ? memberText(parseBody(scope.responseBody), response[1]) : undefined;
}

/** The key `expression` yields in `scope`; a variable without a value yields an empty text. */
export function evaluateSelection(expression: string, scope: SelectionScope): string {
  return expression.replace(TOKEN, (token: string, braced: string | undefined, bare: string | undefined) => {
    if (token === '\\$') return '$';
    return variableValue(braced ?? bare ?? '', scope) ?? '';
  });
}

function patternOf(key: string): RegExp | undefined {
  const source = /^\/(.+)\/$/s.exec(key)?.[1];
  if (source === undefined) return undefined;
  try {
    return new RegExp(`^(?:${source})$`, 's');
  } catch {
    return undefined;
  }
}

/**
 * The key of `keys` that `value` selects: the same literal key, else the first pattern key matching it
 * whole, else `$default`; undefined when none applies.
 */
export function selectKey(keys: string[], value: string | undefined): string | undefined {
  if (value !== undefined && value !== DEFAULT_KEY) {
    if (keys.includes(value)) return value;
    const matched = keys.find((key) => patternOf(key)?.test(value));
    if (matched !== undefined) return matched;
  }
  return keys.includes(DEFAULT_KEY) ? DEFAULT_KEY : undefined;
}
