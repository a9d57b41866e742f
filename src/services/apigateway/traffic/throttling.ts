/**
 * Server-side throttling of an invocation, before its authorizer runs: the account's limits (per
 * region, across every API) and the stage's per-method limits (methodSettings throttling, a method's
 * own override else the stage-wide one, each method with its own bucket), the latter bounded by the
 * former. Usage plans throttle per client in usage-plan-check.ts
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html).
 */
import type { ServiceRuntime } from '../../service.js';
import { ACCOUNT_THROTTLE } from '../account.js';
import type { StageRecord } from '../api-record.js';
import type { GatewayResponse, Invocation } from '../invoke/context.js';
import { gatewayError } from '../invoke/gateway-errors.js';
import { note } from '../logging/trace.js';
import { effectiveSetting } from '../stage-settings.js';
import type { Limits } from './token-bucket.js';
import { takeTokens } from './token-bucket.js';

export const tooManyRequests = (): GatewayResponse => gatewayError('THROTTLED', 'Too Many Requests');

/** The stage's limits for the method; -1 (not set) is the account's value, and neither set means no per-method limit. */
function methodLimits(stage: StageRecord, invocation: Invocation): Limits | undefined {
  const setting = effectiveSetting(stage, invocation.route.resource.path, invocation.route.method.httpMethod ?? invocation.request.httpMethod);
  if (setting.throttlingRateLimit < 0 && setting.throttlingBurstLimit < 0) return undefined;
  return {
    rateLimit: setting.throttlingRateLimit < 0 ? ACCOUNT_THROTTLE.rateLimit : Math.min(setting.throttlingRateLimit, ACCOUNT_THROTTLE.rateLimit),
    burstLimit: setting.throttlingBurstLimit < 0 ? ACCOUNT_THROTTLE.burstLimit : Math.min(setting.throttlingBurstLimit, ACCOUNT_THROTTLE.burstLimit),
  };
}

/** The account's bucket (per region), shared by REST, HTTP and WebSocket APIs as AWS's account quota is. */
export function accountBucket(location: { account: string; region: string }): { key: string; limits: Limits } {
  return { key: `account ${location.account}/${location.region}`, limits: ACCOUNT_THROTTLE };
}

/** A 429 when the account's or the method's bucket is empty, else undefined (one token taken from each). */
export function throttleInvocation(runtime: ServiceRuntime, stage: StageRecord, invocation: Invocation): GatewayResponse | undefined {
  const { location, route } = invocation;
  const account = accountBucket(location);
  const accountKey = account.key;
  const buckets = [account];
  const limits = methodLimits(stage, invocation);
  if (limits) buckets.push({ key: `method ${invocation.apiId}/${stage.stageName}/${route.resource.path}/${route.method.httpMethod ?? invocation.request.httpMethod}`, limits });
  const empty = takeTokens(runtime, buckets);
  if (empty === undefined) return undefined;
  note(invocation, empty === accountKey ? 'Execution failed: account throttle limit exceeded' : `Execution failed: method throttle limit exceeded for API Stage ${invocation.apiId}/${stage.stageName}`, { level: 'ERROR', admission: true });
  return tooManyRequests();
}
