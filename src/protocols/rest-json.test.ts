/**
 * restJson1 against the real AWS SDK v3 Lambda client: its serializer produces the requests we parse, and its
 * deserializer reads the responses (and errors) we write. A fake request handler stands in for the network.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetLayerVersionByArnCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ResourceNotFoundException,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { ServiceError } from '../shared/errors.js';
import type { ServiceModel } from './model.js';
import type { ResponseContext } from './protocol.js';
import { loadServiceModel } from './model.js';
import { splitHeaderList } from './rest-binding.js';
import { restJsonProtocol } from './rest-json.js';
import type { SdkReply, SdkSeen } from './sdk-harness.js';
import { SDK_CLIENT_SETTINGS, sdkHarness } from './sdk-harness.js';
import { restWireRequest } from './test-support.js';

const lambda = loadServiceModel('lambda');
const context: ResponseContext = { requestId: 'req-1' };

// ---------------------------------------------------------------------------------------------------------
// SDK <-> wire
// ---------------------------------------------------------------------------------------------------------

/** A Lambda client whose requests go through our codec: it records what was parsed and answers with `reply`. */
function fakeLambda(reply: SdkReply): { client: LambdaClient; seen: SdkSeen } {
  const { requestHandler, seen } = sdkHarness({ protocol: restJsonProtocol, model: lambda, context, reply });
  const client = new LambdaClient({ ...SDK_CLIENT_SETTINGS, endpoint: 'http://localhost:4566', requestHandler });
  return { client, seen };
}

// ---------------------------------------------------------------------------------------------------------
// Round trips through the SDK
// ---------------------------------------------------------------------------------------------------------

const functionArn = 'arn:aws:lambda:us-east-1:123456789012:function:hello';
const configuration = {
  FunctionName: 'hello',
  FunctionArn: functionArn,
  Runtime: 'nodejs20.x',
  Role: 'arn:aws:iam::123456789012:role/exec',
  Handler: 'index.handler',
  CodeSize: 3,
  Timeout: 30,
  MemorySize: 256,
  LastModified: '2024-05-01T12:00:00.000+0000',
  State: 'Active',
  Environment: { Variables: { STAGE: 'dev' } },
};

interface RoundTrip {
  name: string;
  send: (client: LambdaClient) => Promise<unknown>;
  operation: string;
  input: Record<string, unknown>;
  output?: Record<string, unknown>;
  status: number;
  check?: (result: Record<string, unknown>) => void;
}

const roundTrips: RoundTrip[] = [
  {
    name: 'CreateFunction: JSON body with a base64 blob, 201 from the model',
    send: (client) =>
      client.send(
        new CreateFunctionCommand({
          FunctionName: 'hello',
          Runtime: 'nodejs20.x',
          Role: 'arn:aws:iam::123456789012:role/exec',
          Handler: 'index.handler',
          Code: { ZipFile: new Uint8Array([0x50, 0x4b, 0x03]) },
          Timeout: 30,
          Publish: true,
          Environment: { Variables: { STAGE: 'dev' } },
          Tags: { team: 'core' },
          Architectures: ['arm64'],
        }),
      ),
    operation: 'CreateFunction',
    input: {
      FunctionName: 'hello',
      Runtime: 'nodejs20.x',
      Role: 'arn:aws:iam::123456789012:role/exec',
      Handler: 'index.handler',
      Code: { ZipFile: Buffer.from([0x50, 0x4b, 0x03]) },
      Timeout: 30,
      Publish: true,
      Environment: { Variables: { STAGE: 'dev' } },
      Tags: { team: 'core' },
      Architectures: ['arm64'],
    },
    output: configuration,
    status: 201,
    check: (result) => {
      assert.equal(result.FunctionArn, functionArn);
      assert.equal(result.CodeSize, 3);
      assert.deepEqual(result.Environment, { Variables: { STAGE: 'dev' } });
    },
  },
  {
    name: 'Invoke: raw payload both ways, headers in, status code and headers out',
    send: (client) =>
      client.send(
        new InvokeCommand({
          FunctionName: 'hello',
          Qualifier: 'prod',
          InvocationType: 'RequestResponse',
          LogType: 'Tail',
          ClientContext: Buffer.from('{"custom":{"a":1}}').toString('base64'),
          Payload: Buffer.from('{"name":"world"}'),
        }),
      ),
    operation: 'Invoke',
    input: {
      FunctionName: 'hello',
      Qualifier: 'prod',
      InvocationType: 'RequestResponse',
      LogType: 'Tail',
      ClientContext: Buffer.from('{"custom":{"a":1}}').toString('base64'),
      Payload: Buffer.from('{"name":"world"}'),
    },
    output: {
      StatusCode: 200,
      FunctionError: 'Unhandled',
      LogResult: Buffer.from('START RequestId: 1\nEND\n').toString('base64'),
      ExecutedVersion: '3',
      Payload: Buffer.from('{"errorMessage":"boom"}'),
    },
    status: 200,
    check: (result) => {
      assert.equal(result.StatusCode, 200);
      assert.equal(result.FunctionError, 'Unhandled');
      assert.equal(Buffer.from(result.LogResult as string, 'base64').toString(), 'START RequestId: 1\nEND\n');
      assert.equal(result.ExecutedVersion, '3');
      assert.equal(Buffer.from(result.Payload as Uint8Array).toString(), '{"errorMessage":"boom"}');
    },
  },
  {
    name: 'Invoke (Event): the status code member sets 202',
    send: (client) => client.send(new InvokeCommand({ FunctionName: 'hello', InvocationType: 'Event' })),
    operation: 'Invoke',
    input: { FunctionName: 'hello', InvocationType: 'Event' },
    output: { StatusCode: 202 },
    status: 202,
    check: (result) => {
      assert.equal(result.StatusCode, 202);
      // No body: the SDK reports the blob payload as absent (null), not as empty bytes.
      assert.equal(result.Payload ?? undefined, undefined);
    },
  },
  {
    name: 'GetFunction: an ARN label is percent-decoded, nested output',
    send: (client) => client.send(new GetFunctionCommand({ FunctionName: functionArn, Qualifier: '$LATEST' })),
    operation: 'GetFunction',
    input: { FunctionName: functionArn, Qualifier: '$LATEST' },
    output: { Configuration: configuration, Code: { RepositoryType: 'S3', Location: 'https://example.com/code.zip' }, Tags: { team: 'core' } },
    status: 200,
    check: (result) => {
      assert.equal((result.Configuration as Record<string, unknown>).FunctionName, 'hello');
      assert.deepEqual(result.Code, { RepositoryType: 'S3', Location: 'https://example.com/code.zip' });
      assert.deepEqual(result.Tags, { team: 'core' });
    },
  },
  {
    name: 'ListFunctions: query-string members converted by shape',
    send: (client) => client.send(new ListFunctionsCommand({ Marker: 'next page', MaxItems: 5, FunctionVersion: 'ALL' })),
    operation: 'ListFunctions',
    input: { Marker: 'next page', MaxItems: 5, FunctionVersion: 'ALL' },
    output: { Functions: [configuration, { ...configuration, FunctionName: 'other' }], NextMarker: 'm2' },
    status: 200,
    check: (result) => {
      assert.equal((result.Functions as unknown[]).length, 2);
      assert.equal(result.NextMarker, 'm2');
    },
  },
  {
    name: 'AddPermission: label, query string and body members together',
    send: (client) =>
      client.send(
        new AddPermissionCommand({
          FunctionName: 'hello',
          StatementId: 's3-invoke',
          Action: 'lambda:InvokeFunction',
          Principal: 's3.amazonaws.com',
          SourceArn: 'arn:aws:s3:::bucket',
          Qualifier: 'prod',
        }),
      ),
    operation: 'AddPermission',
    input: {
      FunctionName: 'hello',
      StatementId: 's3-invoke',
      Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com',
      SourceArn: 'arn:aws:s3:::bucket',
      Qualifier: 'prod',
    },
    output: { Statement: '{"Sid":"s3-invoke"}' },
    status: 201,
    check: (result) => { assert.equal(result.Statement, '{"Sid":"s3-invoke"}'); },
  },
  {
    name: 'UpdateFunctionConfiguration: PUT with a JSON body',
    send: (client) =>
      client.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: 'hello',
          MemorySize: 512,
          Environment: { Variables: {} },
          Layers: ['arn:aws:lambda:us-east-1:123456789012:layer:deps:1'],
        }),
      ),
    operation: 'UpdateFunctionConfiguration',
    input: { FunctionName: 'hello', MemorySize: 512, Environment: { Variables: {} }, Layers: ['arn:aws:lambda:us-east-1:123456789012:layer:deps:1'] },
    output: { ...configuration, MemorySize: 512 },
    status: 200,
    check: (result) => { assert.equal(result.MemorySize, 512); },
  },
  {
    name: 'DeleteFunction with Qualifier: an output without a body',
    send: (client) => client.send(new DeleteFunctionCommand({ FunctionName: 'hello', Qualifier: '2' })),
    operation: 'DeleteFunction',
    input: { FunctionName: 'hello', Qualifier: '2' },
    output: { StatusCode: 204 },
    status: 204,
    check: (result) => { assert.equal(result.StatusCode, 204); },
  },
  {
    name: 'GetLayerVersionByArn: the template literal ?find=LayerVersion beats ListLayers',
    send: (client) => client.send(new GetLayerVersionByArnCommand({ Arn: 'arn:aws:lambda:us-east-1:123456789012:layer:deps:1' })),
    operation: 'GetLayerVersionByArn',
    input: { Arn: 'arn:aws:lambda:us-east-1:123456789012:layer:deps:1' },
    output: { Version: 1, LayerArn: 'arn:aws:lambda:us-east-1:123456789012:layer:deps' },
    status: 200,
    check: (result) => { assert.equal(result.Version, 1); },
  },
  {
    name: 'ListProvisionedConcurrencyConfigs: ?List=ALL routes away from GetProvisionedConcurrencyConfig',
    send: (client) => client.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'hello', MaxItems: 2 })),
    operation: 'ListProvisionedConcurrencyConfigs',
    input: { FunctionName: 'hello', MaxItems: 2 },
    output: { ProvisionedConcurrencyConfigs: [] },
    status: 200,
    check: (result) => { assert.deepEqual(result.ProvisionedConcurrencyConfigs, []); },
  },
];

describe('rest-json codec with the Lambda SDK', () => {
  for (const trip of roundTrips) {
    it(trip.name, async () => {
      const { client, seen } = fakeLambda({ output: trip.output });
      const result = (await trip.send(client)) as Record<string, unknown> & { $metadata: { httpStatusCode?: number } };
      assert.equal(seen.operation, trip.operation);
      assert.deepEqual(seen.input, trip.input);
      assert.equal(result.$metadata.httpStatusCode, trip.status);
      trip.check?.(result);
    });
  }

  it('serializes ResourceNotFoundException so the SDK raises its class with Type and Message', async () => {
    const error = new ServiceError('ResourceNotFoundException', `Function not found: ${functionArn}`, undefined, { Type: 'User' });
    const { client, seen } = fakeLambda({ error });
    const thrown = await client.send(new GetFunctionCommand({ FunctionName: 'hello' })).then(
      () => assert.fail('expected an error'),
      (caught: unknown) => caught,
    );
    assert.ok(thrown instanceof ResourceNotFoundException);
    assert.equal(thrown.message, `Function not found: ${functionArn}`);
    assert.equal(thrown.Type, 'User');
    assert.equal(thrown.$metadata.httpStatusCode, 404);
    assert.equal(seen.response?.headers['x-amzn-errortype'], 'ResourceNotFoundException');
    assert.deepEqual(JSON.parse(String(seen.response?.body)), {
      __type: 'ResourceNotFoundException',
      Message: `Function not found: ${functionArn}`,
      Type: 'User',
    });
  });

  it('answers an unknown path with a 404 UnknownOperationException naming method and path', () => {
    const wire = restWireRequest('GET', '/2015-03-31/nope');
    assert.equal(restJsonProtocol.resolveOperation(lambda, wire), undefined);
    const error = restJsonProtocol.unknownOperationError(wire);
    assert.equal(error.code, 'UnknownOperationException');
    assert.equal(error.status, 404);
    assert.equal(error.message, 'No operation matches GET /2015-03-31/nope');
    const response = restJsonProtocol.serializeError(lambda, error, context);
    assert.equal(response.status, 404);
    assert.equal(response.headers['x-amzn-errortype'], 'UnknownOperationException');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Wire-level details
// ---------------------------------------------------------------------------------------------------------

describe('rest-json routing', () => {
  const cases: [method: string, path: string, operation: string | undefined][] = [
    ['GET', '/2015-03-31/functions', 'ListFunctions'],
    ['GET', '/2015-03-31/functions/', 'ListFunctions'],
    ['POST', '/2015-03-31/functions', 'CreateFunction'],
    ['GET', '/2015-03-31/functions/hello', 'GetFunction'],
    ['GET', '/2015-03-31/functions/hello/configuration', 'GetFunctionConfiguration'],
    ['DELETE', '/2015-03-31/functions/hello/policy/stmt-1', 'RemovePermission'],
    ['GET', '/2018-10-31/layers', 'ListLayers'],
    ['GET', '/2018-10-31/layers?find=LayerVersion&Arn=x', 'GetLayerVersionByArn'],
    ['GET', '/2018-10-31/layers?find=Other', 'ListLayers'],
    ['GET', '/2019-09-30/functions/hello/provisioned-concurrency?Qualifier=1', 'GetProvisionedConcurrencyConfig'],
    ['GET', '/2019-09-30/functions/hello/provisioned-concurrency?List=ALL', 'ListProvisionedConcurrencyConfigs'],
    ['PATCH', '/2015-03-31/functions/hello', undefined],
    ['GET', '/2015-03-31/functions/hello/unknown', undefined],
    ['GET', '/2015-03-31/functions/%E0%A4%A', undefined],
  ];
  for (const [method, path, operation] of cases) {
    it(`${method} ${path} -> ${operation ?? 'no operation'}`, () => {
      assert.equal(restJsonProtocol.resolveOperation(lambda, restWireRequest(method, path))?.name, operation);
    });
  }

  it('describes a request by method and path', () => {
    assert.equal(restJsonProtocol.describeRequest(restWireRequest('GET', '/2015-03-31/nope')), 'GET /2015-03-31/nope');
  });
});

describe('rest-json input errors', () => {
  const parse = (method: string, path: string, body = ''): Record<string, unknown> => {
    const wire = restWireRequest(method, path, body);
    const operation = restJsonProtocol.resolveOperation(lambda, wire);
    assert.ok(operation);
    return restJsonProtocol.parseInput(lambda, operation, wire);
  };
  const serializationError = (message: RegExp) => (error: unknown) => error instanceof ServiceError && error.code === 'SerializationException' && message.test(error.message);

  it('rejects a query-string integer that is not one', () => {
    assert.throws(() => parse('GET', '/2015-03-31/functions?MaxItems=ten'), serializationError(/MaxItems/));
  });

  it('rejects a body member of the wrong type', () => {
    assert.throws(() => parse('POST', '/2015-03-31/functions', '{"FunctionName":"f","Timeout":"30"}'), serializationError(/Timeout/));
  });

  it('rejects a body that is not JSON', () => {
    assert.throws(() => parse('POST', '/2015-03-31/functions', '{"FunctionName":'), serializationError(/JSON/));
  });

  it('does not let a body key set a member bound elsewhere', () => {
    assert.deepEqual(parse('POST', '/2015-03-31/functions/hello/policy', '{"StatementId":"s","Qualifier":"from-body"}'), { FunctionName: 'hello', StatementId: 's' });
  });

  it('keeps the ValidationException code for constraint failures', () => {
    assert.equal(restJsonProtocol.validationErrorCode, 'ValidationException');
  });
});

/** A model exercising bindings Lambda does not use: query maps, header lists, jsonvalue, prefix headers, dates. */
const bindingModel: ServiceModel = {
  metadata: { protocol: 'rest-json', apiVersion: '2020-01-01', endpointPrefix: 'bindings', serviceId: 'Bindings' },
  operations: {
    Echo: { name: 'Echo', http: { method: 'POST', requestUri: '/echo/{Id}?mode=full', responseCode: 200 }, input: { shape: 'EchoInput' }, output: { shape: 'EchoOutput' } },
  },
  shapes: {
    EchoInput: {
      type: 'structure',
      required: ['Id'],
      members: {
        Id: { shape: 'Integer', location: 'uri', locationName: 'Id' },
        Since: { shape: 'Timestamp', location: 'querystring', locationName: 'since' },
        Flags: { shape: 'StringList', location: 'querystring', locationName: 'flag' },
        Extra: { shape: 'StringMap', location: 'querystring' },
        Tags: { shape: 'StringList', location: 'header', locationName: 'X-Tags' },
        Dates: { shape: 'TimestampList', location: 'header', locationName: 'X-Dates' },
        Modified: { shape: 'Timestamp', location: 'header', locationName: 'X-Modified' },
        Doc: { shape: 'String', location: 'header', locationName: 'X-Doc', jsonvalue: true },
        Enabled: { shape: 'Boolean', location: 'header', locationName: 'X-Enabled' },
        Meta: { shape: 'StringMap', location: 'headers', locationName: 'x-meta-' },
        Name: { shape: 'String' },
      },
    },
    EchoOutput: {
      type: 'structure',
      members: {
        Tags: { shape: 'StringList', location: 'header', locationName: 'X-Tags' },
        Modified: { shape: 'Timestamp', location: 'header', locationName: 'X-Modified' },
        Doc: { shape: 'String', location: 'header', locationName: 'X-Doc', jsonvalue: true },
        Meta: { shape: 'StringMap', location: 'headers', locationName: 'x-meta-' },
        Created: { shape: 'Timestamp' },
      },
    },
    Integer: { type: 'integer' },
    Boolean: { type: 'boolean' },
    String: { type: 'string' },
    Timestamp: { type: 'timestamp' },
    StringList: { type: 'list', member: { shape: 'String' } },
    TimestampList: { type: 'list', member: { shape: 'Timestamp' } },
    StringMap: { type: 'map', key: { shape: 'String' }, value: { shape: 'String' } },
  },
};

describe('rest-json HTTP bindings', () => {
  const since = new Date('2024-02-03T04:05:06.000Z');
  const modified = new Date('2024-03-04T05:06:07.000Z');

  it('reads every binding location by shape', () => {
    const wire = restWireRequest(
      'POST',
      `/echo/42?mode=full&since=${since.toISOString()}&flag=a&flag=b&color=blue&size=L`,
      '{"Name":"n"}',
      {
        'x-tags': 'plain, "with, comma", "quoted \\"q\\""',
        'x-dates': `${modified.toUTCString()}, ${since.toUTCString()}`,
        'x-modified': modified.toUTCString(),
        'x-doc': Buffer.from('{"a":[1,2]}').toString('base64'),
        'x-enabled': 'true',
        'x-meta-owner': 'me',
        'x-meta-tier': 'gold',
      },
    );
    const operation = restJsonProtocol.resolveOperation(bindingModel, wire);
    assert.equal(operation?.name, 'Echo');
    assert.deepEqual(restJsonProtocol.parseInput(bindingModel, operation, wire), {
      Id: 42,
      Since: since,
      Flags: ['a', 'b'],
      Extra: { color: 'blue', size: 'L' },
      Tags: ['plain', 'with, comma', 'quoted "q"'],
      Dates: [modified, since],
      Modified: modified,
      Doc: '{"a":[1,2]}',
      Enabled: true,
      Meta: { owner: 'me', tier: 'gold' },
      Name: 'n',
    });
  });

  it('rejects a header boolean that is not true or false', () => {
    const wire = restWireRequest('POST', '/echo/1?mode=full', '', { 'x-enabled': 'yes' });
    assert.throws(
      () => restJsonProtocol.parseInput(bindingModel, bindingModel.operations.Echo, wire),
      (error: unknown) => error instanceof ServiceError && error.code === 'SerializationException',
    );
  });

  it('writes header lists, HTTP dates, base64 JSON and prefixed headers', () => {
    const response = restJsonProtocol.serializeOutput(
      bindingModel,
      bindingModel.operations.Echo,
      { Tags: ['a', 'b,c'], Modified: modified, Doc: '{"k":true}', Meta: { Owner: 'me' }, Created: since },
      context,
    );
    assert.equal(response.headers['x-tags'], 'a, "b,c"');
    assert.equal(response.headers['x-modified'], 'Mon, 04 Mar 2024 05:06:07 GMT');
    assert.equal(Buffer.from(response.headers['x-doc'], 'base64').toString(), '{"k":true}');
    assert.equal(response.headers['x-meta-owner'], 'me');
    assert.equal(response.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(String(response.body)), { Created: since.getTime() / 1000 });
  });

  it('splits header lists the way they were joined', () => {
    assert.deepEqual(splitHeaderList('a, "b, c" ,d', false), ['a', 'b, c', 'd']);
    assert.deepEqual(splitHeaderList('Mon, 04 Mar 2024 05:06:07 GMT, Sat, 03 Feb 2024 04:05:06 GMT', true), [
      'Mon, 04 Mar 2024 05:06:07 GMT',
      'Sat, 03 Feb 2024 04:05:06 GMT',
    ]);
    assert.deepEqual(splitHeaderList('  ', false), []);
  });
});
