/**
 * Which route a WebSocket message goes to: the API's route selection expression is evaluated against the
 * message body, and the value names a route key; anything that selects no route goes to `$default`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-routes.html).
 *
 * Expressions take the forms `$request.body.action`, `$request.body.a.b` (a nested member), or a
 * template such as `${request.body.service}.${request.body.action}` mixing members with literal text.
 */
import type { RouteV2 } from '../../../apigatewayv2/records.js';

const WHOLE_MEMBER = /^\$request\.body\.([^{}$]+)$/;
const TEMPLATE_MEMBER = /\$\{request\.body\.([^}]+)\}/g;

/** The routes a client message can never select: they belong to the connection's lifecycle. */
const LIFECYCLE_ROUTES = new Set(['$connect', '$disconnect']);

/** A member of a parsed JSON body as key text: strings as they are, numbers and booleans printed, else nothing. */
export function memberText(body: unknown, path: string): string | undefined {
  let value = body;
  for (const name of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, name)) return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

export function parseBody(message: string): unknown {
  try {
    return JSON.parse(message) as unknown;
  } catch {
    return undefined;
  }
}

/** The route key `expression` selects for `message`, or undefined (a non-JSON message, a missing member). */
export function selectRouteKey(expression: string, message: string): string | undefined {
  const whole = WHOLE_MEMBER.exec(expression);
  if (whole) return memberText(parseBody(message), whole[1]);
  if (!expression.includes('${request.body.')) return expression;
  const body = parseBody(message);
  let missing = false;
  const key = expression.replace(TEMPLATE_MEMBER, (_whole, path: string) => {
    const text = memberText(body, path);
    if (text === undefined) missing = true;
    return text ?? '';
  });
  return missing ? undefined : key;
}

/** The route a message goes to: the one whose key the expression selects, else `$default`, else none. */
export function selectRoute(routes: Record<string, RouteV2>, expression: string, message: string): RouteV2 | undefined {
  const key = selectRouteKey(expression, message);
  const all = Object.values(routes);
  const selected = key === undefined || LIFECYCLE_ROUTES.has(key) ? undefined : all.find((route) => route.RouteKey === key);
  return selected ?? all.find((route) => route.RouteKey === '$default');
}

/** The route with a lifecycle key (`$connect`, `$disconnect`), if the API has one. */
export function lifecycleRoute(routes: Record<string, RouteV2>, key: '$connect' | '$disconnect'): RouteV2 | undefined {
  return Object.values(routes).find((route) => route.RouteKey === key);
}
