/**
 * Stages: Create/Get/Update/Delete Stage, GetStages, DeleteRouteSettings and DeleteAccessLogSettings. A stage
 * serves one deployment; with AutoDeploy it gets a new one on every change of the API (deploy.ts). HTTP
 * APIs may have a `$default` stage, served at the root of the API's URL.
 * See https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-stages.html.
 */
import type {
  Apigatewayv2Api, CreateStageRequest, DeleteAccessLogSettingsRequest, DeleteRouteSettingsRequest, DeleteStageRequest, GetStageRequest, GetStagesRequest,
  RouteSettings, UpdateStageRequest,
} from '../../generated/apigatewayv2.js';
import type { ServiceRuntime } from '../service.js';
import { badRequest, changeApi, conflict, isWebSocket, notFound, requireApi, requireStage, without } from './api-store.js';
import { deployToStage, hasRoutes } from './deploy.js';
import { paginate } from './pagination.js';
import type { ApiV2Record, StageV2 } from './records.js';
import { stageView } from './views.js';

type Ops = Pick<Apigatewayv2Api, 'CreateStage' | 'GetStage' | 'GetStages' | 'UpdateStage' | 'DeleteStage' | 'DeleteRouteSettings' | 'DeleteAccessLogSettings'>;

const STAGE_NAME = /^[A-Za-z0-9_-]+$/;

/** What a stage's DefaultRouteSettings start as: HTTP APIs have no execution logs, WebSocket APIs start them off. */
function initialRouteSettings(record: ApiV2Record): RouteSettings {
  return isWebSocket(record) ? { DataTraceEnabled: false, DetailedMetricsEnabled: false, LoggingLevel: 'OFF' } : { DetailedMetricsEnabled: false };
}

function checkRouteSettings(record: ApiV2Record, settings: RouteSettings): void {
  // AWS's message, for HTTP APIs given a logging level or data tracing.
  if (!isWebSocket(record) && (settings.LoggingLevel !== undefined || settings.DataTraceEnabled !== undefined)) {
    throw badRequest('Execution logs are not supported on protocolType HTTP');
  }
}

function checkRouteSettingsMap(record: ApiV2Record, settings: Record<string, RouteSettings>): void {
  const routeKeys = new Set(Object.values(record.routes).map((route) => route.RouteKey));
  for (const [routeKey, routeSettings] of Object.entries(settings)) {
    if (!routeKeys.has(routeKey)) throw notFound(`Unable to find Route by key ${routeKey} within the provided RouteSettings`);
    checkRouteSettings(record, routeSettings);
  }
}

function requireDeployment(record: ApiV2Record, deploymentId: string): void {
  if (!Object.hasOwn(record.deployments, deploymentId)) throw notFound(`Invalid Deployment identifier specified ${deploymentId}`);
}

export interface StageSettings {
  StageName: string;
  AccessLogSettings?: StageV2['AccessLogSettings'];
  AutoDeploy?: boolean;
  ClientCertificateId?: string;
  DefaultRouteSettings?: RouteSettings;
  DeploymentId?: string;
  Description?: string;
  RouteSettings?: Record<string, RouteSettings>;
  StageVariables?: Record<string, string>;
  Tags?: Record<string, string>;
  ApiGatewayManaged?: boolean;
}

/** Adds a stage to the API (and deploys to it when it auto-deploys and there is something to deploy). */
export function addStage(record: ApiV2Record, settings: StageSettings, now: number): StageV2 {
  const name = settings.StageName;
  if (name === '$default') {
    if (isWebSocket(record)) throw badRequest('The $default stage is supported only for HTTP APIs');
  } else if (!STAGE_NAME.test(name)) {
    throw badRequest('Stage name only allows a-zA-Z0-9_- and the name $default');
  }
  if (Object.hasOwn(record.stages, name)) throw conflict(`Stage ${name} already exists`);
  checkRouteSettings(record, settings.DefaultRouteSettings ?? {});
  checkRouteSettingsMap(record, settings.RouteSettings ?? {});
  if (settings.DeploymentId !== undefined) requireDeployment(record, settings.DeploymentId);
  const stage: StageV2 = {
    StageName: name,
    AccessLogSettings: settings.AccessLogSettings,
    ApiGatewayManaged: settings.ApiGatewayManaged,
    AutoDeploy: settings.AutoDeploy ?? false,
    ClientCertificateId: settings.ClientCertificateId,
    CreatedDate: now,
    DefaultRouteSettings: { ...initialRouteSettings(record), ...settings.DefaultRouteSettings },
    DeploymentId: settings.DeploymentId,
    Description: settings.Description,
    LastUpdatedDate: now,
    RouteSettings: settings.RouteSettings ?? {},
    StageVariables: settings.StageVariables ?? {},
    Tags: settings.Tags ?? {},
  };
  record.stages[name] = stage;
  if (stage.AutoDeploy && hasRoutes(record)) deployToStage(record, stage, now);
  return stage;
}

function mergeRouteSettings(current: Record<string, RouteSettings> | undefined, changes: Record<string, RouteSettings>): Record<string, RouteSettings> {
  const merged = { ...current };
  for (const [routeKey, settings] of Object.entries(changes)) merged[routeKey] = { ...merged[routeKey], ...settings };
  return merged;
}

export function stageOperations(runtime: ServiceRuntime): Ops {
  return {
    CreateStage(input: CreateStageRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        const { ApiId: _apiId, ...settings } = input;
        return stageView(addStage(record, settings, runtime.clock.now()));
      });
    },
    GetStage(input: GetStageRequest, ctx) {
      return stageView(requireStage(requireApi(runtime, ctx, input.ApiId), input.StageName));
    },
    GetStages(input: GetStagesRequest, ctx) {
      const record = requireApi(runtime, ctx, input.ApiId);
      const page = paginate(Object.values(record.stages), (stage) => stage.StageName, input.NextToken, input.MaxResults);
      return { Items: page.Items.map(stageView), NextToken: page.NextToken };
    },
    UpdateStage(input: UpdateStageRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        const stage = requireStage(record, input.StageName);
        const now = runtime.clock.now();
        if (input.DefaultRouteSettings) {
          checkRouteSettings(record, input.DefaultRouteSettings);
          stage.DefaultRouteSettings = { ...stage.DefaultRouteSettings, ...input.DefaultRouteSettings };
        }
        if (input.RouteSettings) {
          checkRouteSettingsMap(record, input.RouteSettings);
          stage.RouteSettings = mergeRouteSettings(stage.RouteSettings, input.RouteSettings);
        }
        if (input.DeploymentId !== undefined) {
          requireDeployment(record, input.DeploymentId);
          stage.DeploymentId = input.DeploymentId;
        }
        if (input.AccessLogSettings !== undefined) stage.AccessLogSettings = input.AccessLogSettings;
        if (input.ClientCertificateId !== undefined) stage.ClientCertificateId = input.ClientCertificateId;
        if (input.Description !== undefined) stage.Description = input.Description;
        if (input.StageVariables !== undefined) stage.StageVariables = { ...stage.StageVariables, ...input.StageVariables };
        const turnedOn = input.AutoDeploy === true && !stage.AutoDeploy;
        if (input.AutoDeploy !== undefined) stage.AutoDeploy = input.AutoDeploy;
        stage.LastUpdatedDate = now;
        // Turning AutoDeploy on releases the API as it is now.
        if (turnedOn) deployToStage(record, stage, now);
        return stageView(stage);
      });
    },
    DeleteStage(input: DeleteStageRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        requireStage(record, input.StageName);
        record.stages = without(record.stages, input.StageName);
        return {};
      });
    },
    DeleteRouteSettings(input: DeleteRouteSettingsRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        const stage = requireStage(record, input.StageName);
        if (!stage.RouteSettings || !Object.hasOwn(stage.RouteSettings, input.RouteKey)) {
          throw notFound(`Unable to find Route by key ${input.RouteKey} within the provided RouteSettings`);
        }
        stage.RouteSettings = without(stage.RouteSettings, input.RouteKey);
        stage.LastUpdatedDate = runtime.clock.now();
        return {};
      });
    },
    DeleteAccessLogSettings(input: DeleteAccessLogSettingsRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        const stage = requireStage(record, input.StageName);
        stage.AccessLogSettings = undefined;
        stage.LastUpdatedDate = runtime.clock.now();
        return {};
      });
    },
  };
}
