/**
 * HTTP APIs made by two independent clients and then invoked: the AWS CLI quick-creating an API for a
 * Lambda function, and boto3 building one route by route and calling it through the path form.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { cliRunners } from '../../helpers/cli.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:echo';
const HANDLER = `export const handler = async (event) => ({ routeKey: event.routeKey, rawPath: event.rawPath, pathParameters: event.pathParameters ?? null, query: event.queryStringParameters ?? null, stage: event.requestContext.stage });`;

const BOTO3_SCRIPT = `
import json, os, sys, urllib.request, urllib.error
import boto3
client = boto3.client('apigatewayv2')
api_id = client.create_api(Name='boto', ProtocolType='HTTP')['ApiId']
integration = client.create_integration(ApiId=api_id, IntegrationType='AWS_PROXY', IntegrationUri=sys.argv[1], PayloadFormatVersion='2.0')
client.create_route(ApiId=api_id, RouteKey='GET /items/{id}', Target='integrations/' + integration['IntegrationId'])
deployment = client.create_deployment(ApiId=api_id)
client.create_stage(ApiId=api_id, StageName='live', DeploymentId=deployment['DeploymentId'])
base = os.environ['AWS_ENDPOINT_URL'] + '/_aws/execute-api/' + api_id
out = {'ok': json.loads(urllib.request.urlopen(base + '/live/items/9?x=1').read())}
try:
    urllib.request.urlopen(base + '/live/nothing')
except urllib.error.HTTPError as e:
    out['missing'] = [e.code, json.loads(e.read())]
print(json.dumps(out))
`;

describe('HTTP APIs made by the AWS CLI and boto3', () => {
  const nimbus = useNimbus();
  const { exec, python } = cliRunners(nimbus);

  async function createFunction(): Promise<void> {
    const lambda = new LambdaClient(clientSettings(nimbus()));
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'echo', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/lambda-role', Code: { ZipFile: await zip({ 'index.mjs': HANDLER }) },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'echo' });
  }

  it('AWS CLI quick create: the API answers at once on its $default stage, without a stage segment', async () => {
    await createFunction();
    const created = await exec('aws', ['apigatewayv2', 'create-api', '--name', 'cli', '--protocol-type', 'HTTP', '--target', FUNCTION_ARN, '--route-key', 'GET /cli/{id}', '--output', 'json']);
    assert.equal(created.code, 0, created.stderr);
    const { ApiId: apiId } = JSON.parse(created.stdout) as { ApiId: string };
    const answer = await fetch(`${nimbus().endpoint}/_aws/execute-api/${apiId}/cli/7?flag=on`);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('content-type'), 'application/json');
    assert.deepEqual(await answer.json(), { routeKey: 'GET /cli/{id}', rawPath: '/cli/7', pathParameters: { id: '7' }, query: { flag: 'on' }, stage: '$default' });
  });

  it('boto3: a route, a deployment and a named stage, invoked through the path form', async () => {
    await createFunction();
    const result = await python(BOTO3_SCRIPT.replace('sys.argv[1]', `'${FUNCTION_ARN}'`));
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), {
      ok: { routeKey: 'GET /items/{id}', rawPath: '/live/items/9', pathParameters: { id: '9' }, query: { x: '1' }, stage: 'live' },
      missing: [404, { message: 'Not Found' }],
    });
  });
});
