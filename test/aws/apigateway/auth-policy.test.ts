import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  APIGatewayClient, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand,
  UpdateRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import { ManualClock } from '../../../src/shared/clock.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

const START = Date.UTC(2026, 0, 15, 12, 0, 0);

const policy = (...statements: Record<string, unknown>[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', ...extra });

describe('Resource policies of REST APIs', () => {
  const clock = new ManualClock(START);
  const nimbus = useNimbus({ clock });
  const apigw = (): APIGatewayClient => new APIGatewayClient(clientSettings(nimbus()));

  /** /pets with GET and DELETE (MOCK, answering {"ok": true}), deployed to prod; returns the API id. */
  async function deployApi(resourcePolicy: string | undefined, authorizationType = 'NONE'): Promise<string> {
    const api = await apigw().send(new CreateRestApiCommand({ name: 'policy', policy: resourcePolicy }));
    const resource = await apigw().send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'pets' }));
    for (const httpMethod of ['GET', 'DELETE']) {
      await apigw().send(new PutMethodCommand({ restApiId: api.id, resourceId: resource.id, httpMethod, authorizationType }));
      await apigw().send(new PutIntegrationCommand({ restApiId: api.id, resourceId: resource.id, httpMethod, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
      await apigw().send(new PutIntegrationResponseCommand({ restApiId: api.id, resourceId: resource.id, httpMethod, statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }));
    }
    await apigw().send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    return api.id!;
  }

  // For keys whose secret Nimbus cannot know (12-digit ones), everything but the signature value is checked.
  const signedBy = (accessKey: string): Record<string, string> => ({
    Authorization: `AWS4-HMAC-SHA256 Credential=${accessKey}/20260115/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
    'X-Amz-Date': '20260115T120000Z',
  });

  async function call(apiId: string, method = 'GET', headers: Record<string, string> = {}): Promise<{ status: number; body: unknown; errorType: string | null }> {
    const response = await fetch(`${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_/pets`, { method, headers });
    return { status: response.status, body: await response.json(), errorType: response.headers.get('x-amzn-errortype') };
  }

  const denied = (apiId: string, method: string, user = 'anonymous', explicit = false): unknown => ({
    Message: `User: ${user} is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:000000000000:${apiId}/prod/${method}/pets${explicit ? ' with an explicit deny' : ''}`,
  });

  it('needs an Allow for anonymous callers and lets an explicit Deny win', async () => {
    const cases: { name: string; policy: string; method: string; allowed: boolean; explicit?: boolean }[] = [
      { name: 'an Allow for everyone', policy: policy(allow()), method: 'GET', allowed: true },
      { name: 'an Allow from the caller network', policy: policy(allow({ Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } } })), method: 'GET', allowed: true },
      { name: 'an Allow from another network', policy: policy(allow({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })), method: 'GET', allowed: false },
      { name: 'an Allow for an account only', policy: policy(allow({ Principal: { AWS: '111122223333' } })), method: 'GET', allowed: false },
      { name: 'a Deny of DELETE', policy: policy(allow(), allow({ Effect: 'Deny', Resource: 'execute-api:/*/DELETE/*' })), method: 'DELETE', allowed: false, explicit: true },
      { name: 'a Deny of DELETE, calling GET', policy: policy(allow(), allow({ Effect: 'Deny', Resource: 'execute-api:/*/DELETE/*' })), method: 'GET', allowed: true },
      { name: 'a Deny outside an address range', policy: policy(allow(), allow({ Effect: 'Deny', Condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } })), method: 'GET', allowed: false, explicit: true },
    ];
    for (const testCase of cases) {
      const apiId = await deployApi(testCase.policy);
      const answer = await call(apiId, testCase.method);
      if (testCase.allowed) {
        assert.deepEqual([answer.status, answer.body], [200, { ok: true }], testCase.name);
      } else {
        assert.deepEqual([answer.status, answer.body, answer.errorType], [403, denied(apiId, testCase.method, 'anonymous', testCase.explicit), 'AccessDeniedException'], testCase.name);
      }
    }
  });

  it('applies a changed policy only once the API is deployed again', async () => {
    const apiId = await deployApi(undefined);
    assert.equal((await call(apiId)).status, 200);
    await apigw().send(new UpdateRestApiCommand({ restApiId: apiId, patchOperations: [{ op: 'replace', path: '/policy', value: policy(allow({ Effect: 'Deny' })) }] }));
    assert.equal((await call(apiId)).status, 200);
    await apigw().send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
    assert.deepEqual(await call(apiId), { status: 403, body: denied(apiId, 'GET', 'anonymous', true), errorType: 'AccessDeniedException' });
  });

  it('lets IAM callers of the API account in unless denied, and others only when allowed', async () => {
    const apiId = await deployApi(policy(allow({ Principal: { AWS: 'arn:aws:iam::111122223333:root' } }), allow({ Effect: 'Deny', Principal: { AWS: '555555555555' } })), 'AWS_IAM');
    const cases: { key: string; status: number; body: unknown }[] = [
      { key: '000000000000', status: 200, body: { ok: true } },
      { key: '111122223333', status: 200, body: { ok: true } },
      { key: '222233334444', status: 403, body: denied(apiId, 'GET', 'arn:aws:iam::222233334444:root') },
      { key: '555555555555', status: 403, body: denied(apiId, 'GET', 'arn:aws:iam::555555555555:root', true) },
    ];
    for (const testCase of cases) {
      const answer = await call(apiId, 'GET', signedBy(testCase.key));
      assert.deepEqual([answer.status, answer.body], [testCase.status, testCase.body], testCase.key);
    }
    // Unsigned, the request never reaches the policy.
    assert.deepEqual(await call(apiId), { status: 403, body: { message: 'Missing Authentication Token' }, errorType: 'MissingAuthenticationTokenException' });
  });
});
