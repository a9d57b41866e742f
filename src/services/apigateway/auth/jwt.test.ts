import assert from 'node:assert/strict';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { generateKeyPairSync, sign } from 'node:crypto';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { JwtClaims } from './jwt.js';
import { JwtError, verifyJwt } from './jwt.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const SECONDS = NOW / 1000;

interface SigningKey {
  kid: string;
  alg: string;
  privateKey: KeyObject;
  jwk: JsonWebKey;
}

function rsaKey(kid: string, alg = 'RS256'): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, alg, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}

function ecKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, alg: 'ES256', privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid } };
}

const HASHES: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512', ES256: 'sha256' };

function token(key: SigningKey, claims: JwtClaims, header: Record<string, unknown> = {}): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${encode({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header })}.${encode(claims)}`;
  const signature = key.alg.startsWith('ES')
    ? sign(HASHES[key.alg], Buffer.from(signed), { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
    : sign(HASHES[key.alg], Buffer.from(signed), key.privateKey);
  return `${signed}.${signature.toString('base64url')}`;
}

const rs256 = rsaKey('rs256');
const rs384 = rsaKey('rs384', 'RS384');
const rs512 = rsaKey('rs512', 'RS512');
const es256 = ecKey('es256');
const impostor = { ...rsaKey('other'), kid: 'rs256' };

// The key set the local JWKS server publishes; tests add keys to it to simulate a rotation.
const published: JsonWebKey[] = [rs256.jwk, rs384.jwk, rs512.jwk, es256.jwk];
let jwksHits = 0;
let server: Server;
let base = '';

before(async () => {
  server = createServer((request, response) => {
    if (request.url?.endsWith('/.well-known/jwks.json')) {
      jwksHits += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published }));
    } else {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.close();
});

const issuerOf = (pool: string): string => `${base}/${pool}`;

const valid = (pool: string, extra: JwtClaims = {}): JwtClaims => ({ iss: issuerOf(pool), sub: 'user-1', iat: SECONDS - 60, exp: SECONDS + 3600, ...extra });

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof JwtError, `expected a JwtError, got ${String(error)}`);
    return error.reason;
  }
  return 'accepted';
}

describe('verifyJwt', () => {
  const cases: { name: string; token: () => string; audiences?: string[]; now?: number; expect: string }[] = [
    { name: 'RS256 signed by the published key', token: () => token(rs256, valid('pool')), expect: 'accepted' },
    { name: 'RS384', token: () => token(rs384, valid('pool')), expect: 'accepted' },
    { name: 'RS512', token: () => token(rs512, valid('pool')), expect: 'accepted' },
    { name: 'ES256', token: () => token(es256, valid('pool')), expect: 'accepted' },
    { name: 'signed by another key under a published kid', token: () => token(impostor, valid('pool')), expect: 'invalid signature' },
    { name: 'payload changed after signing', token: () => { const [h, , s] = token(rs256, valid('pool')).split('.'); return `${h}.${Buffer.from(JSON.stringify(valid('pool', { sub: 'admin' }))).toString('base64url')}.${s}`; }, expect: 'invalid signature' },
    { name: 'an RSA kid with an EC algorithm', token: () => token({ ...es256, kid: 'rs256' }, valid('pool')), expect: 'invalid signature' },
    { name: 'a kid whose JWK names another algorithm', token: () => token({ ...rs256, alg: 'RS384' }, valid('pool')), expect: 'invalid signature' },
    { name: 'unknown kid', token: () => token({ ...rs256, kid: 'nope' }, valid('pool')), expect: 'unknown kid' },
    { name: 'no kid', token: () => token(rs256, valid('pool'), { kid: undefined }), expect: 'malformed token' },
    { name: 'alg none', token: () => `${Buffer.from('{"alg":"none","kid":"rs256"}').toString('base64url')}.${Buffer.from(JSON.stringify(valid('pool'))).toString('base64url')}.`, expect: 'malformed token' },
    { name: 'HS256 is not accepted', token: () => token(rs256, valid('pool'), { alg: 'HS256' }), expect: 'unsupported algorithm' },
    { name: 'two parts', token: () => token(rs256, valid('pool')).split('.').slice(0, 2).join('.'), expect: 'malformed token' },
    { name: 'a header that is not JSON', token: () => `bm90IGpzb24.${token(rs256, valid('pool')).split('.').slice(1).join('.')}`, expect: 'malformed token' },
    { name: 'another issuer', token: () => token(rs256, valid('pool', { iss: 'https://cognito-idp.us-east-1.amazonaws.com/other' })), expect: 'invalid issuer' },
    { name: 'expired', token: () => token(rs256, valid('pool', { exp: SECONDS - 1 })), expect: 'token expired' },
    { name: 'expiring right now', token: () => token(rs256, valid('pool', { exp: SECONDS })), expect: 'token expired' },
    { name: 'valid a second before expiry', token: () => token(rs256, valid('pool', { exp: SECONDS + 1 })), expect: 'accepted' },
    { name: 'no exp', token: () => token(rs256, valid('pool', { exp: undefined })), expect: 'malformed token' },
    { name: 'exp not a number', token: () => token(rs256, valid('pool', { exp: 'tomorrow' })), expect: 'malformed token' },
    { name: 'nbf in the future', token: () => token(rs256, valid('pool', { nbf: SECONDS + 10 })), expect: 'token not yet valid' },
    { name: 'nbf now', token: () => token(rs256, valid('pool', { nbf: SECONDS })), expect: 'accepted' },
    { name: 'iat in the future', token: () => token(rs256, valid('pool', { iat: SECONDS + 10 })), expect: 'token not yet valid' },
    { name: 'later, the same token has expired', token: () => token(rs256, valid('pool')), now: NOW + 3_600_000, expect: 'token expired' },
    { name: 'aud among the audiences', token: () => token(rs256, valid('pool', { aud: 'client-a' })), audiences: ['client-b', 'client-a'], expect: 'accepted' },
    { name: 'aud array with one match', token: () => token(rs256, valid('pool', { aud: ['x', 'client-a'] })), audiences: ['client-a'], expect: 'accepted' },
    { name: 'aud not among the audiences', token: () => token(rs256, valid('pool', { aud: 'client-z' })), audiences: ['client-a'], expect: 'invalid audience' },
    { name: 'client_id when there is no aud (Cognito access token)', token: () => token(rs256, valid('pool', { client_id: 'client-a', token_use: 'access' })), audiences: ['client-a'], expect: 'accepted' },
    { name: 'client_id does not count when aud is present', token: () => token(rs256, valid('pool', { aud: 'client-z', client_id: 'client-a' })), audiences: ['client-a'], expect: 'invalid audience' },
    { name: 'neither aud nor client_id', token: () => token(rs256, valid('pool')), audiences: ['client-a'], expect: 'invalid audience' },
    { name: 'no audiences configured: aud is not checked', token: () => token(rs256, valid('pool', { aud: 'anything' })), audiences: [], expect: 'accepted' },
  ];
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const reason = await reasonOf(verifyJwt(testCase.token(), { issuer: issuerOf('pool'), audiences: testCase.audiences, now: testCase.now ?? NOW }));
      assert.equal(reason, testCase.expect);
    });
  }

  it('returns the claims', async () => {
    const claims = await verifyJwt(token(rs256, valid('claims', { 'cognito:username': 'alice' })), { issuer: issuerOf('claims'), now: NOW });
    assert.equal(claims['cognito:username'], 'alice');
    assert.equal(claims.sub, 'user-1');
  });

  it('uses jwksUri when given instead of the issuer', async () => {
    const claims = await verifyJwt(token(rs256, valid('x', { iss: 'https://issuer.example' })), { issuer: 'https://issuer.example', jwksUri: `${base}/elsewhere/.well-known/jwks.json`, now: NOW });
    assert.equal(claims.iss, 'https://issuer.example');
  });

  it('says the key set is unavailable when the JWKS URI fails', async () => {
    const error = await verifyJwt(token(rs256, valid('x')), { issuer: issuerOf('x'), jwksUri: `${base}/missing`, now: NOW }).catch((caught: unknown) => caught);
    assert.ok(error instanceof JwtError);
    assert.equal(error.reason, 'jwks unavailable');
    assert.match(error.message, /HTTP 404/);
  });

  it('caches the key set per URI and shares one fetch between concurrent verifications', async () => {
    const before = jwksHits;
    const options = { issuer: issuerOf('cache'), now: NOW };
    await Promise.all([1, 2, 3].map(() => verifyJwt(token(rs256, valid('cache')), options)));
    await verifyJwt(token(rs384, valid('cache')), options);
    assert.equal(jwksHits - before, 1);
  });

  it('refetches the key set for an unknown kid (key rotation), a bounded number of times a minute', async () => {
    const options = { issuer: issuerOf('rotation'), now: NOW };
    await verifyJwt(token(rs256, valid('rotation')), options);
    const rotated = rsaKey('rotated');
    published.push(rotated.jwk);
    const start = jwksHits;
    assert.equal((await verifyJwt(token(rotated, valid('rotation')), options)).sub, 'user-1');
    assert.equal(jwksHits - start, 1);
    // Made-up kids: four more refetches fit in the window, then the cached set answers alone.
    for (let attempt = 0; attempt < 8; attempt += 1) {
      assert.equal(await reasonOf(verifyJwt(token({ ...rs256, kid: `made-up-${attempt}` }, valid('rotation')), options)), 'unknown kid');
    }
    assert.equal(jwksHits - start, 5);
    // A minute later the budget is back.
    await reasonOf(verifyJwt(token({ ...rs256, kid: 'made-up-later' }, valid('rotation')), { ...options, now: NOW + 60_000 }));
    assert.equal(jwksHits - start, 6);
  });
});
