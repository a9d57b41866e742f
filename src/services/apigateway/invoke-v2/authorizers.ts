/**
 * Route authorization for HTTP APIs: JWT authorizers (issuer, audience, scopes)
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html), Lambda
 * REQUEST authorizers with payload 1.0 or 2.0, simple or IAM policy responses, cached for the TTL by
 * identity source values (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html),
 * and AWS_IAM routes (SigV4 verified as for REST APIs, see ../auth/iam.ts; the signer reaches the integration).
 */
import type { PolicyDocument } from '../auth/authorizer-policy.js';
import { policyDecision } from '../auth/authorizer-policy.js';
import type { ServiceRuntime } from '../../service.js';
import type { AuthorizerV2 } from '../../apigatewayv2/records.js';
import { JwtError, verifyJwt } from '../auth/jwt.js';
import { authenticateIam } from '../auth/iam.js';
import type { GatewayResponse } from '../invoke/context.js';
import { jsonResponse } from '../invoke/context.js';
import { invokeFunction } from '../invoke/lambda-proxy.js';
import type { HttpInvocation } from './context.js';
import { forbidden, internalError, stagedPath, unauthorized } from './context.js';
import { authorizerEventV1, authorizerEventV2, flattenClaims, restView } from './events.js';
import { functionOf } from './integrations.js';

function headerValue(invocation: HttpInvocation, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const values = Object.entries(invocation.request.multiValueHeaders).filter(([key]) => key.toLowerCase() === wanted).flatMap(([, list]) => list);
  return values.length > 0 ? values.join(',') : undefined;
}

/** One identity source (`$request.header.X`, `$request.querystring.X`, `$context.X`, `$stageVariables.X`), or undefined when absent. */
function identityValue(invocation: HttpInvocation, source: string): string | undefined {
  const [, scope, name] = /^\$(request\.header|request\.querystring|context|stageVariables)\.(.+)$/.exec(source.trim()) ?? [];
  switch (scope) {
    case 'request.header':
      return headerValue(invocation, name);
    case 'request.querystring':
      return invocation.request.multiValueQuery[name]?.join(',');
    case 'stageVariables':
      return invocation.stageVariables[name];
    case 'context': {
      const context: Record<string, string> = {
        apiId: invocation.apiId, stage: invocation.stage, routeKey: invocation.route.RouteKey, httpMethod: invocation.request.httpMethod,
        requestId: invocation.request.requestId, path: invocation.request.path, accountId: invocation.location.account,
      };
      return context[name];
    }
    default:
      return undefined;
  }
}

// ---- JWT ----

/** www-authenticate descriptions; "the token does not have a valid audience" is AWS's documented wording. */
const DESCRIPTIONS: Record<string, string> = {
  'invalid audience': 'the token does not have a valid audience',
  'invalid issuer': 'the token does not have a valid issuer',
  'token expired': 'the token has expired',
  'token not yet valid': 'the token is not valid yet',
  'invalid signature': 'the token signature is invalid',
};

function tokenScopes(claims: Record<string, unknown>): string[] {
  const raw = claims.scope ?? claims.scp;
  if (Array.isArray(raw)) return raw.map(String);
  return typeof raw === 'string' ? raw.split(' ').filter(Boolean) : [];
}

async function authorizeJwt(runtime: ServiceRuntime, invocation: HttpInvocation, authorizer: AuthorizerV2): Promise<GatewayResponse | undefined> {
  const issuer = authorizer.JwtConfiguration?.Issuer;
  if (!issuer) return internalError();
  const presented = identityValue(invocation, authorizer.IdentitySource?.[0] ?? '$request.header.Authorization');
  if (!presented) return unauthorized();
  // The identity source holds the token alone or prefixed with "Bearer ".
  const token = presented.replace(/^Bearer\s+/i, '');
  let claims: Record<string, unknown>;
  try {
    claims = await verifyJwt(token, { issuer, audiences: authorizer.JwtConfiguration?.Audience, now: runtime.clock.now() });
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    return unauthorized({ 'www-authenticate': `Bearer scope="" error="invalid_token" error_description="${DESCRIPTIONS[error.reason] ?? error.reason}"` });
  }
  const scopes = tokenScopes(claims);
  const required = invocation.route.AuthorizationScopes ?? [];
  // A route with scopes needs at least one of them in the token.
  if (required.length > 0 && !required.some((scope) => scopes.includes(scope))) {
    return forbidden({ 'www-authenticate': `Bearer scope="${required.join(' ')}" error="insufficient_scope" error_description="the token does not have the required scopes"` });
  }
  invocation.authorizer = { kind: 'jwt', claims: flattenClaims(claims), scopes: scopes.length > 0 ? scopes : null };
  return undefined;
}

// ---- Lambda ----

interface LambdaAuthorizerOutput {
  isAuthorized?: unknown;
  principalId?: unknown;
  policyDocument?: PolicyDocument;
  context?: unknown;
}

interface CachedOutput {
  output: LambdaAuthorizerOutput;
  expiresAt: number;
}

const caches = new WeakMap<ServiceRuntime, Map<string, CachedOutput>>();

function cacheOf(runtime: ServiceRuntime): Map<string, CachedOutput> {
  let cache = caches.get(runtime);
  if (!cache) {
    const created = new Map<string, CachedOutput>();
    runtime.lifecycle.onReset(() => {
      created.clear();
    });
    caches.set(runtime, created);
    cache = created;
  }
  return cache;
}

async function callAuthorizer(runtime: ServiceRuntime, invocation: HttpInvocation, authorizer: AuthorizerV2, routeArn: string, identity: string[]): Promise<LambdaAuthorizerOutput | GatewayResponse> {
  const functionArn = functionOf(authorizer.AuthorizerUri ?? '', invocation.stageVariables);
  if (!functionArn) return internalError();
  const event = authorizer.AuthorizerPayloadFormatVersion === '1.0' ? authorizerEventV1(invocation, routeArn, identity) : authorizerEventV2(invocation, routeArn, identity);
  const result = await invokeFunction(runtime, restView(invocation), functionArn, JSON.stringify(event));
  if (!result) return internalError();
  // Throwing "Unauthorized" is how an authorizer function answers 401; any other failure is a 500.
  if (result.functionError) return /"errorMessage"\s*:\s*"Unauthorized"/.test(result.payload) ? unauthorized() : internalError();
  try {
    const output: unknown = JSON.parse(result.payload);
    return output !== null && typeof output === 'object' && !Array.isArray(output) ? output : internalError();
  } catch {
    return internalError();
  }
}

const isResponse = (value: LambdaAuthorizerOutput | GatewayResponse): value is GatewayResponse => 'statusCode' in value && 'body' in value && Buffer.isBuffer(value.body);

async function authorizeLambda(runtime: ServiceRuntime, invocation: HttpInvocation, authorizer: AuthorizerV2): Promise<GatewayResponse | undefined> {
  const sources = authorizer.IdentitySource ?? [];
  const identity: string[] = [];
  for (const source of sources) {
    const value = identityValue(invocation, source);
    // A missing identity source is a 401 without calling the function.
    if (value === undefined || value === '') return unauthorized();
    identity.push(value);
  }
  const { request, location } = invocation;
  const routeArn = `arn:aws:execute-api:${location.region}:${location.account}:${invocation.apiId}/${invocation.stage}/${request.httpMethod}${request.path}`;
  const ttl = sources.length > 0 ? authorizer.AuthorizerResultTtlInSeconds ?? 0 : 0;
  const cache = cacheOf(runtime);
  const cacheKey = JSON.stringify([invocation.apiId, authorizer.AuthorizerId, identity]);
  const now = runtime.clock.now();
  const cached = ttl > 0 ? cache.get(cacheKey) : undefined;
  let output = cached && cached.expiresAt > now ? cached.output : undefined;
  if (!output) {
    const answer = await callAuthorizer(runtime, invocation, authorizer, routeArn, identity);
    if (isResponse(answer)) return answer;
    output = answer;
    if (ttl > 0) cache.set(cacheKey, { output, expiresAt: now + ttl * 1000 });
  }
  const simple = authorizer.EnableSimpleResponses === true && authorizer.AuthorizerPayloadFormatVersion !== '1.0';
  const allowed = simple ? output.isAuthorized === true : policyDecision(output.policyDocument, routeArn) === 'Allow';
  if (!allowed) return forbidden();
  const context = output.context !== null && typeof output.context === 'object' && !Array.isArray(output.context) ? output.context as Record<string, unknown> : {};
  invocation.authorizer = { kind: 'lambda', context, ...(typeof output.principalId === 'string' ? { principalId: output.principalId } : {}) };
  return undefined;
}

// ---- AWS_IAM ----

/**
 * The SigV4 check REST APIs make (../auth/iam.ts), answered the HTTP API way: an unsigned request is a bare
 * 403 Forbidden, a bad signature a 403 with the signature's problem as the message.
 */
function authorizeIam(runtime: ServiceRuntime, invocation: HttpInvocation): GatewayResponse | undefined {
  const view = restView(invocation);
  const refused = authenticateIam(runtime, view, invocation.rawUrl ?? stagedPath(invocation));
  if (refused) {
    const message = refused.gatewayError?.message;
    return refused.gatewayError?.responseType === 'MISSING_AUTHENTICATION_TOKEN' && message === 'Missing Authentication Token' ? forbidden() : jsonResponse(403, { message });
  }
  const { caller } = view;
  if (caller) invocation.authorizer = { kind: 'iam', identity: { accessKey: caller.accessKey, accountId: caller.accountId, callerId: caller.caller, userArn: caller.userArn, userId: caller.user } };
  return undefined;
}

/** undefined to go on (with invocation.authorizer set when an authorizer ran), or the response that ends the request. */
export async function authorizeRoute(runtime: ServiceRuntime, invocation: HttpInvocation, authorizers: Record<string, AuthorizerV2>): Promise<GatewayResponse | undefined> {
  const { route } = invocation;
  switch (route.AuthorizationType) {
    case 'JWT':
    case 'CUSTOM': {
      const authorizer = authorizers[route.AuthorizerId ?? ''];
      if (!authorizer) return internalError();
      return authorizer.AuthorizerType === 'JWT' ? authorizeJwt(runtime, invocation, authorizer) : authorizeLambda(runtime, invocation, authorizer);
    }
    case 'AWS_IAM':
      return authorizeIam(runtime, invocation);
    default:
      return undefined;
  }
}
