import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  APIGatewayClient, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, CreateStageCommand, GetRestApiCommand, GetStageCommand,
  GetTagsCommand, PutIntegrationCommand, PutMethodCommand, TagResourceCommand, UntagResourceCommand,
} from '@aws-sdk/client-api-gateway';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

describe('API Gateway tags', () => {
  const nimbus = useNimbus();
  const apigw = (): APIGatewayClient => new APIGatewayClient(clientSettings(nimbus()));

  async function apiWithStage(): Promise<string> {
    const api = await apigw().send(new CreateRestApiCommand({ name: 'tagged', tags: { team: 'pets' } }));
    const resource = await apigw().send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'a' }));
    await apigw().send(new PutMethodCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    await apigw().send(new PutIntegrationCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: 'GET', type: 'MOCK' }));
    const deployment = await apigw().send(new CreateDeploymentCommand({ restApiId: api.id }));
    await apigw().send(new CreateStageCommand({ restApiId: api.id, stageName: 'prod', deploymentId: deployment.id, tags: { env: 'prod' } }));
    return api.id!;
  }

  it('tags, lists and untags REST APIs and stages', async () => {
    const apiId = await apiWithStage();
    const apiArn = `arn:aws:apigateway:us-east-1::/restapis/${apiId}`;
    const stageArn = `${apiArn}/stages/prod`;
    assert.deepEqual((await apigw().send(new GetTagsCommand({ resourceArn: apiArn }))).tags, { team: 'pets' });
    assert.deepEqual((await apigw().send(new GetTagsCommand({ resourceArn: stageArn }))).tags, { env: 'prod' });
    await apigw().send(new TagResourceCommand({ resourceArn: apiArn, tags: { owner: 'alice', team: 'cats' } }));
    await apigw().send(new TagResourceCommand({ resourceArn: stageArn, tags: { tier: 'gold' } }));
    assert.deepEqual((await apigw().send(new GetRestApiCommand({ restApiId: apiId }))).tags, { team: 'cats', owner: 'alice' });
    assert.deepEqual((await apigw().send(new GetStageCommand({ restApiId: apiId, stageName: 'prod' }))).tags, { env: 'prod', tier: 'gold' });
    await apigw().send(new UntagResourceCommand({ resourceArn: apiArn, tagKeys: ['team', 'absent'] }));
    assert.deepEqual((await apigw().send(new GetTagsCommand({ resourceArn: apiArn }))).tags, { owner: 'alice' });
  });

  const errors: { name: string; arn: (apiId: string) => string; tags?: Record<string, string>; code: string; message: string; status: number }[] = [
    { name: 'an ARN of something else', arn: () => 'arn:aws:apigateway:us-east-1::/apikeys/abc', code: 'BadRequestException', message: 'Invalid resource ARN specified: arn:aws:apigateway:us-east-1::/apikeys/abc', status: 400 },
    { name: 'a missing API', arn: () => 'arn:aws:apigateway:us-east-1::/restapis/missing000', code: 'NotFoundException', message: 'Invalid API identifier specified 000000000000:missing000', status: 404 },
    { name: 'a missing stage', arn: (apiId) => `arn:aws:apigateway:us-east-1::/restapis/${apiId}/stages/dev`, code: 'NotFoundException', message: 'Invalid Stage identifier specified', status: 404 },
    { name: 'a reserved key', arn: (apiId) => `arn:aws:apigateway:us-east-1::/restapis/${apiId}`, tags: { 'aws:x': '1' }, code: 'BadRequestException', message: 'Tag keys starting with aws: are reserved for AWS use', status: 400 },
  ];
  for (const error of errors) {
    it(`rejects ${error.name}`, async () => {
      const apiId = await apiWithStage();
      await assert.rejects(apigw().send(new TagResourceCommand({ resourceArn: error.arn(apiId), tags: error.tags ?? { a: 'b' } })), (thrown: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(thrown.name, error.code);
        assert.equal(thrown.message, error.message);
        assert.equal(thrown.$metadata?.httpStatusCode, error.status);
        return true;
      });
    });
  }
});
