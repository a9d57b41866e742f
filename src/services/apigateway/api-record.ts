/**
 * The stored shape of a REST API. One record holds the API with its resources, deployments and stages,
 * so every change is a single write and a deployment can freeze the resource tree by copying it.
 */
import type { Authorizer, GatewayResponse, Method, MethodSetting, Model, RequestValidator } from '../../generated/apigateway.js';
import { ServiceError } from '../../shared/errors.js';
import { randomString } from '../../shared/ids.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { Collection } from '../../store/store.js';
import { scopedName } from '../../store/store.js';
import type { ServiceRuntime } from '../service.js';

export interface ResourceRecord {
  id: string;
  parentId?: string;
  pathPart?: string;
  path: string;
  /** Keyed by HTTP method; a Method as AWS returns it, integration and responses included. */
  methods: Record<string, Method>;
}

export interface DeploymentRecord {
  id: string;
  description?: string;
  createdDate: number;
  /** The API as it was when deployed: invocations through a stage use this, never the live API. */
  resources: Record<string, ResourceRecord>;
  models: Record<string, Model>;
  requestValidators: Record<string, RequestValidator>;
  authorizers: Record<string, Authorizer>;
  /** What the API had when deployed: gateway responses and binary media types change nothing until the next deployment. */
  gatewayResponses?: Record<string, GatewayResponse>;
  binaryMediaTypes?: string[];
  /** The resource policy as deployed: AWS applies a changed policy only after the next deployment. */
  policy?: string;
}

export interface StageRecord {
  stageName: string;
  deploymentId: string;
  description?: string;
  variables: Record<string, string>;
  cacheClusterEnabled: boolean;
  tracingEnabled: boolean;
  tags: Record<string, string>;
  /** A canary: this share of requests (percent) goes to another deployment, with variable overrides. */
  canary?: { deploymentId: string; percentTraffic: number; stageVariableOverrides: Record<string, string>; useStageCache: boolean };
  /** Cache capacity in GB (a CacheClusterSize); kept while the cache is disabled, as AWS keeps it. */
  cacheClusterSize?: string;
  /** Keyed by method setting key, the star pair for every method or `~1pets~1{id}/GET` for one, as GetStage shows them (see stage-settings.ts). */
  methodSettings?: Record<string, MethodSetting>;
  accessLogSettings?: { destinationArn?: string; format?: string };
  createdDate: number;
  lastUpdatedDate: number;
}

export interface ApiRecord {
  id: string;
  name: string;
  description?: string;
  version?: string;
  createdDate: number;
  binaryMediaTypes: string[];
  minimumCompressionSize?: number;
  apiKeySource: 'HEADER' | 'AUTHORIZER';
  endpointTypes: string[];
  policy?: string;
  tags: Record<string, string>;
  disableExecuteApiEndpoint: boolean;
  rootResourceId: string;
  resources: Record<string, ResourceRecord>;
  /** Keyed by model name. */
  models: Record<string, Model>;
  requestValidators: Record<string, RequestValidator>;
  authorizers: Record<string, Authorizer>;
  /** Customized gateway responses by response type (the defaults are not stored); absent in records older than the field. */
  gatewayResponses?: Record<string, GatewayResponse>;
  deployments: Record<string, DeploymentRecord>;
  stages: Record<string, StageRecord>;
}

/** Where an API lives, so an invocation (which names only the API id) finds its account and region. */
export interface ApiLocation {
  account: string;
  region: string;
}

const LOCATIONS = 'apigateway/global/-/api-locations';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** API Gateway ids (APIs, resources, deployments) are 10 lower-case alphanumerics, e.g. `a1b2c3d4e5`. */
export function newId(): string {
  return randomString(10, LOWER_ALNUM);
}

export function apis(runtime: ServiceRuntime, scope: ApiLocation): Collection<ApiRecord> {
  return runtime.store.collection<ApiRecord>(scopedName('apigateway', scope.account, scope.region, 'rest-apis'));
}

export function apiLocations(runtime: ServiceRuntime): Collection<ApiLocation> {
  return runtime.store.collection<ApiLocation>(LOCATIONS);
}

export function scopeOf(ctx: RequestContext): ApiLocation {
  return { account: ctx.account, region: ctx.region };
}

export const notFound = (message: string): ServiceError => new ServiceError('NotFoundException', message, 404);
export const badRequest = (message: string): ServiceError => new ServiceError('BadRequestException', message, 400);
export const conflict = (message: string): ServiceError => new ServiceError('ConflictException', message, 409);

/** AWS's message names the account and id: "Invalid API identifier specified 123456789012:abc1234567". */
export function requireApi(runtime: ServiceRuntime, ctx: RequestContext, restApiId: string): ApiRecord {
  const api = apis(runtime, scopeOf(ctx)).get(restApiId);
  if (!api) throw notFound(`Invalid API identifier specified ${ctx.account}:${restApiId}`);
  return api;
}

export function requireResource(api: ApiRecord, resourceId: string): ResourceRecord {
  const resource = api.resources[resourceId];
  if (!resource) throw notFound('Invalid Resource identifier specified');
  return resource;
}

export function requireMethod(resource: ResourceRecord, httpMethod: string): Method {
  const method = resource.methods[httpMethod.toUpperCase()];
  if (!method) throw notFound('Invalid Method identifier specified');
  return method;
}

/** `record` without `key` (records are rewritten whole, never mutated by delete). */
export function omitKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([candidate]) => candidate !== key));
}
