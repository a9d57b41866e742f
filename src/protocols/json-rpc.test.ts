import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceError } from '../shared/errors.js';
import { jsonRpcProtocol } from './json-rpc.js';
import { loadServiceModel } from './model.js';
import { wireRequest } from './test-support.js';

const ssm = loadServiceModel('ssm');
const logs = loadServiceModel('logs');
const secrets = loadServiceModel('secretsmanager');

function ssmRequest(operation: string, body: string): ReturnType<typeof wireRequest> {
  return wireRequest({ headers: { 'x-amz-target': `AmazonSSM.${operation}`, 'content-type': 'application/x-amz-json-1.1' }, body });
}

describe('json protocol: resolving the operation', () => {
  const cases: [string, string | undefined, string | undefined][] = [
    ['AmazonSSM.GetParameter', 'GetParameter', 'a known target'],
    ['AmazonSSM.Nope', undefined, 'an unknown operation'],
    ['Logs_20140328.GetLogEvents', undefined, "another service's prefix"],
    ['GetParameter', undefined, 'no prefix'],
    ['AmazonSSM.constructor', undefined, 'an inherited property name'],
  ];
  for (const [target, expected, why] of cases) {
    it(`${why}: ${target}`, () => {
      const operation = jsonRpcProtocol.resolveOperation(ssm, wireRequest({ headers: { 'x-amz-target': target } }));
      assert.equal(operation?.name, expected);
    });
  }
});

describe('json protocol: parsing input by shape', () => {
  it('converts timestamps from epoch seconds and keeps nested lists and maps', () => {
    const input = jsonRpcProtocol.parseInput(logs, logs.operations.PutLogEvents, wireRequest({
      body: JSON.stringify({ logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: 1700000000000, message: 'hi' }] }),
    }));
    assert.deepEqual(input, { logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: 1700000000000, message: 'hi' }] });
    const history = jsonRpcProtocol.parseInput(ssm, ssm.operations.DescribeParameters, ssmRequest('DescribeParameters', JSON.stringify({ ParameterFilters: [{ Key: 'Name', Values: ['a', 'b'] }] })));
    assert.deepEqual(history, { ParameterFilters: [{ Key: 'Name', Values: ['a', 'b'] }] });
  });

  it('decodes blobs from base64 and reads epoch-second timestamps as Date', () => {
    const input = jsonRpcProtocol.parseInput(secrets, secrets.operations.CreateSecret, wireRequest({ body: JSON.stringify({ Name: 'n', SecretBinary: Buffer.from('hello').toString('base64') }) }));
    assert.deepEqual(input.SecretBinary, Buffer.from('hello'));
    const activation = jsonRpcProtocol.parseInput(ssm, ssm.operations.CreateActivation, ssmRequest('CreateActivation', JSON.stringify({ IamRole: 'r', ExpirationDate: 1700000000.5 })));
    assert.deepEqual(activation, { IamRole: 'r', ExpirationDate: new Date(1700000000500) });
    const iso = jsonRpcProtocol.parseInput(ssm, ssm.operations.CreateActivation, ssmRequest('CreateActivation', JSON.stringify({ IamRole: 'r', ExpirationDate: '2024-01-02T03:04:05Z' })));
    assert.deepEqual(iso.ExpirationDate, new Date('2024-01-02T03:04:05Z'));
  });

  it('treats an empty body as an empty input and drops nulls and unknown members', () => {
    assert.deepEqual(jsonRpcProtocol.parseInput(ssm, ssm.operations.DescribeParameters, ssmRequest('DescribeParameters', '')), {});
    assert.deepEqual(jsonRpcProtocol.parseInput(ssm, ssm.operations.GetParameter, ssmRequest('GetParameter', '{"Name":"a","WithDecryption":null,"Bogus":1}')), { Name: 'a' });
  });

  const malformed: [string, string][] = [
    ['{not json', 'not JSON'],
    ['[1,2]', 'an array body'],
    ['"text"', 'a string body'],
    ['{"Name": 5}', 'a number for a string member'],
    ['{"Name": "a", "WithDecryption": "yes"}', 'a string for a boolean member'],
    ['{"Name": {"a": 1}}', 'an object for a string member'],
  ];
  for (const [body, why] of malformed) {
    it(`rejects ${why} with SerializationException`, () => {
      assert.throws(
        () => jsonRpcProtocol.parseInput(ssm, ssm.operations.GetParameter, ssmRequest('GetParameter', body)),
        (error: unknown) => error instanceof ServiceError && error.code === 'SerializationException' && error.status === 400,
      );
    });
  }

  it('rejects a fractional number for an integer member', () => {
    assert.throws(() => jsonRpcProtocol.parseInput(ssm, ssm.operations.DescribeParameters, ssmRequest('DescribeParameters', '{"MaxResults": 1.5}')), /Expected an integer for 'MaxResults'/);
  });
});

describe('json protocol: serializing output and errors', () => {
  it('writes timestamps as epoch seconds, blobs as base64 and omits undefined members', () => {
    const response = jsonRpcProtocol.serializeOutput(secrets, secrets.operations.GetSecretValue, {
      Name: 'n', SecretBinary: Buffer.from('hi'), CreatedDate: new Date(1700000000123), VersionStages: ['AWSCURRENT'], SecretString: undefined, Internal: 'dropped',
    }, { requestId: 'r' });
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/x-amz-json-1.1');
    assert.deepEqual(JSON.parse(response.body.toString()), { Name: 'n', SecretBinary: 'aGk=', CreatedDate: 1700000000.123, VersionStages: ['AWSCURRENT'] });
  });

  it('names the error type and keeps the message member casing of the error shape', () => {
    const ssmError = jsonRpcProtocol.serializeError(ssm, new ServiceError('ParameterNotFound', 'missing'), { requestId: 'r' });
    assert.equal(ssmError.status, 400);
    assert.equal(ssmError.headers['x-amzn-errortype'], 'ParameterNotFound');
    assert.deepEqual(JSON.parse(ssmError.body.toString()), { __type: 'ParameterNotFound', message: 'missing' });
    const secretsError = jsonRpcProtocol.serializeError(secrets, new ServiceError('ResourceNotFoundException', 'gone'), { requestId: 'r' });
    assert.deepEqual(JSON.parse(secretsError.body.toString()), { __type: 'ResourceNotFoundException', Message: 'gone' });
    const internal = jsonRpcProtocol.serializeError(ssm, new ServiceError('InternalServerError', 'boom', 500), { requestId: 'r' });
    assert.equal(internal.status, 500);
  });
});
