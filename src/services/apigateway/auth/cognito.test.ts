import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventClaims, jwksUriFor, userPoolOf } from './cognito.js';

const POOL = { region: 'us-east-1', poolId: 'us-east-1_AbC123' };

describe('user pool authorizer helpers', () => {
  it('reads the pool of a provider ARN', () => {
    assert.deepEqual(userPoolOf('arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_AbC123'), POOL);
    assert.equal(userPoolOf('arn:aws:cognito-idp:us-east-1:111122223333:identitypool/us-east-1:abc'), undefined);
    assert.equal(userPoolOf('us-east-1_AbC123'), undefined);
  });

  const edge = 'http://nimbus:4566';
  const cases: { name: string; issuer: string; expect: string | undefined }[] = [
    { name: "AWS's issuer for the pool", issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123', expect: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123/.well-known/jwks.json' },
    { name: "AWS's issuer for another pool", issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other', expect: undefined },
    { name: 'a loopback issuer ending with the pool id', issuer: 'http://127.0.0.1:9229/us-east-1_AbC123', expect: 'http://127.0.0.1:9229/us-east-1_AbC123/.well-known/jwks.json' },
    { name: 'localhost with a longer path', issuer: 'http://localhost:4566/_nimbus/cognito-idp/us-east-1_AbC123', expect: 'http://localhost:4566/_nimbus/cognito-idp/us-east-1_AbC123/.well-known/jwks.json' },
    { name: 'IPv6 loopback', issuer: 'http://[::1]:8080/us-east-1_AbC123', expect: 'http://[::1]:8080/us-east-1_AbC123/.well-known/jwks.json' },
    { name: "Nimbus's own origin", issuer: 'http://nimbus:4566/us-east-1_AbC123', expect: 'http://nimbus:4566/us-east-1_AbC123/.well-known/jwks.json' },
    { name: 'a loopback issuer of another pool', issuer: 'http://127.0.0.1:9229/us-east-1_Other', expect: undefined },
    { name: 'any other host', issuer: 'https://idp.example.com/us-east-1_AbC123', expect: undefined },
    { name: 'a query string', issuer: 'http://127.0.0.1:9229/us-east-1_AbC123?x=1', expect: undefined },
    { name: 'not a URL', issuer: 'us-east-1_AbC123', expect: undefined },
  ];
  for (const testCase of cases) {
    it(`JWKS for ${testCase.name}`, () => {
      assert.equal(jwksUriFor(testCase.issuer, [POOL], edge), testCase.expect);
    });
  }

  it('passes claims on as strings, the way REST APIs do', () => {
    assert.deepEqual(eventClaims({
      sub: 'abc', 'cognito:groups': ['admins', 'users'], email_verified: true, auth_time: 1680629979,
      exp: 1680633579, iat: 1680629979, address: { locality: 'Paris' },
    }), {
      sub: 'abc', 'cognito:groups': 'admins,users', email_verified: 'true', auth_time: '1680629979',
      exp: 'Tue Apr 04 18:39:39 UTC 2023', iat: 'Tue Apr 04 17:39:39 UTC 2023', address: '{"locality":"Paris"}',
    });
  });
});
