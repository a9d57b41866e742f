import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServiceModel } from './model.js';
import { loadServiceModel } from './model.js';
import { validateInput } from './validate.js';

const model: ServiceModel = {
  metadata: { protocol: 'json', apiVersion: '2020-01-01', endpointPrefix: 'demo' },
  operations: {},
  shapes: {
    Input: {
      type: 'structure',
      required: ['Name'],
      members: { Name: { shape: 'Name' }, Tier: { shape: 'Tier' }, Max: { shape: 'Max' }, Tags: { shape: 'Tags' }, Labels: { shape: 'Labels' }, Weight: { shape: 'Weight' } },
    },
    Name: { type: 'string', min: 1, max: 8, pattern: '[a-z/]+' },
    Tier: { type: 'string', enum: ['Standard', 'Advanced'] },
    Max: { type: 'integer', min: 1, max: 50 },
    Weight: { type: 'double', min: 0, max: 1 },
    Tags: { type: 'list', member: { shape: 'Tag' }, max: 2 },
    Tag: { type: 'structure', required: ['Key'], members: { Key: { shape: 'Name' }, Value: { shape: 'Name' } } },
    Labels: { type: 'map', key: { shape: 'Name' }, value: { shape: 'Max' } },
  },
};

describe('validateInput: AWS-style constraint messages', () => {
  const cases: [string, Record<string, unknown>, string | undefined][] = [
    ['a valid input', { Name: 'abc', Tier: 'Standard', Max: 50, Weight: 0.5, Tags: [{ Key: 'k' }], Labels: { ab: 3 } }, undefined],
    ['a missing required member', {}, "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"],
    ['a string too short', { Name: '' }, "1 validation error detected: Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1"],
    ['a string too long', { Name: 'abcdefghi' }, "1 validation error detected: Value 'abcdefghi' at 'name' failed to satisfy constraint: Member must have length less than or equal to 8"],
    ['a pattern mismatch (whole value)', { Name: 'ab1' }, "1 validation error detected: Value 'ab1' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z/]+"],
    ['an enum mismatch', { Name: 'a', Tier: 'Gold' }, "1 validation error detected: Value 'Gold' at 'tier' failed to satisfy constraint: Member must satisfy enum value set: [Standard, Advanced]"],
    ['a number too small', { Name: 'a', Max: 0 }, "1 validation error detected: Value '0' at 'max' failed to satisfy constraint: Member must have value greater than or equal to 1"],
    ['a number too large', { Name: 'a', Max: 51 }, "1 validation error detected: Value '51' at 'max' failed to satisfy constraint: Member must have value less than or equal to 50"],
    ['a double out of range', { Name: 'a', Weight: 1.5 }, "1 validation error detected: Value '1.5' at 'weight' failed to satisfy constraint: Member must have value less than or equal to 1"],
    ['a list too long', { Name: 'a', Tags: [{ Key: 'a' }, { Key: 'b' }, { Key: 'c' }] }, "1 validation error detected: Value '[..., ..., ...]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 2"],
    ['a nested list member', { Name: 'a', Tags: [{ Key: 'a' }, { Value: 'b' }] }, "1 validation error detected: Value null at 'tags.2.member.key' failed to satisfy constraint: Member must not be null"],
    ['a map value', { Name: 'a', Labels: { k: 99 } }, "1 validation error detected: Value '99' at 'labels.k.value' failed to satisfy constraint: Member must have value less than or equal to 50"],
    ['several errors, in member order', { Name: '', Max: 0 }, "2 validation errors detected: Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '0' at 'max' failed to satisfy constraint: Member must have value greater than or equal to 1"],
  ];
  for (const [why, input, expected] of cases) {
    it(why, () => {
      assert.equal(validateInput(model, 'Input', input), expected);
    });
  }

  it('counts length in UTF-16 code units as Java does', () => {
    assert.match(validateInput(model, 'Input', { Name: '😀😀😀😀😀' }) ?? '', /length less than or equal to 8/);
  });

  it("compiles the real models' Java patterns (SSM parameter names)", () => {
    const ssm = loadServiceModel('ssm');
    assert.equal(validateInput(ssm, 'GetParameterRequest', { Name: '/app/db' }), undefined);
    assert.match(validateInput(ssm, 'GetParameterRequest', { Name: 'x'.repeat(2049) }) ?? '', /length less than or equal to 2048/);
  });
});
