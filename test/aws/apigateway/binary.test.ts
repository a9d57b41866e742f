import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  APIGatewayClient, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand,
  UpdateRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import type { PutIntegrationCommandInput } from '@aws-sdk/client-api-gateway';
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:bytes';
const LAMBDA_URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FUNCTION_ARN}/invocations`;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]);

// Reports how the body arrived, and answers with PNG bytes base64-encoded.
const HANDLER = `
export const handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'image/png', 'x-received': JSON.stringify({ isBase64Encoded: event.isBase64Encoded, body: event.body }) },
  body: '${PNG.toString('base64')}',
  isBase64Encoded: true,
});
`;

describe('Binary media types of REST APIs', () => {
  const nimbus = useNimbus();
  const apigw = (): APIGatewayClient => new APIGatewayClient(clientSettings(nimbus()));
  let backend: Server;
  let backendUrl = '';

  before(async () => {
    // /png answers raw PNG bytes; /base64 answers the same bytes as base64 text; /echo answers what it got.
    backend = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.url === '/png') response.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
        else if (request.url === '/base64') response.writeHead(200, { 'content-type': 'text/plain' }).end(PNG.toString('base64'));
        else response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.concat(chunks));
      });
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => backend.close(() => { resolve(); })));

  async function deploy(part: string, integration: Omit<PutIntegrationCommandInput, 'restApiId' | 'resourceId' | 'httpMethod'>, responseContentHandling?: 'CONVERT_TO_BINARY' | 'CONVERT_TO_TEXT'): Promise<string> {
    const api = await apigw().send(new CreateRestApiCommand({ name: 'binary', binaryMediaTypes: ['image/png', 'application/octet-stream'] }));
    const resource = await apigw().send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: part }));
    await apigw().send(new PutMethodCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: 'POST', authorizationType: 'NONE' }));
    await apigw().send(new PutIntegrationCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: 'POST', ...integration }));
    if (integration.type === 'HTTP') {
      await apigw().send(new PutIntegrationResponseCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: 'POST', statusCode: '200', contentHandling: responseContentHandling }));
    }
    await apigw().send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    return `${nimbus().endpoint}/restapis/${api.id}/prod/_user_request_/${part}`;
  }

  it('passes binary bodies base64-encoded to Lambda proxies and decodes base64 answers for binary Accept types', async () => {
    const lambda = new LambdaClient(clientSettings(nimbus()));
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'bytes', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/r', Code: { ZipFile: await zip({ 'index.mjs': HANDLER }) },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'bytes' });
    const url = await deploy('proxy', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: LAMBDA_URI });

    const binary = await fetch(url, { method: 'POST', headers: { 'content-type': 'image/png', accept: 'image/png' }, body: PNG });
    assert.deepEqual(JSON.parse(binary.headers.get('x-received')!), { isBase64Encoded: true, body: PNG.toString('base64') });
    assert.deepEqual(Buffer.from(await binary.arrayBuffer()), PNG);

    // A text body reaches the function as text; the answer is still decoded, its own Content-Type being binary.
    const text = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: '{"a":1}' });
    assert.deepEqual(JSON.parse(text.headers.get('x-received')!), { isBase64Encoded: false, body: '{"a":1}' });
    assert.deepEqual(Buffer.from(await text.arrayBuffer()), PNG);

    // Without binary media types on the API, the base64 answer reaches the client as text.
    await apigw().send(new UpdateRestApiCommand({
      restApiId: url.split('/')[4], patchOperations: [{ op: 'remove', path: '/binaryMediaTypes/image~1png' }, { op: 'remove', path: '/binaryMediaTypes/application~1octet-stream' }],
    }));
    await apigw().send(new CreateDeploymentCommand({ restApiId: url.split('/')[4], stageName: 'prod' }));
    const plain = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain', accept: 'image/png' }, body: 'hi' });
    assert.deepEqual(JSON.parse(plain.headers.get('x-received')!), { isBase64Encoded: false, body: 'hi' });
    assert.equal(await plain.text(), PNG.toString('base64'));
  });

  it('converts bodies of non-proxy integrations with contentHandling', async () => {
    const toText = await deploy('png', { type: 'HTTP', integrationHttpMethod: 'GET', uri: `${backendUrl}/png` }, 'CONVERT_TO_TEXT');
    const text = await fetch(toText, { method: 'POST', headers: { accept: 'application/json' } });
    assert.equal(await text.text(), PNG.toString('base64'));

    const toBinary = await deploy('base64', { type: 'HTTP', integrationHttpMethod: 'GET', uri: `${backendUrl}/base64` }, 'CONVERT_TO_BINARY');
    const bytes = await fetch(toBinary, { method: 'POST', headers: { accept: 'image/png' } });
    assert.deepEqual(Buffer.from(await bytes.arrayBuffer()), PNG);

    // A binary request body passes through untouched, or as base64 text with CONVERT_TO_TEXT on the integration.
    const passthrough = await deploy('echo', { type: 'HTTP', integrationHttpMethod: 'POST', uri: `${backendUrl}/echo` });
    const echoed = await fetch(passthrough, { method: 'POST', headers: { 'content-type': 'application/octet-stream', accept: 'application/octet-stream' }, body: PNG });
    assert.deepEqual(Buffer.from(await echoed.arrayBuffer()), PNG);
    const encoded = await deploy('echo', { type: 'HTTP', integrationHttpMethod: 'POST', uri: `${backendUrl}/echo`, contentHandling: 'CONVERT_TO_TEXT' });
    const asText = await fetch(encoded, { method: 'POST', headers: { 'content-type': 'application/octet-stream', accept: 'application/json' }, body: PNG });
    assert.equal(await asText.text(), PNG.toString('base64'));
  });
});
