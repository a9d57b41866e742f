import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { APIGatewayClient, UpdateAccountCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import type { PatchOperation } from '@aws-sdk/client-api-gateway';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogStreamsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ManualClock } from '../../../src/shared/clock.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { deployMockApi, invoke } from './traffic-support.js';

const ROLE = 'arn:aws:iam::000000000000:role/apigateway-logs';
const ACCESS_GROUP = 'api-access';
const ACCESS_FORMAT = '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","method":"$context.httpMethod","resource":"$context.resourcePath","status":"$context.status","length":"$context.responseLength","time":"$context.requestTime","principal":"$context.authorizer.principalId"}';

describe('API Gateway execution and access logs', () => {
  const clock = new ManualClock(Date.UTC(2024, 2, 13, 10, 0, 0));
  const nimbus = useNimbus({ clock });
  const apigw = (): APIGatewayClient => new APIGatewayClient(clientSettings(nimbus()));
  const logs = (): CloudWatchLogsClient => new CloudWatchLogsClient(clientSettings(nimbus()));

  /** The group's messages once at least `count` have arrived (logs are written just after the answer, off its path). */
  async function messages(group: string, count: number): Promise<string[]> {
    for (let attempt = 0; ; attempt++) {
      const events = await logs().send(new FilterLogEventsCommand({ logGroupName: group })).catch(() => ({ events: [] }));
      const found = (events.events ?? []).map((event) => event.message ?? '');
      if (found.length >= count || attempt === 50) return found;
      await nextTurn();
    }
  }

  async function loggedApi(operations: PatchOperation[]): Promise<string> {
    await apigw().send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: ROLE }] }));
    const apiId = await deployMockApi(apigw(), [{ path: ['pets'] }]);
    await apigw().send(new UpdateStageCommand({ restApiId: apiId, stageName: 'prod', patchOperations: operations }));
    return apiId;
  }

  it('writes INFO execution logs with data trace and the cache miss and hit lines to API-Gateway-Execution-Logs_{restApiId}/{stage}', async () => {
    const apiId = await loggedApi([
      { op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' },
      { op: 'replace', path: '/*/*/logging/dataTrace', value: 'true' },
      { op: 'replace', path: '/cacheClusterEnabled', value: 'true' },
      { op: 'replace', path: '/*/*/caching/enabled', value: 'true' },
    ]);
    const first = await invoke(nimbus().endpoint, apiId, '/pets?kind=dog');
    const second = await invoke(nimbus().endpoint, apiId, '/pets?kind=dog', { headers: { 'x-trace': 'yes' } });
    assert.equal(second.body.requestId, first.body.requestId);
    const group = `API-Gateway-Execution-Logs_${apiId}/prod`;
    const lines = await messages(group, 2 * 14);
    const firstId = String(first.body.requestId);
    const ofFirst = lines.filter((line) => line.startsWith(`(${firstId}) `)).map((line) => line.slice(firstId.length + 3));
    assert.deepEqual(ofFirst.slice(0, 7), [
      `Extended Request Id: ${firstId}`,
      `Verifying Usage Plan for request: ${firstId}. API Key: API Stage: ${apiId}/prod`,
      "API Key authorized because method 'GET /pets' does not require API Key. Request will not contribute to throttle or quota limits",
      `Usage Plan check succeeded for API Key and API Stage ${apiId}/prod`,
      `Starting execution for request: ${firstId}`,
      'HTTP Method: GET, Resource Path: /pets',
      'Method request path: {}',
    ]);
    assert.ok(ofFirst.includes('Method request query string: {kind=dog}'));
    assert.ok(ofFirst.some((line) => line.startsWith('Method response cache miss for key: ')));
    assert.ok(ofFirst.some((line) => /^Received response\. Status: 200, Integration latency: \d+ ms$/.test(line)));
    assert.ok(ofFirst.includes(`Method response body after transformations: {"requestId": "${firstId}", "path": "/pets"}`));
    assert.deepEqual(ofFirst.slice(-2), ['Successfully completed execution', 'Method completed with status: 200']);
    // The second request was answered by the cache: a hit, no integration call.
    const secondLines = lines.filter((line) => !line.startsWith(`(${firstId}) `));
    assert.ok(secondLines.some((line) => / Method response cache hit for key: /.test(line)));
    assert.ok(secondLines.some((line) => / Method request headers: \{.*x-trace=yes/.test(line)));
    assert.ok(!secondLines.some((line) => / Received response\. /.test(line)));
    const streams = await logs().send(new DescribeLogStreamsCommand({ logGroupName: group }));
    assert.match(streams.logStreams?.[0]?.logStreamName ?? '', /^[0-9a-f]{32}$/);
  });

  it('writes only the error lines at ERROR, and no data without dataTrace', async () => {
    const apiId = await loggedApi([
      { op: 'replace', path: '/*/*/logging/loglevel', value: 'ERROR' },
      { op: 'replace', path: '/~1pets/GET/throttling/rateLimit', value: '1' },
      { op: 'replace', path: '/~1pets/GET/throttling/burstLimit', value: '1' },
    ]);
    assert.equal((await invoke(nimbus().endpoint, apiId, '/pets')).status, 200);
    assert.equal((await invoke(nimbus().endpoint, apiId, '/pets')).status, 429);
    const lines = await messages(`API-Gateway-Execution-Logs_${apiId}/prod`, 2);
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^\([0-9a-f-]+\) Execution failed: method throttle limit exceeded for API Stage [a-z0-9]{10}\/prod$/);
    assert.match(lines[1], /^\([0-9a-f-]+\) Method completed with status: 429$/);
  });

  it('writes one access log line per request in the stage format to the destination group', async () => {
    await logs().send(new CreateLogGroupCommand({ logGroupName: ACCESS_GROUP }));
    const apiId = await loggedApi([
      { op: 'replace', path: '/accessLogSettings/destinationArn', value: `arn:aws:logs:us-east-1:000000000000:log-group:${ACCESS_GROUP}` },
      { op: 'replace', path: '/accessLogSettings/format', value: ACCESS_FORMAT },
    ]);
    const ok = await fetch(`${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_/pets`);
    const text = await ok.text();
    const missing = await fetch(`${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_/pets`, { method: 'DELETE' });
    assert.equal(missing.status, 403);
    const lines = await messages(ACCESS_GROUP, 1);
    // Requests that match no method never reach a stage's method: only the first is logged.
    assert.equal(lines.length, 1);
    assert.deepEqual(JSON.parse(lines[0]), {
      requestId: (JSON.parse(text) as { requestId: string }).requestId, ip: '127.0.0.1', method: 'GET', resource: '/pets', status: '200',
      length: String(Buffer.byteLength(text)), time: '13/Mar/2024:10:00:00 +0000', principal: '-',
    });
    const stage = await apigw().send(new UpdateStageCommand({ restApiId: apiId, stageName: 'prod', patchOperations: [{ op: 'remove', path: '/accessLogSettings' }] }));
    assert.equal(stage.accessLogSettings, undefined);
  });
});
