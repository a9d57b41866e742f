import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APIGatewayClient, FlushStageCacheCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import type { PatchOperation } from '@aws-sdk/client-api-gateway';
import { ManualClock } from '../../../src/shared/clock.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { deployMockApi, invoke, signedGetHeaders } from './traffic-support.js';

describe('API Gateway stage cache', () => {
  const clock = new ManualClock(Date.UTC(2024, 2, 13, 10, 0, 0));
  const nimbus = useNimbus({ clock });
  const apigw = (): APIGatewayClient => new APIGatewayClient(clientSettings(nimbus()));

  /** The request id the answer carries: the same id twice means the second answer came from the cache. */
  const idOf = async (apiId: string, path: string, init: RequestInit = {}): Promise<unknown> => (await invoke(nimbus().endpoint, apiId, path, init)).body.requestId;

  async function cachedApi(patchOperations: PatchOperation[] = []): Promise<string> {
    const apiId = await deployMockApi(apigw(), [
      { path: ['pets'], requestParameters: { 'method.request.querystring.type': false }, cacheKeyParameters: ['method.request.querystring.type'] },
      { path: ['pets'], method: 'POST' },
      { path: ['pets', '{id}'] },
      { path: ['admin'], authorizationType: 'AWS_IAM' },
    ]);
    await apigw().send(new UpdateStageCommand({
      restApiId: apiId, stageName: 'prod',
      patchOperations: [{ op: 'replace', path: '/cacheClusterEnabled', value: 'true' }, { op: 'replace', path: '/*/*/caching/enabled', value: 'true' }, ...patchOperations],
    }));
    return apiId;
  }

  it('answers from the cache by path and cache key parameters until the TTL passes', async () => {
    const apiId = await cachedApi();
    const dog = await idOf(apiId, '/pets?type=dog');
    assert.equal(await idOf(apiId, '/pets?type=dog'), dog);
    // page is not a cache key parameter; type is.
    assert.equal(await idOf(apiId, '/pets?type=dog&page=2'), dog);
    assert.notEqual(await idOf(apiId, '/pets?type=cat'), dog);
    const one = await idOf(apiId, '/pets/1');
    assert.equal(await idOf(apiId, '/pets/1'), one);
    assert.notEqual(await idOf(apiId, '/pets/2'), one);

    clock.advance(299_000);
    assert.equal(await idOf(apiId, '/pets?type=dog'), dog);
    clock.advance(2000);
    const fresh = await idOf(apiId, '/pets?type=dog');
    assert.notEqual(fresh, dog);
    assert.equal(await idOf(apiId, '/pets?type=dog'), fresh);
  });

  it('caches GET methods only from the stage-wide setting; another method needs its own override, with its own TTL', async () => {
    const apiId = await cachedApi();
    const post = (): Promise<unknown> => idOf(apiId, '/pets', { method: 'POST' });
    assert.notEqual(await post(), await post());
    await apigw().send(new UpdateStageCommand({
      restApiId: apiId, stageName: 'prod',
      patchOperations: [{ op: 'replace', path: '/~1pets/POST/caching/enabled', value: 'true' }, { op: 'replace', path: '/~1pets/POST/caching/ttlInSeconds', value: '10' }],
    }));
    const first = await post();
    assert.equal(await post(), first);
    clock.advance(10_000);
    assert.notEqual(await post(), first);
  });

  it('does not cache without the cache cluster, and FlushStageCache empties the cache', async () => {
    const apiId = await cachedApi();
    const before = await idOf(apiId, '/pets');
    assert.equal(await idOf(apiId, '/pets'), before);
    await apigw().send(new FlushStageCacheCommand({ restApiId: apiId, stageName: 'prod' }));
    const after = await idOf(apiId, '/pets');
    assert.notEqual(after, before);
    assert.equal(await idOf(apiId, '/pets'), after);

    await apigw().send(new UpdateStageCommand({ restApiId: apiId, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/cacheClusterEnabled', value: 'false' }] }));
    assert.notEqual(await idOf(apiId, '/pets'), await idOf(apiId, '/pets'));
  });

  const INVALIDATIONS: { name: string; settings: PatchOperation[]; path: string; signed?: boolean; status: number; invalidates: boolean; warning: boolean }[] = [
    { name: 'ignores an unauthorized Cache-Control: max-age=0 with a warning header', settings: [], path: '/pets', status: 200, invalidates: false, warning: true },
    {
      name: 'ignores it silently with SUCCEED_WITHOUT_RESPONSE_HEADER',
      settings: [{ op: 'replace', path: '/*/*/caching/unauthorizedCacheControlHeaderStrategy', value: 'SUCCEED_WITHOUT_RESPONSE_HEADER' }],
      path: '/pets', status: 200, invalidates: false, warning: false,
    },
    {
      name: 'refuses it with 403 under FAIL_WITH_403',
      settings: [{ op: 'replace', path: '/*/*/caching/unauthorizedCacheControlHeaderStrategy', value: 'FAIL_WITH_403' }],
      path: '/pets', status: 403, invalidates: false, warning: false,
    },
    {
      name: 'lets anyone invalidate when authorization is not required',
      settings: [{ op: 'replace', path: '/*/*/caching/requireAuthorizationForCacheControl', value: 'false' }],
      path: '/pets', status: 200, invalidates: true, warning: false,
    },
    { name: 'lets the signed caller of an AWS_IAM method invalidate', settings: [], path: '/admin', signed: true, status: 200, invalidates: true, warning: false },
  ];
  for (const { name, settings, path, signed, status, invalidates, warning } of INVALIDATIONS) {
    it(name, async () => {
      const apiId = await cachedApi(settings);
      const url = `${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_${path}`;
      const headers = signed ? await signedGetHeaders(url, new Date(clock.now())) : {};
      const cached = await idOf(apiId, path, { headers });
      const invalidating = signed ? await signedGetHeaders(url, new Date(clock.now()), { 'cache-control': 'max-age=0' }) : { 'cache-control': 'max-age=0' };
      const answer = await invoke(nimbus().endpoint, apiId, path, { headers: invalidating });
      assert.equal(answer.status, status);
      assert.equal(answer.headers.has('warning'), warning);
      if (status === 200) assert.equal(answer.body.requestId !== cached, invalidates);
      // An invalidation replaces the entry with the fresh answer.
      assert.equal(await idOf(apiId, path, { headers }), invalidates ? answer.body.requestId : cached);
    });
  }
});
