/**
 * UpdateUsagePlan, UpdateApiKey and GetUsagePlanKey. Usage plan patch paths follow
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-create-usage-plans-with-rest-api.html:
 * `/apiStages` (add or remove `apiId:stage`), `/apiStages/{apiId}:{stage}/throttle[/{resourcePath}/{METHOD}[/rateLimit|/burstLimit]]`,
 * `/throttle/rateLimit|burstLimit`, `/quota/limit|offset|period`, `/name`, `/description`, `/productCode`.
 */
import type {
  ApigatewayApi, ApiStage, GetUsagePlanKeyRequest, QuotaPeriodType, ThrottleSettings, UpdateApiKeyRequest, UpdateUsagePlanRequest, UsagePlan,
} from '../../generated/apigateway.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ServiceRuntime } from '../service.js';
import type { ApiKeyRecord } from './api-keys.js';
import { apiKeys, keyNotFound, keyView, planNotFound, usagePlans } from './api-keys.js';
import { badRequest, notFound, omitKey, requireApi, scopeOf } from './api-record.js';
import type { PatchRule } from './patch.js';
import { applyPatch, booleanValue, stringField } from './patch.js';

type Ops = Pick<ApigatewayApi, 'UpdateUsagePlan' | 'UpdateApiKey' | 'GetUsagePlanKey'>;

interface PlanTarget {
  plan: UsagePlan;
  ctx: RequestContext;
}

const PERIODS: QuotaPeriodType[] = ['DAY', 'WEEK', 'MONTH'];

function numberOf(value: string | undefined, path: string, integer: boolean): number {
  const parsed = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || (integer && !Number.isInteger(parsed))) {
    throw badRequest(`Invalid value '${value ?? ''}' for ${path}`);
  }
  return parsed;
}

function throttleField(throttle: ThrottleSettings, field: string, value: string | undefined, path: string): ThrottleSettings {
  if (field === 'rateLimit') return { ...throttle, rateLimit: numberOf(value, path, false) };
  if (field === 'burstLimit') return { ...throttle, burstLimit: numberOf(value, path, true) };
  throw badRequest(`Invalid patch path ${path}`);
}

function parseApiStage(reference: string): { apiId: string; stage: string } {
  const [apiId = '', stage = ''] = reference.split(':');
  if (!apiId || !stage) throw badRequest(`Invalid API stage specified: ${reference}. Expected apiId:stage`);
  return { apiId, stage };
}

/** `abc:prod/throttle//pets/GET/rateLimit` (the key as applyPatch decodes it) on the plan's API stage. */
function patchApiStage(target: PlanTarget, op: string, value: string | undefined, key: string): void {
  const at = key.indexOf('/throttle');
  if (at < 0) throw badRequest(`Invalid patch path /apiStages/${key}`);
  const { apiId, stage } = parseApiStage(key.slice(0, at));
  const stages = target.plan.apiStages ?? [];
  const apiStage = stages.find((candidate) => candidate.apiId === apiId && candidate.stage === stage);
  if (!apiStage) throw notFound(`Invalid API stage specified: ${apiId}:${stage}`);
  const rest = key.slice(at + '/throttle'.length).split('/').filter((part, index) => index > 0 || part !== '');
  let throttle = { ...apiStage.throttle };
  if (rest.length === 0) {
    if (op === 'remove') throttle = {};
    else {
      try {
        throttle = JSON.parse(value ?? '') as Record<string, ThrottleSettings>;
      } catch {
        throw badRequest(`Invalid throttle settings: ${value ?? ''}`);
      }
    }
  } else {
    const field = ['rateLimit', 'burstLimit'].includes(rest[rest.length - 1]) ? rest.pop() : undefined;
    const method = rest.pop() ?? '';
    const resourcePath = rest.join('/');
    const methodKey = `${resourcePath.startsWith('/') ? resourcePath : `/${resourcePath}`}/${method}`;
    if (!/^[A-Z*]+$/.test(method)) throw badRequest(`Invalid method throttle path: /apiStages/${key}`);
    if (op === 'remove' && field === undefined) throttle = omitKey(throttle, methodKey);
    else if (field === undefined) throw badRequest(`Invalid patch path /apiStages/${key}: name rateLimit or burstLimit`);
    else throttle[methodKey] = throttleField(throttle[methodKey] ?? {}, field, value, `/apiStages/${key}`);
  }
  target.plan.apiStages = stages.map((candidate): ApiStage => (candidate === apiStage ? { ...apiStage, throttle } : candidate));
}

function planRules(runtime: ServiceRuntime): PatchRule<PlanTarget>[] {
  return [
    stringField('/name', (target: PlanTarget, value) => {
      if (!value) throw badRequest('Usage plan name must be non-empty');
      target.plan.name = value;
    }),
    stringField('/description', (target: PlanTarget, value) => { target.plan.description = value; }),
    stringField('/productCode', (target: PlanTarget, value) => { target.plan.productCode = value; }),
    {
      path: '/apiStages',
      apply: (target, op, value) => {
        const { apiId, stage } = parseApiStage(value ?? '');
        const stages = target.plan.apiStages ?? [];
        const exists = stages.some((candidate) => candidate.apiId === apiId && candidate.stage === stage);
        if (op === 'add') {
          const api = requireApi(runtime, target.ctx, apiId);
          if (!api.stages[stage]) throw notFound(`Invalid stage identifier specified: ${stage}`);
          if (!exists) target.plan.apiStages = [...stages, { apiId, stage }];
        } else if (op === 'remove') {
          if (!exists) throw notFound(`Invalid API stage specified: ${apiId}:${stage}`);
          target.plan.apiStages = stages.filter((candidate) => !(candidate.apiId === apiId && candidate.stage === stage));
        } else {
          throw badRequest("Invalid patch operation specified for '/apiStages': only add and remove are allowed");
        }
      },
    },
    { path: '/apiStages/', apply: patchApiStage },
    { path: '/throttle', apply: (target, op) => { if (op !== 'remove') throw badRequest("Invalid patch operation specified for '/throttle': only remove is allowed"); target.plan.throttle = undefined; } },
    { path: '/throttle/rateLimit', apply: (target, _op, value) => { target.plan.throttle = throttleField(target.plan.throttle ?? {}, 'rateLimit', value, '/throttle/rateLimit'); } },
    { path: '/throttle/burstLimit', apply: (target, _op, value) => { target.plan.throttle = throttleField(target.plan.throttle ?? {}, 'burstLimit', value, '/throttle/burstLimit'); } },
    { path: '/quota', apply: (target, op) => { if (op !== 'remove') throw badRequest("Invalid patch operation specified for '/quota': only remove is allowed"); target.plan.quota = undefined; } },
    { path: '/quota/limit', apply: (target, _op, value) => { target.plan.quota = { ...target.plan.quota, limit: numberOf(value, '/quota/limit', true) }; } },
    { path: '/quota/offset', apply: (target, _op, value) => { target.plan.quota = { ...target.plan.quota, offset: numberOf(value, '/quota/offset', true) }; } },
    {
      path: '/quota/period',
      apply: (target, _op, value) => {
        if (!(PERIODS as (string | undefined)[]).includes(value)) throw badRequest(`Invalid quota period specified: ${value ?? ''}. Valid values are DAY, WEEK, MONTH`);
        target.plan.quota = { ...target.plan.quota, period: value as QuotaPeriodType };
      },
    },
  ];
}

const API_KEY_RULES: PatchRule<ApiKeyRecord>[] = [
  stringField('/name', (key: ApiKeyRecord, value) => { key.name = value ?? ''; }),
  stringField('/description', (key: ApiKeyRecord, value) => { key.description = value; }),
  stringField('/customerId', (key: ApiKeyRecord, value) => { key.customerId = value; }),
  { path: '/enabled', apply: (key, _op, value) => { key.enabled = booleanValue(value, '/enabled'); } },
];

export function usagePlanUpdateOperations(runtime: ServiceRuntime): Ops {
  const rules = planRules(runtime);
  return {
    UpdateUsagePlan(input: UpdateUsagePlanRequest, ctx) {
      const plans = usagePlans(runtime, scopeOf(ctx));
      return runtime.store.transaction(() => {
        const record = plans.get(input.usagePlanId);
        if (!record) throw planNotFound(input.usagePlanId);
        const target: PlanTarget = { plan: structuredClone(record.plan), ctx };
        applyPatch(target, input.patchOperations, rules);
        plans.put(input.usagePlanId, { ...record, plan: target.plan });
        return target.plan;
      });
    },
    UpdateApiKey(input: UpdateApiKeyRequest, ctx) {
      const keys = apiKeys(runtime, scopeOf(ctx));
      return runtime.store.transaction(() => {
        const existing = keys.get(input.apiKey);
        if (!existing) throw keyNotFound();
        const key = { ...existing };
        applyPatch(key, input.patchOperations, API_KEY_RULES);
        key.lastUpdatedDate = runtime.clock.now();
        keys.put(key.id, key);
        return keyView(key, false);
      });
    },
    GetUsagePlanKey(input: GetUsagePlanKeyRequest, ctx) {
      const scope = scopeOf(ctx);
      const record = usagePlans(runtime, scope).get(input.usagePlanId);
      if (!record) throw planNotFound(input.usagePlanId);
      const key = record.keyIds.includes(input.keyId) ? apiKeys(runtime, scope).get(input.keyId) : undefined;
      if (!key) throw keyNotFound();
      return { id: key.id, type: 'API_KEY', value: key.value, name: key.name };
    },
  };
}
