/**
 * CORS for function URLs (https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html#urls-cors):
 * with a Cors configuration Lambda answers preflight requests itself, without invoking the function, and
 * adds the configured headers to every response, taking precedence over the function's own.
 */
import type { Cors } from '../../../generated/lambda.js';

export type HeaderValues = Record<string, string | undefined>;

function includes(list: string[] | undefined, value: string): boolean {
  return (list ?? []).some((entry) => entry === '*' || entry.toLowerCase() === value.toLowerCase());
}

/** The Access-Control-Allow-Origin value for `origin`, if the configuration allows it. */
function allowedOrigin(cors: Cors, origin: string | undefined): string | undefined {
  if (!origin || !includes(cors.AllowOrigins, origin)) return undefined;
  // `*` cannot accompany credentials in a browser, so the origin is echoed then.
  return cors.AllowOrigins?.includes('*') && !cors.AllowCredentials ? '*' : origin;
}

/** A browser's preflight: OPTIONS announcing the method it wants to use. */
export function isPreflight(method: string, headers: HeaderValues): boolean {
  return method === 'OPTIONS' && headers.origin !== undefined && headers['access-control-request-method'] !== undefined;
}

/** The headers of Lambda's answer to a preflight; none when the origin or method is not allowed, so the browser refuses. */
export function preflightHeaders(cors: Cors, headers: HeaderValues): Record<string, string> {
  const origin = allowedOrigin(cors, headers.origin);
  const method = headers['access-control-request-method'] ?? '';
  if (!origin || !includes(cors.AllowMethods, method)) return {};
  const requested = headers['access-control-request-headers'];
  const out: Record<string, string> = {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': cors.AllowMethods?.includes('*') ? method : (cors.AllowMethods ?? []).join(','),
  };
  if (cors.AllowHeaders?.length) out['access-control-allow-headers'] = cors.AllowHeaders.includes('*') && requested ? requested : cors.AllowHeaders.join(',');
  if (cors.AllowCredentials) out['access-control-allow-credentials'] = 'true';
  if (cors.MaxAge !== undefined) out['access-control-max-age'] = String(cors.MaxAge);
  if (origin !== '*') out.vary = 'Origin';
  return out;
}

/** The CORS headers added to an actual (non-preflight) response. */
export function responseCorsHeaders(cors: Cors, headers: HeaderValues): Record<string, string> {
  const origin = allowedOrigin(cors, headers.origin);
  if (!origin) return {};
  const out: Record<string, string> = { 'access-control-allow-origin': origin };
  if (cors.ExposeHeaders?.length) out['access-control-expose-headers'] = cors.ExposeHeaders.join(',');
  if (cors.AllowCredentials) out['access-control-allow-credentials'] = 'true';
  if (origin !== '*') out.vary = 'Origin';
  return out;
}
