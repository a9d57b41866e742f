/**
 * Route keys. HTTP APIs: `$default`, or an HTTP method (or ANY) and a path whose segments are literals or
 * `{name}` variables, the last one possibly greedy (`{proxy+}`). WebSocket APIs: `$connect`, `$disconnect`,
 * `$default`, or any custom key matched against the route selection expression.
 * See https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html and
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-routes.html.
 */
import { badRequest } from './api-store.js';

const HTTP_METHODS = new Set(['ANY', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
const WEBSOCKET_PREDEFINED = new Set(['$connect', '$disconnect', '$default']);
const LITERAL_SEGMENT = /^[A-Za-z0-9._~:@!$&'()*,;=-]+$/;
const VARIABLE_SEGMENT = /^\{[A-Za-z0-9._-]+\}$/;
const GREEDY_SEGMENT = /^\{[A-Za-z0-9._-]+\+\}$/;

// The wording of these messages is our best recollection of AWS's; the conditions are AWS's.
function invalidHttpRouteKey(routeKey: string, reason: string): Error {
  return badRequest(`Unable to create route ${routeKey}: ${reason}`);
}

function checkHttpPath(routeKey: string, path: string): void {
  if (!path.startsWith('/')) throw invalidHttpRouteKey(routeKey, 'the path must start with /');
  if (path === '/') return;
  const segments = path.slice(1).split('/');
  segments.forEach((segment, index) => {
    if (segment === '') throw invalidHttpRouteKey(routeKey, 'the path has an empty segment');
    if (GREEDY_SEGMENT.test(segment)) {
      if (index !== segments.length - 1) throw invalidHttpRouteKey(routeKey, 'a greedy path variable must be the last segment of the path');
      return;
    }
    if (!VARIABLE_SEGMENT.test(segment) && !LITERAL_SEGMENT.test(segment)) throw invalidHttpRouteKey(routeKey, `invalid path segment ${segment}`);
  });
}

export function checkRouteKey(protocol: 'HTTP' | 'WEBSOCKET', routeKey: string): void {
  if (protocol === 'WEBSOCKET') {
    if (routeKey.startsWith('$') && !WEBSOCKET_PREDEFINED.has(routeKey)) {
      throw badRequest(`Route key ${routeKey} is reserved: only $connect, $disconnect and $default may start with $`);
    }
    return;
  }
  if (routeKey === '$default') return;
  const space = routeKey.indexOf(' ');
  const method = space < 0 ? routeKey : routeKey.slice(0, space);
  if (space < 0 || !HTTP_METHODS.has(method)) {
    throw invalidHttpRouteKey(routeKey, 'a route key is $default, or an HTTP method (or ANY), a space and a path');
  }
  checkHttpPath(routeKey, routeKey.slice(space + 1));
}
