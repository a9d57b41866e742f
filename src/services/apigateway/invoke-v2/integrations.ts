/**
 * HTTP API integrations: AWS_PROXY to a Lambda function (payload format 1.0 or 2.0) or to an AWS service
 * (IntegrationSubtype, service-integrations.ts), and HTTP_PROXY to an HTTP endpoint, over the internet or
 * a VPC link (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations.html).
 * Request and response parameter mapping (parameter-mapping.ts) applies to all of them.
 */
import type { ServiceRuntime } from '../../service.js';
import type { IntegrationV2 } from '../../apigatewayv2/records.js';
import type { GatewayResponse } from '../invoke/context.js';
import { jsonResponse, withStageVariables } from '../invoke/context.js';
import { functionOfUri, invokeFunction, proxyResponse } from '../invoke/lambda-proxy.js';
import type { HttpInvocation } from './context.js';
import { internalError } from './context.js';
import { eventV1, eventV2, restView } from './events.js';
import { mapRequest, mapResponse } from './parameter-mapping.js';
import { responseV2 } from './responses.js';
import { callAwsService } from './service-integrations.js';
import { DEFAULT_ROUTE } from './routes.js';

/** The function an integration (or authorizer) URI names: the API Gateway invocation URI form, or a bare function ARN. */
export function functionOf(uri: string, stageVariables: Record<string, string>): string | undefined {
  const resolved = withStageVariables(uri, stageVariables);
  return functionOfUri(resolved) ?? (/^arn:aws[\w-]*:lambda:/.test(resolved) ? resolved : undefined);
}

/**
 * What the integration did, for the access log: `status` is the backend's (Lambda's own 200 for a function
 * that ran, not the function's answer), and `answered` tells whether the client got the backend's answer
 * rather than one of the gateway's own errors.
 */
export interface IntegrationReport {
  status?: number;
  answered: boolean;
}

/** The invocation as the integration sees it once its RequestParameters are applied. */
function mappedInvocation(invocation: HttpInvocation, integration: IntegrationV2): { invocation: HttpInvocation; path?: string } {
  const mapped = mapRequest(invocation, integration.RequestParameters);
  return { invocation: { ...invocation, request: mapped.request }, path: mapped.path };
}

async function lambdaProxy(runtime: ServiceRuntime, original: HttpInvocation, integration: IntegrationV2, report: IntegrationReport): Promise<GatewayResponse> {
  const functionArn = functionOf(integration.IntegrationUri ?? '', original.stageVariables);
  if (!functionArn) return internalError();
  const { invocation: mapped, path } = mappedInvocation(original, integration);
  // `overwrite:path` changes the path the function is told about.
  const invocation = path === undefined ? mapped : { ...mapped, request: { ...mapped.request, path } };
  const v1 = integration.PayloadFormatVersion === '1.0';
  const event = v1 ? eventV1(invocation) : eventV2(invocation);
  const result = await invokeFunction(runtime, restView(invocation), functionArn, JSON.stringify(event));
  // A function error or an answer outside the contract: HTTP APIs answer 500 (REST APIs answer 502).
  if (!result) return internalError();
  report.status = 200;
  if (result.functionError) return internalError();
  const response = v1 ? proxyResponse(result.payload) : responseV2(result.payload);
  report.answered = response !== undefined;
  return response ?? internalError();
}

// Hop-by-hop headers, and the ones fetch recomputes.
const DROPPED = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'content-encoding', 'upgrade']);

/**
 * The backend URL: `{name}` (or `{name+}`) takes the path parameter's value; the `$default` route sends
 * the whole request path after the URI (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html#http-api-develop-routes.default).
 */
export function backendUrl(invocation: HttpInvocation, uri: string, overwrittenPath?: string): string {
  const encode = (value: string): string => value.split('/').map(encodeURIComponent).join('/');
  let target = withStageVariables(uri, invocation.stageVariables)
    .replace(/\{([^{}+]+)\+?\}/g, (_whole, name: string) => encode(invocation.pathParameters[name] ?? ''));
  if (overwrittenPath !== undefined) {
    // `overwrite:path` replaces the path of the integration's URL.
    const url = new URL(target);
    url.pathname = overwrittenPath;
    target = url.toString();
  } else if (invocation.route.RouteKey === DEFAULT_ROUTE) {
    target = `${target.replace(/\/$/, '')}${invocation.request.path}`;
  }
  const query = invocation.request.rawQuery;
  return query ? `${target}${target.includes('?') ? '&' : '?'}${query}` : target;
}

async function httpProxy(original: HttpInvocation, integration: IntegrationV2, report: IntegrationReport): Promise<GatewayResponse> {
  const { invocation, path } = mappedInvocation(original, integration);
  const { request } = invocation;
  const method = !integration.IntegrationMethod || integration.IntegrationMethod === 'ANY' ? request.httpMethod : integration.IntegrationMethod;
  const headers = Object.entries(request.multiValueHeaders).filter(([name]) => !DROPPED.has(name.toLowerCase()))
    .flatMap(([name, values]) => values.map((value): [string, string] => [name, value]));
  try {
    const response = await fetch(backendUrl(invocation, integration.IntegrationUri ?? '', path), {
      method,
      headers,
      body: ['GET', 'HEAD'].includes(method) || request.body.length === 0 ? undefined : request.body,
      signal: AbortSignal.timeout(integration.TimeoutInMillis ?? 30_000),
      redirect: 'manual',
    });
    const responseHeaders: Record<string, string> = {};
    const setCookies = response.headers.getSetCookie();
    response.headers.forEach((value, name) => {
      if (!DROPPED.has(name) && name !== 'set-cookie') responseHeaders[name] = value;
    });
    Object.assign(report, { status: response.status, answered: true });
    return {
      statusCode: response.status,
      headers: responseHeaders,
      ...(setCookies.length > 0 ? { multiValueHeaders: { 'set-cookie': setCookies } } : {}),
      body: Buffer.from(await response.arrayBuffer()),
    };
  } catch (error) {
    // The integration timed out: 503; the backend could not be reached: 500.
    return error instanceof Error && error.name === 'TimeoutError' ? jsonResponse(503, { message: 'Service Unavailable' }) : internalError();
  }
}

function call(runtime: ServiceRuntime, invocation: HttpInvocation, integration: IntegrationV2, report: IntegrationReport): Promise<GatewayResponse> {
  if (integration.IntegrationType === 'AWS_PROXY') {
    return integration.IntegrationSubtype ? callAwsService(runtime, invocation, integration, report) : lambdaProxy(runtime, invocation, integration, report);
  }
  // HTTP_PROXY, over the internet or a VPC link alike: with no VPC on one machine, a VPC link's integration
  // calls its IntegrationUri directly (a URL; a load balancer listener ARN has nothing to call).
  return httpProxy(invocation, integration, report);
}

/** The integration's answer with its ResponseParameters applied; the gateway's own errors are left as they are. */
export async function integrate(runtime: ServiceRuntime, invocation: HttpInvocation, integration: IntegrationV2 | undefined, report: IntegrationReport): Promise<GatewayResponse> {
  // No integration, or a type HTTP APIs do not have.
  if (!integration || (integration.IntegrationType !== 'AWS_PROXY' && integration.IntegrationType !== 'HTTP_PROXY')) return internalError();
  const response = await call(runtime, invocation, integration, report);
  return report.answered ? mapResponse(invocation, response, integration.ResponseParameters) : response;
}
