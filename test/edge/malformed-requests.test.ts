/**
 * Throws malformed requests at the edge: every answer must be a well-formed AWS error a client can parse,
 * and the server must stay up. Bounded: a fixed table plus a fixed number of seeded random bodies.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { useNimbus } from '../helpers/nimbus.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const SIGNED = (service: string): string =>
  `AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`;

function send(endpoint: string, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse> {
  const url = new URL(options.path ?? '/', endpoint);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'POST', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** An AWS error a client can parse: a 4xx/5xx with a JSON __type or an XML <Code>, and a request id. */
function assertAwsError(response: RawResponse, expectedCode?: string): void {
  assert.ok(response.status >= 400 && response.status < 600, `status ${response.status}`);
  assert.ok(response.headers['x-amzn-requestid'] ?? response.headers['x-amz-request-id'], 'request id header');
  let code: string | undefined;
  if (String(response.headers['content-type']).includes('json')) {
    const body = JSON.parse(response.body) as { __type?: string; message?: string; Message?: string };
    code = body.__type;
    assert.ok(body.message ?? body.Message, 'message');
  } else {
    code = /<Code>([^<]+)<\/Code>/.exec(response.body)?.[1];
    assert.match(response.body, /<Message>[^<]+<\/Message>/);
  }
  assert.ok(code, `error code in ${response.body}`);
  if (expectedCode) assert.equal(code, expectedCode);
}

const ssmHeaders = (target = 'AmazonSSM.GetParameter'): Record<string, string> => ({
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': target,
  authorization: SIGNED('ssm'),
});
const stsHeaders = { 'content-type': 'application/x-www-form-urlencoded', authorization: SIGNED('sts') };

describe('the edge answers malformed requests with AWS errors', () => {
  const nimbus = useNimbus({ maxBodyBytes: 1024 * 1024 });

  const cases: [string, () => Parameters<typeof send>[1], string | undefined][] = [
    ['malformed JSON', () => ({ headers: ssmHeaders(), body: '{"Name": ' }), 'SerializationException'],
    ['a JSON array body', () => ({ headers: ssmHeaders(), body: '[]' }), 'SerializationException'],
    ['a wrong member type', () => ({ headers: ssmHeaders(), body: '{"Name": 42}' }), 'SerializationException'],
    ['a missing required member', () => ({ headers: ssmHeaders(), body: '{}' }), 'ValidationException'],
    ['an unknown target', () => ({ headers: ssmHeaders('AmazonSSM.DoesNotExist'), body: '{}' }), 'UnknownOperationException'],
    ['a target of another service under the ssm scope', () => ({ headers: ssmHeaders('Logs_20140328.GetLogEvents'), body: '{}' }), 'UnknownOperationException'],
    ['a garbled authorization header', () => ({ headers: { ...ssmHeaders(), authorization: 'AWS4-HMAC-SHA256 garbage' }, body: '{"Name":"a"}' }), 'IncompleteSignatureException'],
    ['an unsupported signature scheme', () => ({ headers: { ...ssmHeaders(), authorization: 'Bearer abc' }, body: '{"Name":"a"}' }), 'IncompleteSignatureException'],
    ['a wrong content type', () => ({ headers: { ...ssmHeaders(), 'content-type': 'text/plain' }, body: 'hello' }), 'SerializationException'],
    ['a query request without Action', () => ({ headers: stsHeaders, body: 'Version=2011-06-15' }), 'MissingAction'],
    ['a query request with an unknown Action', () => ({ headers: stsHeaders, body: 'Action=Explode&Version=2011-06-15' }), 'InvalidAction'],
    ['a query request with a bad integer', () => ({ headers: stsHeaders, body: 'Action=AssumeRole&RoleArn=arn:aws:iam::1:role/r&RoleSessionName=ab&DurationSeconds=ten' }), 'MalformedQueryString'],
    ['a query request with a bad percent escape', () => ({ headers: stsHeaders, body: 'Action=AssumeRole&RoleSessionName=%ZZ' }), 'ValidationError'],
    ['a service Nimbus does not serve yet', () => ({ headers: { ...ssmHeaders('Kinesis_20131202.ListStreams'), authorization: SIGNED('kinesis') }, body: '{}' }), 'NotImplemented'],
    ['a request no service can be told from', () => ({ headers: {}, body: 'hello' }), 'UnknownServiceException'],
    ['a body over the limit', () => ({ headers: ssmHeaders(), body: Buffer.alloc(1024 * 1024 + 1, 'a') }), 'RequestEntityTooLargeException'],
    ['invalid UTF-8 in JSON', () => ({ headers: ssmHeaders(), body: Buffer.from([0x7b, 0x22, 0x4e, 0xff, 0xfe, 0x22, 0x7d]) }), undefined],
  ];
  for (const [why, build, code] of cases) {
    it(why, async () => {
      assertAwsError(await send(nimbus().endpoint, build()), code);
    });
  }

  it('survives a seeded storm of random bodies and headers, then still serves', async () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const targets = ['AmazonSSM.GetParameter', 'AmazonSSM.PutParameter', 'secretsmanager.CreateSecret', 'Logs_20140328.PutLogEvents', 'AmazonSSM.'];
    for (let i = 0; i < 150; i++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256)));
      const jsonish = `{"Name": ${JSON.stringify(bytes.toString('latin1'))}, "Value": ${String(random() * 1e6)}, "Type": [${String(random())}]}`;
      const target = targets[Math.floor(random() * targets.length)];
      const response = await send(nimbus().endpoint, { headers: ssmHeaders(target), body: random() < 0.5 ? bytes : jsonish });
      assertAwsError(response);
    }
    const health = await send(nimbus().endpoint, { method: 'GET', path: '/_nimbus/health' });
    assert.equal(health.status, 200);
    assert.equal((JSON.parse(health.body) as { status: string }).status, 'running');
  });
});

describe('the edge routes unsigned REST requests by their URI template', () => {
  const nimbus = useNimbus();

  it('sends an unsigned GET /2015-03-31/functions to Lambda', async () => {
    const response = await send(nimbus().endpoint, { method: 'GET', path: '/2015-03-31/functions' });
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.body), { Functions: [] });
  });

  it('answers an unsigned request that matches no route with UnknownServiceException', async () => {
    assertAwsError(await send(nimbus().endpoint, { method: 'GET', path: '/no/such/route' }), 'UnknownServiceException');
  });
});
