/**
 * Records as the API answers them. Routes, integrations, authorizers, responses and models are stored in
 * their model shape and returned as copies; APIs, stages and deployments store epoch milliseconds and
 * carry members that are computed (ApiEndpoint) or internal (a deployment's snapshot).
 */
import type { Api, Deployment, Stage } from '../../generated/apigatewayv2.js';
import type { ServiceRuntime } from '../service.js';
import type { ApiV2, DeploymentV2, StageV2 } from './records.js';

/**
 * Where the API is invoked: `http://{apiId}.execute-api.localhost:{port}` for HTTP APIs and `ws://...` for
 * WebSocket APIs (AWS answers https:// and wss:// on execute-api.{region}.amazonaws.com). Computed on each
 * read, since the edge's port can change between runs over the same state.
 */
export function apiEndpoint(runtime: ServiceRuntime, api: ApiV2): string {
  const { port } = new URL(runtime.edge.endpoint);
  const scheme = api.ProtocolType === 'WEBSOCKET' ? 'ws' : 'http';
  return `${scheme}://${api.ApiId}.execute-api.localhost${port ? `:${port}` : ''}`;
}

const date = (epochMillis: number | undefined): Date | undefined => (epochMillis === undefined ? undefined : new Date(epochMillis));

export function apiView(runtime: ServiceRuntime, api: ApiV2): Api {
  return { ...structuredClone(api), ApiEndpoint: apiEndpoint(runtime, api), CreatedDate: date(api.CreatedDate), Tags: { ...api.Tags } };
}

export function stageView(stage: StageV2): Stage {
  return { ...structuredClone(stage), CreatedDate: date(stage.CreatedDate), LastUpdatedDate: date(stage.LastUpdatedDate) };
}

export function deploymentView(deployment: DeploymentV2): Deployment {
  return {
    AutoDeployed: deployment.AutoDeployed,
    CreatedDate: new Date(deployment.CreatedDate),
    DeploymentId: deployment.DeploymentId,
    DeploymentStatus: 'DEPLOYED',
    Description: deployment.Description,
  };
}
