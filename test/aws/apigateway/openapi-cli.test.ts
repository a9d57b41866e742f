/**
 * OpenAPI import and export through two independent clients: the AWS CLI (`import-rest-api --body
 * fileb://`, `get-export` to a file) and boto3 (put_rest_api, get_export, gateway responses and tags).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliRunners } from '../../helpers/cli.js';
import { useNimbus } from '../../helpers/nimbus.js';

const DEFINITION = {
  openapi: '3.0.1',
  info: { title: 'cli-openapi', version: '1' },
  'x-amazon-apigateway-gateway-responses': { DEFAULT_4XX: { responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } } },
  paths: {
    '/ping': {
      get: {
        responses: { 200: { description: 'ok' } },
        'x-amazon-apigateway-integration': {
          type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' }, responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"pong":true}' } } },
        },
      },
    },
  },
};

const BOTO3_SCRIPT = (apiId: string): string => `
import json, boto3
client = boto3.client('apigateway')
extra = {'openapi': '3.0.1', 'info': {'title': 'cli-openapi', 'version': '2'}, 'paths': {'/extra': {'post': {'responses': {}, 'x-amazon-apigateway-integration': {'type': 'mock'}}}}}
put = client.put_rest_api(restApiId='${apiId}', mode='merge', body=json.dumps(extra).encode())
client.create_deployment(restApiId='${apiId}', stageName='prod')
exported = client.get_export(restApiId='${apiId}', stageName='prod', exportType='swagger', parameters={'extensions': 'integrations'}, accepts='application/json')
document = json.loads(exported['body'].read())
response = client.get_gateway_response(restApiId='${apiId}', responseType='DEFAULT_4XX')
client.tag_resource(resourceArn='arn:aws:apigateway:us-east-1::/restapis/${apiId}', tags={'via': 'boto3'})
print(json.dumps({
  'version': put['version'],
  'paths': sorted(document['paths'].keys()),
  'swagger': document['swagger'],
  'contentType': exported['contentType'],
  'gatewayResponse': response['responseParameters'],
  'tags': client.get_tags(resourceArn='arn:aws:apigateway:us-east-1::/restapis/${apiId}')['tags'],
}))
`;

describe('OpenAPI import and export through the AWS CLI and boto3', () => {
  const nimbus = useNimbus();
  const { exec, python } = cliRunners(nimbus);
  let directory = '';

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'nimbus-openapi-'));
  });
  after(() => rm(directory, { recursive: true, force: true }));

  it('imports with import-rest-api, exports with get-export, and round-trips through boto3', async () => {
    const file = join(directory, 'api.json');
    await writeFile(file, JSON.stringify(DEFINITION));
    const imported = await exec('aws', ['apigateway', 'import-rest-api', '--body', `fileb://${file}`, '--output', 'json']);
    assert.equal(imported.code, 0, imported.stderr);
    const api = JSON.parse(imported.stdout) as { id: string; name: string };
    assert.equal(api.name, 'cli-openapi');
    const deployed = await exec('aws', ['apigateway', 'create-deployment', '--rest-api-id', api.id, '--stage-name', 'prod']);
    assert.equal(deployed.code, 0, deployed.stderr);
    const ping = await fetch(`${nimbus().endpoint}/restapis/${api.id}/prod/_user_request_/ping`);
    assert.deepEqual(await ping.json(), { pong: true });
    const missing = await fetch(`${nimbus().endpoint}/restapis/${api.id}/prod/_user_request_/nowhere`);
    assert.equal(missing.headers.get('access-control-allow-origin'), '*');

    const out = join(directory, 'export.json');
    const exported = await exec('aws', ['apigateway', 'get-export', '--rest-api-id', api.id, '--stage-name', 'prod', '--export-type', 'oas30',
      '--parameters', 'extensions=apigateway', '--accepts', 'application/json', out, '--output', 'json']);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal((JSON.parse(exported.stdout) as { contentType: string }).contentType, 'application/json');
    const document = JSON.parse(await readFile(out, 'utf8')) as Record<string, unknown>;
    assert.equal(document.openapi, '3.0.1');
    assert.deepEqual(Object.keys(document.paths as object), ['/ping']);
    assert.deepEqual(document['x-amazon-apigateway-gateway-responses'], DEFINITION['x-amazon-apigateway-gateway-responses']);

    const boto3 = await python(BOTO3_SCRIPT(api.id));
    assert.equal(boto3.code, 0, boto3.stderr);
    assert.deepEqual(JSON.parse(boto3.stdout), {
      version: '2',
      paths: ['/extra', '/ping'],
      swagger: '2.0',
      contentType: 'application/json',
      gatewayResponse: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
      tags: { via: 'boto3' },
    });
  });

  it('answers import errors in the CLI with AWS codes and messages', async () => {
    const file = join(directory, 'broken.json');
    await writeFile(file, JSON.stringify({ openapi: '3.0.1', info: { title: 'broken' }, paths: { '/a': { get: { responses: {} } } } }));
    const failed = await exec('aws', ['apigateway', 'import-rest-api', '--fail-on-warnings', '--body', `fileb://${file}`]);
    assert.notEqual(failed.code, 0);
    assert.match(failed.stderr, /An error occurred \(BadRequestException\) when calling the ImportRestApi operation: Warnings found during import:/);
  });
});
