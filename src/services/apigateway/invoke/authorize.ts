/**
 * Lambda authorizers at invocation time: the TOKEN or REQUEST event, the returned IAM policy checked
 * against the method ARN, the context handed on to the integration, and results cached for the
 * authorizer's TTL by identity source values
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html).
 */
import type { Authorizer } from '../../../generated/apigateway.js';
import type { ServiceRuntime } from '../../service.js';
import type { GatewayResponse, Invocation } from './context.js';
import type { PolicyDocument } from '../auth/authorizer-policy.js';
import { policyDecision } from '../auth/authorizer-policy.js';
import { withStageVariables } from './context.js';
import { gatewayError } from './gateway-errors.js';
import { functionOfUri, invokeFunction, proxyEvent } from './lambda-proxy.js';
import { headerOf } from './request.js';

interface AuthorizerOutput {
  principalId?: unknown;
  policyDocument?: PolicyDocument;
  context?: Record<string, unknown>;
}

interface CachedResult {
  output: AuthorizerOutput;
  expiresAt: number;
}

const UNAUTHORIZED = (): GatewayResponse => gatewayError('UNAUTHORIZED', 'Unauthorized');

// An authorizer's refusal says "Message", capitalized, unlike the gateway's other errors.
function accessDenied(message: string): GatewayResponse {
  return gatewayError('ACCESS_DENIED', message, { body: { Message: message } });
}

const caches = new WeakMap<ServiceRuntime, Map<string, CachedResult>>();

function cacheOf(runtime: ServiceRuntime): Map<string, CachedResult> {
  let cache = caches.get(runtime);
  if (!cache) {
    const created = new Map<string, CachedResult>();
    runtime.lifecycle.onReset(() => {
      created.clear();
    });
    caches.set(runtime, created);
    cache = created;
  }
  return cache;
}

/** FlushStageAuthorizersCache: forgets every cached result of the stage's authorizers. */
export function flushAuthorizerCache(runtime: ServiceRuntime, apiId: string, stage: string): void {
  const cache = cacheOf(runtime);
  for (const key of [...cache.keys()]) {
    const [cachedApi, cachedStage] = JSON.parse(key) as [string, string];
    if (cachedApi === apiId && cachedStage === stage) cache.delete(key);
  }
}

/** The values of the authorizer's identity sources, or undefined when one is missing (a 401 without calling it). */
function identityValues(authorizer: Authorizer, invocation: Invocation): string[] | undefined {
  const values: string[] = [];
  for (const source of (authorizer.identitySource ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const parsed = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(source);
    const stageVariable = /^stageVariables\.(.+)$/.exec(source);
    const value = parsed
      ? parsed[1] === 'header' ? headerOf(invocation.request, parsed[2]) : parsed[1] === 'querystring' ? invocation.request.query[parsed[2]] : invocation.route.pathParameters[parsed[2]]
      : stageVariable ? invocation.stageVariables[stageVariable[1]] : undefined;
    if (value === undefined || value === '') return undefined;
    values.push(value);
  }
  return values;
}

/** undefined to go on (with invocation.authorizer set), or the response that ends the request. */
export async function authorize(runtime: ServiceRuntime, invocation: Invocation, authorizer: Authorizer | undefined): Promise<GatewayResponse | undefined> {
  const internalError = gatewayError('AUTHORIZER_CONFIGURATION_ERROR', null);
  if (!authorizer) return internalError;
  const identity = identityValues(authorizer, invocation);
  if (!identity) return UNAUTHORIZED();
  if (authorizer.type === 'TOKEN' && authorizer.identityValidationExpression && !new RegExp(`^(?:${authorizer.identityValidationExpression})$`).test(identity[0])) {
    return UNAUTHORIZED();
  }
  const { request, location } = invocation;
  const methodArn = `arn:aws:execute-api:${location.region}:${location.account}:${invocation.apiId}/${invocation.stage}/${request.httpMethod}${request.path}`;
  const cache = cacheOf(runtime);
  const cacheKey = JSON.stringify([invocation.apiId, invocation.stage, authorizer.id, identity]);
  const now = runtime.clock.now();
  const cached = cache.get(cacheKey);
  let output = cached && cached.expiresAt > now ? cached.output : undefined;
  if (!output) {
    const functionArn = functionOfUri(withStageVariables(authorizer.authorizerUri ?? '', invocation.stageVariables));
    const event = authorizer.type === 'TOKEN'
      ? { type: 'TOKEN', authorizationToken: identity[0], methodArn }
      : { type: 'REQUEST', methodArn, ...proxyEvent(invocation) };
    const result = functionArn ? await invokeFunction(runtime, invocation, functionArn, JSON.stringify(event)) : undefined;
    if (!result) return internalError;
    if (result.functionError) {
      // Throwing "Unauthorized" is how an authorizer answers 401; any other error is a configuration error.
      return /"errorMessage"\s*:\s*"Unauthorized"/.test(result.payload) ? UNAUTHORIZED() : internalError;
    }
    output = JSON.parse(result.payload) as AuthorizerOutput;
    const ttl = authorizer.authorizerResultTtlInSeconds ?? 300;
    if (ttl > 0) cache.set(cacheKey, { output, expiresAt: now + ttl * 1000 });
  }
  const verdict = policyDecision(output.policyDocument, methodArn);
  if (verdict === 'Deny') return accessDenied('User is not authorized to access this resource with an explicit deny');
  if (verdict === 'None') return accessDenied('User is not authorized to access this resource');
  invocation.authorizer = { ...output.context, principalId: output.principalId };
  return undefined;
}
