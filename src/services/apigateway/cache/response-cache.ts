/**
 * The stage cache: integration responses kept for the method's TTL, keyed by the method, the request
 * path and the integration's cacheKeyParameters, so a hit answers without calling the integration.
 * Caching needs the stage's cache cluster and the method's caching/enabled; the stage-wide setting
 * covers GET methods only. A client invalidates an entry with `Cache-Control: max-age=0` when allowed
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html).
 * Entries live in memory: a restart empties the cache, as a new cache cluster would be.
 */
import type { ServiceRuntime } from '../../service.js';
import type { StageRecord } from '../api-record.js';
import type { GatewayResponse, Invocation } from '../invoke/context.js';
import { jsonResponse } from '../invoke/context.js';
import { headerOf } from '../invoke/request.js';
import { note, traceOf } from '../logging/trace.js';
import { effectiveSetting } from '../stage-settings.js';

interface CacheEntry {
  response: GatewayResponse;
  expiresAt: number;
}

/** The largest response the cache keeps (1 MB). */
const MAX_CACHED_BYTES = 1_048_576;

const caches = new WeakMap<ServiceRuntime, Map<string, Map<string, CacheEntry>>>();

function stageCaches(runtime: ServiceRuntime): Map<string, Map<string, CacheEntry>> {
  let stages = caches.get(runtime);
  if (!stages) {
    const created = new Map<string, Map<string, CacheEntry>>();
    runtime.lifecycle.onReset(() => {
      created.clear();
    });
    caches.set(runtime, created);
    stages = created;
  }
  return stages;
}

const stageKey = (apiId: string, stageName: string): string => `${apiId}/${stageName}`;

/** FlushStageCache, and what a change of the stage's cache cluster does to its entries. */
export function flushStageCache(runtime: ServiceRuntime, apiId: string, stageName: string): void {
  stageCaches(runtime).delete(stageKey(apiId, stageName));
}

function parameterValue(invocation: Invocation, parameter: string): string | undefined {
  const parsed = /^method\.request\.(querystring|multivaluequerystring|header|multivalueheader|path)\.(.+)$/.exec(parameter);
  if (!parsed) return undefined;
  const [, location, name] = parsed;
  const { request, route } = invocation;
  switch (location) {
    case 'querystring':
      return request.query[name];
    case 'multivaluequerystring':
      return request.multiValueQuery[name]?.join(',');
    case 'header':
      return headerOf(request, name);
    case 'multivalueheader':
      return Object.entries(request.multiValueHeaders).find(([header]) => header.toLowerCase() === name.toLowerCase())?.[1].join(',');
    default:
      return route.pathParameters[name];
  }
}

function cacheKey(invocation: Invocation): string {
  const { request, route } = invocation;
  const parameters = (route.method.methodIntegration?.cacheKeyParameters ?? []).map((parameter) => [parameter, parameterValue(invocation, parameter) ?? null]);
  return JSON.stringify([request.httpMethod, route.resource.path, request.path, parameters]);
}

/**
 * Whether the caller may invalidate: that takes execute-api:InvalidateCache, which only an AWS_IAM
 * method's authenticated signer can hold; its IAM policies are not evaluated, so any such signer may.
 */
function mayInvalidate(invocation: Invocation): boolean {
  return invocation.route.method.authorizationType === 'AWS_IAM' && invocation.caller !== undefined;
}

/**
 * The integration's answer through the stage cache. `callIntegration` runs on a miss, an expired entry or
 * an allowed invalidation; canary requests that must not use the stage cache pass `useCache` false.
 */
export async function throughStageCache(runtime: ServiceRuntime, stage: StageRecord, invocation: Invocation, callIntegration: () => Promise<GatewayResponse>, useCache = true): Promise<GatewayResponse> {
  // The integration's latency and status, for the logs ($context.integrationLatency, "Received response").
  const integrate = async (): Promise<GatewayResponse> => {
    const started = runtime.clock.now();
    const response = await callIntegration();
    const trace = traceOf(invocation);
    if (trace) trace.integration = { latencyMs: runtime.clock.now() - started, status: response.statusCode };
    return response;
  };
  const setting = effectiveSetting(stage, invocation.route.resource.path, invocation.route.method.httpMethod ?? invocation.request.httpMethod);
  // Stage-wide caching applies to GET methods; other methods need their own override.
  const methodCaches = setting.cachingEnabled && (setting.overridden || invocation.request.httpMethod === 'GET');
  if (!useCache || !stage.cacheClusterEnabled || !methodCaches || setting.cacheTtlInSeconds <= 0) return integrate();
  const cache = stageCaches(runtime).get(stageKey(invocation.apiId, stage.stageName)) ?? new Map<string, CacheEntry>();
  stageCaches(runtime).set(stageKey(invocation.apiId, stage.stageName), cache);
  const key = cacheKey(invocation);
  const now = runtime.clock.now();
  let invalidate = /(?:^|,)\s*max-age\s*=\s*0\s*(?:,|$)/i.test(headerOf(invocation.request, 'cache-control') ?? '');
  const extraHeaders: Record<string, string> = {};
  if (invalidate && setting.requireAuthorizationForCacheControl && !mayInvalidate(invocation)) {
    invalidate = false;
    note(invocation, 'Cache-Control header ignored: the caller is not authorized to invalidate the cache', { level: 'ERROR' });
    if (setting.unauthorizedCacheControlHeaderStrategy === 'FAIL_WITH_403') return jsonResponse(403, { message: 'Unauthorized cache invalidation' }, { 'x-amzn-ErrorType': 'ForbiddenException' });
    if (setting.unauthorizedCacheControlHeaderStrategy === 'SUCCEED_WITH_RESPONSE_HEADER') extraHeaders.Warning = '199 "Cache-Control header ignored: caller is not authorized to invalidate the cache"';
  }
  const entry = cache.get(key);
  if (entry && entry.expiresAt > now && !invalidate) {
    note(invocation, `Method response cache hit for key: ${key}`);
    return { ...entry.response, headers: { ...entry.response.headers, ...extraHeaders } };
  }
  note(invocation, invalidate ? `Cache entry invalidated by Cache-Control header for key: ${key}` : `Method response cache miss for key: ${key}`);
  const response = await integrate();
  // Integration answers are kept whatever their status, except the server errors and those over 1 MB.
  if (response.statusCode < 500 && response.body.length <= MAX_CACHED_BYTES) {
    cache.set(key, { response, expiresAt: now + setting.cacheTtlInSeconds * 1000 });
  }
  return { ...response, headers: { ...response.headers, ...extraHeaders } };
}
