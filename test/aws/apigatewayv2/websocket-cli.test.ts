/**
 * The management API's wire format through two clients that share no code with the JavaScript SDK: the
 * AWS CLI (v1) and boto3 post to, describe and delete a live WebSocket connection, at Nimbus's endpoint
 * and at the API's own URL, and read AWS's GoneException once it has closed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cliRunners } from '../../helpers/cli.js';
import { useNimbus } from '../../helpers/nimbus.js';
import { mockApi, TestSocket, urlOf } from './websocket-client.js';

const boto3Script = (endpoint: string, connectionId: string): string => `
import json, boto3
from botocore.exceptions import ClientError
client = boto3.client('apigatewaymanagementapi', endpoint_url=${JSON.stringify(endpoint)})
connection_id = ${JSON.stringify(connectionId)}
client.post_to_connection(ConnectionId=connection_id, Data=b'from boto3')
described = client.get_connection(ConnectionId=connection_id)
out = {'source_ip': described['Identity']['SourceIp'], 'has_times': 'ConnectedAt' in described and 'LastActiveAt' in described}
out['deleted'] = client.delete_connection(ConnectionId=connection_id)['ResponseMetadata']['HTTPStatusCode']
try:
    client.post_to_connection(ConnectionId=connection_id, Data=b'late')
except ClientError as e:
    out['gone'] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps(out))
`;

describe('The API Gateway Management API through the AWS CLI and boto3', () => {
  const nimbus = useNimbus();
  const { exec, python } = cliRunners(nimbus);

  it('posts, describes and deletes with the AWS CLI', async () => {
    const apiId = await mockApi(nimbus());
    const client = await TestSocket.open(urlOf(nimbus(), apiId));
    const connectionId = (await client.ask({})).connectionId as string;
    const apiUrl = `${nimbus().endpoint}/_aws/execute-api/${apiId}/dev`;
    const posted = await exec('aws', ['apigatewaymanagementapi', 'post-to-connection', '--endpoint-url', apiUrl, '--connection-id', connectionId, '--data', 'from the cli']);
    assert.equal(posted.code, 0, posted.stderr);
    assert.equal(await client.next(), 'from the cli');
    const described = await exec('aws', ['apigatewaymanagementapi', 'get-connection', '--connection-id', connectionId]);
    assert.equal(described.code, 0, described.stderr);
    const connection = JSON.parse(described.stdout) as { ConnectedAt: string; LastActiveAt: string; Identity: { SourceIp: string } };
    assert.equal(connection.Identity.SourceIp, '127.0.0.1');
    assert.ok(connection.ConnectedAt && connection.LastActiveAt);
    const deleted = await exec('aws', ['apigatewaymanagementapi', 'delete-connection', '--connection-id', connectionId]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal((await client.closed()).code, 1000);
    const gone = await exec('aws', ['apigatewaymanagementapi', 'get-connection', '--connection-id', connectionId]);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /An error occurred \(GoneException\) when calling the GetConnection operation/);
  });

  it('posts, describes and deletes with boto3 at the API URL', async () => {
    const apiId = await mockApi(nimbus());
    const client = await TestSocket.open(urlOf(nimbus(), apiId));
    const connectionId = (await client.ask({})).connectionId as string;
    const run = await python(boto3Script(`${nimbus().endpoint}/_aws/execute-api/${apiId}/dev`, connectionId));
    assert.equal(run.code, 0, run.stderr);
    assert.equal(await client.next(), 'from boto3');
    assert.deepEqual(JSON.parse(run.stdout), { source_ip: '127.0.0.1', has_times: true, deleted: 204, gone: ['GoneException', 410] });
    assert.equal((await client.closed()).code, 1000);
  });
});
