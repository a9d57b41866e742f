/**
 * Custom domain names, VPC links and parameter mapping driven by two independent clients: the AWS CLI
 * (v1 and v2 commands on one shared domain namespace) and boto3 (an HTTP API with parameter mapping,
 * reached through its custom domain by Host header).
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { cliRunners, jsonDocuments } from '../../helpers/cli.js';
import { useNimbus } from '../../helpers/nimbus.js';

const CERT = 'arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555';

const BOTO3_SCRIPT = `
import json, os, sys, urllib.request
import boto3
client = boto3.client('apigatewayv2')
api_id = client.create_api(Name='boto', ProtocolType='HTTP')['ApiId']
integration = client.create_integration(ApiId=api_id, IntegrationType='HTTP_PROXY', IntegrationMethod='GET', IntegrationUri=sys.argv[1],
    PayloadFormatVersion='1.0', RequestParameters={'overwrite:header.x-who': '$request.querystring.who', 'overwrite:path': '/mapped/$' + '{request.path.id}'},
    ResponseParameters={'200': {'overwrite:header.x-done': 'yes'}})
client.create_route(ApiId=api_id, RouteKey='GET /items/{id}', Target='integrations/' + integration['IntegrationId'])
client.create_stage(ApiId=api_id, StageName='live', AutoDeploy=True)
client.create_domain_name(DomainName='boto.example.com', DomainNameConfigurations=[{'CertificateArn': '${CERT}'}])
mapping = client.create_api_mapping(DomainName='boto.example.com', ApiId=api_id, Stage='live', ApiMappingKey='shop')
port = os.environ['AWS_ENDPOINT_URL'].rsplit(':', 1)[1]
request = urllib.request.Request(os.environ['AWS_ENDPOINT_URL'] + '/shop/items/5?who=py', headers={'Host': 'boto.example.com:' + port})
answer = urllib.request.urlopen(request)
out = {'status': answer.status, 'done': answer.headers['x-done'], 'body': json.loads(answer.read()), 'key': mapping['ApiMappingKey']}
try:
    client.create_integration(ApiId=api_id, IntegrationType='HTTP_PROXY', IntegrationMethod='GET', IntegrationUri=sys.argv[1],
        PayloadFormatVersion='1.0', RequestParameters={'overwrite:header.Connection': 'x'})
except client.exceptions.BadRequestException as e:
    out['error'] = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps(out))
`;

describe('Custom domains, VPC links and parameter mapping through the AWS CLI and boto3', () => {
  const nimbus = useNimbus();
  const { shell, exec } = cliRunners(nimbus);

  let backend: Server;
  let backendUrl = '';
  before(async () => {
    backend = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ url: req.url, who: req.headers['x-who'] }));
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    backendUrl = `http://127.0.0.1:${String((backend.address() as AddressInfo).port)}`;
  });
  after(() => new Promise<void>((resolve) => { backend.close(() => { resolve(); }); }));

  it('the CLI sees one domain namespace through apigateway and apigatewayv2, and manages VPC links', async () => {
    const made = await shell([
      `aws apigateway create-domain-name --domain-name cli.example.com --regional-certificate-arn ${CERT} --endpoint-configuration types=REGIONAL`,
      'aws apigatewayv2 get-domain-name --domain-name cli.example.com',
      `aws apigatewayv2 create-vpc-link --name link --subnet-ids subnet-1 subnet-2`,
      `aws apigateway create-vpc-link --name nlb --target-arns arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/nlb/1`,
    ].join(' && '));
    assert.equal(made.code, 0, made.stderr);
    const [v1Domain, v2Domain, v2Link, v1Link] = jsonDocuments(made.stdout);
    assert.equal(v1Domain.domainNameStatus, 'AVAILABLE');
    assert.equal(v1Domain.regionalHostedZoneId, 'Z1UJRXOUMOOFQ8');
    const [configuration] = v2Domain.DomainNameConfigurations as Record<string, unknown>[];
    assert.deepEqual([configuration.ApiGatewayDomainName, configuration.EndpointType, configuration.DomainNameStatus], [v1Domain.regionalDomainName, 'REGIONAL', 'AVAILABLE']);
    assert.deepEqual([v2Link.VpcLinkStatus, v2Link.SubnetIds], ['AVAILABLE', ['subnet-1', 'subnet-2']]);
    assert.equal(v1Link.status, 'AVAILABLE');

    const missing = await exec('aws', ['apigateway', 'get-domain-name', '--domain-name', 'nope.example.com']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /An error occurred \(NotFoundException\) when calling the GetDomainName operation: Invalid domain name identifier specified/);
    const taken = await exec('aws', ['apigatewayv2', 'create-domain-name', '--domain-name', 'cli.example.com', '--domain-name-configurations', `CertificateArn=${CERT}`]);
    assert.match(taken.stderr, /An error occurred \(ConflictException\) when calling the CreateDomainName operation: The domain name you provided already exists\./);
  });

  it('boto3 builds an HTTP API with parameter mapping and calls it through its custom domain', async () => {
    // The script takes the backend URL as its argument.
    const outcome = await exec('python3', ['-c', BOTO3_SCRIPT, backendUrl]);
    assert.equal(outcome.code, 0, outcome.stderr);
    const out = JSON.parse(outcome.stdout) as { status: number; done: string; body: unknown; key: string; error: unknown[] };
    assert.deepEqual(out.body, { url: '/mapped/5?who=py', who: 'py' });
    assert.deepEqual([out.status, out.done, out.key], [200, 'yes', 'shop']);
    assert.deepEqual(out.error, ['BadRequestException', 'Invalid mapping expression specified: Validation Result: warnings : [], errors : [Operations on header Connection are restricted]', 400]);
  });
});
