import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomHex, randomString } from './ids.js';

describe('randomHex', () => {
  it('gives lowercase hex of the length asked, odd lengths included', () => {
    for (const length of [1, 16, 24, 33]) assert.match(randomHex(length), new RegExp(`^[0-9a-f]{${String(length)}}$`));
  });

  it('never repeats across many draws, through refills of its pool', () => {
    const seen = new Set(Array.from({ length: 2000 }, () => randomHex(24)));
    assert.equal(seen.size, 2000);
  });
});

describe('randomString', () => {
  it('draws only from the alphabet given', () => {
    assert.match(randomString(64, 'AB'), /^[AB]{64}$/);
  });
});
