/**
 * The API Gateway v2 wire format through two clients that share no code with the JavaScript SDK: the AWS
 * CLI (v1, botocore) quick-creating and extending an HTTP API as a developer types it, and boto3 reading
 * it back, building a WebSocket API and calling the control plane's errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cliRunners } from '../../helpers/cli.js';
import { useNimbus } from '../../helpers/nimbus.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:000000000000:function:handler';

const boto3Script = (apiId: string): string => `
import json, boto3
from botocore.exceptions import ClientError
client = boto3.client('apigatewayv2')
api_id = ${JSON.stringify(apiId)}
out = {'names': sorted(a['Name'] for a in client.get_apis()['Items'])}
out['routes'] = sorted(r['RouteKey'] for r in client.get_routes(ApiId=api_id)['Items'])
out['stages'] = [(s['StageName'], s['AutoDeploy']) for s in client.get_stages(ApiId=api_id)['Items']]
ws = client.create_api(Name='chat', ProtocolType='WEBSOCKET', RouteSelectionExpression='$request.body.action')
out['ws_endpoint'] = ws['ApiEndpoint'].split('.')[0].split(':')[0]
integration = client.create_integration(ApiId=ws['ApiId'], IntegrationType='MOCK', RequestTemplates={'$default': '{"statusCode": 200}'})
client.create_route(ApiId=ws['ApiId'], RouteKey='$connect', Target='integrations/' + integration['IntegrationId'])
out['ws_timeout'] = integration['TimeoutInMillis']
try:
    client.get_api(ApiId='missing000')
except ClientError as e:
    out['not_found'] = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
try:
    client.create_route(ApiId=api_id, RouteKey='GET /hello')
except ClientError as e:
    out['conflict'] = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps(out))
`;

describe('API Gateway v2 through the AWS CLI and boto3', () => {
  const nimbus = useNimbus();
  const { exec, python } = cliRunners(nimbus);

  async function aws(...args: string[]): Promise<Record<string, unknown>> {
    const result = await exec('aws', ['apigatewayv2', ...args, '--output', 'json']);
    assert.equal(result.code, 0, result.stderr);
    return result.stdout.trim() === '' ? {} : JSON.parse(result.stdout) as Record<string, unknown>;
  }

  it('quick-creates an HTTP API with the CLI, extends it, and reads it with boto3', async () => {
    const api = await aws('create-api', '--name', 'cli-api', '--protocol-type', 'HTTP', '--target', LAMBDA, '--route-key', 'GET /hello');
    const apiId = String(api.ApiId);
    assert.match(apiId, /^[a-z0-9]{10}$/);
    assert.equal(api.ApiEndpoint, `http://${apiId}.execute-api.localhost:${String(nimbus().port)}`);
    assert.equal(api.RouteSelectionExpression, '${request.method} ${request.path}');

    const integration = await aws('create-integration', '--api-id', apiId, '--integration-type', 'HTTP_PROXY', '--integration-uri', 'https://example.com',
      '--integration-method', 'GET', '--payload-format-version', '1.0');
    await aws('create-route', '--api-id', apiId, '--route-key', 'ANY /proxy/{proxy+}', '--target', `integrations/${String(integration.IntegrationId)}`);
    const authorizer = await aws('create-authorizer', '--api-id', apiId, '--name', 'jwt', '--authorizer-type', 'JWT',
      '--identity-source', '$request.header.Authorization', '--jwt-configuration', 'Audience=client-1,Issuer=https://issuer.example.com');
    assert.deepEqual(authorizer.JwtConfiguration, { Audience: ['client-1'], Issuer: 'https://issuer.example.com' });
    const stage = await aws('get-stage', '--api-id', apiId, '--stage-name', '$default');
    assert.equal(stage.AutoDeploy, true);

    const missing = await exec('aws', ['apigatewayv2', 'get-stage', '--api-id', apiId, '--stage-name', 'nope']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /An error occurred \(NotFoundException\) when calling the GetStage operation: Invalid stage identifier specified nope/);

    const boto3 = await python(boto3Script(apiId));
    assert.equal(boto3.code, 0, boto3.stderr);
    assert.deepEqual(JSON.parse(boto3.stdout), {
      names: ['cli-api'],
      routes: ['ANY /proxy/{proxy+}', 'GET /hello'],
      stages: [['$default', true]],
      ws_endpoint: 'ws',
      ws_timeout: 29000,
      not_found: ['NotFoundException', 'Invalid API identifier specified 000000000000:missing000', 404],
      conflict: ['ConflictException', 'Route with key GET /hello already exists for this API', 409],
    });
  });
});
