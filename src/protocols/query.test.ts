import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceError } from '../shared/errors.js';
import { loadServiceModel } from './model.js';
import type { ServiceModel } from './model.js';
import { queryProtocol } from './query.js';
import { wireRequest } from './test-support.js';

const sts = loadServiceModel('sts');

function form(body: string): ReturnType<typeof wireRequest> {
  return wireRequest({ headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body });
}

/** A small model exercising every query serialization rule the STS model does not use. */
const shapesModel: ServiceModel = {
  metadata: { protocol: 'query', apiVersion: '2020-01-01', endpointPrefix: 'demo', xmlNamespace: 'https://demo.example/doc/' },
  operations: { Demo: { name: 'Demo', http: { method: 'POST', requestUri: '/' }, input: { shape: 'DemoInput' }, output: { shape: 'DemoOutput', resultWrapper: 'DemoResult' } } },
  shapes: {
    DemoInput: { type: 'structure', members: { Names: { shape: 'NameList' }, Flat: { shape: 'FlatList' }, Attributes: { shape: 'AttributeMap' }, Count: { shape: 'Int' }, On: { shape: 'Bool' }, At: { shape: 'Time' }, Data: { shape: 'Bytes' }, Renamed: { shape: 'Str', locationName: 'Alias' } } },
    DemoOutput: { type: 'structure', members: { Names: { shape: 'NameList' }, Flat: { shape: 'FlatList' }, Attributes: { shape: 'AttributeMap' }, At: { shape: 'Time' }, On: { shape: 'Bool' }, Note: { shape: 'Str' } } },
    NameList: { type: 'list', member: { shape: 'Str' } },
    FlatList: { type: 'list', member: { shape: 'Str', locationName: 'Item' }, flattened: true },
    AttributeMap: { type: 'map', key: { shape: 'Str', locationName: 'Name' }, value: { shape: 'Str', locationName: 'Value' } },
    Str: { type: 'string' },
    Int: { type: 'integer' },
    Bool: { type: 'boolean' },
    Time: { type: 'timestamp' },
    Bytes: { type: 'blob' },
  },
};

describe('query protocol: resolving the operation', () => {
  const cases: [string, string | undefined][] = [
    ['Action=GetCallerIdentity&Version=2011-06-15', 'GetCallerIdentity'],
    ['Action=AssumeRole&Version=2011-06-15', 'AssumeRole'],
    ['Action=DeleteQueue&Version=2011-06-15', undefined],
    ['Version=2011-06-15', undefined],
    ['Action=toString', undefined],
  ];
  for (const [body, expected] of cases) {
    it(`${body} -> ${String(expected)}`, () => {
      assert.equal(queryProtocol.resolveOperation(sts, form(body))?.name, expected);
    });
  }

  it('reads the action from the query string of a GET request', () => {
    assert.equal(queryProtocol.resolveOperation(sts, wireRequest({ method: 'GET', rawQuery: 'Action=GetCallerIdentity&Version=2011-06-15' }))?.name, 'GetCallerIdentity');
  });
});

describe('query protocol: parsing input by shape', () => {
  it('reads members, member-wrapped lists and entry maps of the STS model', () => {
    const input = queryProtocol.parseInput(sts, sts.operations.AssumeRole, form(
      'Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&RoleSessionName=s&DurationSeconds=900' +
        '&Tags.member.1.Key=team&Tags.member.1.Value=a&Tags.member.2.Key=env&Tags.member.2.Value=dev&PolicyArns.member.1.arn=arn%3Ap',
    ));
    assert.deepEqual(input, {
      RoleArn: 'arn:aws:iam::1:role/r',
      RoleSessionName: 's',
      DurationSeconds: 900,
      Tags: [{ Key: 'team', Value: 'a' }, { Key: 'env', Value: 'dev' }],
      PolicyArns: [{ arn: 'arn:p' }],
    });
  });

  it('reads flattened lists, renamed map entries, scalars and empty lists', () => {
    const op = shapesModel.operations.Demo;
    const input = queryProtocol.parseInput(shapesModel, op, form(
      'Action=Demo&Names.member.1=a&Names.member.2=b&Flat.1=x&Flat.2=y&Attributes.entry.1.Name=k&Attributes.entry.1.Value=v' +
        '&Count=-3&On=true&At=2024-01-02T03%3A04%3A05Z&Data=aGk%3D&Alias=renamed',
    ));
    assert.deepEqual(input, {
      Names: ['a', 'b'], Flat: ['x', 'y'], Attributes: { k: 'v' }, Count: -3, On: true, At: new Date('2024-01-02T03:04:05Z'), Data: Buffer.from('hi'), Renamed: 'renamed',
    });
    assert.deepEqual(queryProtocol.parseInput(shapesModel, op, form('Action=Demo&Names=')), { Names: [] });
  });

  const malformed: [string, RegExp][] = [
    ['Count=abc', /Value 'abc' for parameter Count is invalid: expected an integer/],
    ['Count=1.5', /expected an integer/],
    ['On=yes', /expected true or false/],
    ['At=notadate', /expected a timestamp/],
    ['Attributes.entry.1.Value=v', /has no Name/],
  ];
  for (const [body, message] of malformed) {
    it(`rejects ${body}`, () => {
      assert.throws(() => queryProtocol.parseInput(shapesModel, shapesModel.operations.Demo, form(`Action=Demo&${body}`)), (error: unknown) => error instanceof ServiceError && message.test(error.message) && error.status === 400);
    });
  }
});

describe('query protocol: serializing output and errors', () => {
  it('wraps the result and request id as AWS does, with lists, flattened lists and maps', () => {
    const response = queryProtocol.serializeOutput(shapesModel, shapesModel.operations.Demo, {
      Names: ['a', 'b'], Flat: ['x'], Attributes: { k: 'v' }, At: new Date('2024-01-02T03:04:05Z'), On: false, Note: 'a<b & "c"',
    }, { requestId: 'req-1' });
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'text/xml');
    assert.equal(
      response.body,
      '<DemoResponse xmlns="https://demo.example/doc/"><DemoResult><Names><member>a</member><member>b</member></Names><Item>x</Item>' +
        '<Attributes><entry><Name>k</Name><Value>v</Value></entry></Attributes><At>2024-01-02T03:04:05.000Z</At><On>false</On>' +
        '<Note>a&lt;b &amp; &quot;c&quot;</Note></DemoResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DemoResponse>',
    );
  });

  it('writes <ErrorResponse> with the code the model declares for the error shape', () => {
    const response = queryProtocol.serializeError(sts, new ServiceError('MalformedPolicyDocumentException', 'bad policy'), { requestId: 'req-2' });
    assert.equal(response.status, 400);
    assert.equal(
      response.body,
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>MalformedPolicyDocument</Code>' +
        '<Message>bad policy</Message></Error><RequestId>req-2</RequestId></ErrorResponse>',
    );
    const server = queryProtocol.serializeError(sts, new ServiceError('InternalFailure', 'x', 500), { requestId: 'r' });
    assert.match(server.body.toString(), /<Type>Receiver<\/Type>/);
  });

  it('names unknown and missing actions', () => {
    assert.equal(queryProtocol.unknownOperationError(form('Action=Nope')).code, 'InvalidAction');
    assert.equal(queryProtocol.unknownOperationError(form('Version=1')).code, 'MissingAction');
  });
});
