/**
 * Deployments: Create/Get/Update/Delete Deployment and GetDeployments. CreateDeployment freezes the API's
 * routing configuration (deploy.ts) and, given a StageName, points that stage at it.
 */
import type {
  Apigatewayv2Api, CreateDeploymentRequest, DeleteDeploymentRequest, GetDeploymentRequest, GetDeploymentsRequest, UpdateDeploymentRequest,
} from '../../generated/apigatewayv2.js';
import type { ServiceRuntime } from '../service.js';
import { badRequest, changeApi, notFound, requireApi, requireStage, without } from './api-store.js';
import { addDeployment, hasRoutes, NO_ROUTES_MESSAGE, pointStage } from './deploy.js';
import { paginate } from './pagination.js';
import type { ApiV2Record, DeploymentV2 } from './records.js';
import { deploymentView } from './views.js';

type Ops = Pick<Apigatewayv2Api, 'CreateDeployment' | 'GetDeployment' | 'GetDeployments' | 'UpdateDeployment' | 'DeleteDeployment'>;

function requireDeployment(record: ApiV2Record, deploymentId: string): DeploymentV2 {
  const deployment = record.deployments[deploymentId];
  if (!deployment) throw notFound(`Invalid Deployment identifier specified ${deploymentId}`);
  return deployment;
}

export function deploymentOperations(runtime: ServiceRuntime): Ops {
  return {
    CreateDeployment(input: CreateDeploymentRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        const stage = input.StageName === undefined ? undefined : requireStage(record, input.StageName);
        if (!hasRoutes(record)) throw badRequest(NO_ROUTES_MESSAGE);
        const now = runtime.clock.now();
        const deployment = addDeployment(record, now, { autoDeployed: false, description: input.Description });
        if (stage) pointStage(stage, deployment.DeploymentId, now);
        return deploymentView(deployment);
      });
    },
    GetDeployment(input: GetDeploymentRequest, ctx) {
      return deploymentView(requireDeployment(requireApi(runtime, ctx, input.ApiId), input.DeploymentId));
    },
    GetDeployments(input: GetDeploymentsRequest, ctx) {
      const record = requireApi(runtime, ctx, input.ApiId);
      const page = paginate(Object.values(record.deployments), (deployment) => deployment.DeploymentId, input.NextToken, input.MaxResults);
      return { Items: page.Items.map(deploymentView), NextToken: page.NextToken };
    },
    UpdateDeployment(input: UpdateDeploymentRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        const deployment = requireDeployment(record, input.DeploymentId);
        if (input.Description !== undefined) deployment.Description = input.Description;
        return deploymentView(deployment);
      });
    },
    DeleteDeployment(input: DeleteDeploymentRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        requireDeployment(record, input.DeploymentId);
        // The same rule, and message, as REST APIs: a deployment a stage serves cannot go.
        if (Object.values(record.stages).some((stage) => stage.DeploymentId === input.DeploymentId)) {
          throw badRequest('Active stages pointing to this deployment must be moved or deleted');
        }
        record.deployments = without(record.deployments, input.DeploymentId);
        return {};
      });
    },
  };
}
