import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AddTagsToResourceCommand,
  GetParameterHistoryCommand,
  LabelParameterVersionCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  UnlabelParameterVersionCommand,
} from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { rejectsWith } from '../../helpers/assertions.js';
import { useNimbus } from '../../helpers/nimbus.js';
import { ssmClient } from './support.js';

describe('SSM labels and tags', () => {
  const nimbus = useNimbus();
  const ssm = (): SSMClient => ssmClient(nimbus());
  const versions = async (name: string, count: number): Promise<void> => {
    for (let i = 1; i <= count; i++) await ssm().send(new PutParameterCommand({ Name: name, Value: `v${i}`, Type: 'String', Overwrite: true }));
  };
  const labelsByVersion = async (name: string): Promise<[number, string[]][]> =>
    (await ssm().send(new GetParameterHistoryCommand({ Name: name }))).Parameters!.map((p) => [p.Version!, p.Labels!]);

  describe('LabelParameterVersion', () => {
    it('labels the latest version when none is named', async () => {
      await versions('/l/p', 2);
      const result = await ssm().send(new LabelParameterVersionCommand({ Name: '/l/p', Labels: ['current'] }));
      assert.deepEqual([result.ParameterVersion, result.InvalidLabels], [2, []]);
      assert.deepEqual(await labelsByVersion('/l/p'), [
        [1, []],
        [2, ['current']],
      ]);
    });

    it('moves a label from the version that had it', async () => {
      await versions('/l/p', 3);
      await ssm().send(new LabelParameterVersionCommand({ Name: '/l/p', ParameterVersion: 1, Labels: ['prod', 'stable'] }));
      await ssm().send(new LabelParameterVersionCommand({ Name: '/l/p', ParameterVersion: 3, Labels: ['prod'] }));
      assert.deepEqual(await labelsByVersion('/l/p'), [
        [1, ['stable']],
        [2, []],
        [3, ['prod']],
      ]);
    });

    it('reports labels that break the rules and attaches the rest', async () => {
      await versions('/l/p', 1);
      const labels = ['ok-label_1.x', '1starts-with-digit', 'awsReserved', 'SSMreserved', 'has space', 'has/slash'];
      const result = await ssm().send(new LabelParameterVersionCommand({ Name: '/l/p', ParameterVersion: 1, Labels: labels }));
      assert.deepEqual(result.InvalidLabels, labels.slice(1));
      assert.deepEqual(await labelsByVersion('/l/p'), [[1, ['ok-label_1.x']]]);
    });

    it('allows at most 10 labels on a version', async () => {
      await versions('/l/p', 1);
      const ten = Array.from({ length: 10 }, (_, i) => `label${i}`);
      await ssm().send(new LabelParameterVersionCommand({ Name: '/l/p', Labels: ten }));
      // Re-attaching a label the version already has does not count twice.
      await ssm().send(new LabelParameterVersionCommand({ Name: '/l/p', Labels: ['label0'] }));
      await rejectsWith(
        ssm().send(new LabelParameterVersionCommand({ Name: '/l/p', Labels: ['eleventh'] })),
        'ParameterVersionLabelLimitExceeded',
        'A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.',
      );
    });

    it('names a missing parameter or version', async () => {
      await rejectsWith(ssm().send(new LabelParameterVersionCommand({ Name: '/l/none', Labels: ['x'] })), 'ParameterNotFound', 'Parameter /l/none not found.');
      await versions('/l/p', 1);
      await rejectsWith(
        ssm().send(new LabelParameterVersionCommand({ Name: '/l/p', ParameterVersion: 5, Labels: ['x'] })),
        'ParameterVersionNotFound',
        'Systems Manager could not find version 5 of /l/p. Verify the version and try again.',
      );
    });
  });

  describe('UnlabelParameterVersion', () => {
    it('removes the labels a version has and reports the others', async () => {
      await versions('/u/p', 2);
      await ssm().send(new LabelParameterVersionCommand({ Name: '/u/p', ParameterVersion: 1, Labels: ['a', 'b'] }));
      await ssm().send(new LabelParameterVersionCommand({ Name: '/u/p', ParameterVersion: 2, Labels: ['c'] }));
      const result = await ssm().send(new UnlabelParameterVersionCommand({ Name: '/u/p', ParameterVersion: 1, Labels: ['a', 'c', 'zzz'] }));
      assert.deepEqual([result.RemovedLabels, result.InvalidLabels], [['a'], ['c', 'zzz']]);
      assert.deepEqual(await labelsByVersion('/u/p'), [
        [1, ['b']],
        [2, ['c']],
      ]);
      await rejectsWith(
        ssm().send(new UnlabelParameterVersionCommand({ Name: '/u/p', ParameterVersion: 9, Labels: ['b'] })),
        'ParameterVersionNotFound',
        'Systems Manager could not find version 9 of /u/p. Verify the version and try again.',
      );
      await rejectsWith(ssm().send(new UnlabelParameterVersionCommand({ Name: '/u/none', ParameterVersion: 1, Labels: ['b'] })), 'ParameterNotFound', 'Parameter /u/none not found.');
    });
  });

  describe('tags', () => {
    const tags = async (id: string) => (await ssm().send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: id }))).TagList;

    it('keeps the tags given at creation and updates them', async () => {
      await ssm().send(new PutParameterCommand({ Name: 'tagged', Value: 'v', Type: 'String', Tags: [{ Key: 'env', Value: 'dev' }] }));
      assert.deepEqual(await tags('tagged'), [{ Key: 'env', Value: 'dev' }]);

      await ssm().send(
        new AddTagsToResourceCommand({
          ResourceType: 'Parameter',
          ResourceId: '/tagged',
          Tags: [
            { Key: 'env', Value: 'prod' },
            { Key: 'team', Value: 'core' },
          ],
        }),
      );
      assert.deepEqual(await tags('tagged'), [
        { Key: 'env', Value: 'prod' },
        { Key: 'team', Value: 'core' },
      ]);

      // An overwrite leaves the tags alone.
      await ssm().send(new PutParameterCommand({ Name: 'tagged', Value: 'w', Overwrite: true }));
      await ssm().send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: 'tagged', TagKeys: ['env', 'absent'] }));
      assert.deepEqual(await tags('tagged'), [{ Key: 'team', Value: 'core' }]);
    });

    it('allows 50 tags on a parameter', async () => {
      await ssm().send(new PutParameterCommand({ Name: '/t/p', Value: 'v', Type: 'String' }));
      const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: `${i}` }));
      await ssm().send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/t/p', Tags: fifty }));
      await rejectsWith(
        ssm().send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/t/p', Tags: [{ Key: 'one-more', Value: 'x' }] })),
        'TooManyTagsError',
        'The Targets parameter includes too many tags. Remove one or more tags and try again.',
      );
    });

    it('refuses a parameter that does not exist', async () => {
      const invalid = "The resource ID isn't valid. Verify that you entered the correct ID and try again.";
      await rejectsWith(ssm().send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/t/none' })), 'InvalidResourceId', invalid);
      await rejectsWith(
        ssm().send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: 'bad/name', Tags: [{ Key: 'k', Value: 'v' }] })),
        'InvalidResourceId',
        invalid,
      );
      await rejectsWith(ssm().send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: '/t/none', TagKeys: ['k'] })), 'InvalidResourceId', invalid);
    });

    it('says plainly that other resource types are not served', async () => {
      await rejectsWith(
        ssm().send(new ListTagsForResourceCommand({ ResourceType: 'Document', ResourceId: 'doc' })),
        'NotImplemented',
        'Tagging SSM resources of type Document is not implemented in Nimbus yet',
        501,
      );
    });
  });
});
