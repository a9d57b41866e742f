/**
 * AWS_PROXY to Lambda: the v1 proxy event and the proxy response contract
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html).
 */
import type { ServiceRuntime } from '../../service.js';
import type { ApiLocation } from '../api-record.js';
import type { GatewayResponse, Invocation } from './context.js';
import { requestContext } from './context.js';
import { isBinaryMediaType } from './binary.js';
import { gatewayError } from './gateway-errors.js';
import { headerOf } from './request.js';

/** The function ARN inside an integration URI, e.g. arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/<arn>/invocations. */
export function functionOfUri(uri: string): string | undefined {
  return /:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/.exec(uri)?.[1];
}

export function proxyEvent(invocation: Invocation): Record<string, unknown> {
  const { request, route } = invocation;
  // REST APIs pass a body base64-encoded when its Content-Type is one of the API's binaryMediaTypes;
  // callers without such a list (HTTP APIs' 1.0 events) tell text by the media type.
  const textual = request.body.length === 0 || (invocation.binaryMediaTypes
    ? !isBinaryMediaType(invocation.binaryMediaTypes, headerOf(request, 'content-type'))
    : isText(request.headers));
  const orNull = <T extends object>(value: T): T | null => (Object.keys(value).length > 0 ? value : null);
  return {
    resource: route.resource.path,
    path: request.path,
    httpMethod: request.httpMethod,
    headers: orNull(request.headers),
    multiValueHeaders: orNull(request.multiValueHeaders),
    queryStringParameters: orNull(request.query),
    multiValueQueryStringParameters: orNull(request.multiValueQuery),
    pathParameters: orNull(route.pathParameters),
    stageVariables: orNull(invocation.stageVariables),
    requestContext: requestContext(invocation),
    body: request.body.length === 0 ? null : request.body.toString(textual ? 'utf8' : 'base64'),
    isBase64Encoded: !textual,
  };
}

function isText(headers: Record<string, string>): boolean {
  const type = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  return type === '' || /^(text\/|application\/(json|xml|x-www-form-urlencoded|javascript))|\+json|\+xml/i.test(type);
}

const PROXY_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded', 'cookies']);

const isStringMap = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A function's answer as an HTTP response; anything outside the contract is "Malformed Lambda proxy response" (a 502). */
/** `decodeBase64` decides, from the answer's headers, whether an isBase64Encoded body becomes bytes. */
export function proxyResponse(payload: string, decodeBase64: (headers: Record<string, string>) => boolean = () => true): GatewayResponse | undefined {
  let output: unknown;
  try {
    output = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!isStringMap(output) || Object.keys(output).some((key) => !PROXY_KEYS.has(key))) return undefined;
  const statusCode = typeof output.statusCode === 'string' ? Number(output.statusCode) : output.statusCode;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return undefined;
  if (output.body !== undefined && output.body !== null && typeof output.body !== 'string') return undefined;
  if (output.headers !== undefined && output.headers !== null && !isStringMap(output.headers)) return undefined;
  if (output.multiValueHeaders !== undefined && output.multiValueHeaders !== null && !isStringMap(output.multiValueHeaders)) return undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(output.headers ?? {})) headers[name] = String(value);
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(output.multiValueHeaders ?? {})) {
    if (!Array.isArray(values)) return undefined;
    multiValueHeaders[name] = values.map(String);
  }
  const body = typeof output.body === 'string' ? output.body : '';
  return { statusCode, headers, multiValueHeaders, body: Buffer.from(body, output.isBase64Encoded === true && decodeBase64(headers) ? 'base64' : 'utf8') };
}

export interface LambdaResult {
  payload: string;
  functionError?: string;
}

/**
 * Invokes a function synchronously from the API's account and region, for REST, HTTP and WebSocket APIs
 * alike. Undefined when there was no answer at all (a missing function, a throttle): there is no Lambda
 * response to map, and each caller answers with its own gateway error (a 500 for REST APIs).
 */
export async function invokeFunction(runtime: ServiceRuntime, caller: { location: ApiLocation }, functionArn: string, event: string): Promise<LambdaResult | undefined> {
  try {
    const output = await runtime.client.call<{ Payload?: Uint8Array; FunctionError?: string }>('lambda', 'Invoke', {
      FunctionName: functionArn, Payload: Buffer.from(event),
    }, caller.location);
    return { payload: Buffer.from(output.Payload ?? []).toString('utf8'), functionError: output.FunctionError };
  } catch {
    return undefined;
  }
}

export async function lambdaProxy(runtime: ServiceRuntime, invocation: Invocation, functionArn: string): Promise<GatewayResponse> {
  const result = await invokeFunction(runtime, invocation, functionArn, JSON.stringify(proxyEvent(invocation)));
  if (!result) return gatewayError('API_CONFIGURATION_ERROR', 'Internal server error');
  // A function error or an answer outside the contract is a 502 Bad Gateway with the same body.
  const badGateway = (): GatewayResponse => gatewayError('DEFAULT_5XX', 'Internal server error', { statusCode: 502 });
  if (result.functionError) return badGateway();
  // A base64 body becomes bytes only when the client's first Accept type (or the answer's Content-Type) is binary.
  const binaryTypes = invocation.binaryMediaTypes;
  const response = proxyResponse(result.payload, (headers) => !binaryTypes || isBinaryMediaType(binaryTypes, headerOf(invocation.request, 'accept'))
    || isBinaryMediaType(binaryTypes, Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1]));
  return response ?? badGateway();
}
