/**
 * The usage plan check of a method that requires an API key: the x-api-key must be an enabled key of a
 * plan covering the stage (else 403), then the plan's per-client throttle (its per-method override,
 * `/{resourcePath}/{METHOD}` in the API stage's throttle, else the plan's own) and its quota (429
 * "Too Many Requests" and 429 "Limit Exceeded"). Methods without apiKeyRequired bypass plans entirely
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html).
 */
import type { ThrottleSettings } from '../../../generated/apigateway.js';
import type { ServiceRuntime } from '../../service.js';
import type { UsagePlanRecord } from '../api-keys.js';
import { keyPlanFor } from '../api-keys.js';
import type { GatewayResponse, Invocation } from '../invoke/context.js';
import { gatewayError } from '../invoke/gateway-errors.js';
import { headerOf } from '../invoke/request.js';
import { note, traceOf } from '../logging/trace.js';
import { countRequest, quotaState } from './quota.js';
import { tooManyRequests } from './throttling.js';
import type { Limits } from './token-bucket.js';
import { takeTokens } from './token-bucket.js';

/** Execution logs show a key as asterisks and its last six characters, followed by a space; no key shows nothing. */
function maskedKey(value: string): string {
  return value === '' ? '' : `${'*'.repeat(Math.max(0, value.length - 6))}${value.slice(-6)} `;
}

function limitsOf(throttle: ThrottleSettings | undefined): Limits | undefined {
  if (throttle?.rateLimit === undefined && throttle?.burstLimit === undefined) return undefined;
  const rateLimit = throttle.rateLimit ?? 0;
  // A plan without a burst allows a second's worth of requests at once.
  return { rateLimit, burstLimit: throttle.burstLimit ?? Math.max(1, Math.ceil(rateLimit)) };
}

/** The per-client bucket: the method's own throttle in the plan's API stage, else the plan's. */
function clientBucket(record: UsagePlanRecord, keyId: string, invocation: Invocation, stageName: string): { key: string; limits: Limits } | undefined {
  const apiStage = (record.plan.apiStages ?? []).find((candidate) => candidate.apiId === invocation.apiId && candidate.stage === stageName);
  const { resource, method } = invocation.route;
  const methodThrottle = apiStage?.throttle?.[`${resource.path}/${method.httpMethod ?? invocation.request.httpMethod}`];
  const ownLimits = limitsOf(methodThrottle);
  if (ownLimits) return { key: `client ${record.plan.id ?? ''}/${keyId}/${invocation.apiId}/${stageName}/${resource.path}/${method.httpMethod ?? ''}`, limits: ownLimits };
  const planLimits = limitsOf(record.plan.throttle);
  return planLimits ? { key: `client ${record.plan.id ?? ''}/${keyId}`, limits: planLimits } : undefined;
}

/** undefined when the request may go on (and has been counted against the quota), else the gateway's answer. */
export function checkUsagePlan(runtime: ServiceRuntime, invocation: Invocation, stageName: string): GatewayResponse | undefined {
  const { request, route, location, apiId } = invocation;
  const value = headerOf(request, 'x-api-key') ?? '';
  const apiStage = `${apiId}/${stageName}`;
  note(invocation, `Verifying Usage Plan for request: ${request.requestId}. API Key: ${maskedKey(value)}API Stage: ${apiStage}`, { admission: true });
  if (!route.method.apiKeyRequired) {
    note(invocation, `API Key authorized because method '${request.httpMethod} ${route.resource.path}' does not require API Key. Request will not contribute to throttle or quota limits`, { admission: true });
    note(invocation, `Usage Plan check succeeded for API Key ${maskedKey(value)}and API Stage ${apiStage}`, { admission: true });
    return undefined;
  }
  const found = keyPlanFor(runtime, location, value, apiId, stageName);
  if (!found) {
    note(invocation, `API Key ${maskedKey(value)}not authorized because method '${request.httpMethod} ${route.resource.path}' requires API Key and API Key is not associated with a Usage Plan for API Stage ${apiStage}`, { level: 'ERROR', admission: true });
    return gatewayError('INVALID_API_KEY', 'Forbidden');
  }
  const { key, plan } = found;
  const planId = plan.plan.id ?? '';
  const trace = traceOf(invocation);
  if (trace) {
    trace.apiKeyId = key.id;
    trace.apiKey = key.value;
  }
  const bucket = clientBucket(plan, key.id, invocation, stageName);
  if (bucket && takeTokens(runtime, [bucket]) !== undefined) {
    note(invocation, `API Key ${maskedKey(value)}exceeded throttle limit for API Stage ${apiStage}: Key throttle limit exceeded for Usage Plan ID ${planId}. Limit: ${bucket.limits.rateLimit.toFixed(2)} Burst: ${String(bucket.limits.burstLimit)}`, { level: 'ERROR', admission: true });
    return tooManyRequests();
  }
  const now = runtime.clock.now();
  const quota = quotaState(runtime, location, { id: planId, quota: plan.plan.quota, createdDate: plan.createdDate }, key.id, now);
  if (quota && quota.remaining <= 0) {
    note(invocation, `API Key ${maskedKey(value)}exceeded quota limit for API Stage ${apiStage}: Key quota exhausted for Usage Plan ID ${planId}. Quota Limit: ${String(plan.plan.quota?.limit ?? 0)} Period: ${plan.plan.quota?.period ?? 'DAY'}`, { level: 'ERROR', admission: true });
    return gatewayError('QUOTA_EXCEEDED', 'Limit Exceeded');
  }
  countRequest(runtime, location, planId, key.id, now);
  note(invocation, `Usage Plan check succeeded for API Key ${maskedKey(value)}and API Stage ${apiStage}`, { admission: true });
  return undefined;
}
