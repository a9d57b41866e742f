import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PolicyDocument } from './authorizer-policy.js';
import { policyDecision, wildcardMatch } from './authorizer-policy.js';

const ARN = 'arn:aws:execute-api:us-east-1:000000000000:a1b2c3d4e5/prod/GET/pets/1';
const allow = (Resource: string | string[], Action: string | string[] = 'execute-api:Invoke'): PolicyDocument => ({ Statement: { Effect: 'Allow', Action, Resource } });

describe('authorizer policies', () => {
  const cases: [string, PolicyDocument | undefined, 'Allow' | 'Deny' | 'None'][] = [
    ['no policy', undefined, 'None'],
    ['an exact Allow', allow(ARN), 'Allow'],
    ['an Allow with * in the path', allow('arn:aws:execute-api:us-east-1:000000000000:a1b2c3d4e5/prod/*'), 'Allow'],
    ['an Allow with ? for one character', allow('arn:aws:execute-api:us-east-1:000000000000:a1b2c3d4e5/prod/GET/pets/?'), 'Allow'],
    ['an Allow of another stage', allow('arn:aws:execute-api:us-east-1:000000000000:a1b2c3d4e5/dev/*'), 'None'],
    ['an Allow of another action', allow(ARN, 'execute-api:ManageConnections'), 'None'],
    ['an Allow among resources', allow(['arn:aws:execute-api:*:*:other/*', ARN]), 'Allow'],
    ['an Allow of execute-api:*', allow(ARN, 'execute-api:*'), 'Allow'],
    ['a Deny beside an Allow', { Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }, { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: ARN }] }, 'Deny'],
    ['a Deny of another method', { Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }, { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: '*/POST/*' }] }, 'Allow'],
  ];
  for (const [why, policy, decision] of cases) {
    it(why, () => {
      assert.equal(policyDecision(policy, ARN), decision);
    });
  }

  it('treats regular-expression characters in patterns literally', () => {
    assert.equal(wildcardMatch('a.b', 'axb'), false);
    assert.equal(wildcardMatch('a(b)*', 'a(b)c'), true);
  });
});
