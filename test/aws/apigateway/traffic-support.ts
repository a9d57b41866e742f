/** Shared by the traffic-*.test.ts files: a deployed MOCK API whose answers differ per request, and calls to it. */
import {
  CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../helpers/sha256.js';

export interface MockRoute {
  /** The resource's path parts under the root, e.g. ['pets'] or ['pets', '{id}']. */
  path: string[];
  method?: string;
  apiKeyRequired?: boolean;
  authorizationType?: string;
  requestParameters?: Record<string, boolean>;
  cacheKeyParameters?: string[];
}

/**
 * An API with one MOCK method per route, deployed to `stage`. Each answer carries the request id, so a
 * repeated id means the answer did not come from the integration (a cache hit).
 */
export async function deployMockApi(apigw: APIGatewayClient, routes: MockRoute[], stage = 'prod'): Promise<string> {
  const api = await apigw.send(new CreateRestApiCommand({ name: 'traffic' }));
  const ids = new Map<string, string>([['', api.rootResourceId!]]);
  for (const route of routes) {
    let parent = '';
    for (const part of route.path) {
      const path = `${parent}/${part}`;
      if (!ids.has(path)) {
        const resource = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: ids.get(parent), pathPart: part }));
        ids.set(path, resource.id!);
      }
      parent = path;
    }
    const target = { restApiId: api.id, resourceId: ids.get(parent), httpMethod: route.method ?? 'GET' };
    await apigw.send(new PutMethodCommand({
      ...target, authorizationType: route.authorizationType ?? 'NONE', apiKeyRequired: route.apiKeyRequired, requestParameters: route.requestParameters,
    }));
    await apigw.send(new PutIntegrationCommand({
      ...target, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' }, cacheKeyParameters: route.cacheKeyParameters,
    }));
    await apigw.send(new PutIntegrationResponseCommand({
      ...target, statusCode: '200', responseTemplates: { 'application/json': '{"requestId": "$context.requestId", "path": "$context.resourcePath"}' },
    }));
  }
  await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: stage }));
  return api.id!;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export async function invoke(endpoint: string, apiId: string, path: string, init: RequestInit = {}, stage = 'prod'): Promise<Answer> {
  const response = await fetch(`${endpoint}/restapis/${apiId}/${stage}/_user_request_${path}`, init);
  return { status: response.status, headers: response.headers, body: await response.json() as Record<string, unknown> };
}

/** The statuses of `count` calls made one after the other. */
export async function statuses(count: number, call: () => Promise<Answer>): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push((await call()).status);
  return seen;
}



/** The headers of a GET to `url` SigV4-signed for execute-api with the test credentials at `signedAt`, as an AWS_IAM method wants. */
export async function signedGetHeaders(url: string, signedAt: Date, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const target = new URL(url);
  const signer = new SignatureV4({ service: 'execute-api', region: 'us-east-1', sha256: NodeSha256, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const signed = await signer.sign({
    method: 'GET', protocol: target.protocol, hostname: target.hostname, port: Number(target.port), path: target.pathname,
    query: Object.fromEntries(target.searchParams), headers: { host: target.host, ...extra },
  }, { signingDate: signedAt });
  return signed.headers;
}
