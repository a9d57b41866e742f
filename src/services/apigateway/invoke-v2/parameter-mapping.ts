/**
 * Parameter mapping of HTTP API integrations, as the request leaves for the integration and as its answer
 * comes back (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html).
 * The keys' grammar and create-time checks are in ../../apigatewayv2/parameter-mapping-rules.ts.
 *
 * A value is a single expression (`$request.header.x`), static text, or text with `${...}` parts. Header
 * and query values with several occurrences are joined with commas; `$request.body.x` is a JSONPath
 * without recursive descent or filters, read from the first 100 KB of the body.
 */
import { parseMappingKey } from '../../apigatewayv2/parameter-mapping-rules.js';
import type { GatewayResponse } from '../invoke/context.js';
import type { GatewayRequest } from '../invoke/request.js';
import { requestTime } from '../invoke/request.js';
import type { HttpInvocation } from './context.js';
import { stagedPath } from './context.js';

// "API Gateway truncates the request body at 100 KB before it applies the selection expression."
const BODY_LIMIT = 100 * 1024;

/** `a.b[0].c` (after `$request.body.`), `$` steps included or not; undefined when any step is missing. */
function walk(document: unknown, path: string): unknown {
  const steps = path.replace(/^\$\.?/, '').match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let current = document;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    const key = step.startsWith('[') ? Number(step.slice(1, -1)) : step;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function bodyValue(body: Buffer, path: string | undefined): string | undefined {
  if (path === undefined) return body.toString('utf8');
  let document: unknown;
  try {
    document = JSON.parse(body.subarray(0, BODY_LIMIT).toString('utf8'));
  } catch {
    return undefined;
  }
  const value = walk(document, path);
  return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
}

function joinedValues(values: Record<string, string[]>, name: string, caseless: boolean): string | undefined {
  const wanted = caseless ? name.toLowerCase() : name;
  const found = Object.entries(values).filter(([key]) => (caseless ? key.toLowerCase() : key) === wanted).flatMap(([, list]) => list);
  return found.length > 0 ? found.join(',') : undefined;
}

/** The $context variables parameter mapping can read. */
function contextValue(invocation: HttpInvocation, name: string): string | undefined {
  const { request, authorizer } = invocation;
  const context: Record<string, string | undefined> = {
    accountId: invocation.location.account, apiId: invocation.apiId, domainName: request.domainName, domainPrefix: request.domainName.split('.')[0],
    httpMethod: request.httpMethod, path: stagedPath(invocation), protocol: request.protocol, requestId: request.requestId,
    requestTime: requestTime(request.receivedAt), requestTimeEpoch: String(request.receivedAt), routeKey: invocation.route.RouteKey, stage: invocation.stage,
    'identity.sourceIp': request.sourceIp, 'identity.userAgent': request.userAgent,
  };
  if (Object.hasOwn(context, name)) return context[name];
  const claim = /^authorizer\.claims\.(.+)$/.exec(name)?.[1];
  if (claim !== undefined) return authorizer?.kind === 'jwt' ? authorizer.claims[claim] : undefined;
  const field = /^authorizer\.(.+)$/.exec(name)?.[1];
  if (field !== undefined && authorizer?.kind === 'lambda') {
    const value = field === 'principalId' ? authorizer.principalId : authorizer.context[field];
    return value === undefined || value === null ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
  }
  if (authorizer?.kind === 'iam') {
    const { identity } = authorizer;
    const signer: Record<string, string> = {
      'identity.accessKey': identity.accessKey, 'identity.accountId': identity.accountId, 'identity.caller': identity.callerId,
      'identity.user': identity.userId, 'identity.userArn': identity.userArn,
    };
    return signer[name];
  }
  return undefined;
}

/** One expression (`$request.header.x`, without braces), or undefined when it has no value. */
function expressionValue(expression: string, invocation: HttpInvocation, request: GatewayRequest, response: GatewayResponse | undefined): string | undefined {
  const [, scope = '', rest] = /^\$(request\.header|request\.querystring|request\.path|request\.body|context|stageVariables|response\.header|response\.body)(?:\.(.+))?$/.exec(expression) ?? [];
  switch (scope) {
    case 'request.header':
      return rest === undefined ? undefined : joinedValues(request.multiValueHeaders, rest, true);
    case 'request.querystring':
      return rest === undefined ? undefined : joinedValues(request.multiValueQuery, rest, false);
    case 'request.path':
      // The path without the stage, or one path parameter.
      return rest === undefined ? request.path : invocation.pathParameters[rest];
    case 'request.body':
      return bodyValue(request.body, rest);
    case 'context':
      return rest === undefined ? undefined : contextValue(invocation, rest);
    case 'stageVariables':
      return rest === undefined ? undefined : invocation.stageVariables[rest];
    case 'response.header': {
      if (!response || rest === undefined) return undefined;
      const wanted = rest.toLowerCase();
      const single = Object.entries(response.headers).find(([key]) => key.toLowerCase() === wanted)?.[1];
      return single ?? Object.entries(response.multiValueHeaders ?? {}).find(([key]) => key.toLowerCase() === wanted)?.[1].join(',');
    }
    case 'response.body':
      return response ? bodyValue(response.body, rest) : undefined;
    default:
      return undefined;
  }
}

/** A mapping value: a lone expression keeps "no value" (the parameter is then left alone); `${...}` parts without one become empty. */
export function mappedValue(value: string, invocation: HttpInvocation, request: GatewayRequest, response?: GatewayResponse): string | undefined {
  if (value.startsWith('$') && !value.startsWith('${')) return expressionValue(value, invocation, request, response);
  return value.replace(/\$\{([^}]*)\}/g, (_whole, inner: string) => expressionValue(`$${inner}`, invocation, request, response) ?? '');
}

function withoutName<T>(values: Record<string, T>, name: string, caseless: boolean): Record<string, T> {
  const wanted = caseless ? name.toLowerCase() : name;
  return Object.fromEntries(Object.entries(values).filter(([key]) => (caseless ? key.toLowerCase() : key) !== wanted));
}

/** What the integration receives: the request with its headers, query string and path mapped; `path` is set when `overwrite:path` applies. */
export interface MappedRequest {
  request: GatewayRequest;
  path?: string;
}

/** Applies an integration's RequestParameters (values are read from the original request). */
export function mapRequest(invocation: HttpInvocation, parameters: Record<string, string> | undefined): MappedRequest {
  const original = invocation.request;
  if (!parameters || Object.keys(parameters).length === 0) return { request: original };
  let headers = structuredClone(original.multiValueHeaders);
  let query = structuredClone(original.multiValueQuery);
  let queryChanged = false;
  let path: string | undefined;
  for (const [key, value] of Object.entries(parameters)) {
    const parsed = parseMappingKey(key, false);
    if (!parsed) continue;
    const mapped = parsed.action === 'remove' ? undefined : mappedValue(value, invocation, original);
    if (parsed.target === 'path') {
      if (mapped !== undefined) path = mapped.startsWith('/') ? mapped : `/${mapped}`;
      continue;
    }
    if (parsed.target === 'statuscode') continue;
    if (parsed.action !== 'remove' && mapped === undefined) continue;
    const { name } = parsed;
    const caseless = parsed.target === 'header';
    const current = caseless ? headers : query;
    const existing = parsed.action === 'append' ? Object.entries(current).filter(([key]) => (caseless ? key.toLowerCase() === name.toLowerCase() : key === name)).flatMap(([, list]) => list) : [];
    const next = withoutName(current, name, caseless);
    if (parsed.action !== 'remove') next[name] = [...existing, mapped ?? ''];
    if (caseless) headers = next;
    else {
      query = next;
      queryChanged = true;
    }
  }
  const lastOf = (values: Record<string, string[]>): Record<string, string> => Object.fromEntries(Object.entries(values).map(([name, list]) => [name, list[list.length - 1]]));
  const rawQuery = queryChanged
    ? Object.entries(query).flatMap(([name, list]) => list.map((item) => `${encodeURIComponent(name)}=${encodeURIComponent(item)}`)).join('&')
    : original.rawQuery;
  return {
    request: { ...original, headers: lastOf(headers), multiValueHeaders: headers, query: lastOf(query), multiValueQuery: query, rawQuery },
    ...(path === undefined ? {} : { path }),
  };
}

/** Applies the integration's ResponseParameters for the answer's status code (values read from the integration's answer). */
export function mapResponse(invocation: HttpInvocation, response: GatewayResponse, parameters: Record<string, Record<string, string>> | undefined): GatewayResponse {
  const forStatus = parameters?.[String(response.statusCode)];
  if (!forStatus) return response;
  let headers = { ...response.headers };
  let multiValueHeaders = { ...(response.multiValueHeaders ?? {}) };
  let statusCode = response.statusCode;
  for (const [key, value] of Object.entries(forStatus)) {
    const parsed = parseMappingKey(key, true);
    if (!parsed) continue;
    const mapped = parsed.action === 'remove' ? undefined : mappedValue(value, invocation, invocation.request, response);
    if (parsed.target === 'statuscode') {
      const code = Number(mapped);
      if (Number.isInteger(code) && code >= 100 && code <= 599) statusCode = code;
      continue;
    }
    if (parsed.target !== 'header' || (parsed.action !== 'remove' && mapped === undefined)) continue;
    const wanted = parsed.name.toLowerCase();
    const existing = Object.entries(headers).find(([name]) => name.toLowerCase() === wanted)?.[1];
    const existingMulti = Object.entries(multiValueHeaders).filter(([name]) => name.toLowerCase() === wanted).flatMap(([, list]) => list);
    headers = withoutName(headers, parsed.name, true);
    multiValueHeaders = withoutName(multiValueHeaders, parsed.name, true);
    if (parsed.action === 'overwrite') headers[parsed.name] = mapped ?? '';
    // Appending joins the new value to the ones the answer has, with commas.
    if (parsed.action === 'append') headers[parsed.name] = [...(existing === undefined ? [] : [existing]), ...existingMulti, mapped ?? ''].join(',');
  }
  return { ...response, statusCode, headers, multiValueHeaders };
}
