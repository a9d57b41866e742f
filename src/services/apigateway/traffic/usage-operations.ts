/**
 * GetUsage and UpdateUsage: a plan's per-key, per-day request counts with the quota left at the end of
 * each day, `items: { keyId: [[used, remaining], ...] }`, and the temporary extension (or cut) of a
 * key's remaining quota in the current period
 * (https://docs.aws.amazon.com/apigateway/latest/api/API_GetUsage.html, API_UpdateUsage.html).
 */
import type { ApigatewayApi, GetUsageRequest, UpdateUsageRequest, Usage } from '../../../generated/apigateway.js';
import type { ServiceRuntime } from '../../service.js';
import type { UsagePlanRecord } from '../api-keys.js';
import { keyNotFound, planNotFound, usagePlans } from '../api-keys.js';
import type { ApiLocation } from '../api-record.js';
import { badRequest, scopeOf } from '../api-record.js';
import { applyPatch } from '../patch.js';
import { page } from '../rest-apis.js';
import type { QuotaPlan } from './quota.js';
import { dayOf, parseDay, periodOf, setRemaining, usageRows } from './quota.js';

type Ops = Pick<ApigatewayApi, 'GetUsage' | 'UpdateUsage'>;

const quotaPlan = (record: UsagePlanRecord): QuotaPlan => ({ id: record.plan.id ?? '', quota: record.plan.quota, createdDate: record.createdDate });

function usageOf(runtime: ServiceRuntime, scope: ApiLocation, record: UsagePlanRecord, keyIds: string[], start: number, end: number): Usage['items'] {
  return Object.fromEntries(keyIds.map((keyId) => [keyId, usageRows(runtime, scope, quotaPlan(record), keyId, start, end)]));
}

function requirePlan(runtime: ServiceRuntime, scope: ApiLocation, usagePlanId: string): UsagePlanRecord {
  const record = usagePlans(runtime, scope).get(usagePlanId);
  if (!record) throw planNotFound(usagePlanId);
  return record;
}

export function usageOperations(runtime: ServiceRuntime): Ops {
  return {
    GetUsage(input: GetUsageRequest, ctx) {
      const scope = scopeOf(ctx);
      const record = requirePlan(runtime, scope, input.usagePlanId);
      const start = parseDay(input.startDate);
      const end = parseDay(input.endDate);
      if (start === undefined) throw badRequest(`Invalid start date: ${input.startDate}. Dates are yyyy-MM-dd`);
      if (end === undefined) throw badRequest(`Invalid end date: ${input.endDate}. Dates are yyyy-MM-dd`);
      if (end < start) throw badRequest('The end date must not be before the start date');
      if (input.keyId !== undefined && !record.keyIds.includes(input.keyId)) throw keyNotFound();
      const keyIds = input.keyId === undefined ? record.keyIds : [input.keyId];
      const result = page(keyIds, (keyId) => keyId, input.position, input.limit);
      return { usagePlanId: input.usagePlanId, startDate: input.startDate, endDate: input.endDate, items: usageOf(runtime, scope, record, result.items, start, end), position: result.position };
    },
    UpdateUsage(input: UpdateUsageRequest, ctx) {
      const scope = scopeOf(ctx);
      const record = requirePlan(runtime, scope, input.usagePlanId);
      if (!record.keyIds.includes(input.keyId)) throw keyNotFound();
      if (record.plan.quota?.limit === undefined) throw badRequest(`Usage plan ${input.usagePlanId} has no quota`);
      const now = runtime.clock.now();
      runtime.store.transaction(() => {
        applyPatch(record, input.patchOperations, [{
          path: '/remaining',
          apply: (_target, op, value) => {
            const remaining = Number(value);
            if (op !== 'replace') throw badRequest("Invalid patch operation specified for '/remaining': only replace is allowed");
            if (value === undefined || !Number.isInteger(remaining) || remaining < 0) throw badRequest(`Invalid remaining quota value: ${value ?? ''}`);
            setRemaining(runtime, scope, quotaPlan(record), input.keyId, remaining, now);
          },
        }]);
      });
      // The answer covers the current quota period up to today.
      const periodStart = periodOf(record.plan.quota, now).start;
      const today = parseDay(dayOf(now)) ?? now;
      return { usagePlanId: input.usagePlanId, startDate: dayOf(periodStart), endDate: dayOf(now), items: usageOf(runtime, scope, record, [input.keyId], periodStart, today) };
    },
  };
}
