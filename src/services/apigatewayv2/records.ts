/**
 * The stored shape of an HTTP or WebSocket API (API Gateway v2). As for REST APIs, one record holds the
 * API with its routes, integrations, authorizers, deployments and stages, so every change is one write.
 * A deployment freezes what the data plane serves: it copies the routes, integrations, authorizers and
 * responses; a stage points at one deployment (an auto-deploy stage gets a fresh one on every change).
 *
 * Members keep the model's names (`RouteKey`, `IntegrationUri`, ...) so records map onto the API's
 * shapes directly; timestamps are epoch milliseconds, as everywhere in the store.
 *
 * The data plane (src/services/apigateway/invoke-v2/) reads these records through this module: API
 * Gateway's invocation endpoint (execute-api) serves v1 and v2 APIs alike on one host pattern.
 */
import type { Api, Authorizer, Integration, IntegrationResponse, Model, Route, RouteResponse, Stage } from '../../generated/apigatewayv2.js';
import type { Collection } from '../../store/store.js';
import { scopedName } from '../../store/store.js';
import type { ApiLocation } from '../apigateway/api-record.js';
import type { ServiceRuntime } from '../service.js';

/** Replaces the `Date` members of a model shape with epoch milliseconds. */
type Stored<T> = { [K in keyof T]: T[K] extends Date | undefined ? number : T[K] };

export type ApiV2 = Stored<Api> & { ApiId: string };
export type RouteV2 = Route & { RouteId: string };
export type IntegrationV2 = Integration & { IntegrationId: string };
export type AuthorizerV2 = Authorizer & { AuthorizerId: string };
export type RouteResponseV2 = RouteResponse & { RouteResponseId: string };
export type IntegrationResponseV2 = IntegrationResponse & { IntegrationResponseId: string };
export type ModelV2 = Model & { ModelId: string };
export type StageV2 = Stored<Stage>;

/** What a deployment serves: a frozen copy of the API's routing configuration. */
export interface DeployedApi {
  routes: Record<string, RouteV2>;
  integrations: Record<string, IntegrationV2>;
  authorizers: Record<string, AuthorizerV2>;
  /** Keyed by route id, then route response id. */
  routeResponses: Record<string, Record<string, RouteResponseV2>>;
  /** Keyed by integration id, then integration response id. */
  integrationResponses: Record<string, Record<string, IntegrationResponseV2>>;
  /** Keyed by model id; absent from deployments made before models were deployed with the routes. */
  models?: Record<string, ModelV2>;
}

export interface DeploymentV2 {
  DeploymentId: string;
  CreatedDate: number;
  AutoDeployed: boolean;
  Description?: string;
  snapshot: DeployedApi;
}

export interface ApiV2Record extends DeployedApi {
  api: ApiV2;
  models: Record<string, ModelV2>;
  deployments: Record<string, DeploymentV2>;
  /** Keyed by stage name (`$default` included). */
  stages: Record<string, StageV2>;
}

const LOCATIONS = 'apigatewayv2/global/-/api-locations';

export function v2Apis(runtime: ServiceRuntime, scope: ApiLocation): Collection<ApiV2Record> {
  return runtime.store.collection<ApiV2Record>(scopedName('apigatewayv2', scope.account, scope.region, 'apis'));
}

/** Where each v2 API lives, so an invocation (which names only the API id) finds its account and region. */
export function v2ApiLocations(runtime: ServiceRuntime): Collection<ApiLocation> {
  return runtime.store.collection<ApiLocation>(LOCATIONS);
}

/** The API behind an id, from any account and region, or undefined. */
export function findV2Api(runtime: ServiceRuntime, apiId: string): { location: ApiLocation; record: ApiV2Record } | undefined {
  const location = v2ApiLocations(runtime).get(apiId);
  const record = location && v2Apis(runtime, location).get(apiId);
  return location && record ? { location, record } : undefined;
}
