/**
 * Usage plan quotas: requests per API key per plan, counted per UTC day in the store (so counts survive
 * a restart) and summed over the quota's period, a UTC day, week (from Sunday) or calendar month. The
 * period the plan was created in allows `limit - offset` requests, later ones `limit`
 * (https://docs.aws.amazon.com/apigateway/latest/api/API_QuotaSettings.html). UpdateUsage moves the
 * remaining count of the current period, kept as an adjustment of that period.
 */
import type { QuotaSettings } from '../../../generated/apigateway.js';
import type { Collection } from '../../../store/store.js';
import { scopedName } from '../../../store/store.js';
import type { ServiceRuntime } from '../../service.js';
import type { ApiLocation } from '../api-record.js';

const DAY_MS = 86_400_000;

interface DayCount {
  used: number;
}

interface PeriodAdjustment {
  /** Added to the period's allowance by UpdateUsage. */
  adjustment: number;
}

/** What quota accounting needs of a usage plan. */
export interface QuotaPlan {
  id: string;
  quota?: QuotaSettings;
  createdDate?: number;
}

export interface QuotaState {
  limit: number;
  used: number;
  remaining: number;
}

function dayCounts(runtime: ServiceRuntime, scope: ApiLocation): Collection<DayCount> {
  return runtime.store.collection<DayCount>(scopedName('apigateway', scope.account, scope.region, 'usage'));
}

function adjustments(runtime: ServiceRuntime, scope: ApiLocation): Collection<PeriodAdjustment> {
  return runtime.store.collection<PeriodAdjustment>(scopedName('apigateway', scope.account, scope.region, 'usage-adjustments'));
}

/** `2024-03-12` for an instant. */
export function dayOf(epochMillis: number): string {
  return new Date(epochMillis).toISOString().slice(0, 10);
}

/** The midnight (UTC) that starts a `yyyy-MM-dd` day, or undefined when it is not one. */
export function parseDay(day: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const start = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(start) || dayOf(start) !== day ? undefined : start;
}

/** The [start, end) of the quota period that holds `at`. */
export function periodOf(quota: QuotaSettings, at: number): { start: number; end: number } {
  const date = new Date(at);
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  if (quota.period === 'WEEK') {
    const start = midnight - date.getUTCDay() * DAY_MS;
    return { start, end: start + 7 * DAY_MS };
  }
  if (quota.period === 'MONTH') {
    return { start: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1), end: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) };
  }
  return { start: midnight, end: midnight + DAY_MS };
}

const countKey = (planId: string, keyId: string, day: string): string => `${planId}/${keyId}/${day}`;

function usedOn(runtime: ServiceRuntime, scope: ApiLocation, planId: string, keyId: string, day: string): number {
  return dayCounts(runtime, scope).get(countKey(planId, keyId, day))?.used ?? 0;
}

/** The quota of the period holding `at`, counting requests up to the end of `at`'s day. */
export function quotaState(runtime: ServiceRuntime, scope: ApiLocation, plan: QuotaPlan, keyId: string, at: number): QuotaState | undefined {
  const quota = plan.quota;
  if (quota?.limit === undefined) return undefined;
  const { start } = periodOf(quota, at);
  let used = 0;
  for (let day = start; day <= at; day += DAY_MS) used += usedOn(runtime, scope, plan.id, keyId, dayOf(day));
  const initial = plan.createdDate !== undefined && periodOf(quota, plan.createdDate).start === start;
  const adjustment = adjustments(runtime, scope).get(countKey(plan.id, keyId, dayOf(start)))?.adjustment ?? 0;
  const limit = quota.limit - (initial ? quota.offset ?? 0 : 0) + adjustment;
  return { limit, used, remaining: Math.max(0, limit - used) };
}

/** Counts one request against the key's quota in the plan. */
export function countRequest(runtime: ServiceRuntime, scope: ApiLocation, planId: string, keyId: string, at: number): void {
  const counts = dayCounts(runtime, scope);
  const key = countKey(planId, keyId, dayOf(at));
  counts.put(key, { used: (counts.get(key)?.used ?? 0) + 1 });
}

/** UpdateUsage's /remaining: the current period allows exactly `remaining` more requests. */
export function setRemaining(runtime: ServiceRuntime, scope: ApiLocation, plan: QuotaPlan, keyId: string, remaining: number, at: number): void {
  const state = quotaState(runtime, scope, plan, keyId, at);
  if (!state || !plan.quota) return;
  const key = countKey(plan.id, keyId, dayOf(periodOf(plan.quota, at).start));
  const collection = adjustments(runtime, scope);
  const current = collection.get(key)?.adjustment ?? 0;
  collection.put(key, { adjustment: current + remaining - (state.limit - state.used) });
}

/** GetUsage's rows for one key: per day from `startDay` to `endDay`, [requests that day, quota remaining at its end]. */
export function usageRows(runtime: ServiceRuntime, scope: ApiLocation, plan: QuotaPlan, keyId: string, startDay: number, endDay: number): number[][] {
  const rows: number[][] = [];
  for (let day = startDay; day <= endDay; day += DAY_MS) {
    // A plan without a quota has nothing remaining to report.
    rows.push([usedOn(runtime, scope, plan.id, keyId, dayOf(day)), quotaState(runtime, scope, plan, keyId, day)?.remaining ?? 0]);
  }
  return rows;
}
