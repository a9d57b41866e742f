/**
 * CORS for HTTP APIs with a CorsConfiguration: the gateway answers preflight OPTIONS requests itself
 * when no route takes them (a `$default` or `ANY` route does, authorizer included, which is why AWS
 * suggests an unauthorized `OPTIONS /{proxy+}` route), adds the configured headers to every response to
 * an allowed origin, and ignores the CORS headers an integration returns. Allowed origins are exact, `*`,
 * or prefixes such as `https://*` (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html).
 */
import type { Cors } from '../../../generated/apigatewayv2.js';
import type { GatewayResponse } from '../invoke/context.js';

/** What CORS looks at: the method, and the request headers by lower-case name. */
export interface CorsRequest {
  method: string;
  headers: Record<string, string | undefined>;
}

/** A preflight is an OPTIONS request that names its origin and the method it means to use. */
export function isPreflight(request: CorsRequest): boolean {
  return request.method.toUpperCase() === 'OPTIONS' && request.headers.origin !== undefined && request.headers['access-control-request-method'] !== undefined;
}

function allowedOrigin(cors: Cors, origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  const origins = cors.AllowOrigins ?? [];
  if (origins.includes('*')) return cors.AllowCredentials ? origin : '*';
  const matches = origins.some((entry) => entry.includes('*')
    ? new RegExp(`^${entry.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i').test(origin)
    : entry.toLowerCase() === origin.toLowerCase());
  return matches ? origin : undefined;
}

/** The configured headers for a request from an allowed origin (none otherwise); methods, headers and max age answer preflights only. */
function corsHeaders(cors: Cors, request: CorsRequest): Record<string, string> {
  const origin = allowedOrigin(cors, request.headers.origin);
  if (origin === undefined) return {};
  const answer: Record<string, string> = { 'access-control-allow-origin': origin };
  if (cors.AllowCredentials) answer['access-control-allow-credentials'] = 'true';
  if (cors.ExposeHeaders?.length) answer['access-control-expose-headers'] = cors.ExposeHeaders.join(',');
  if (isPreflight(request)) {
    if (cors.AllowMethods?.length) answer['access-control-allow-methods'] = cors.AllowMethods.join(',');
    if (cors.AllowHeaders?.length) answer['access-control-allow-headers'] = cors.AllowHeaders.join(',');
    if (cors.MaxAge !== undefined && cors.MaxAge >= 0) answer['access-control-max-age'] = String(cors.MaxAge);
  }
  return answer;
}

/** The gateway's own 204 answer to a preflight that no route takes. */
export function preflightResponse(cors: Cors, request: CorsRequest): GatewayResponse {
  return { statusCode: 204, headers: corsHeaders(cors, request), body: Buffer.alloc(0) };
}

/** A response with the integration's CORS headers replaced by the configured ones. */
export function withCorsHeaders(cors: Cors, request: CorsRequest, response: GatewayResponse): GatewayResponse {
  const kept = (names: Record<string, unknown>): string[] => Object.keys(names).filter((name) => !name.toLowerCase().startsWith('access-control-'));
  const headers: Record<string, string> = {};
  for (const name of kept(response.headers)) headers[name] = response.headers[name];
  const multiValueHeaders: Record<string, string[]> = {};
  for (const name of kept(response.multiValueHeaders ?? {})) multiValueHeaders[name] = response.multiValueHeaders![name];
  return { ...response, headers: { ...headers, ...corsHeaders(cors, request) }, multiValueHeaders };
}
