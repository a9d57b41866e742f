import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import type { SignedRequest } from './sigv4.js';
import { parseSignature, verifySignature } from './sigv4.js';
import { NodeSha256 } from '../../../../test/helpers/sha256.js';



const SIGNED_AT = new Date(Date.UTC(2026, 0, 15, 12, 0, 0));
const NOW = SIGNED_AT.getTime();
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

function signer(secret = SECRET, region = 'us-east-1', service = 'execute-api'): SignatureV4 {
  return new SignatureV4({ service, region, sha256: NodeSha256, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: secret } });
}

interface Shape {
  method?: string;
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
}

const encode = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** What the server receives for a request the SDK signed: the signed headers and the query as a client writes it. */
function received(request: HttpRequest, body = ''): SignedRequest {
  const rawQuery = Object.entries(request.query ?? {}).flatMap(([name, values]) => [values ?? ''].flat().map((value) => `${encode(name)}=${encode(value ?? '')}`)).join('&');
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, [value]]));
  return { method: request.method, rawPath: request.path, rawQuery, headers, body: Buffer.from(body) };
}

function unsigned(shape: Shape): HttpRequest {
  return {
    method: shape.method ?? 'GET', protocol: 'http:', hostname: 'abcde12345.execute-api.localhost', port: 4566, path: shape.path ?? '/prod/pets',
    query: shape.query ?? {}, headers: { host: 'abcde12345.execute-api.localhost:4566', ...shape.headers }, body: shape.body,
  };
}

async function signed(shape: Shape, options: { secret?: string; region?: string; service?: string } = {}): Promise<SignedRequest> {
  const request = await signer(options.secret, options.region, options.service).sign(unsigned(shape), { signingDate: SIGNED_AT });
  return received(request, shape.body);
}

function outcome(request: SignedRequest, expected: { now?: number; secret?: string | null } = {}): string {
  const parsed = parseSignature(request);
  if (parsed.kind !== 'signed') return parsed.kind;
  const problem = verifySignature(request, parsed.signature, { region: 'us-east-1', service: 'execute-api', now: expected.now ?? NOW, secret: expected.secret === null ? undefined : expected.secret ?? SECRET });
  return problem ? problem.message.split('\n')[0] : 'valid';
}

const MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

describe('SigV4 verification', () => {
  const cases: { name: string; request: () => Promise<SignedRequest>; now?: number; secret?: string | null; expect: string }[] = [
    { name: 'a signed GET', request: () => signed({}), expect: 'valid' },
    { name: 'a POST with a body, headers and a query', request: () => signed({ method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json', 'x-custom': '  two   spaces ' }, query: { b: '2', a: ['z', 'y'], 'sp ace': 'v/w' } }), expect: 'valid' },
    { name: 'an encoded path', request: () => signed({ path: '/prod/pets/a%20b/%C3%A9' }), expect: 'valid' },
    { name: 'the root path', request: () => signed({ path: '/prod/' }), expect: 'valid' },
    { name: 'another secret', request: () => signed({}, { secret: 'wrong' }), expect: MISMATCH },
    { name: 'a body changed after signing', request: async () => ({ ...(await signed({ method: 'PUT', body: 'one' })), body: Buffer.from('two') }), expect: MISMATCH },
    { name: 'a query changed after signing', request: async () => ({ ...(await signed({ query: { a: '1' } })), rawQuery: 'a=2' }), expect: MISMATCH },
    { name: 'a path changed after signing', request: async () => ({ ...(await signed({})), rawPath: '/prod/other' }), expect: MISMATCH },
    { name: 'without a known secret the value is not compared', request: () => signed({}, { secret: 'anything' }), secret: null, expect: 'valid' },
    { name: 'another service', request: () => signed({}, { service: 'lambda' }), expect: "Credential should be scoped to correct service: 'execute-api'. " },
    { name: 'another region', request: () => signed({}, { region: 'eu-west-1' }), expect: "Credential should be scoped to a valid region, not 'eu-west-1'. " },
    { name: 'five minutes old is still valid', request: () => signed({}), now: NOW + 300_000, expect: 'valid' },
    { name: 'expired', request: () => signed({}), now: NOW + 360_000, expect: 'Signature expired: 20260115T120000Z is now earlier than 20260115T120100Z (20260115T120600Z - 5 min.)' },
    { name: 'from the future', request: () => signed({}), now: NOW - 360_000, expect: 'Signature not yet current: 20260115T120000Z is still later than 20260115T115900Z (20260115T115400Z + 5 min.)' },
    { name: 'unsigned', request: () => Promise.resolve(received(unsigned({}))), expect: 'unsigned' },
    { name: 'a bearer token', request: () => Promise.resolve({ ...received(unsigned({})), headers: { Authorization: ['Bearer abc'] } }), expect: 'incomplete' },
  ];
  for (const testCase of cases) {
    it(testCase.name, async () => {
      assert.equal(outcome(await testCase.request(), { now: testCase.now, secret: testCase.secret }), testCase.expect);
    });
  }

  it('tells a mismatch with the canonical request and string to sign it expected', async () => {
    const request = await signed({ path: '/prod/pets' }, { secret: 'wrong' });
    const parsed = parseSignature(request);
    assert.equal(parsed.kind, 'signed');
    const problem = parsed.kind === 'signed' ? verifySignature(request, parsed.signature, { region: 'us-east-1', service: 'execute-api', now: NOW, secret: SECRET }) : undefined;
    assert.match(problem?.message ?? '', /\n\nThe Canonical String for this request should have been\n'GET\n\/prod\/pets\n\nhost:abcde12345\.execute-api\.localhost:4566\n/);
    assert.match(problem?.message ?? '', /\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20260115T120000Z\n20260115\/us-east-1\/execute-api\/aws4_request\n[0-9a-f]{64}'\n$/);
  });

  it('lists what a non-SigV4 Authorization header lacks, as AWS does', () => {
    const parsed = parseSignature({ ...received(unsigned({})), headers: { Authorization: ['Bearer abc'] } });
    assert.deepEqual(parsed, {
      kind: 'incomplete',
      message: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=Bearer abc",
    });
  });

  it('verifies presigned URLs until they expire', async () => {
    const request = await signer().presign(unsigned({ query: { a: '1' } }), { signingDate: SIGNED_AT, expiresIn: 600 });
    const sent = received(request);
    assert.equal(outcome(sent, { now: NOW + 599_000 }), 'valid');
    assert.match(outcome(sent, { now: NOW + 601_000 }), /^Signature expired: 20260115T120000Z is now earlier than/);
    assert.equal(outcome({ ...sent, rawQuery: sent.rawQuery.replace('a=1', 'a=2') }), MISMATCH);
  });
});
