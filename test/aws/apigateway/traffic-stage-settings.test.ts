import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APIGatewayClient, CreateStageCommand, GetAccountCommand, GetDeploymentsCommand, GetStageCommand, UpdateAccountCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import type { PatchOperation, UpdateStageCommandOutput } from '@aws-sdk/client-api-gateway';
import { ManualClock } from '../../../src/shared/clock.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { deployMockApi, invoke, statuses } from './traffic-support.js';

const ROLE = 'arn:aws:iam::000000000000:role/apigateway-logs';

const DEFAULTS = {
  metricsEnabled: false,
  loggingLevel: 'OFF',
  dataTraceEnabled: false,
  throttlingBurstLimit: -1,
  throttlingRateLimit: -1,
  cachingEnabled: false,
  cacheTtlInSeconds: 300,
  cacheDataEncrypted: false,
  requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
};

describe('API Gateway stage method settings: throttling, cache cluster and the account', () => {
  const clock = new ManualClock(Date.UTC(2024, 2, 13, 10, 0, 0));
  const nimbus = useNimbus({ clock });
  const apigw = (): APIGatewayClient => new APIGatewayClient(clientSettings(nimbus()));
  const patch = (apiId: string, patchOperations: PatchOperation[]): Promise<UpdateStageCommandOutput> => apigw().send(new UpdateStageCommand({ restApiId: apiId, stageName: 'prod', patchOperations }));

  it('stores method settings by method setting key and shows them in GetStage', async () => {
    const apiId = await deployMockApi(apigw(), [{ path: ['pets'] }, { path: ['pets', '{id}'] }]);
    await patch(apiId, [
      { op: 'replace', path: '/*/*/throttling/rateLimit', value: '2.5' },
      { op: 'replace', path: '/*/*/throttling/burstLimit', value: '4' },
      { op: 'replace', path: '/~1pets~1{id}/GET/caching/ttlInSeconds', value: '60' },
      { op: 'replace', path: '/~1pets~1{id}/GET/caching/unauthorizedCacheControlHeaderStrategy', value: 'FAIL_WITH_403' },
    ]);
    const stage = await apigw().send(new GetStageCommand({ restApiId: apiId, stageName: 'prod' }));
    const stageWide = { ...DEFAULTS, throttlingRateLimit: 2.5, throttlingBurstLimit: 4 };
    // A method's override starts from the stage-wide settings.
    assert.deepEqual(stage.methodSettings, {
      '*/*': stageWide,
      '~1pets~1{id}/GET': { ...stageWide, cacheTtlInSeconds: 60, unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403' },
    });
    const removed = await apigw().send(new UpdateStageCommand({ restApiId: apiId, stageName: 'prod', patchOperations: [{ op: 'remove', path: '/~1pets~1{id}/GET' }] }));
    assert.deepEqual(Object.keys(removed.methodSettings ?? {}), ['*/*']);
  });

  it('throttles each method with the stage-wide limits, a method override taking precedence', async () => {
    const apiId = await deployMockApi(apigw(), [{ path: ['pets'] }, { path: ['toys'] }]);
    const call = (path: string) => () => invoke(nimbus().endpoint, apiId, path);
    assert.deepEqual(await statuses(5, call('/pets')), [200, 200, 200, 200, 200]);
    await patch(apiId, [{ op: 'replace', path: '/*/*/throttling/rateLimit', value: '1' }, { op: 'replace', path: '/*/*/throttling/burstLimit', value: '1' }]);
    const throttled = await invoke(nimbus().endpoint, apiId, '/pets');
    assert.equal(throttled.status, 200);
    const second = await invoke(nimbus().endpoint, apiId, '/pets');
    assert.equal(second.status, 429);
    assert.deepEqual(second.body, { message: 'Too Many Requests' });
    // Each method has its own bucket.
    assert.deepEqual(await statuses(2, call('/toys')), [200, 429]);
    await patch(apiId, [{ op: 'replace', path: '/~1toys/GET/throttling/burstLimit', value: '3' }]);
    assert.deepEqual(await statuses(4, call('/toys')), [200, 200, 200, 429]);
    clock.advance(1000);
    assert.deepEqual(await statuses(2, call('/pets')), [200, 429]);
    assert.deepEqual(await statuses(2, call('/toys')), [200, 429]);
  });

  it('reports the account throttle and requires its CloudWatch role before logging is turned on', async () => {
    const account = await apigw().send(new GetAccountCommand({}));
    assert.deepEqual({ throttleSettings: account.throttleSettings, features: account.features, apiKeyVersion: account.apiKeyVersion, cloudwatchRoleArn: account.cloudwatchRoleArn }, {
      throttleSettings: { burstLimit: 5000, rateLimit: 10000 }, features: ['UsagePlans'], apiKeyVersion: '4', cloudwatchRoleArn: undefined,
    });
    const apiId = await deployMockApi(apigw(), [{ path: ['pets'] }]);
    await assert.rejects(patch(apiId, [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' }]), (error: Error & { $metadata: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'BadRequestException');
      assert.equal(error.message, 'CloudWatch Logs role ARN must be set in account settings to enable logging');
      assert.equal(error.$metadata.httpStatusCode, 400);
      return true;
    });
    const updated = await apigw().send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: ROLE }] }));
    assert.equal(updated.cloudwatchRoleArn, ROLE);
    const stage = await patch(apiId, [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' }]);
    assert.equal(stage.methodSettings?.['*/*']?.loggingLevel, 'INFO');
  });

  it('sizes the cache cluster: 0.5 GB unless told, AVAILABLE once enabled', async () => {
    const apiId = await deployMockApi(apigw(), [{ path: ['pets'] }]);
    const enabled = await patch(apiId, [{ op: 'replace', path: '/cacheClusterEnabled', value: 'true' }]);
    assert.deepEqual([enabled.cacheClusterEnabled, enabled.cacheClusterSize, enabled.cacheClusterStatus], [true, '0.5', 'AVAILABLE']);
    const resized = await patch(apiId, [{ op: 'replace', path: '/cacheClusterSize', value: '6.1' }]);
    assert.equal(resized.cacheClusterSize, '6.1');
    const deploymentId = (await apigw().send(new GetDeploymentsCommand({ restApiId: apiId }))).items?.[0]?.id;
    const created = await apigw().send(new CreateStageCommand({ restApiId: apiId, stageName: 'beta', deploymentId, cacheClusterEnabled: true, cacheClusterSize: '13.5' }));
    assert.deepEqual([created.cacheClusterSize, created.cacheClusterStatus], ['13.5', 'AVAILABLE']);
    const prod = await apigw().send(new GetStageCommand({ restApiId: apiId, stageName: 'prod' }));
    assert.deepEqual([prod.cacheClusterSize, prod.cacheClusterStatus], ['6.1', 'AVAILABLE']);
  });

  const INVALID: { name: string; operations: PatchOperation[]; message: string }[] = [
    { name: 'a TTL over an hour', operations: [{ op: 'replace', path: '/*/*/caching/ttlInSeconds', value: '3601' }], message: 'Cache ttl must be between 0 and 3600 seconds' },
    { name: 'an unknown logging level', operations: [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'DEBUG' }], message: 'Invalid logging level specified: DEBUG. Valid values are OFF, ERROR, INFO' },
    { name: 'a cache size AWS does not offer', operations: [{ op: 'replace', path: '/cacheClusterSize', value: '2' }], message: 'Invalid cache cluster size specified: 2. Valid values are: 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237' },
    { name: 'a fractional burst', operations: [{ op: 'replace', path: '/*/*/throttling/burstLimit', value: '1.5' }], message: "Invalid value '1.5' for */*/throttling/burstLimit: expected an integer" },
    {
      name: 'an access log format without a request id',
      operations: [{ op: 'replace', path: '/accessLogSettings/destinationArn', value: 'arn:aws:logs:us-east-1:000000000000:log-group:access' }, { op: 'replace', path: '/accessLogSettings/format', value: '$context.status' }],
      message: 'Access Log format must contain at least one of $context.requestId or $context.extendedRequestId',
    },
  ];
  for (const { name, operations, message } of INVALID) {
    it(`refuses ${name} with BadRequestException`, async () => {
      await apigw().send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: ROLE }] }));
      const apiId = await deployMockApi(apigw(), [{ path: ['pets'] }]);
      await assert.rejects(patch(apiId, operations), (error: Error & { $metadata: { httpStatusCode?: number } }) => {
        assert.equal(error.name, 'BadRequestException');
        assert.equal(error.message, message);
        assert.equal(error.$metadata.httpStatusCode, 400);
        return true;
      });
    });
  }
});
