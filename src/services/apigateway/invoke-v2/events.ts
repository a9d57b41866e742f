/**
 * The events a Lambda proxy integration (and a Lambda authorizer) receives from an HTTP API, in payload
 * format 2.0 and 1.0 (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
 */
import type { Invocation } from '../invoke/context.js';
import { proxyEvent } from '../invoke/lambda-proxy.js';
import { requestTime } from '../invoke/request.js';
import type { HttpInvocation, IamIdentity } from './context.js';
import { stagedPath } from './context.js';
import { DEFAULT_ROUTE } from './routes.js';

type Event = Record<string, unknown>;

/** Bodies of these types reach the function as text; anything else is base64 with isBase64Encoded. */
function isTextual(contentType: string): boolean {
  return contentType === '' || /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|graphql))|\+json|\+xml/i.test(contentType);
}

/** Headers with lower-case names, repeated ones joined with commas; the cookie header is split off into `cookies`. */
function headersV2(invocation: HttpInvocation): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, values] of Object.entries(invocation.request.multiValueHeaders)) {
    const lower = name.toLowerCase();
    if (lower === 'cookie') {
      cookies.push(...values.flatMap((value) => value.split(';')).map((cookie) => cookie.trim()).filter(Boolean));
      continue;
    }
    headers[lower] = headers[lower] === undefined ? values.join(',') : `${headers[lower]},${values.join(',')}`;
  }
  return { headers, cookies };
}

function bodyOf(invocation: HttpInvocation): { body?: string; isBase64Encoded: boolean } {
  const { body, multiValueHeaders } = invocation.request;
  const contentType = Object.entries(multiValueHeaders).find(([name]) => name.toLowerCase() === 'content-type')?.[1][0] ?? '';
  const textual = isTextual(contentType);
  return body.length === 0 ? { isBase64Encoded: false } : { body: body.toString(textual ? 'utf8' : 'base64'), isBase64Encoded: !textual };
}

const unlessEmpty = <T extends object>(value: T): T | undefined => (Object.keys(value).length > 0 ? value : undefined);

/** JWT claims as HTTP APIs pass them on: every value a string, arrays as `[a b]`. */
export function flattenClaims(claims: Record<string, unknown>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    flat[name] = typeof value === 'string' ? value
      : Array.isArray(value) ? `[${value.map(String).join(' ')}]`
        : value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return flat;
}

function authorizerV2(invocation: HttpInvocation): Event | undefined {
  const { authorizer } = invocation;
  if (!authorizer) return undefined;
  if (authorizer.kind === 'iam') return { iam: { ...authorizer.identity, cognitoIdentity: null, principalOrgId: null } };
  return authorizer.kind === 'jwt' ? { jwt: { claims: authorizer.claims, scopes: authorizer.scopes } } : { lambda: authorizer.context };
}

/** The requestContext of a 2.0 event (also the authorizer's 2.0 event). */
function requestContextV2(invocation: HttpInvocation): Event {
  const { request } = invocation;
  const authorizer = authorizerV2(invocation);
  return {
    accountId: invocation.location.account,
    apiId: invocation.apiId,
    ...(authorizer ? { authorizer } : {}),
    domainName: request.domainName,
    domainPrefix: request.domainName.split('.')[0],
    http: { method: request.httpMethod, path: stagedPath(invocation), protocol: request.protocol, sourceIp: request.sourceIp, userAgent: request.userAgent },
    requestId: request.requestId,
    routeKey: invocation.route.RouteKey,
    stage: invocation.stage,
    time: requestTime(request.receivedAt),
    timeEpoch: request.receivedAt,
  };
}

/** The parts of a 2.0 event that the integration's and the authorizer's events share. */
function requestPartsV2(invocation: HttpInvocation): Event {
  const { headers, cookies } = headersV2(invocation);
  const query: Record<string, string> = {};
  for (const [name, values] of Object.entries(invocation.request.multiValueQuery)) query[name] = values.join(',');
  return {
    routeKey: invocation.route.RouteKey,
    rawPath: stagedPath(invocation),
    rawQueryString: invocation.request.rawQuery,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    queryStringParameters: unlessEmpty(query),
    requestContext: requestContextV2(invocation),
    pathParameters: unlessEmpty(invocation.pathParameters),
    stageVariables: unlessEmpty(invocation.stageVariables),
  };
}

export function eventV2(invocation: HttpInvocation): Event {
  return { version: '2.0', ...requestPartsV2(invocation), ...bodyOf(invocation) };
}

/** A Lambda authorizer's 2.0 event: the request without its body, the route's ARN and the identity source values. */
export function authorizerEventV2(invocation: HttpInvocation, routeArn: string, identitySource: string[]): Event {
  return { version: '2.0', type: 'REQUEST', routeArn, identitySource, ...requestPartsV2(invocation) };
}

/** The route key's path (`/pets/{id}`), which payload 1.0 calls the resource; `$default` for the default route. */
function resourceOf(invocation: HttpInvocation): string {
  return invocation.route.RouteKey === DEFAULT_ROUTE ? DEFAULT_ROUTE : invocation.route.RouteKey.slice(invocation.route.RouteKey.indexOf(' ') + 1);
}

/** The invocation as REST API helpers see it, so payload 1.0 reuses the REST proxy event. */
export function restView(invocation: HttpInvocation): Invocation {
  return {
    request: invocation.request,
    route: { resource: { id: invocation.route.RouteKey, path: resourceOf(invocation), methods: {} }, method: {}, pathParameters: invocation.pathParameters },
    apiId: invocation.apiId,
    stage: invocation.stage,
    stageVariables: invocation.stageVariables,
    location: invocation.location,
    // An AWS_IAM route's signer, as payload 1.0 shows it in requestContext.identity.
    ...(invocation.authorizer?.kind === 'iam' ? { caller: iamCaller(invocation.authorizer.identity) } : {}),
  };
}

function iamCaller(identity: IamIdentity): NonNullable<Invocation['caller']> {
  return { accessKey: identity.accessKey, accountId: identity.accountId, caller: identity.callerId, user: identity.userId, userArn: identity.userArn };
}

function authorizerV1(invocation: HttpInvocation): Event | undefined {
  const { authorizer } = invocation;
  if (!authorizer) return undefined;
  if (authorizer.kind === 'iam') return undefined;
  if (authorizer.kind === 'jwt') return { claims: authorizer.claims, scopes: authorizer.scopes };
  return { ...authorizer.context, ...(authorizer.principalId === undefined ? {} : { principalId: authorizer.principalId }) };
}

/** Payload 1.0: the REST API proxy event with `version`, where paths keep a named stage as HTTP APIs address it. */
export function eventV1(invocation: HttpInvocation): Event {
  const event = proxyEvent(restView(invocation));
  const authorizer = authorizerV1(invocation);
  return {
    version: '1.0',
    ...event,
    path: stagedPath(invocation),
    requestContext: { ...(event.requestContext as Event), ...(authorizer ? { authorizer } : {}), path: stagedPath(invocation) },
  };
}

/** A Lambda authorizer's 1.0 event: the 1.0 request, the method ARN and the identity source values joined by commas. */
export function authorizerEventV1(invocation: HttpInvocation, methodArn: string, identitySource: string[]): Event {
  const joined = identitySource.join(',');
  const { body: _body, isBase64Encoded: _encoded, ...request } = eventV1(invocation);
  return { version: '1.0', type: 'REQUEST', methodArn, identitySource: joined, authorizationToken: joined, ...request };
}
