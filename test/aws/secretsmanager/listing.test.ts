/**
 * ListSecrets (filters, negation, sorting, paging) and BatchGetSecretValue. The filter cases replay
 * outcomes recorded against AWS.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BatchGetSecretValueCommandInput, Filter, ListSecretsCommandInput } from '@aws-sdk/client-secrets-manager';
import { BatchGetSecretValueCommand, CreateSecretCommand, DeleteSecretCommand, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { ManualClock } from '../../../src/shared/clock.js';
import { rejectsWith } from '../../helpers/assertions.js';
import { useNimbus } from '../../helpers/nimbus.js';
import { secretsManager } from './helpers.js';

describe('Secrets Manager listing', () => {
  const clock = new ManualClock(Date.UTC(2024, 6, 1));
  const nimbus = useNimbus({ clock });
  const sm = () => secretsManager(nimbus());

  async function createAll(secrets: { Name: string; Description?: string; Tags?: { Key: string; Value: string }[] }[]): Promise<void> {
    for (const secret of secrets) {
      await sm().send(new CreateSecretCommand({ ...secret, SecretString: `value of ${secret.Name}` }));
      clock.advance(1000);
    }
  }

  async function names(filters: Filter[]): Promise<string[]> {
    const listed = await sm().send(new ListSecretsCommand({ Filters: filters }));
    return (listed.SecretList ?? []).map((secret) => secret.Name!);
  }

  const filterCases: { filters: Filter[]; expected: string[] }[] = [
    { filters: [{ Key: 'name', Values: ['/'] }], expected: ['/testing2/two', '/testing4/four'] },
    { filters: [{ Key: 'name', Values: ['!/'] }], expected: ['testing1/one', 'testing3/three'] },
    { filters: [{ Key: 'name', Values: ['testing1 one'] }], expected: [] },
    { filters: [{ Key: 'name', Values: ['Testing1'] }], expected: [] },
    { filters: [{ Key: 'name', Values: ['testing1', 'testing3'] }], expected: ['testing1/one', 'testing3/three'] },
    { filters: [{ Key: 'description', Values: ['a'] }], expected: ['testing1/one', '/testing2/two', 'testing3/three'] },
    { filters: [{ Key: 'description', Values: ['!a'] }], expected: ['/testing4/four'] },
    { filters: [{ Key: 'description', Values: ['a secret'] }], expected: ['testing1/one', '/testing2/two'] },
    { filters: [{ Key: 'description', Values: ['A SECRET'] }], expected: ['testing1/one', '/testing2/two'] },
    { filters: [{ Key: 'description', Values: ['!c'] }], expected: ['testing1/one', '/testing2/two', 'testing3/three', '/testing4/four'] },
    {
      filters: [
        { Key: 'description', Values: ['a'] },
        { Key: 'name', Values: ['secret'] },
      ],
      expected: [],
    },
    {
      filters: [
        { Key: 'description', Values: ['a'] },
        { Key: 'name', Values: ['testing3'] },
      ],
      expected: ['testing3/three'],
    },
    { filters: [{ Key: 'tag-key', Values: ['env'] }], expected: ['testing1/one', '/testing2/two'] },
    { filters: [{ Key: 'tag-key', Values: ['!env'] }], expected: ['testing3/three', '/testing4/four'] },
    { filters: [{ Key: 'tag-value', Values: ['prod'] }], expected: ['testing1/one'] },
    { filters: [{ Key: 'all', Values: ['prod'] }], expected: ['testing1/one'] },
    { filters: [{ Key: 'all', Values: ['TESTING4'] }], expected: ['/testing4/four'] },
    { filters: [{ Key: 'primary-region', Values: ['us-east'] }], expected: ['testing1/one', '/testing2/two', 'testing3/three', '/testing4/four'] },
    { filters: [{ Key: 'owning-service', Values: ['rds'] }], expected: [] },
  ];
  for (const { filters, expected } of filterCases) {
    it(`filters ${JSON.stringify(filters)}`, async () => {
      await createAll([
        { Name: 'testing1/one', Description: 'a secret', Tags: [{ Key: 'env', Value: 'prod' }] },
        { Name: '/testing2/two', Description: 'an secret', Tags: [{ Key: 'environment', Value: 'dev' }] },
        { Name: 'testing3/three', Description: 'asecret' },
        { Name: '/testing4/four', Description: 'thesecret' },
      ]);
      assert.deepEqual(await names(filters), expected);
    });
  }

  it('refuses a filter without values', async () => {
    await rejectsWith(sm().send(new ListSecretsCommand({ Filters: [{ Key: 'name' }] })), 'InvalidParameterException', 'Invalid filter values for key: name');
  });

  it('sorts by creation date or name, in either order', async () => {
    await createAll([{ Name: 'b' }, { Name: 'c' }, { Name: 'a' }]);
    const list = async (input: ListSecretsCommandInput): Promise<string[]> =>
      ((await sm().send(new ListSecretsCommand(input))).SecretList ?? []).map((secret) => secret.Name!);
    assert.deepEqual(await list({}), ['b', 'c', 'a']);
    assert.deepEqual(await list({ SortOrder: 'desc' }), ['a', 'c', 'b']);
    assert.deepEqual(await list({ SortBy: 'name' }), ['a', 'b', 'c']);
    assert.deepEqual(await list({ SortBy: 'name', SortOrder: 'desc' }), ['c', 'b', 'a']);
  });

  it('pages with MaxResults and NextToken and refuses MaxResults out of range', async () => {
    await createAll(['s1', 's2', 's3', 's4', 's5'].map((Name) => ({ Name })));
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await sm().send(new ListSecretsCommand({ MaxResults: 2, NextToken: nextToken }));
      seen.push(...(page.SecretList ?? []).map((secret) => secret.Name!));
      nextToken = page.NextToken;
      pages++;
    } while (nextToken);
    assert.deepEqual(seen, ['s1', 's2', 's3', 's4', 's5']);
    assert.equal(pages, 3);

    await rejectsWith(
      sm().send(new ListSecretsCommand({ MaxResults: 101 })),
      'ValidationException',
      "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
    await rejectsWith(
      sm().send(new ListSecretsCommand({ MaxResults: 0 })),
      'ValidationException',
      "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it('returns several values at once by id, reporting the ones it cannot read', async () => {
    await createAll([{ Name: 'one' }, { Name: 'two' }]);
    await sm().send(new CreateSecretCommand({ Name: 'empty' }));
    await sm().send(new DeleteSecretCommand({ SecretId: 'two' }));

    const batch = await sm().send(new BatchGetSecretValueCommand({ SecretIdList: ['one', 'two', 'empty', 'missing'] }));
    assert.deepEqual(
      batch.SecretValues?.map((value) => [value.Name, value.SecretString, value.VersionStages]),
      [['one', 'value of one', ['AWSCURRENT']]],
    );
    assert.deepEqual(batch.Errors, [
      { SecretId: 'two', ErrorCode: 'InvalidRequestException', Message: "You can't perform this operation on the secret because it was marked for deletion." },
      { SecretId: 'empty', ErrorCode: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT" },
      { SecretId: 'missing', ErrorCode: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret." },
    ]);
  });

  it('returns values chosen by filters, page by page', async () => {
    await createAll(['app/a', 'app/b', 'app/c', 'other'].map((Name) => ({ Name })));
    const first = await sm().send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['app/'] }], MaxResults: 2 }));
    assert.deepEqual(
      first.SecretValues?.map((value) => value.SecretString),
      ['value of app/a', 'value of app/b'],
    );
    const second = await sm().send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['app/'] }], MaxResults: 2, NextToken: first.NextToken }));
    assert.deepEqual(
      second.SecretValues?.map((value) => value.Name),
      ['app/c'],
    );
    assert.equal(second.NextToken, undefined);
  });

  const batchErrors: { name: string; input: BatchGetSecretValueCommandInput; message: string }[] = [
    { name: 'both ids and filters', input: { SecretIdList: ['a'], Filters: [{ Key: 'name', Values: ['a'] }] }, message: "Either 'SecretIdList' or 'Filters' must be provided, but not both." },
    { name: 'neither ids nor filters', input: {}, message: "Either 'SecretIdList' or 'Filters' must be provided, but not both." },
    { name: 'MaxResults without filters', input: { SecretIdList: ['a'], MaxResults: 5 }, message: "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided." },
  ];
  for (const { name, input, message } of batchErrors) {
    it(`refuses BatchGetSecretValue with ${name}`, async () => {
      await rejectsWith(sm().send(new BatchGetSecretValueCommand(input)), 'InvalidParameterException', message);
    });
  }
});
