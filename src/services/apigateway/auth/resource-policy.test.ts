import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PolicyRequest, PolicyVerdict } from './resource-policy.js';
import { evaluateResourcePolicy } from './resource-policy.js';

const API_ARN = 'arn:aws:execute-api:us-east-1:111122223333:abcde12345';

const anonymous: PolicyRequest = { methodArn: `${API_ARN}/prod/GET/pets/42`, apiArn: API_ARN, sourceIp: '192.0.2.10' };
const user: PolicyRequest = { ...anonymous, principal: { account: '111122223333', arn: 'arn:aws:iam::111122223333:user/alice' } };
const session: PolicyRequest = { ...anonymous, principal: { account: '444455556666', arn: 'arn:aws:sts::444455556666:assumed-role/deployer/ci-run' } };

const statement = (extra: Record<string, unknown>): Record<string, unknown> => ({ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', ...extra });
const policy = (...statements: Record<string, unknown>[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('evaluateResourcePolicy', () => {
  const cases: { name: string; policy: string; request?: PolicyRequest; expect: PolicyVerdict }[] = [
    { name: 'an Allow for everyone', policy: policy(statement({})), expect: 'Allow' },
    { name: 'a single statement object instead of a list', policy: JSON.stringify({ Statement: statement({}) }), expect: 'Allow' },
    { name: 'no statement applies', policy: policy(statement({ Resource: 'execute-api:/dev/*' })), expect: 'None' },
    { name: 'an explicit Deny beats an Allow', policy: policy(statement({}), statement({ Effect: 'Deny', Resource: 'execute-api:/*/GET/pets/*' })), expect: 'Deny' },
    { name: 'a Deny that does not apply', policy: policy(statement({}), statement({ Effect: 'Deny', Resource: 'execute-api:/*/POST/*' })), expect: 'Allow' },
    { name: 'a full ARN resource', policy: policy(statement({ Resource: `${API_ARN}/prod/GET/pets/42` })), expect: 'Allow' },
    { name: 'a full ARN with wildcards', policy: policy(statement({ Resource: 'arn:aws:execute-api:us-east-1:*:abcde12345/*/GET/*' })), expect: 'Allow' },
    { name: 'another API', policy: policy(statement({ Resource: 'arn:aws:execute-api:us-east-1:111122223333:other12345/*' })), expect: 'None' },
    { name: '? matches one character', policy: policy(statement({ Resource: 'execute-api:/pro?/GET/pets/4?' })), expect: 'Allow' },
    { name: 'resources listed', policy: policy(statement({ Resource: ['execute-api:/dev/*', 'execute-api:/prod/GET/pets/*'] })), expect: 'Allow' },
    { name: 'NotResource excluding the method', policy: policy(statement({ Resource: undefined, NotResource: 'execute-api:/*/GET/pets/*' })), expect: 'None' },
    { name: 'execute-api:* as the action', policy: policy(statement({ Action: 'execute-api:*' })), expect: 'Allow' },
    { name: '* as the action', policy: policy(statement({ Action: '*' })), expect: 'Allow' },
    { name: 'another action', policy: policy(statement({ Action: 'execute-api:ManageConnections' })), expect: 'None' },
    { name: 'actions compare without case', policy: policy(statement({ Action: 'Execute-API:invoke' })), expect: 'Allow' },
    { name: 'AWS * covers anonymous callers', policy: policy(statement({ Principal: { AWS: '*' } })), expect: 'Allow' },
    { name: 'an account principal does not cover anonymous callers', policy: policy(statement({ Principal: { AWS: '111122223333' } })), expect: 'None' },
    { name: 'an account id covers its users', policy: policy(statement({ Principal: { AWS: '111122223333' } })), request: user, expect: 'Allow' },
    { name: 'an account root ARN covers its users', policy: policy(statement({ Principal: { AWS: ['arn:aws:iam::999999999999:root', 'arn:aws:iam::111122223333:root'] } })), request: user, expect: 'Allow' },
    { name: 'the user ARN', policy: policy(statement({ Principal: { AWS: 'arn:aws:iam::111122223333:user/alice' } })), request: user, expect: 'Allow' },
    { name: 'another user', policy: policy(statement({ Principal: { AWS: 'arn:aws:iam::111122223333:user/bob' } })), request: user, expect: 'None' },
    { name: 'a role covers its sessions', policy: policy(statement({ Principal: { AWS: 'arn:aws:iam::444455556666:role/ops/deployer' } })), request: session, expect: 'Allow' },
    { name: 'a role of another account', policy: policy(statement({ Principal: { AWS: 'arn:aws:iam::111122223333:role/deployer' } })), request: session, expect: 'None' },
    { name: 'NotPrincipal excluding the caller', policy: policy(statement({ Effect: 'Deny', Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::111122223333:user/alice' } })), request: user, expect: 'None' },
    { name: 'NotPrincipal denying everyone else', policy: policy(statement({ Effect: 'Deny', Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::111122223333:user/alice' } })), request: session, expect: 'Deny' },
    { name: 'IpAddress in the CIDR', policy: policy(statement({ Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } })), expect: 'Allow' },
    { name: 'IpAddress outside the CIDR', policy: policy(statement({ Condition: { IpAddress: { 'aws:SourceIp': ['198.51.100.0/24', '203.0.113.7/32'] } } })), expect: 'None' },
    { name: 'IpAddress with a bare address', policy: policy(statement({ Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.10' } } })), expect: 'Allow' },
    { name: 'NotIpAddress deny for others', policy: policy(statement({}), statement({ Effect: 'Deny', Condition: { NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } } })), expect: 'Deny' },
    { name: 'NotIpAddress deny skips the listed range', policy: policy(statement({}), statement({ Effect: 'Deny', Condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } })), expect: 'Allow' },
    { name: 'IPv6 CIDR', policy: policy(statement({ Condition: { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } } })), request: { ...anonymous, sourceIp: '2001:db8::1' }, expect: 'Allow' },
    { name: 'an IPv4 CIDR never holds an IPv6 caller', policy: policy(statement({ Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } })), request: { ...anonymous, sourceIp: '::1' }, expect: 'None' },
    { name: 'StringEquals on the principal account', policy: policy(statement({ Condition: { StringEquals: { 'aws:PrincipalAccount': '111122223333' } } })), request: user, expect: 'Allow' },
    { name: 'StringEquals on a missing key', policy: policy(statement({ Condition: { StringEquals: { 'aws:PrincipalAccount': '111122223333' } } })), expect: 'None' },
    { name: 'StringNotEquals on a missing key holds', policy: policy(statement({ Condition: { StringNotEquals: { 'aws:PrincipalAccount': '111122223333' } } })), expect: 'Allow' },
    { name: 'StringEqualsIfExists on a missing key holds', policy: policy(statement({ Condition: { StringEqualsIfExists: { 'aws:PrincipalAccount': '111122223333' } } })), expect: 'Allow' },
    { name: 'StringLike with a wildcard', policy: policy(statement({ Condition: { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/a*' } } })), request: user, expect: 'Allow' },
    { name: 'condition keys compare without case', policy: policy(statement({ Condition: { StringEquals: { 'AWS:USERAGENT': 'curl/8' } } })), request: { ...anonymous, context: { 'aws:useragent': 'curl/8' } }, expect: 'Allow' },
    { name: 'every operator must hold', policy: policy(statement({ Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' }, StringEquals: { 'aws:PrincipalAccount': '1' } } })), request: user, expect: 'None' },
    { name: 'Null true on a missing key', policy: policy(statement({ Condition: { Null: { 'aws:PrincipalArn': 'true' } } })), expect: 'Allow' },
    { name: 'an unknown operator never holds', policy: policy(statement({ Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } })), expect: 'None' },
    { name: 'a document that does not parse allows nothing', policy: '{"Statement": [', expect: 'None' },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      assert.equal(evaluateResourcePolicy(testCase.policy, testCase.request ?? anonymous), testCase.expect);
    });
  }
});
