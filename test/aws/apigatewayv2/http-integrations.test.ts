import assert from 'node:assert/strict';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { CreateIntegrationCommandInput } from '@aws-sdk/client-apigatewayv2';
import { ApiGatewayV2Client, CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, UpdateIntegrationCommand } from '@aws-sdk/client-apigatewayv2';
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { SignatureV4 } from '@smithy/signature-v4';
import { ManualClock } from '../../../src/shared/clock.js';
import { rejectsWith } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { NodeSha256 } from '../../helpers/sha256.js';
import { zip } from '../../helpers/zip.js';
import type { HttpAnswer } from '../../helpers/raw-http.js';
import { rawRequest } from '../../helpers/raw-http.js';

const ROLE = 'arn:aws:iam::000000000000:role/apigw-sfn';
// Answers with the parts of its 2.0 event that parameter mapping changes.
const HANDLER = `export const handler = async (event) => ({ statusCode: 200, headers: { 'x-fn': 'raw' }, body: JSON.stringify({ rawPath: event.rawPath, query: event.rawQueryString, who: event.headers['x-who'] ?? null }) });`;

interface Echo {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

describe('HTTP API integrations: parameter mapping, AWS service subtypes, AWS_IAM', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 12));
  const nimbus = useNimbus({ clock });
  const v2 = (): ApiGatewayV2Client => new ApiGatewayV2Client(clientSettings(nimbus()));
  const sfn = (): SFNClient => new SFNClient(clientSettings(nimbus()));
  const port = (): number => Number(new URL(nimbus().endpoint).port);

  let backend: Server;
  let backendUrl = '';
  before(async () => {
    // Echoes what it received; answers 207 with headers the response mapping can use.
    backend = createServer((req, res) => {
      res.writeHead(207, { 'content-type': 'application/json', 'x-internal': 'secret', 'x-backend-in': 'from-backend', 'x-list': 'a' });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, source: { name: 'echo' } }));
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    backendUrl = `http://127.0.0.1:${String((backend.address() as AddressInfo).port)}`;
  });
  after(() => new Promise<void>((resolve) => { backend.close(() => { resolve(); }); }));

  /** An API with one route to one integration on an auto-deployed $default stage (with a stage variable). */
  async function deploy(routeKey: string, integration: Omit<CreateIntegrationCommandInput, 'ApiId'>, authorizationType?: 'AWS_IAM'): Promise<{ apiId: string; integrationId: string }> {
    const api = await v2().send(new CreateApiCommand({ Name: 'mapped', ProtocolType: 'HTTP' }));
    const created = await v2().send(new CreateIntegrationCommand({ ApiId: api.ApiId, ...integration }));
    await v2().send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: routeKey, Target: `integrations/${created.IntegrationId!}`, ...(authorizationType ? { AuthorizationType: authorizationType } : {}) }));
    await v2().send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true, StageVariables: { tier: 'gold' } }));
    return { apiId: api.ApiId!, integrationId: created.IntegrationId! };
  }

  describe('parameter mapping', () => {
    it('maps headers, query strings and the path of the request, and the status and headers of the answer', async () => {
      const { apiId } = await deploy('POST /items/{id}', {
        IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'POST', IntegrationUri: `${backendUrl}/ignored`, PayloadFormatVersion: '1.0',
        RequestParameters: {
          'overwrite:header.x-user': '$request.querystring.user',
          'append:header.x-tag': 'static',
          'remove:header.x-secret': "''",
          'overwrite:header.x-mixed': 'id=${request.path.id};tier=${stageVariables.tier};route=${context.routeKey}',
          'overwrite:querystring.page': '$request.body.page.number',
          'append:querystring.tag': '$request.header.x-in',
          'remove:querystring.drop': "''",
          'overwrite:path': '/v2/items/${request.path.id}',
        },
        ResponseParameters: {
          '207': {
            'overwrite:statuscode': '201',
            'overwrite:header.x-copied': '$response.header.x-backend-in',
            'append:header.x-list': '$response.body.source.name',
            'remove:header.x-internal': "''",
          },
        },
      });
      const answer = await rawRequest(port(), { method: 'POST', path: `/_aws/execute-api/${apiId}/items/42?user=ann&tag=a&drop=1`, headers: { 'x-tag': 'client', 'x-secret': 's', 'x-in': 'b', 'content-type': 'application/json' }, body: JSON.stringify({ page: { number: 3 } }) });
      assert.equal(answer.status, 201);
      assert.equal(answer.headers['x-copied'], 'from-backend');
      assert.equal(answer.headers['x-list'], 'a,echo');
      assert.equal(answer.headers['x-internal'], undefined);
      const echo = JSON.parse(answer.text) as Echo;
      assert.equal(echo.url, '/v2/items/42?user=ann&page=3&tag=a&tag=b');
      assert.equal(echo.headers['x-user'], 'ann');
      assert.equal(echo.headers['x-tag'], 'client, static');
      assert.equal(echo.headers['x-secret'], undefined);
      assert.equal(echo.headers['x-mixed'], 'id=42;tier=gold;route=POST /items/{id}');
    });

    it('maps what a Lambda proxy integration receives and answers', async () => {
      const lambda = new LambdaClient(clientSettings(nimbus()));
      await lambda.send(new CreateFunctionCommand({ FunctionName: 'mapped', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await zip({ 'index.mjs': HANDLER }) } }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'mapped' });
      const { apiId } = await deploy('GET /fn/{name}', {
        IntegrationType: 'AWS_PROXY', IntegrationUri: 'arn:aws:lambda:us-east-1:000000000000:function:mapped', PayloadFormatVersion: '2.0',
        RequestParameters: { 'overwrite:header.x-who': '$request.path.name', 'overwrite:querystring.q': 'fixed', 'overwrite:path': '/rewritten' },
        ResponseParameters: { '200': { 'overwrite:header.x-fn': 'mapped', 'overwrite:statuscode': '202' } },
      });
      const answer = await rawRequest(port(), { method: 'GET', path: `/_aws/execute-api/${apiId}/fn/bob` });
      assert.deepEqual([answer.status, answer.headers['x-fn'], JSON.parse(answer.text)], [202, 'mapped', { rawPath: '/rewritten', query: 'q=fixed', who: 'bob' }]);
    });

    it('leaves answers of other status codes alone', async () => {
      const { apiId } = await deploy('GET /plain', {
        IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: `${backendUrl}/plain`, PayloadFormatVersion: '1.0',
        ResponseParameters: { '200': { 'overwrite:statuscode': '204' } },
      });
      const answer = await rawRequest(port(), { method: 'GET', path: `/_aws/execute-api/${apiId}/plain` });
      assert.equal(answer.status, 207);
      assert.equal(answer.headers['x-internal'], 'secret');
    });

    const envelope = (detail: string): string => `Invalid mapping expression specified: Validation Result: warnings : [], errors : [${detail}]`;
    const invalid: { name: string; settings: Partial<CreateIntegrationCommandInput>; message: string }[] = [
      { name: 'an unknown key', settings: { RequestParameters: { 'overwrite:body': 'x' } }, message: envelope('Invalid Actioned Parameter destination specified: overwrite:body') },
      { name: 'a reserved header', settings: { RequestParameters: { 'overwrite:header.Authorization': 'x' } }, message: envelope('Operations on header Authorization are restricted') },
      { name: 'a reserved header prefix', settings: { RequestParameters: { 'append:header.x-amz-date': 'x' } }, message: envelope('Operations on header x-amz-date are restricted') },
      { name: 'a response variable in a request', settings: { RequestParameters: { 'overwrite:header.a': '$response.header.b' } }, message: envelope('Invalid source $response.header.b specified for overwrite:header.a') },
      { name: 'an unknown source', settings: { RequestParameters: { 'overwrite:header.a': '${method.request.header.b}' } }, message: envelope('Invalid source ${method.request.header.b} specified for overwrite:header.a') },
      { name: 'a status key that is no status', settings: { ResponseParameters: { ok: { 'overwrite:statuscode': '200' } } }, message: envelope('Invalid status code ok: response parameters are keyed by status codes 100 to 599') },
      { name: 'a query string key in a response', settings: { ResponseParameters: { '200': { 'overwrite:querystring.a': 'b' } } }, message: envelope('Invalid Response Actioned Parameter destination specified: overwrite:querystring.a') },
      { name: 'a status that is no status', settings: { ResponseParameters: { '200': { 'overwrite:statuscode': '99' } } }, message: envelope('Invalid status code 99 specified for overwrite:statuscode') },
    ];
    for (const { name, settings, message } of invalid) {
      it(`refuses ${name} on CreateIntegration and UpdateIntegration`, async () => {
        const { apiId, integrationId } = await deploy('GET /x', { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: backendUrl, PayloadFormatVersion: '1.0' });
        await rejectsWith(v2().send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: backendUrl, ...settings })), 'BadRequestException', message);
        await rejectsWith(v2().send(new UpdateIntegrationCommand({ ApiId: apiId, IntegrationId: integrationId, ...settings })), 'BadRequestException', message);
      });
    }
  });

  describe('AWS service integrations', () => {
    async function machine(definition: object): Promise<string> {
      const created = await sfn().send(new CreateStateMachineCommand({ name: `m${String(Math.random()).slice(2, 10)}`, roleArn: ROLE, definition: JSON.stringify(definition) }));
      return created.stateMachineArn!;
    }

    it('starts an execution with StepFunctions-StartExecution', async () => {
      const arn = await machine({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } });
      const { apiId } = await deploy('POST /orders', {
        IntegrationType: 'AWS_PROXY', IntegrationSubtype: 'StepFunctions-StartExecution', CredentialsArn: ROLE, PayloadFormatVersion: '1.0',
        RequestParameters: { StateMachineArn: arn, Input: '$request.body', Name: 'order-${request.header.x-order}' },
      });
      const answer = await rawRequest(port(), { method: 'POST', path: `/_aws/execute-api/${apiId}/orders`, headers: { 'x-order': '7', 'content-type': 'application/json' }, body: '{"item":"book"}' });
      assert.equal(answer.status, 200);
      assert.equal(answer.headers['content-type'], 'application/x-amz-json-1.0');
      const started = JSON.parse(answer.text) as { executionArn: string; startDate: number };
      assert.match(started.executionArn, /:execution:m\d+:order-7$/);
      assert.equal(started.startDate, clock.now() / 1000);
      const described = await sfn().send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
      assert.equal(described.input, '{"item":"book"}');

      // The service's own error comes back with its status.
      const again = await rawRequest(port(), { method: 'POST', path: `/_aws/execute-api/${apiId}/orders`, headers: { 'x-order': '7', 'content-type': 'application/json' }, body: '{"item":"other"}' });
      assert.equal(again.status, 400);
      assert.equal((JSON.parse(again.text) as { __type: string }).__type, 'ExecutionAlreadyExists');
    });

    it('runs StepFunctions-StartSyncExecution and stops executions with StepFunctions-StopExecution', async () => {
      const express = await sfn().send(new CreateStateMachineCommand({
        name: 'sync', roleArn: ROLE, type: 'EXPRESS', definition: JSON.stringify({ StartAt: 'Shape', States: { Shape: { Type: 'Pass', Parameters: { 'got.$': '$.n' }, End: true } } }),
      }));
      const sync = await deploy('POST /sync', {
        IntegrationType: 'AWS_PROXY', IntegrationSubtype: 'StepFunctions-StartSyncExecution', CredentialsArn: ROLE, PayloadFormatVersion: '1.0',
        RequestParameters: { StateMachineArn: express.stateMachineArn!, Input: '$request.body' },
      });
      const ran = await rawRequest(port(), { method: 'POST', path: `/_aws/execute-api/${sync.apiId}/sync`, headers: { 'content-type': 'application/json' }, body: '{"n":5}' });
      assert.equal(ran.status, 200);
      const result = JSON.parse(ran.text) as { status: string; output: string };
      assert.deepEqual([result.status, JSON.parse(result.output)], ['SUCCEEDED', { got: 5 }]);

      const waiting = await machine({ StartAt: 'Wait', States: { Wait: { Type: 'Wait', Seconds: 3600, End: true } } });
      const start = await deploy('POST /start', {
        IntegrationType: 'AWS_PROXY', IntegrationSubtype: 'StepFunctions-StartExecution', CredentialsArn: ROLE, PayloadFormatVersion: '1.0', RequestParameters: { StateMachineArn: waiting },
      });
      const started = JSON.parse((await rawRequest(port(), { method: 'POST', path: `/_aws/execute-api/${start.apiId}/start` })).text) as { executionArn: string };
      const stop = await deploy('DELETE /executions', {
        IntegrationType: 'AWS_PROXY', IntegrationSubtype: 'StepFunctions-StopExecution', CredentialsArn: ROLE, PayloadFormatVersion: '1.0',
        RequestParameters: { ExecutionArn: '$request.querystring.arn', Cause: 'client asked' },
      });
      const stopped = await rawRequest(port(), { method: 'DELETE', path: `/_aws/execute-api/${stop.apiId}/executions?arn=${encodeURIComponent(started.executionArn)}` });
      assert.equal(stopped.status, 200);
      assert.equal(typeof (JSON.parse(stopped.text) as { stopDate: number }).stopDate, 'number');
      const described = await sfn().send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
      assert.deepEqual([described.status, described.cause], ['ABORTED', 'client asked']);
    });

    it('answers subtypes of services Nimbus does not serve with a 500 naming them', async () => {
      const { apiId } = await deploy('POST /queue', {
        IntegrationType: 'AWS_PROXY', IntegrationSubtype: 'SQS-SendMessage', CredentialsArn: ROLE, PayloadFormatVersion: '1.0',
        RequestParameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/q', MessageBody: '$request.body' },
      });
      const answer = await rawRequest(port(), { method: 'POST', path: `/_aws/execute-api/${apiId}/queue`, body: 'hello' });
      assert.equal(answer.status, 500);
      assert.deepEqual(JSON.parse(answer.text), { message: 'Internal Server Error: integration subtype SQS-SendMessage is not served by Nimbus yet' });
    });

    const invalid: { name: string; settings: Partial<CreateIntegrationCommandInput>; message: string | RegExp }[] = [
      { name: 'a missing required parameter', settings: { IntegrationSubtype: 'StepFunctions-StartExecution', RequestParameters: { Input: '$request.body' } }, message: 'Missing required parameters for integration subtype StepFunctions-StartExecution: StateMachineArn' },
      { name: 'a parameter of another action', settings: { IntegrationSubtype: 'StepFunctions-StopExecution', RequestParameters: { ExecutionArn: 'a', Input: 'b' } }, message: 'Parameter Input is not supported for integration subtype StepFunctions-StopExecution' },
      { name: 'an unknown subtype', settings: { IntegrationSubtype: 'S3-PutObject', RequestParameters: {} }, message: /^Unsupported integration subtype S3-PutObject\. Supported subtypes: EventBridge-PutEvents, / },
      { name: 'payload format 2.0', settings: { IntegrationSubtype: 'SQS-PurgeQueue', RequestParameters: { QueueUrl: 'q' }, PayloadFormatVersion: '2.0' }, message: 'Unsupported payload format version 2.0: AWS service integrations support only 1.0' },
      { name: 'no credentials', settings: { IntegrationSubtype: 'SQS-PurgeQueue', RequestParameters: { QueueUrl: 'q' }, CredentialsArn: undefined }, message: 'CredentialsArn is required for integration subtype SQS-PurgeQueue' },
    ];
    for (const { name, settings, message } of invalid) {
      it(`refuses ${name}`, async () => {
        const api = await v2().send(new CreateApiCommand({ Name: 'bad', ProtocolType: 'HTTP' }));
        await rejectsWith(v2().send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', CredentialsArn: ROLE, PayloadFormatVersion: '1.0', ...settings })), 'BadRequestException', message);
      });
    }
  });

  describe('AWS_IAM routes', () => {
    async function signed(apiId: string, secretAccessKey: string): Promise<HttpAnswer> {
      const path = `/_aws/execute-api/${apiId}/whoami`;
      const host = `127.0.0.1:${String(port())}`;
      const signer = new SignatureV4({ service: 'execute-api', region: 'us-east-1', sha256: NodeSha256, credentials: { accessKeyId: 'test', secretAccessKey } });
      const request = await signer.sign({ method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: port(), path, query: {}, headers: { host } }, { signingDate: new Date(clock.now()) });
      return rawRequest(port(), { method: 'GET', path, headers: request.headers });
    }

    it('verifies the SigV4 signature and passes the signer on', async () => {
      const { apiId } = await deploy('GET /whoami', {
        IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: `${backendUrl}/whoami`, PayloadFormatVersion: '1.0',
        RequestParameters: { 'overwrite:header.x-caller': '$context.identity.userArn', 'overwrite:header.x-key': '$context.identity.accessKey' },
      }, 'AWS_IAM');
      const ok = await signed(apiId, 'test');
      assert.equal(ok.status, 207);
      const echo = JSON.parse(ok.text) as Echo;
      assert.deepEqual([echo.headers['x-caller'], echo.headers['x-key']], ['arn:aws:iam::000000000000:root', 'test']);

      const wrong = await signed(apiId, 'not-test');
      assert.equal(wrong.status, 403);
      assert.match((JSON.parse(wrong.text) as { message: string }).message, /^The request signature we calculated does not match the signature you provided\./);
      const unsigned = await rawRequest(port(), { method: 'GET', path: `/_aws/execute-api/${apiId}/whoami` });
      assert.deepEqual([unsigned.status, JSON.parse(unsigned.text)], [403, { message: 'Forbidden' }]);
    });
  });
});
