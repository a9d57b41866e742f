import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  APIGatewayClient, CreateBasePathMappingCommand, CreateDeploymentCommand as CreateRestDeploymentCommand, CreateDomainNameCommand as CreateRestDomainNameCommand,
  CreateResourceCommand, CreateRestApiCommand, CreateVpcLinkCommand as CreateRestVpcLinkCommand, DeleteBasePathMappingCommand, DeleteDomainNameCommand as DeleteRestDomainNameCommand,
  DeleteVpcLinkCommand as DeleteRestVpcLinkCommand, GetBasePathMappingCommand, GetBasePathMappingsCommand, GetDomainNameCommand as GetRestDomainNameCommand,
  GetDomainNamesCommand as GetRestDomainNamesCommand, GetVpcLinkCommand as GetRestVpcLinkCommand, GetVpcLinksCommand as GetRestVpcLinksCommand, PutIntegrationCommand,
  PutMethodCommand, UpdateBasePathMappingCommand, UpdateDomainNameCommand as UpdateRestDomainNameCommand, UpdateVpcLinkCommand as UpdateRestVpcLinkCommand,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client, CreateApiCommand, CreateApiMappingCommand, CreateDomainNameCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand,
  CreateVpcLinkCommand, DeleteApiMappingCommand, DeleteDomainNameCommand, DeleteVpcLinkCommand, GetApiMappingCommand, GetApiMappingsCommand, GetDomainNameCommand,
  GetDomainNamesCommand, GetVpcLinkCommand, GetVpcLinksCommand, UpdateApiMappingCommand, UpdateDomainNameCommand, UpdateVpcLinkCommand,
} from '@aws-sdk/client-apigatewayv2';
import { rejectsWith } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { rawRequest } from '../../helpers/raw-http.js';

const CERT = 'arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555';

describe('Custom domain names, base path and API mappings, VPC links', () => {
  const nimbus = useNimbus();
  const v1 = (): APIGatewayClient => new APIGatewayClient(clientSettings(nimbus()));
  const v2 = (): ApiGatewayV2Client => new ApiGatewayV2Client(clientSettings(nimbus()));
  const port = (): number => Number(new URL(nimbus().endpoint).port);

  let backend: Server;
  let backendUrl = '';
  before(async () => {
    // Echoes the path it was called with.
    backend = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, url: req.url, ...(req.headers['x-addressed'] ? { addressed: req.headers['x-addressed'] } : {}) }));
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    backendUrl = `http://127.0.0.1:${String((backend.address() as AddressInfo).port)}`;
  });
  after(() => new Promise<void>((resolve) => { backend.close(() => { resolve(); }); }));

  /** An HTTP API whose $default route proxies to the backend (the request path is appended), on a stage. */
  async function httpApi(stageName: string): Promise<string> {
    const api = await v2().send(new CreateApiCommand({ Name: 'orders', ProtocolType: 'HTTP' }));
    const integration = await v2().send(new CreateIntegrationCommand({
      ApiId: api.ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', IntegrationUri: `${backendUrl}/http`, PayloadFormatVersion: '1.0',
      // The path the client addressed: through a custom domain it keeps the mapping key (as rawPath does).
      RequestParameters: { 'overwrite:header.x-addressed': '$context.path' },
    }));
    await v2().send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: '$default', Target: `integrations/${integration.IntegrationId!}` }));
    await v2().send(new CreateStageCommand({ ApiId: api.ApiId, StageName: stageName, AutoDeploy: true }));
    return api.ApiId!;
  }

  /** A REST API with GET /items proxied to the backend, deployed to `prod`. */
  async function restApi(): Promise<string> {
    const api = await v1().send(new CreateRestApiCommand({ name: 'legacy' }));
    const items = await v1().send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'items' }));
    await v1().send(new PutMethodCommand({ restApiId: api.id, resourceId: items.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    await v1().send(new PutIntegrationCommand({ restApiId: api.id, resourceId: items.id, httpMethod: 'GET', type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${backendUrl}/rest-items` }));
    await v1().send(new CreateRestDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    return api.id!;
  }

  describe('control plane', () => {
    it('creates a regional domain with v1 and shows it to v2, AVAILABLE with its regional host name and zone', async () => {
      const created = await v1().send(new CreateRestDomainNameCommand({
        domainName: 'api.example.com', regionalCertificateArn: CERT, endpointConfiguration: { types: ['REGIONAL'] }, securityPolicy: 'TLS_1_2', tags: { team: 'a' },
      }));
      assert.equal(created.domainName, 'api.example.com');
      assert.equal(created.domainNameStatus, 'AVAILABLE');
      assert.match(created.regionalDomainName ?? '', /^d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com$/);
      assert.equal(created.regionalHostedZoneId, 'Z1UJRXOUMOOFQ8');
      assert.deepEqual(created.endpointConfiguration?.types, ['REGIONAL']);
      assert.equal(created.domainNameArn, 'arn:aws:apigateway:us-east-1::/domainnames/api.example.com');
      assert.deepEqual(created.tags, { team: 'a' });

      const seen = await v2().send(new GetDomainNameCommand({ DomainName: 'api.example.com' }));
      assert.equal(seen.ApiMappingSelectionExpression, '$request.basepath');
      assert.deepEqual(seen.DomainNameConfigurations?.map((c) => [c.ApiGatewayDomainName, c.CertificateArn, c.DomainNameStatus, c.EndpointType, c.HostedZoneId, c.SecurityPolicy]),
        [[created.regionalDomainName, CERT, 'AVAILABLE', 'REGIONAL', 'Z1UJRXOUMOOFQ8', 'TLS_1_2']]);
    });

    it('creates a domain with v2 and lists it with v1; an EDGE domain gets a CloudFront name', async () => {
      await v2().send(new CreateDomainNameCommand({ DomainName: 'v2.example.com', DomainNameConfigurations: [{ CertificateArn: CERT, EndpointType: 'REGIONAL' }] }));
      const edge = await v1().send(new CreateRestDomainNameCommand({ domainName: 'edge.example.com', certificateArn: CERT }));
      assert.match(edge.distributionDomainName ?? '', /^[a-z0-9]{10}\.cloudfront\.net$/);
      assert.equal(edge.distributionHostedZoneId, 'Z2FDTNDATAQYW2');
      assert.deepEqual(edge.endpointConfiguration?.types, ['EDGE']);
      const listed = await v1().send(new GetRestDomainNamesCommand({}));
      assert.deepEqual(listed.items?.map((item) => item.domainName), ['edge.example.com', 'v2.example.com']);
      const listedV2 = await v2().send(new GetDomainNamesCommand({ MaxResults: '1' }));
      assert.equal(listedV2.Items?.length, 1);
      assert.ok(listedV2.NextToken);
    });

    it('updates a domain with patch operations (v1) or configurations (v2)', async () => {
      await v1().send(new CreateRestDomainNameCommand({ domainName: 'u.example.com', regionalCertificateArn: CERT, endpointConfiguration: { types: ['REGIONAL'] } }));
      const patched = await v1().send(new UpdateRestDomainNameCommand({ domainName: 'u.example.com', patchOperations: [{ op: 'replace', path: '/securityPolicy', value: 'TLS_1_0' }] }));
      assert.equal(patched.securityPolicy, 'TLS_1_0');
      const updated = await v2().send(new UpdateDomainNameCommand({ DomainName: 'u.example.com', DomainNameConfigurations: [{ CertificateArn: `${CERT}9`, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }] }));
      assert.equal(updated.DomainNameConfigurations?.[0].CertificateArn, `${CERT}9`);
      assert.equal(updated.DomainNameConfigurations?.[0].SecurityPolicy, 'TLS_1_2');
    });

    const errorCases: { name: string; call: () => Promise<unknown>; code: string; message: string; status: number }[] = [
      { name: 'an unknown domain (v1)', call: () => v1().send(new GetRestDomainNameCommand({ domainName: 'nope.example.com' })), code: 'NotFoundException', message: 'Invalid domain name identifier specified', status: 404 },
      { name: 'an unknown domain (v2)', call: () => v2().send(new DeleteDomainNameCommand({ DomainName: 'nope.example.com' })), code: 'NotFoundException', message: 'Invalid domain name identifier specified', status: 404 },
      {
        name: 'a regional domain without a certificate',
        call: () => v1().send(new CreateRestDomainNameCommand({ domainName: 'c.example.com', endpointConfiguration: { types: ['REGIONAL'] } })),
        code: 'BadRequestException', message: 'A regional certificate is required for a REGIONAL domain name: specify regionalCertificateArn or regionalCertificateName', status: 400,
      },
      {
        name: 'one of Nimbus\'s own host names',
        call: () => v2().send(new CreateDomainNameCommand({ DomainName: 'api.localhost', DomainNameConfigurations: [{ CertificateArn: CERT }] })),
        code: 'BadRequestException', message: 'Invalid domain name: api.localhost', status: 400,
      },
    ];
    for (const { name, call, code, message, status } of errorCases) {
      it(`refuses ${name}`, async () => {
        await rejectsWith(call(), code, message, status);
      });
    }

    it('refuses a domain name that exists, whichever API made it', async () => {
      await v2().send(new CreateDomainNameCommand({ DomainName: 'dup.example.com', DomainNameConfigurations: [{ CertificateArn: CERT }] }));
      await rejectsWith(v1().send(new CreateRestDomainNameCommand({ domainName: 'dup.example.com', certificateArn: CERT })), 'ConflictException', 'The domain name you provided already exists.', 409);
    });

    it('shares base path mappings and API mappings, with AWS\'s rules on keys', async () => {
      await v1().send(new CreateRestDomainNameCommand({ domainName: 'm.example.com', regionalCertificateArn: CERT, endpointConfiguration: { types: ['REGIONAL'] } }));
      const restId = await restApi();
      const httpId = await httpApi('live');
      const base = await v1().send(new CreateBasePathMappingCommand({ domainName: 'm.example.com', basePath: 'legacy', restApiId: restId, stage: 'prod' }));
      assert.deepEqual({ basePath: base.basePath, restApiId: base.restApiId, stage: base.stage }, { basePath: 'legacy', restApiId: restId, stage: 'prod' });
      const mapping = await v2().send(new CreateApiMappingCommand({ DomainName: 'm.example.com', ApiId: httpId, Stage: 'live', ApiMappingKey: 'orders/v1' }));
      assert.match(mapping.ApiMappingId ?? '', /^[a-z0-9]+$/);

      const mappings = await v2().send(new GetApiMappingsCommand({ DomainName: 'm.example.com' }));
      assert.deepEqual(mappings.Items?.map((item) => [item.ApiMappingKey, item.ApiId, item.Stage]).sort(), [['legacy', restId, 'prod'], ['orders/v1', httpId, 'live']]);
      const basePaths = await v1().send(new GetBasePathMappingsCommand({ domainName: 'm.example.com' }));
      assert.deepEqual(basePaths.items?.map((item) => item.basePath), ['legacy', 'orders/v1']);
      assert.equal((await v1().send(new GetBasePathMappingCommand({ domainName: 'm.example.com', basePath: 'orders/v1' }))).restApiId, httpId);
      assert.equal((await v2().send(new GetApiMappingCommand({ DomainName: 'm.example.com', ApiMappingId: mapping.ApiMappingId }))).ApiMappingKey, 'orders/v1');

      await rejectsWith(v1().send(new CreateBasePathMappingCommand({ domainName: 'm.example.com', basePath: 'legacy', restApiId: restId, stage: 'prod' })),
        'ConflictException', 'Base path already exists for this domain name', 409);
      // The empty base path (none) sits beside the others, once.
      await v1().send(new CreateBasePathMappingCommand({ domainName: 'm.example.com', restApiId: restId, stage: 'prod' }));
      await rejectsWith(v1().send(new CreateBasePathMappingCommand({ domainName: 'm.example.com', restApiId: restId, stage: 'prod' })),
        'ConflictException', 'Base path already exists for this domain name', 409);
      await rejectsWith(v1().send(new CreateBasePathMappingCommand({ domainName: 'm.example.com', basePath: 'x', restApiId: restId, stage: 'nope' })),
        'BadRequestException', 'Invalid stage identifier specified', 400);
      await rejectsWith(v1().send(new GetBasePathMappingCommand({ domainName: 'm.example.com', basePath: 'nope' })),
        'NotFoundException', 'Invalid base path mapping identifier specified', 404);
      await rejectsWith(v2().send(new CreateApiMappingCommand({ DomainName: 'm.example.com', ApiId: 'abcdefghij', Stage: 'live', ApiMappingKey: 'z' })),
        'NotFoundException', 'Invalid API identifier specified 000000000000:abcdefghij', 404);

      const socketApi = await v2().send(new CreateApiCommand({ Name: 'socket', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
      await v2().send(new CreateStageCommand({ ApiId: socketApi.ApiId, StageName: 'live' }));
      await rejectsWith(v2().send(new CreateApiMappingCommand({ DomainName: 'm.example.com', ApiId: socketApi.ApiId, Stage: 'live', ApiMappingKey: 'chat' })),
        'BadRequestException', 'Nimbus does not serve WebSocket APIs through custom domain names yet: map a REST or HTTP API.', 400);
      await rejectsWith(v2().send(new CreateApiMappingCommand({ DomainName: 'm.example.com', ApiId: httpId, Stage: 'live', ApiMappingKey: '/' })),
        'BadRequestException', "An ApiMapping key may contain only letters, numbers and one of $-_.+!*'()", 400);

      const moved = await v1().send(new UpdateBasePathMappingCommand({ domainName: 'm.example.com', basePath: 'legacy', patchOperations: [{ op: 'replace', path: '/basePath', value: 'old' }] }));
      assert.equal(moved.basePath, 'old');
      const rekeyed = await v2().send(new UpdateApiMappingCommand({ DomainName: 'm.example.com', ApiMappingId: mapping.ApiMappingId, ApiId: httpId, ApiMappingKey: 'orders' }));
      assert.equal(rekeyed.ApiMappingKey, 'orders');
      await v1().send(new DeleteBasePathMappingCommand({ domainName: 'm.example.com', basePath: 'old' }));
      await v1().send(new DeleteBasePathMappingCommand({ domainName: 'm.example.com', basePath: '(none)' }));
      await v2().send(new DeleteApiMappingCommand({ DomainName: 'm.example.com', ApiMappingId: mapping.ApiMappingId }));
      assert.deepEqual((await v2().send(new GetApiMappingsCommand({ DomainName: 'm.example.com' }))).Items, []);
      await rejectsWith(v2().send(new GetApiMappingCommand({ DomainName: 'm.example.com', ApiMappingId: mapping.ApiMappingId })), 'NotFoundException', 'Invalid ApiMapping identifier specified', 404);
    });
  });

  describe('data plane', () => {
    it('routes a request by its Host header and mapping key to the mapped HTTP or REST API stage', async () => {
      await v2().send(new CreateDomainNameCommand({ DomainName: 'shop.example.com', DomainNameConfigurations: [{ CertificateArn: CERT }] }));
      const httpId = await httpApi('$default');
      const restId = await restApi();
      await v2().send(new CreateApiMappingCommand({ DomainName: 'shop.example.com', ApiId: httpId, Stage: '$default', ApiMappingKey: 'orders' }));
      await v2().send(new CreateApiMappingCommand({ DomainName: 'shop.example.com', ApiId: restId, Stage: 'prod', ApiMappingKey: 'legacy' }));
      const host = `shop.example.com:${String(port())}`;

      const cases: { path: string; status: number; body?: unknown }[] = [
        { path: '/orders/1', status: 200, body: { method: 'GET', url: '/http/1', addressed: '/orders/1' } },
        { path: '/orders', status: 200, body: { method: 'GET', url: '/http/', addressed: '/orders' } },
        { path: '/legacy/items', status: 200, body: { method: 'GET', url: '/rest-items' } },
        { path: '/other/1', status: 403, body: { message: 'Forbidden' } },
        { path: '/ordersx/1', status: 403, body: { message: 'Forbidden' } },
      ];
      for (const { path, status, body } of cases) {
        const answer = await rawRequest(port(), { method: 'GET', host, path });
        assert.equal(answer.status, status, path);
        assert.deepEqual(JSON.parse(answer.text), body, path);
      }
      // The host name is matched without its port and whatever its case.
      assert.equal((await rawRequest(port(), { method: 'GET', host: 'SHOP.example.com', path: '/orders/2' })).status, 200);

      // Once the domain is gone, the host is no API's any more.
      await v2().send(new DeleteDomainNameCommand({ DomainName: 'shop.example.com' }));
      assert.notEqual((await rawRequest(port(), { method: 'GET', host, path: '/orders/1' })).status, 200);
    });

    it('takes the stage from the path when a v1 base path mapping names none', async () => {
      await v1().send(new CreateRestDomainNameCommand({ domainName: 'any.example.com', regionalCertificateArn: CERT, endpointConfiguration: { types: ['REGIONAL'] } }));
      const restId = await restApi();
      await v1().send(new CreateBasePathMappingCommand({ domainName: 'any.example.com', restApiId: restId }));
      const answer = await rawRequest(port(), { method: 'GET', host: 'any.example.com', path: '/prod/items' });
      assert.equal(answer.status, 200);
      assert.deepEqual(JSON.parse(answer.text), { method: 'GET', url: '/rest-items' });
      await v1().send(new DeleteRestDomainNameCommand({ domainName: 'any.example.com' }));
    });
  });

  describe('VPC links', () => {
    it('manages v1 VPC links, AVAILABLE at once', async () => {
      const link = await v1().send(new CreateRestVpcLinkCommand({ name: 'nlb', targetArns: ['arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/nlb/1234'] }));
      assert.equal(link.status, 'AVAILABLE');
      assert.equal((await v1().send(new GetRestVpcLinkCommand({ vpcLinkId: link.id }))).name, 'nlb');
      const renamed = await v1().send(new UpdateRestVpcLinkCommand({ vpcLinkId: link.id, patchOperations: [{ op: 'replace', path: '/name', value: 'nlb2' }] }));
      assert.equal(renamed.name, 'nlb2');
      assert.deepEqual((await v1().send(new GetRestVpcLinksCommand({}))).items?.map((item) => item.id), [link.id]);
      // A REST integration through the link calls its URI directly.
      const api = await v1().send(new CreateRestApiCommand({ name: 'private' }));
      await v1().send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
      await v1().send(new PutIntegrationCommand({
        restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${backendUrl}/nlb`, connectionType: 'VPC_LINK', connectionId: link.id,
      }));
      await v1().send(new CreateRestDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
      const answer = await fetch(`${nimbus().endpoint}/restapis/${api.id!}/prod/_user_request_/`);
      assert.deepEqual(await answer.json(), { method: 'GET', url: '/nlb' });
      await v1().send(new DeleteRestVpcLinkCommand({ vpcLinkId: link.id }));
      await rejectsWith(v1().send(new GetRestVpcLinkCommand({ vpcLinkId: link.id })), 'NotFoundException', 'Invalid Vpc Link identifier specified', 404);
    });

    it('manages v2 VPC links, and a VPC_LINK integration calls its URI directly', async () => {
      const link = await v2().send(new CreateVpcLinkCommand({ Name: 'private', SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] }));
      assert.equal(link.VpcLinkStatus, 'AVAILABLE');
      assert.equal(link.VpcLinkVersion, 'V2');
      assert.equal((await v2().send(new UpdateVpcLinkCommand({ VpcLinkId: link.VpcLinkId, Name: 'renamed' }))).Name, 'renamed');
      assert.deepEqual((await v2().send(new GetVpcLinksCommand({}))).Items?.map((item) => item.Name), ['renamed']);

      const api = await v2().send(new CreateApiCommand({ Name: 'private', ProtocolType: 'HTTP' }));
      const integration = await v2().send(new CreateIntegrationCommand({
        ApiId: api.ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: `${backendUrl}/private`, PayloadFormatVersion: '1.0',
        ConnectionType: 'VPC_LINK', ConnectionId: link.VpcLinkId,
      }));
      assert.equal(integration.ConnectionType, 'VPC_LINK');
      await v2().send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /private', Target: `integrations/${integration.IntegrationId!}` }));
      await v2().send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
      const answer = await fetch(`${nimbus().endpoint}/_aws/execute-api/${api.ApiId!}/private`);
      assert.equal(answer.status, 200);
      assert.deepEqual(await answer.json(), { method: 'GET', url: '/private' });

      await rejectsWith(v2().send(new CreateIntegrationCommand({
        ApiId: api.ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: `${backendUrl}/x`, PayloadFormatVersion: '1.0', ConnectionType: 'VPC_LINK', ConnectionId: 'nope123',
      })), 'NotFoundException', 'Invalid VpcLink identifier specified nope123', 404);
      await v2().send(new DeleteVpcLinkCommand({ VpcLinkId: link.VpcLinkId }));
      await rejectsWith(v2().send(new GetVpcLinkCommand({ VpcLinkId: link.VpcLinkId })), 'NotFoundException', `Invalid VpcLink identifier specified ${link.VpcLinkId!}`, 404);
    });
  });
});
