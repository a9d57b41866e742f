import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { replaceTable, servicesTable } from '../../scripts/services-table.js';

describe('README.md', () => {
  it('lists exactly the operations the providers serve (run `npm run docs:services` to refresh)', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    assert.equal(readme, replaceTable(readme, await servicesTable()));
  });

  it('gives the two set-up commands', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    assert.match(readme, /npm install && npm start/);
    assert.match(readme, /\nnpm test\n/);
  });
});
