/** Record -> API output shapes (timestamps become Dates; nothing internal leaks). */
import type { Deployment, Resource, RestApi, Stage } from '../../generated/apigateway.js';
import type { ApiRecord, DeploymentRecord, ResourceRecord, StageRecord } from './api-record.js';

export function restApiView(api: ApiRecord): RestApi {
  return {
    id: api.id,
    name: api.name,
    description: api.description,
    version: api.version,
    createdDate: new Date(api.createdDate),
    binaryMediaTypes: api.binaryMediaTypes.length > 0 ? api.binaryMediaTypes : undefined,
    minimumCompressionSize: api.minimumCompressionSize,
    apiKeySource: api.apiKeySource,
    endpointConfiguration: { types: api.endpointTypes as NonNullable<RestApi['endpointConfiguration']>['types'] },
    policy: api.policy,
    tags: Object.keys(api.tags).length > 0 ? api.tags : undefined,
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
    rootResourceId: api.rootResourceId,
  };
}

/** `embedMethods` gives whole methods (GetResources with embed=methods); otherwise each method is `{}`, as AWS lists them. */
export function resourceView(resource: ResourceRecord, embedMethods = false): Resource {
  const methods = Object.entries(resource.methods);
  return {
    id: resource.id,
    parentId: resource.parentId,
    pathPart: resource.pathPart,
    path: resource.path,
    resourceMethods: methods.length > 0 ? Object.fromEntries(methods.map(([verb, method]) => [verb, embedMethods ? method : {}])) : undefined,
  };
}

export function deploymentView(deployment: DeploymentRecord): Deployment {
  return { id: deployment.id, description: deployment.description, createdDate: new Date(deployment.createdDate) };
}

export function stageView(stage: StageRecord): Stage {
  return {
    stageName: stage.stageName,
    deploymentId: stage.deploymentId,
    description: stage.description,
    variables: Object.keys(stage.variables).length > 0 ? stage.variables : undefined,
    cacheClusterEnabled: stage.cacheClusterEnabled,
    cacheClusterSize: stage.cacheClusterSize as Stage['cacheClusterSize'],
    // The emulated cache is ready at once: no CREATE_IN_PROGRESS phase.
    cacheClusterStatus: stage.cacheClusterEnabled ? 'AVAILABLE' : 'NOT_AVAILABLE',
    tracingEnabled: stage.tracingEnabled,
    methodSettings: stage.methodSettings ?? {},
    accessLogSettings: stage.accessLogSettings,
    tags: Object.keys(stage.tags).length > 0 ? stage.tags : undefined,
    canarySettings: stage.canary,
    createdDate: new Date(stage.createdDate),
    lastUpdatedDate: new Date(stage.lastUpdatedDate),
  };
}
