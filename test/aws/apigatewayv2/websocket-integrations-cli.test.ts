/**
 * WebSocket integrations configured through two clients that share no code with the JavaScript SDK: the
 * AWS CLI (v1) builds MOCK routes with template selection expressions and stage throttling, boto3 builds an
 * AWS (DynamoDB PutItem) integration and reads the item it wrote; a `ws` client drives both APIs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Outcome } from '../../helpers/cli.js';
import { cliRunners } from '../../helpers/cli.js';
import { useNimbus } from '../../helpers/nimbus.js';
import { TestSocket, urlOf } from './websocket-client.js';

function json(outcome: Outcome): Record<string, string> {
  assert.equal(outcome.code, 0, outcome.stderr);
  return JSON.parse(outcome.stdout) as Record<string, string>;
}

const boto3Script = `
import json, boto3
apigw = boto3.client('apigatewayv2')
dynamodb = boto3.client('dynamodb')
dynamodb.create_table(TableName='notes', BillingMode='PAY_PER_REQUEST',
    AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}], KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}])
api = apigw.create_api(Name='notes', ProtocolType='WEBSOCKET', RouteSelectionExpression='$request.body.action')
integration = apigw.create_integration(ApiId=api['ApiId'], IntegrationType='AWS', IntegrationMethod='POST',
    IntegrationUri='arn:aws:apigateway:us-east-1:dynamodb:action/PutItem', TemplateSelectionExpression='\\\\$default',
    RequestTemplates={'$default': '{"TableName": "notes", "Item": {"id": {"S": "$input.path(\\'$.id\\')"}, "text": {"S": "$input.path(\\'$.text\\')"}}}'})
apigw.create_integration_response(ApiId=api['ApiId'], IntegrationId=integration['IntegrationId'], IntegrationResponseKey='/2\\\\d\\\\d/',
    TemplateSelectionExpression='\\\\$default', ResponseTemplates={'$default': '{"stored": "$context.routeKey"}'})
route = apigw.create_route(ApiId=api['ApiId'], RouteKey='note', Target='integrations/' + integration['IntegrationId'], RouteResponseSelectionExpression='$default')
apigw.create_route_response(ApiId=api['ApiId'], RouteId=route['RouteId'], RouteResponseKey='$default')
apigw.create_stage(ApiId=api['ApiId'], StageName='dev', AutoDeploy=True)
got = apigw.get_integration(ApiId=api['ApiId'], IntegrationId=integration['IntegrationId'])
print(json.dumps({'apiId': api['ApiId'], 'type': got['IntegrationType'], 'expression': got['TemplateSelectionExpression']}))
`;

const readNote = `
import json, boto3
item = boto3.client('dynamodb').get_item(TableName='notes', Key={'id': {'S': 'n1'}})['Item']
print(json.dumps(item))
`;

describe('WebSocket integrations configured with the AWS CLI and boto3', () => {
  const nimbus = useNimbus();
  const { exec, python } = cliRunners(nimbus);

  it('serves MOCK routes with template selection and stage throttling built by the AWS CLI', async () => {
    const aws = (...args: string[]): Promise<Outcome> => exec('aws', ['apigatewayv2', ...args]);
    const apiId = json(await aws('create-api', '--name', 'cli', '--protocol-type', 'WEBSOCKET', '--route-selection-expression', '$request.body.action')).ApiId;
    const integrationId = json(await aws('create-integration', '--api-id', apiId, '--integration-type', 'MOCK',
      '--template-selection-expression', '${request.body.mood}',
      '--request-templates', JSON.stringify({ happy: '{"statusCode": 200}', $default: '{"statusCode": 404}' }))).IntegrationId;
    for (const [key, template] of [['/2\\d\\d/', '{"mood": "good"}'], ['/4\\d\\d/', '{"mood": "unknown"}']]) {
      json(await aws('create-integration-response', '--api-id', apiId, '--integration-id', integrationId, '--integration-response-key', key,
        '--template-selection-expression', '\\$default', '--response-templates', JSON.stringify({ $default: template })));
    }
    const routeId = json(await aws('create-route', '--api-id', apiId, '--route-key', '$default', '--target', `integrations/${integrationId}`,
      '--route-response-selection-expression', '$default')).RouteId;
    json(await aws('create-route-response', '--api-id', apiId, '--route-id', routeId, '--route-response-key', '$default'));
    const stage = json(await aws('create-stage', '--api-id', apiId, '--stage-name', 'dev', '--auto-deploy',
      '--default-route-settings', 'ThrottlingBurstLimit=2,ThrottlingRateLimit=1'));
    assert.deepEqual(stage.DefaultRouteSettings, { DataTraceEnabled: false, DetailedMetricsEnabled: false, LoggingLevel: 'OFF', ThrottlingBurstLimit: 2, ThrottlingRateLimit: 1 });

    const client = await TestSocket.open(urlOf(nimbus(), apiId));
    // The handshake has its own $connect bucket; $default allows two messages.
    assert.deepEqual(await client.ask({ mood: 'happy' }), { mood: 'good' });
    assert.deepEqual(await client.ask({ mood: 'meh' }), { mood: 'unknown' });
    assert.equal((await client.ask({ mood: 'happy' })).message, 'Too Many Requests');
    await client.close();
  });

  it('serves an AWS integration built by boto3 that writes to DynamoDB', async () => {
    const built = await python(boto3Script);
    assert.equal(built.code, 0, built.stderr);
    const { apiId, type, expression } = JSON.parse(built.stdout) as { apiId: string; type: string; expression: string };
    assert.deepEqual([type, expression], ['AWS', '\\$default']);
    const client = await TestSocket.open(urlOf(nimbus(), apiId));
    assert.deepEqual(await client.ask({ action: 'note', id: 'n1', text: 'from boto3' }), { stored: 'note' });
    await client.close();
    const read = await python(readNote);
    assert.equal(read.code, 0, read.stderr);
    assert.deepEqual(JSON.parse(read.stdout), { id: { S: 'n1' }, text: { S: 'from boto3' } });
  });
});
