/**
 * HTTP_PROXY: the request goes to the backend as it came (method, headers, query, body), with {name}
 * in the URI taken from the path parameters, and the backend's response comes back as it is.
 */
import type { Integration } from '../../../generated/apigateway.js';
import type { GatewayResponse, Invocation } from './context.js';
import { withStageVariables } from './context.js';
import { gatewayError } from './gateway-errors.js';

// Hop-by-hop headers, and the ones fetch recomputes.
const DROPPED = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'content-encoding']);

/** The value for {name} in the URI: the mapped parameter (integration.request.path.name), else the same-named path parameter. */
function pathValue(integration: Integration, invocation: Invocation, name: string): string {
  const source = integration.requestParameters?.[`integration.request.path.${name}`];
  const mapped = source ? /^method\.request\.path\.(.+)$/.exec(source)?.[1] : undefined;
  const value = invocation.route.pathParameters[mapped ?? name] ?? '';
  return value.split('/').map(encodeURIComponent).join('/');
}

export async function httpProxy(integration: Integration, invocation: Invocation): Promise<GatewayResponse> {
  const { request } = invocation;
  const base = withStageVariables(integration.uri ?? '', invocation.stageVariables).replace(/\{([a-zA-Z0-9._-]+)\+?\}/g, (_whole, name: string) => pathValue(integration, invocation, name));
  const target = request.rawQuery ? `${base}${base.includes('?') ? '&' : '?'}${request.rawQuery}` : base;
  const headers = Object.entries(request.multiValueHeaders).filter(([name]) => !DROPPED.has(name.toLowerCase()))
    .flatMap(([name, values]) => values.map((value): [string, string] => [name, value]));
  const method = integration.httpMethod === 'ANY' || !integration.httpMethod ? request.httpMethod : integration.httpMethod;
  try {
    const response = await fetch(target, { method, headers, body: ['GET', 'HEAD'].includes(method) || request.body.length === 0 ? undefined : request.body });
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!DROPPED.has(name)) responseHeaders[name] = value;
    });
    return { statusCode: response.status, headers: responseHeaders, body: Buffer.from(await response.arrayBuffer()) };
  } catch {
    return gatewayError('API_CONFIGURATION_ERROR', 'Internal server error');
  }
}
