/**
 * API keys and usage plans: a method with apiKeyRequired answers only requests whose x-api-key is an
 * enabled key in a usage plan that covers the API's stage
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html).
 * The plans' throttles and quotas are enforced by traffic/usage-plan-check.ts; their Update* and the
 * usage operations are in usage-plan-updates.ts and traffic/usage-operations.ts.
 */
import type {
  ApigatewayApi, ApiKey, CreateApiKeyRequest, CreateUsagePlanKeyRequest, CreateUsagePlanRequest, DeleteApiKeyRequest, DeleteUsagePlanKeyRequest,
  DeleteUsagePlanRequest, GetApiKeyRequest, GetApiKeysRequest, GetUsagePlanKeysRequest, GetUsagePlanRequest, GetUsagePlansRequest, UsagePlan,
} from '../../generated/apigateway.js';
import { randomString } from '../../shared/ids.js';
import type { Collection } from '../../store/store.js';
import { scopedName } from '../../store/store.js';
import type { ServiceRuntime } from '../service.js';
import type { ApiLocation } from './api-record.js';
import { badRequest, conflict, newId, notFound, requireApi, scopeOf } from './api-record.js';
import { page } from './rest-apis.js';

type Ops = Pick<ApigatewayApi,
  'CreateApiKey' | 'GetApiKey' | 'GetApiKeys' | 'DeleteApiKey' | 'CreateUsagePlan' | 'GetUsagePlan' | 'GetUsagePlans' | 'DeleteUsagePlan' |
  'CreateUsagePlanKey' | 'GetUsagePlanKeys' | 'DeleteUsagePlanKey'>;

export interface ApiKeyRecord {
  id: string;
  value: string;
  name: string;
  description?: string;
  customerId?: string;
  enabled: boolean;
  tags: Record<string, string>;
  createdDate: number;
  lastUpdatedDate: number;
}

export interface UsagePlanRecord {
  plan: UsagePlan;
  keyIds: string[];
  /** When the plan was created: its first quota period allows `limit - offset` requests (absent in older records). */
  createdDate?: number;
}

export function apiKeys(runtime: ServiceRuntime, scope: ApiLocation): Collection<ApiKeyRecord> {
  return runtime.store.collection<ApiKeyRecord>(scopedName('apigateway', scope.account, scope.region, 'api-keys'));
}

export function usagePlans(runtime: ServiceRuntime, scope: ApiLocation): Collection<UsagePlanRecord> {
  return runtime.store.collection<UsagePlanRecord>(scopedName('apigateway', scope.account, scope.region, 'usage-plans'));
}

export function keyView(key: ApiKeyRecord, includeValue: boolean): ApiKey {
  return {
    id: key.id, value: includeValue ? key.value : undefined, name: key.name, description: key.description, customerId: key.customerId, enabled: key.enabled,
    createdDate: new Date(key.createdDate), lastUpdatedDate: new Date(key.lastUpdatedDate), stageKeys: [], tags: Object.keys(key.tags).length > 0 ? key.tags : undefined,
  };
}

export const keyNotFound = (): Error => notFound('Invalid API Key identifier specified');
export const planNotFound = (id: string): Error => notFound(`Invalid Usage Plan ID specified: ${id}`);

/** The enabled key whose value is `value` with the usage plan that gives it the API's stage, or undefined (a 403). */
export function keyPlanFor(runtime: ServiceRuntime, scope: ApiLocation, value: string | undefined, apiId: string, stage: string): { key: ApiKeyRecord; plan: UsagePlanRecord } | undefined {
  if (!value) return undefined;
  const key = apiKeys(runtime, scope).list().map(([, record]) => record).find((record) => record.value === value);
  if (!key?.enabled) return undefined;
  const plan = usagePlans(runtime, scope).list().map(([, record]) => record).find((record) => record.keyIds.includes(key.id)
    && (record.plan.apiStages ?? []).some((apiStage) => apiStage.apiId === apiId && apiStage.stage === stage));
  return plan ? { key, plan } : undefined;
}

export function apiKeyOperations(runtime: ServiceRuntime): Ops {
  return {
    CreateApiKey(input: CreateApiKeyRequest, ctx) {
      const keys = apiKeys(runtime, scopeOf(ctx));
      // Generated keys are 40 alphanumerics; given ones need at least 20 characters.
      const value = input.value ?? randomString(40);
      if (value.length < 20) throw badRequest('API Key value should be at least 20 characters');
      if (keys.list().some(([, key]) => key.value === value)) throw conflict('API Key already exists');
      const now = runtime.clock.now();
      const key: ApiKeyRecord = {
        id: newId(), value, name: input.name ?? '', description: input.description, customerId: input.customerId,
        // CreateApiKey leaves keys disabled unless told otherwise.
        enabled: input.enabled ?? false, tags: input.tags ?? {}, createdDate: now, lastUpdatedDate: now,
      };
      keys.put(key.id, key);
      return keyView(key, true);
    },
    GetApiKey(input: GetApiKeyRequest, ctx) {
      const key = apiKeys(runtime, scopeOf(ctx)).get(input.apiKey);
      if (!key) throw keyNotFound();
      return keyView(key, input.includeValue ?? false);
    },
    GetApiKeys(input: GetApiKeysRequest, ctx) {
      const all = apiKeys(runtime, scopeOf(ctx)).list().map(([, key]) => key)
        .filter((key) => (!input.nameQuery || key.name.startsWith(input.nameQuery)) && (!input.customerId || key.customerId === input.customerId));
      const result = page(all, (key) => key.id, input.position, input.limit);
      return { items: result.items.map((key) => keyView(key, input.includeValues ?? false)), position: result.position };
    },
    DeleteApiKey(input: DeleteApiKeyRequest, ctx) {
      const scope = scopeOf(ctx);
      runtime.store.transaction(() => {
        if (!apiKeys(runtime, scope).delete(input.apiKey)) throw keyNotFound();
        const plans = usagePlans(runtime, scope);
        for (const [id, record] of plans.list()) {
          if (record.keyIds.includes(input.apiKey)) plans.put(id, { ...record, keyIds: record.keyIds.filter((keyId) => keyId !== input.apiKey) });
        }
      });
      return {};
    },
    CreateUsagePlan(input: CreateUsagePlanRequest, ctx) {
      for (const apiStage of input.apiStages ?? []) {
        const api = requireApi(runtime, ctx, apiStage.apiId ?? '');
        if (!api.stages[apiStage.stage ?? '']) throw notFound(`Invalid stage identifier specified: ${apiStage.stage ?? ''}`);
      }
      const plan: UsagePlan = {
        id: newId().slice(0, 6), name: input.name, description: input.description, apiStages: input.apiStages ?? [], throttle: input.throttle, quota: input.quota, tags: input.tags,
      };
      usagePlans(runtime, scopeOf(ctx)).put(plan.id!, { plan, keyIds: [], createdDate: runtime.clock.now() });
      return plan;
    },
    GetUsagePlan(input: GetUsagePlanRequest, ctx) {
      const record = usagePlans(runtime, scopeOf(ctx)).get(input.usagePlanId);
      if (!record) throw planNotFound(input.usagePlanId);
      return record.plan;
    },
    GetUsagePlans(input: GetUsagePlansRequest, ctx) {
      const all = usagePlans(runtime, scopeOf(ctx)).list().map(([, record]) => record).filter((record) => !input.keyId || record.keyIds.includes(input.keyId));
      const result = page(all, (record) => record.plan.id ?? '', input.position, input.limit);
      return { items: result.items.map((record) => record.plan), position: result.position };
    },
    DeleteUsagePlan(input: DeleteUsagePlanRequest, ctx) {
      if (!usagePlans(runtime, scopeOf(ctx)).delete(input.usagePlanId)) throw planNotFound(input.usagePlanId);
      return {};
    },
    CreateUsagePlanKey(input: CreateUsagePlanKeyRequest, ctx) {
      const scope = scopeOf(ctx);
      return runtime.store.transaction(() => {
        const plans = usagePlans(runtime, scope);
        const record = plans.get(input.usagePlanId);
        if (!record) throw planNotFound(input.usagePlanId);
        if (input.keyType !== 'API_KEY') throw badRequest(`Invalid key type specified: ${input.keyType}. Valid options are API_KEY`);
        const key = apiKeys(runtime, scope).get(input.keyId);
        if (!key) throw keyNotFound();
        if (record.keyIds.includes(key.id)) throw conflict(`Usage Plan ${input.usagePlanId} already contains API Key ${key.id}`);
        plans.put(input.usagePlanId, { ...record, keyIds: [...record.keyIds, key.id] });
        return { id: key.id, type: 'API_KEY', value: key.value, name: key.name };
      });
    },
    GetUsagePlanKeys(input: GetUsagePlanKeysRequest, ctx) {
      const scope = scopeOf(ctx);
      const record = usagePlans(runtime, scope).get(input.usagePlanId);
      if (!record) throw planNotFound(input.usagePlanId);
      const keys = record.keyIds.map((id) => apiKeys(runtime, scope).get(id)).filter((key): key is ApiKeyRecord => key !== undefined)
        .filter((key) => !input.nameQuery || key.name.startsWith(input.nameQuery));
      const result = page(keys, (key) => key.id, input.position, input.limit);
      return { items: result.items.map((key) => ({ id: key.id, type: 'API_KEY', value: key.value, name: key.name })), position: result.position };
    },
    DeleteUsagePlanKey(input: DeleteUsagePlanKeyRequest, ctx) {
      const plans = usagePlans(runtime, scopeOf(ctx));
      runtime.store.transaction(() => {
        const record = plans.get(input.usagePlanId);
        if (!record) throw planNotFound(input.usagePlanId);
        if (!record.keyIds.includes(input.keyId)) throw keyNotFound();
        plans.put(input.usagePlanId, { ...record, keyIds: record.keyIds.filter((keyId) => keyId !== input.keyId) });
      });
      return {};
    },
  };
}
