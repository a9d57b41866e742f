/**
 * Usage plans, usage, stage method settings, the account and the stage cache through two independent
 * clients: the AWS CLI (v1, botocore) as a developer types it, and boto3.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ManualClock } from '../../../src/shared/clock.js';
import { cliRunners } from '../../helpers/cli.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { deployMockApi, invoke, statuses } from './traffic-support.js';

const BOTO3_SCRIPT = `
import json, sys, boto3
from botocore.exceptions import ClientError
client = boto3.client('apigateway')
api_id, plan_id, key_id, day = sys.argv[1:5]
out = {'usage': client.get_usage(usagePlanId=plan_id, startDate=day, endDate=day)['items']}
out['updated'] = client.update_usage(usagePlanId=plan_id, keyId=key_id, patchOperations=[{'op': 'replace', 'path': '/remaining', 'value': '1'}])['items']
out['planKey'] = client.get_usage_plan_key(usagePlanId=plan_id, keyId=key_id)['type']
out['methodSettings'] = client.get_stage(restApiId=api_id, stageName='prod')['methodSettings']['*/*']['cacheTtlInSeconds']
out['account'] = client.get_account()['throttleSettings']
client.flush_stage_cache(restApiId=api_id, stageName='prod')
try:
    client.update_usage_plan(usagePlanId='nope12', patchOperations=[])
except ClientError as e:
    out['error'] = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps(out))
`;

describe('API Gateway traffic controls through the AWS CLI and boto3', () => {
  const clock = new ManualClock(Date.UTC(2024, 2, 13, 10, 0, 0));
  const nimbus = useNimbus({ clock });
  const { exec } = cliRunners(nimbus);

  async function aws(...args: string[]): Promise<Record<string, unknown>> {
    const result = await exec('aws', ['apigateway', ...args, '--output', 'json']);
    assert.equal(result.code, 0, result.stderr);
    return result.stdout.trim() === '' ? {} : JSON.parse(result.stdout) as Record<string, unknown>;
  }

  it('sets a quota with the CLI, exhausts it over HTTP, and reads and extends the usage with boto3', async () => {
    const apiId = await deployMockApi(new APIGatewayClient(clientSettings(nimbus())), [{ path: ['pets'], apiKeyRequired: true }]);
    const key = await aws('create-api-key', '--name', 'cli-key', '--enabled');
    const plan = await aws('create-usage-plan', '--name', 'cli-plan', '--api-stages', `apiId=${apiId},stage=prod`, '--quota', 'limit=2,period=DAY', '--throttle', 'rateLimit=10,burstLimit=10');
    await aws('create-usage-plan-key', '--usage-plan-id', String(plan.id), '--key-id', String(key.id), '--key-type', 'API_KEY');
    const renamed = await aws('update-usage-plan', '--usage-plan-id', String(plan.id), '--patch-operations', 'op=replace,path=/name,value=renamed');
    assert.equal(renamed.name, 'renamed');
    const stage = await aws('update-stage', '--rest-api-id', apiId, '--stage-name', 'prod', '--patch-operations',
      'op=replace,path=/*/*/caching/ttlInSeconds,value=120', 'op=replace,path=/cacheClusterEnabled,value=true');
    assert.equal(stage.cacheClusterSize, '0.5');

    const call = (): ReturnType<typeof invoke> => invoke(nimbus().endpoint, apiId, '/pets', { headers: { 'x-api-key': String(key.value) } });
    assert.deepEqual(await statuses(3, call), [200, 200, 429]);

    const boto3 = await exec('python3', ['-c', BOTO3_SCRIPT, apiId, String(plan.id), String(key.id), '2024-03-13']);
    assert.equal(boto3.code, 0, boto3.stderr);
    assert.deepEqual(JSON.parse(boto3.stdout), {
      usage: { [String(key.id)]: [[2, 0]] },
      updated: { [String(key.id)]: [[2, 1]] },
      planKey: 'API_KEY',
      methodSettings: 120,
      account: { burstLimit: 5000, rateLimit: 10000.0 },
      error: ['NotFoundException', 'Invalid Usage Plan ID specified: nope12', 404],
    });
    assert.deepEqual(await statuses(2, call), [200, 429]);

    const usage = await aws('get-usage', '--usage-plan-id', String(plan.id), '--start-date', '2024-03-13', '--end-date', '2024-03-13');
    assert.deepEqual(usage.items, { [String(key.id)]: [[3, 0]] });
  });
});
