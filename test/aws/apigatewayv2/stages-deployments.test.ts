/**
 * API Gateway v2 stages, deployments, auto-deploy and tags through @aws-sdk/client-apigatewayv2, with a
 * ManualClock so dates are exact. Also checks what a deployment freezes, reading the record the data
 * planes serve from.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ApiGatewayV2Client, CreateApiCommand, CreateDeploymentCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, DeleteAccessLogSettingsCommand,
  DeleteDeploymentCommand, DeleteRouteCommand, DeleteRouteSettingsCommand, DeleteStageCommand, GetDeploymentCommand, GetDeploymentsCommand, GetStageCommand,
  GetStagesCommand, GetTagsCommand, TagResourceCommand, UntagResourceCommand, UpdateDeploymentCommand, UpdateRouteCommand, UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import type { ApiV2Record } from '../../../src/services/apigatewayv2/records.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { DEFAULT_ACCOUNT } from '../../../src/shared/ids.js';
import { scopedName } from '../../../src/store/store.js';
import { rejectsWith } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:000000000000:function:handler';

describe('API Gateway v2 stages, deployments and tags', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const nimbus = useNimbus({ clock });
  const client = (): ApiGatewayV2Client => new ApiGatewayV2Client(clientSettings(nimbus()));

  async function apiWithRoute(protocol: 'HTTP' | 'WEBSOCKET' = 'HTTP'): Promise<{ apiId: string; routeId: string; integrationId: string }> {
    const api = await client().send(new CreateApiCommand({ Name: 'pets', ProtocolType: protocol, RouteSelectionExpression: protocol === 'WEBSOCKET' ? '$request.body.action' : undefined }));
    const integration = await client().send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: LAMBDA, PayloadFormatVersion: protocol === 'HTTP' ? '2.0' : undefined }));
    const route = await client().send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: protocol === 'HTTP' ? 'GET /pets' : '$default', Target: `integrations/${integration.IntegrationId!}` }));
    return { apiId: api.ApiId!, routeId: route.RouteId!, integrationId: integration.IntegrationId! };
  }

  it('creates stages with the defaults of each protocol', async () => {
    const { apiId } = await apiWithRoute();
    const stage = await client().send(new CreateStageCommand({
      ApiId: apiId, StageName: 'prod', StageVariables: { table: 'pets' }, Description: 'Production',
      DefaultRouteSettings: { ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5 },
      RouteSettings: { 'GET /pets': { ThrottlingBurstLimit: 2 } },
      AccessLogSettings: { DestinationArn: 'arn:aws:logs:us-east-1:000000000000:log-group:access', Format: '$context.requestId' },
      Tags: { env: 'prod' },
    }));
    assert.deepEqual(stage.DefaultRouteSettings, { DetailedMetricsEnabled: false, ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5 });
    assert.deepEqual(stage.RouteSettings, { 'GET /pets': { ThrottlingBurstLimit: 2 } });
    assert.deepEqual(stage.StageVariables, { table: 'pets' });
    assert.equal(stage.AutoDeploy, false);
    assert.equal(stage.DeploymentId, undefined);
    assert.equal(stage.CreatedDate?.getTime(), clock.now());
    assert.deepEqual(stage.Tags, { env: 'prod' });

    const ws = await apiWithRoute('WEBSOCKET');
    const wsStage = await client().send(new CreateStageCommand({ ApiId: ws.apiId, StageName: 'dev', DefaultRouteSettings: { LoggingLevel: 'INFO' } }));
    assert.deepEqual(wsStage.DefaultRouteSettings, { DataTraceEnabled: false, DetailedMetricsEnabled: false, LoggingLevel: 'INFO' });
  });

  it('rejects stages AWS rejects', async () => {
    const { apiId } = await apiWithRoute();
    await client().send(new CreateStageCommand({ ApiId: apiId, StageName: 'prod' }));
    await rejectsWith(client().send(new CreateStageCommand({ ApiId: apiId, StageName: 'prod' })), 'ConflictException', 'Stage prod already exists', 409);
    await rejectsWith(client().send(new CreateStageCommand({ ApiId: apiId, StageName: 'bad name' })), 'BadRequestException', /Stage name only allows/, 400);
    await rejectsWith(
      client().send(new CreateStageCommand({ ApiId: apiId, StageName: 'logs', DefaultRouteSettings: { LoggingLevel: 'INFO' } })),
      'BadRequestException', 'Execution logs are not supported on protocolType HTTP', 400);
    await rejectsWith(
      client().send(new CreateStageCommand({ ApiId: apiId, StageName: 'other', RouteSettings: { 'GET /nope': { ThrottlingBurstLimit: 1 } } })),
      'NotFoundException', 'Unable to find Route by key GET /nope within the provided RouteSettings', 404);
    await rejectsWith(client().send(new CreateStageCommand({ ApiId: apiId, StageName: 'x', DeploymentId: 'abc123' })), 'NotFoundException', 'Invalid Deployment identifier specified abc123', 404);
    const ws = await apiWithRoute('WEBSOCKET');
    await rejectsWith(client().send(new CreateStageCommand({ ApiId: ws.apiId, StageName: '$default' })), 'BadRequestException', 'The $default stage is supported only for HTTP APIs', 400);
    await rejectsWith(client().send(new GetStageCommand({ ApiId: apiId, StageName: 'nope' })), 'NotFoundException', 'Invalid stage identifier specified nope', 404);
  });

  it('deploys manually to a stage, and refuses to deploy an API without routes', async () => {
    const empty = await client().send(new CreateApiCommand({ Name: 'empty', ProtocolType: 'HTTP' }));
    await rejectsWith(client().send(new CreateDeploymentCommand({ ApiId: empty.ApiId })), 'BadRequestException', 'Unable to deploy API because no routes exist in this API', 400);

    const { apiId } = await apiWithRoute();
    await client().send(new CreateStageCommand({ ApiId: apiId, StageName: 'prod' }));
    clock.advance(60_000);
    const deployedAt = clock.now();
    const deployment = await client().send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'prod', Description: 'first' }));
    assert.deepEqual(
      { AutoDeployed: deployment.AutoDeployed, DeploymentStatus: deployment.DeploymentStatus, Description: deployment.Description, CreatedDate: deployment.CreatedDate?.getTime() },
      { AutoDeployed: false, DeploymentStatus: 'DEPLOYED', Description: 'first', CreatedDate: deployedAt },
    );
    const stage = await client().send(new GetStageCommand({ ApiId: apiId, StageName: 'prod' }));
    assert.equal(stage.DeploymentId, deployment.DeploymentId);
    assert.equal(stage.LastUpdatedDate?.getTime(), deployedAt);

    const updated = await client().send(new UpdateDeploymentCommand({ ApiId: apiId, DeploymentId: deployment.DeploymentId, Description: 'renamed' }));
    assert.equal(updated.Description, 'renamed');
    assert.equal((await client().send(new GetDeploymentCommand({ ApiId: apiId, DeploymentId: deployment.DeploymentId }))).Description, 'renamed');
    await rejectsWith(
      client().send(new DeleteDeploymentCommand({ ApiId: apiId, DeploymentId: deployment.DeploymentId })),
      'BadRequestException', 'Active stages pointing to this deployment must be moved or deleted', 400);
    await client().send(new DeleteStageCommand({ ApiId: apiId, StageName: 'prod' }));
    await client().send(new DeleteDeploymentCommand({ ApiId: apiId, DeploymentId: deployment.DeploymentId }));
    assert.deepEqual((await client().send(new GetDeploymentsCommand({ ApiId: apiId }))).Items, []);
    await rejectsWith(client().send(new GetDeploymentCommand({ ApiId: apiId, DeploymentId: deployment.DeploymentId })), 'NotFoundException', `Invalid Deployment identifier specified ${deployment.DeploymentId!}`, 404);
  });

  it('freezes the routing configuration in the deployment a stage serves', async () => {
    const { apiId, routeId } = await apiWithRoute();
    const deployment = await client().send(new CreateDeploymentCommand({ ApiId: apiId }));
    await client().send(new CreateStageCommand({ ApiId: apiId, StageName: 'prod', DeploymentId: deployment.DeploymentId }));
    await client().send(new UpdateRouteCommand({ ApiId: apiId, RouteId: routeId, RouteKey: 'GET /cats' }));
    // The record the data planes read (records.ts): the stage serves its deployment's snapshot.
    const record = nimbus().store.collection<ApiV2Record>(scopedName('apigatewayv2', DEFAULT_ACCOUNT, 'us-east-1', 'apis')).get(apiId);
    assert.ok(record);
    const served = record.deployments[record.stages.prod.DeploymentId!].snapshot;
    assert.equal(served.routes[routeId].RouteKey, 'GET /pets');
    assert.equal(record.routes[routeId].RouteKey, 'GET /cats');
  });

  it('auto-deploys every change of routes and integrations to AutoDeploy stages', async () => {
    const { apiId, routeId, integrationId } = await apiWithRoute();
    const created = await client().send(new CreateStageCommand({ ApiId: apiId, StageName: 'live', AutoDeploy: true }));
    await client().send(new CreateStageCommand({ ApiId: apiId, StageName: 'manual' }));
    assert.ok(created.DeploymentId, 'an auto-deploy stage is deployed when created');
    const first = created.DeploymentId;

    clock.advance(1000);
    const changedAt = clock.now();
    await client().send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'POST /pets', Target: `integrations/${integrationId}` }));
    const afterRoute = await client().send(new GetStageCommand({ ApiId: apiId, StageName: 'live' }));
    assert.notEqual(afterRoute.DeploymentId, first);
    assert.equal(afterRoute.LastDeploymentStatusMessage, `Successfully deployed stage with deployment ID '${afterRoute.DeploymentId!}'`);
    const deployment = await client().send(new GetDeploymentCommand({ ApiId: apiId, DeploymentId: afterRoute.DeploymentId }));
    assert.equal(deployment.AutoDeployed, true);
    assert.equal(deployment.CreatedDate?.getTime(), changedAt);

    await client().send(new DeleteRouteCommand({ ApiId: apiId, RouteId: routeId }));
    const afterDelete = await client().send(new GetStageCommand({ ApiId: apiId, StageName: 'live' }));
    assert.notEqual(afterDelete.DeploymentId, afterRoute.DeploymentId);
    const manual = await client().send(new GetStageCommand({ ApiId: apiId, StageName: 'manual' }));
    assert.equal(manual.DeploymentId, undefined, 'stages without AutoDeploy are left alone');

    // Only the deployments stages serve are kept of the automatic ones.
    const deployments = (await client().send(new GetDeploymentsCommand({ ApiId: apiId }))).Items!;
    assert.deepEqual(deployments.map((item) => item.DeploymentId), [afterDelete.DeploymentId]);
  });

  it('turning AutoDeploy on deploys, and stage settings update and delete', async () => {
    const { apiId } = await apiWithRoute();
    await client().send(new CreateStageCommand({
      ApiId: apiId, StageName: 'prod', StageVariables: { a: '1' }, RouteSettings: { 'GET /pets': { ThrottlingRateLimit: 1 } },
      AccessLogSettings: { DestinationArn: 'arn:aws:logs:us-east-1:000000000000:log-group:access', Format: '$context.requestId' },
    }));
    const updated = await client().send(new UpdateStageCommand({
      ApiId: apiId, StageName: 'prod', AutoDeploy: true, StageVariables: { b: '2' }, RouteSettings: { 'GET /pets': { ThrottlingBurstLimit: 3 } },
    }));
    assert.equal(updated.AutoDeploy, true);
    assert.ok(updated.DeploymentId);
    assert.deepEqual(updated.StageVariables, { a: '1', b: '2' });
    assert.deepEqual(updated.RouteSettings, { 'GET /pets': { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 3 } });

    await client().send(new DeleteRouteSettingsCommand({ ApiId: apiId, StageName: 'prod', RouteKey: 'GET /pets' }));
    await client().send(new DeleteAccessLogSettingsCommand({ ApiId: apiId, StageName: 'prod' }));
    const stage = await client().send(new GetStageCommand({ ApiId: apiId, StageName: 'prod' }));
    assert.deepEqual(stage.RouteSettings, {});
    assert.equal(stage.AccessLogSettings, undefined);
    await rejectsWith(
      client().send(new DeleteRouteSettingsCommand({ ApiId: apiId, StageName: 'prod', RouteKey: 'GET /pets' })),
      'NotFoundException', 'Unable to find Route by key GET /pets within the provided RouteSettings', 404);
    assert.deepEqual((await client().send(new GetStagesCommand({ ApiId: apiId }))).Items?.map((item) => item.StageName), ['prod']);
  });

  it('tags APIs and stages by ARN', async () => {
    const { apiId } = await apiWithRoute();
    await client().send(new CreateStageCommand({ ApiId: apiId, StageName: 'prod', Tags: { env: 'prod' } }));
    const apiArn = `arn:aws:apigateway:us-east-1::/apis/${apiId}`;
    await client().send(new TagResourceCommand({ ResourceArn: apiArn, Tags: { team: 'a', cost: '1' } }));
    await client().send(new UntagResourceCommand({ ResourceArn: apiArn, TagKeys: ['cost'] }));
    assert.deepEqual((await client().send(new GetTagsCommand({ ResourceArn: apiArn }))).Tags, { team: 'a' });
    const stageArn = `${apiArn}/stages/prod`;
    await client().send(new TagResourceCommand({ ResourceArn: stageArn, Tags: { tier: 'gold' } }));
    assert.deepEqual((await client().send(new GetTagsCommand({ ResourceArn: stageArn }))).Tags, { env: 'prod', tier: 'gold' });
    await rejectsWith(
      client().send(new GetTagsCommand({ ResourceArn: 'arn:aws:apigateway:us-east-1::/apis/missing000' })),
      'NotFoundException', 'Invalid API identifier specified 000000000000:missing000', 404);
    await rejectsWith(client().send(new GetTagsCommand({ ResourceArn: 'arn:aws:s3:::bucket' })), 'BadRequestException', 'Invalid resource ARN specified arn:aws:s3:::bucket', 400);
  });
});
