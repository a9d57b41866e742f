/** Deployments (frozen copies of the resource tree) and the stages that point at them. */
import type {
  ApigatewayApi, CreateDeploymentRequest, CreateStageRequest, DeleteDeploymentRequest, DeleteStageRequest, GetDeploymentRequest,
  GetDeploymentsRequest, GetStageRequest, GetStagesRequest, UpdateStageRequest,
} from '../../generated/apigateway.js';
import type { ServiceRuntime } from '../service.js';
import type { ApiRecord, DeploymentRecord, StageRecord } from './api-record.js';
import { badRequest, conflict, newId, notFound, omitKey, requireApi } from './api-record.js';
import type { PatchRule } from './patch.js';
import { flushStageCache } from './cache/response-cache.js';
import { applyPatch, booleanValue, stringField } from './patch.js';
import { page, updateApi } from './rest-apis.js';
import { checkStageChange } from './stage-setting-checks.js';
import { checkCacheClusterSize, stageSettingRules } from './stage-settings.js';
import { deploymentView, stageView } from './views.js';

type Ops = Pick<ApigatewayApi,
  'CreateDeployment' | 'GetDeployment' | 'GetDeployments' | 'DeleteDeployment' | 'CreateStage' | 'GetStage' | 'GetStages' | 'UpdateStage' | 'DeleteStage'>;

// Stage names: alphanumerics, hyphens and underscores (https://docs.aws.amazon.com/apigateway/latest/api/API_CreateStage.html).
const STAGE_NAME = /^[a-zA-Z0-9_-]{1,128}$/;

function requireStage(api: ApiRecord, stageName: string): StageRecord {
  const stage = api.stages[stageName];
  if (!stage) throw notFound('Invalid Stage identifier specified');
  return stage;
}

function requireDeployment(api: ApiRecord, deploymentId: string): DeploymentRecord {
  const deployment = api.deployments[deploymentId];
  if (!deployment) throw notFound('Invalid Deployment identifier specified');
  return deployment;
}

function checkVariables(variables: Record<string, string> | undefined): Record<string, string> {
  for (const [name, value] of Object.entries(variables ?? {})) {
    // Stage variable rules: https://docs.aws.amazon.com/apigateway/latest/developerguide/aws-api-gateway-stage-variables-reference.html
    if (!/^[a-zA-Z0-9_]{1,64}$/.test(name)) throw badRequest('Stage variable names must be alphanumeric or underscore and between 1 and 64 characters');
    if (!/^[a-zA-Z0-9\-._~:/?#&=,]{0,512}$/.test(value)) throw badRequest(`Stage variable value ${value} is invalid`);
  }
  return { ...variables };
}

function requireCanary(stage: StageRecord): NonNullable<StageRecord['canary']> {
  if (!stage.canary) throw badRequest('The stage has no canary settings');
  return stage.canary;
}

function percentOf(value: string | number | undefined): number {
  const percent = Number(value ?? 0);
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) throw badRequest('Canary traffic percentage must be between 0.0 and 100.0');
  return percent;
}

function checkStageName(stageName: string): void {
  if (!STAGE_NAME.test(stageName)) throw badRequest('Stage name only allows a-zA-Z0-9_-');
}

export function stageOperations(runtime: ServiceRuntime): Ops {
  const stagePatch: PatchRule<StageRecord & { api: ApiRecord }>[] = [
    stringField('/description', (stage, value) => { stage.description = value; }),
    stringField('/deploymentId', (stage, value) => { stage.deploymentId = requireDeployment(stage.api, value ?? '').id; }),
    { path: '/tracingEnabled', apply: (stage, _op, value) => { stage.tracingEnabled = booleanValue(value, '/tracingEnabled'); } },
    { path: '/cacheClusterEnabled', apply: (stage, _op, value) => { stage.cacheClusterEnabled = booleanValue(value, '/cacheClusterEnabled'); } },
    {
      path: '/canarySettings',
      apply: (stage, op) => {
        if (op !== 'remove') throw badRequest("Invalid patch operation specified for '/canarySettings': only remove is allowed");
        stage.canary = undefined;
      },
    },
    { path: '/canarySettings/percentTraffic', apply: (stage, _op, value) => { requireCanary(stage).percentTraffic = percentOf(value); } },
    { path: '/canarySettings/deploymentId', apply: (stage, _op, value) => { requireCanary(stage).deploymentId = requireDeployment(stage.api, value ?? '').id; } },
    { path: '/canarySettings/useStageCache', apply: (stage, _op, value) => { requireCanary(stage).useStageCache = booleanValue(value, '/canarySettings/useStageCache'); } },
    {
      path: '/canarySettings/stageVariableOverrides/',
      apply: (stage, op, value, key) => {
        const canary = requireCanary(stage);
        canary.stageVariableOverrides = op === 'remove' ? omitKey(canary.stageVariableOverrides, key) : { ...canary.stageVariableOverrides, ...checkVariables({ [key]: value ?? '' }) };
      },
    },
    {
      path: '/variables/',
      apply: (stage, op, value, key) => {
        if (op === 'remove') stage.variables = omitKey(stage.variables, key);
        else stage.variables = { ...stage.variables, ...checkVariables({ [key]: value ?? '' }) };
      },
    },
    ...stageSettingRules(),
  ];

  function newStage(stageName: string, deploymentId: string, fields: Partial<StageRecord>): StageRecord {
    const now = runtime.clock.now();
    return {
      stageName, deploymentId, description: fields.description, variables: fields.variables ?? {}, cacheClusterEnabled: fields.cacheClusterEnabled ?? false,
      // An enabled cache without a size gets AWS's smallest, 0.5 GB.
      cacheClusterSize: fields.cacheClusterSize ?? (fields.cacheClusterEnabled ? '0.5' : undefined),
      tracingEnabled: fields.tracingEnabled ?? false, tags: fields.tags ?? {}, createdDate: now, lastUpdatedDate: now,
    };
  }

  return {
    CreateDeployment(input: CreateDeploymentRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const methods = Object.values(api.resources).flatMap((resource) => Object.values(resource.methods));
        if (methods.length === 0) throw badRequest("The REST API doesn't contain any methods");
        const withoutIntegration = methods.find((method) => !method.methodIntegration);
        if (withoutIntegration) throw badRequest('No integration defined for method');
        if (input.stageName !== undefined) checkStageName(input.stageName);
        const variables = checkVariables(input.variables);
        const deployment: DeploymentRecord = {
          id: newId(),
          description: input.description,
          createdDate: runtime.clock.now(),
          resources: structuredClone(api.resources),
          models: structuredClone(api.models),
          requestValidators: structuredClone(api.requestValidators),
          authorizers: structuredClone(api.authorizers),
          gatewayResponses: structuredClone(api.gatewayResponses ?? {}),
          binaryMediaTypes: [...api.binaryMediaTypes],
          policy: api.policy,
        };
        api.deployments[deployment.id] = deployment;
        if (input.canarySettings) {
          // A canary deployment leaves the stage on its current deployment and sends a share of traffic to the new one.
          const stage = api.stages[input.stageName ?? ''] as StageRecord | undefined;
          if (!stage) throw badRequest('Stage must exist to create a canary deployment');
          stage.canary = {
            deploymentId: deployment.id, percentTraffic: percentOf(input.canarySettings.percentTraffic),
            stageVariableOverrides: checkVariables(input.canarySettings.stageVariableOverrides), useStageCache: input.canarySettings.useStageCache ?? false,
          };
          stage.lastUpdatedDate = runtime.clock.now();
        } else if (input.stageName) {
          const existing = api.stages[input.stageName];
          if (existing) {
            // Deploying to an existing stage repoints it and merges the given variables.
            existing.deploymentId = deployment.id;
            existing.variables = { ...existing.variables, ...variables };
            existing.lastUpdatedDate = runtime.clock.now();
          } else {
            api.stages[input.stageName] = newStage(input.stageName, deployment.id, {
              description: input.stageDescription, variables, cacheClusterEnabled: input.cacheClusterEnabled, tracingEnabled: input.tracingEnabled,
              cacheClusterSize: checkCacheClusterSize(input.cacheClusterSize),
            });
          }
        }
        return deploymentView(deployment);
      });
    },
    GetDeployment(input: GetDeploymentRequest, ctx) {
      return deploymentView(requireDeployment(requireApi(runtime, ctx, input.restApiId), input.deploymentId));
    },
    GetDeployments(input: GetDeploymentsRequest, ctx) {
      const all = Object.values(requireApi(runtime, ctx, input.restApiId).deployments).sort((a, b) => a.createdDate - b.createdDate);
      const result = page(all, (deployment) => deployment.id, input.position, input.limit);
      return { items: result.items.map(deploymentView), position: result.position };
    },
    DeleteDeployment(input: DeleteDeploymentRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        requireDeployment(api, input.deploymentId);
        if (Object.values(api.stages).some((stage) => stage.deploymentId === input.deploymentId || stage.canary?.deploymentId === input.deploymentId)) {
          throw badRequest('Active stages pointing to this deployment must be moved or deleted');
        }
        api.deployments = omitKey(api.deployments, input.deploymentId);
        return {};
      });
    },
    CreateStage(input: CreateStageRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        checkStageName(input.stageName);
        requireDeployment(api, input.deploymentId);
        if (api.stages[input.stageName]) throw conflict('Stage already exists');
        if (input.canarySettings?.deploymentId !== undefined) requireDeployment(api, input.canarySettings.deploymentId);
        const stage = newStage(input.stageName, input.deploymentId, {
          description: input.description, variables: checkVariables(input.variables), cacheClusterEnabled: input.cacheClusterEnabled,
          tracingEnabled: input.tracingEnabled, tags: input.tags, cacheClusterSize: checkCacheClusterSize(input.cacheClusterSize),
        });
        if (input.canarySettings) {
          stage.canary = {
            deploymentId: input.canarySettings.deploymentId ?? input.deploymentId, percentTraffic: percentOf(input.canarySettings.percentTraffic),
            stageVariableOverrides: checkVariables(input.canarySettings.stageVariableOverrides), useStageCache: input.canarySettings.useStageCache ?? false,
          };
        }
        api.stages[stage.stageName] = stage;
        return stageView(stage);
      });
    },
    GetStage(input: GetStageRequest, ctx) {
      return stageView(requireStage(requireApi(runtime, ctx, input.restApiId), input.stageName));
    },
    GetStages(input: GetStagesRequest, ctx) {
      const api = requireApi(runtime, ctx, input.restApiId);
      const stages = Object.values(api.stages).filter((stage) => !input.deploymentId || stage.deploymentId === input.deploymentId);
      return { item: stages.map(stageView) };
    },
    UpdateStage(input: UpdateStageRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const stage = requireStage(api, input.stageName);
        const target = { ...stage, variables: { ...stage.variables }, api };
        applyPatch(target, input.patchOperations, stagePatch);
        const { api: _api, ...updated } = target;
        checkStageChange(runtime, ctx, api.id, stage, updated);
        api.stages[stage.stageName] = { ...updated, lastUpdatedDate: runtime.clock.now() };
        return stageView(api.stages[stage.stageName]);
      });
    },
    DeleteStage(input: DeleteStageRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        requireStage(api, input.stageName);
        api.stages = omitKey(api.stages, input.stageName);
        // A stage created again under the name must not answer from the old stage's cache.
        flushStageCache(runtime, api.id, input.stageName);
        return {};
      });
    },
  };
}
