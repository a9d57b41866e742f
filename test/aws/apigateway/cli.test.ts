/**
 * The wire format through two independent clients: the AWS CLI (v1, botocore) building and deploying a
 * MOCK API the way a developer types it, and boto3 reading it back and calling the control plane's errors.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { awsEnvironment } from '../../helpers/cli.js';
import { useNimbus } from '../../helpers/nimbus.js';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { env, encoding: 'utf8' }, (_error, stdout, stderr) => {
      resolve({ status: child.exitCode, stdout, stderr });
    });
  });
}

const BOTO3_SCRIPT = `
import json, sys, boto3
from botocore.exceptions import ClientError
client = boto3.client('apigateway')
api_id = sys.argv[1]
out = {'names': [a['name'] for a in client.get_rest_apis()['items']]}
out['paths'] = sorted(r['path'] for r in client.get_resources(restApiId=api_id)['items'])
out['stage'] = client.get_stage(restApiId=api_id, stageName='prod')['variables']
try:
    client.get_rest_api(restApiId='missing000')
except ClientError as e:
    out['error'] = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps(out))
`;

describe('API Gateway through the AWS CLI and boto3', () => {
  const nimbus = useNimbus();

  const environment = (): NodeJS.ProcessEnv => awsEnvironment(nimbus().endpoint);

  async function aws(...args: string[]): Promise<Record<string, unknown>> {
    const result = await run('aws', ['apigateway', ...args, '--output', 'json'], environment());
    assert.equal(result.status, 0, result.stderr);
    return result.stdout.trim() === '' ? {} : JSON.parse(result.stdout) as Record<string, unknown>;
  }

  it('creates and deploys a MOCK API with the CLI, reads it with boto3 and calls it over HTTP', async () => {
    const api = await aws('create-rest-api', '--name', 'cli-api');
    const apiId = String(api.id);
    const resource = await aws('create-resource', '--rest-api-id', apiId, '--parent-id', String(api.rootResourceId), '--path-part', 'ping');
    const resourceId = String(resource.id);
    await aws('put-method', '--rest-api-id', apiId, '--resource-id', resourceId, '--http-method', 'GET', '--authorization-type', 'NONE');
    await aws('put-integration', '--rest-api-id', apiId, '--resource-id', resourceId, '--http-method', 'GET', '--type', 'MOCK',
      '--request-templates', '{"application/json": "{\\"statusCode\\": 200}"}');
    await aws('put-integration-response', '--rest-api-id', apiId, '--resource-id', resourceId, '--http-method', 'GET', '--status-code', '200',
      '--response-templates', '{"application/json": "{\\"pong\\": \\"$stageVariables.who\\"}"}');
    const deployment = await aws('create-deployment', '--rest-api-id', apiId, '--stage-name', 'prod', '--variables', 'who=cli');
    assert.match(String(deployment.id), /^[a-z0-9]{10}$/);

    const missing = await run('aws', ['apigateway', 'get-stage', '--rest-api-id', apiId, '--stage-name', 'nope'], environment());
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /An error occurred \(NotFoundException\) when calling the GetStage operation: Invalid Stage identifier specified/);

    const boto3 = await run('python3', ['-c', BOTO3_SCRIPT, apiId], environment());
    assert.equal(boto3.status, 0, boto3.stderr);
    assert.deepEqual(JSON.parse(boto3.stdout), {
      names: ['cli-api'],
      paths: ['/', '/ping'],
      stage: { who: 'cli' },
      error: ['NotFoundException', 'Invalid API identifier specified 000000000000:missing000', 404],
    });

    const response = await fetch(`${nimbus().endpoint}/restapis/${apiId}/prod/_user_request_/ping`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { pong: 'cli' });
  });
});
