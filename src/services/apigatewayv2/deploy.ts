/**
 * Deployments: a frozen copy of an API's routing configuration that a stage serves. Manual deployments
 * (CreateDeployment) and automatic ones (a stage with AutoDeploy, redeployed on every change) share this.
 */
import { randomString } from '../../shared/ids.js';
import type { ApiV2Record, DeployedApi, DeploymentV2, StageV2 } from './records.js';

// AWS refuses to deploy an API without routes, and an auto-deploy stage reports the same failure.
export const NO_ROUTES_MESSAGE = 'Unable to deploy API because no routes exist in this API';

/** Deployment ids are 6 lower-case alphanumerics in AWS's answers, e.g. `ab12cd`. */
function newDeploymentId(): string {
  return randomString(6, 'abcdefghijklmnopqrstuvwxyz0123456789');
}

export function snapshot(record: ApiV2Record): DeployedApi {
  return structuredClone({
    routes: record.routes,
    integrations: record.integrations,
    authorizers: record.authorizers,
    routeResponses: record.routeResponses,
    integrationResponses: record.integrationResponses,
    models: record.models,
  });
}

export const hasRoutes = (record: ApiV2Record): boolean => Object.keys(record.routes).length > 0;

/** Adds a deployment of the API as it is now. Callers check `hasRoutes` first (the message differs by caller). */
export function addDeployment(record: ApiV2Record, now: number, options: { autoDeployed: boolean; description?: string }): DeploymentV2 {
  const deployment: DeploymentV2 = {
    DeploymentId: newDeploymentId(),
    CreatedDate: now,
    AutoDeployed: options.autoDeployed,
    Description: options.description,
    snapshot: snapshot(record),
  };
  record.deployments[deployment.DeploymentId] = deployment;
  return deployment;
}

export function pointStage(stage: StageV2, deploymentId: string, now: number): void {
  stage.DeploymentId = deploymentId;
  stage.LastDeploymentStatusMessage = `Successfully deployed stage with deployment ID '${deploymentId}'`;
  stage.LastUpdatedDate = now;
}

/** Deploys the API to one auto-deploy stage, or records why it could not (the stage keeps serving what it had). */
export function deployToStage(record: ApiV2Record, stage: StageV2, now: number): void {
  if (!hasRoutes(record)) {
    stage.LastDeploymentStatusMessage = NO_ROUTES_MESSAGE;
    return;
  }
  pointStage(stage, addDeployment(record, now, { autoDeployed: true }).DeploymentId, now);
}

/**
 * Gives every auto-deploy stage a fresh deployment of the API as changed. Automatic deployments that no
 * stage points at any more are dropped: each holds a full copy of the API, and keeping one per change
 * would make the record (written whole on every change) grow without bound.
 */
export function autoDeploy(record: ApiV2Record, now: number): void {
  const stages = Object.values(record.stages).filter((stage) => stage.AutoDeploy);
  if (stages.length === 0) return;
  for (const stage of stages) deployToStage(record, stage, now);
  const served = new Set(Object.values(record.stages).map((stage) => stage.DeploymentId));
  record.deployments = Object.fromEntries(Object.entries(record.deployments).filter(([id, deployment]) => !deployment.AutoDeployed || served.has(id)));
}
