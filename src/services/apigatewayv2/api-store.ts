/**
 * Reading and writing the one record an HTTP or WebSocket API is stored as (see records.ts): the lookups
 * that answer NotFoundException, the errors the operations share, and the single write path that also
 * redeploys the API's auto-deploy stages, so a change and its deployment land together or not at all.
 */
import { ServiceError } from '../../shared/errors.js';
import { randomString } from '../../shared/ids.js';
import type { RequestContext } from '../../shared/request-context.js';
import { scopeOf } from '../apigateway/api-record.js';
import type { ServiceRuntime } from '../service.js';
import { autoDeploy } from './deploy.js';
import type { ApiV2Record, AuthorizerV2, IntegrationV2, ModelV2, RouteV2, StageV2 } from './records.js';
import { v2Apis } from './records.js';

export const notFound = (message: string): ServiceError => new ServiceError('NotFoundException', message, 404);
export const badRequest = (message: string): ServiceError => new ServiceError('BadRequestException', message, 400);
export const conflict = (message: string): ServiceError => new ServiceError('ConflictException', message, 409);

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Routes, integrations, authorizers, responses, models and deployments have 7-character ids, e.g. `a1b2c3d`. */
export function newChildId(): string {
  return randomString(7, LOWER_ALNUM);
}

export const isWebSocket = (record: ApiV2Record): boolean => record.api.ProtocolType === 'WEBSOCKET';

/** AWS names the account and the id: "Invalid API identifier specified 123456789012:a1b2c3d4e5". */
export function requireApi(runtime: ServiceRuntime, ctx: RequestContext, apiId: string): ApiV2Record {
  const record = v2Apis(runtime, scopeOf(ctx)).get(apiId);
  if (!record) throw notFound(`Invalid API identifier specified ${ctx.account}:${apiId}`);
  return record;
}

export function requireRoute(record: ApiV2Record, routeId: string): RouteV2 {
  const route = record.routes[routeId];
  if (!route) throw notFound(`Invalid Route identifier specified ${routeId}`);
  return route;
}

export function requireIntegration(record: ApiV2Record, integrationId: string): IntegrationV2 {
  const integration = record.integrations[integrationId];
  if (!integration) throw notFound(`Invalid Integration identifier specified ${integrationId}`);
  return integration;
}

export function requireAuthorizer(record: ApiV2Record, authorizerId: string): AuthorizerV2 {
  const authorizer = record.authorizers[authorizerId];
  if (!authorizer) throw notFound(`Invalid Authorizer identifier specified ${authorizerId}`);
  return authorizer;
}

export function requireModel(record: ApiV2Record, modelId: string): ModelV2 {
  const model = record.models[modelId];
  if (!model) throw notFound(`Invalid Model identifier specified ${modelId}`);
  return model;
}

export function requireStage(record: ApiV2Record, stageName: string): StageV2 {
  const stage = record.stages[stageName];
  if (!stage) throw notFound(`Invalid stage identifier specified ${stageName}`);
  return stage;
}

export interface ChangeOptions {
  /**
   * The change touches what a deployment freezes (routes, integrations, authorizers, responses), so every
   * auto-deploy stage gets a fresh deployment in the same write.
   */
  redeploy?: boolean;
}

/** Runs `change` on the stored API and writes it back (redeployed when asked) in one transaction. */
export function changeApi<R>(runtime: ServiceRuntime, ctx: RequestContext, apiId: string, change: (record: ApiV2Record) => R, options: ChangeOptions = {}): R {
  return runtime.store.transaction(() => {
    const record = requireApi(runtime, ctx, apiId);
    const result = change(record);
    if (options.redeploy) autoDeploy(record, runtime.clock.now());
    v2Apis(runtime, scopeOf(ctx)).put(apiId, record);
    return result;
  });
}

/** `record` without `key` (records are rewritten whole, never mutated by delete). */
export function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([candidate]) => candidate !== key));
}
