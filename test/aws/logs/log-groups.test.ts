/* eslint-disable @typescript-eslint/no-deprecated -- TagLogGroup, UntagLogGroup and ListTagsLogGroup are deprecated by AWS, still served, and under test here. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  paginateDescribeLogGroups,
  PutLogGroupDeletionProtectionCommand,
  PutMetricFilterCommand,
  PutRetentionPolicyCommand,
  TagLogGroupCommand,
  TagResourceCommand,
  UntagLogGroupCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { ManualClock } from '../../../src/index.js';
import { rejectsWith } from '../../helpers/assertions.js';
import { useNimbus } from '../../helpers/nimbus.js';
import { logsClient, T0 } from './logs-helpers.js';

const ARN = 'arn:aws:logs:us-east-1:000000000000:log-group';

describe('CloudWatch Logs log groups', () => {
  const clock = new ManualClock(T0);
  const nimbus = useNimbus({ clock });
  const logs = () => logsClient(nimbus());

  it('creates a group and describes it with both ARN forms', async () => {
    await logs().send(new CreateLogGroupCommand({ logGroupName: '/app/api', kmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/k1' }));
    const { logGroups } = await logs().send(new DescribeLogGroupsCommand({}));
    assert.deepEqual(logGroups, [
      {
        logGroupName: '/app/api',
        creationTime: clock.now(),
        metricFilterCount: 0,
        arn: `${ARN}:/app/api:*`,
        logGroupClass: 'STANDARD',
        logGroupArn: `${ARN}:/app/api`,
        storedBytes: 0,
        kmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/k1',
        deletionProtectionEnabled: false,
      },
    ]);
  });

  it('refuses a duplicate group and deleting a missing one', async () => {
    await logs().send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await rejectsWith(logs().send(new CreateLogGroupCommand({ logGroupName: 'g' })), 'ResourceAlreadyExistsException', 'The specified log group already exists');
    await logs().send(new DeleteLogGroupCommand({ logGroupName: 'g' }));
    await rejectsWith(logs().send(new DeleteLogGroupCommand({ logGroupName: 'g' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
  });

  it('filters by prefix or by a case-sensitive substring pattern, never both', async () => {
    for (const name of ['/aws/lambda/a', '/aws/lambda/b', '/app/DataLogs', 'other']) {
      await logs().send(new CreateLogGroupCommand({ logGroupName: name, logGroupClass: name === 'other' ? 'INFREQUENT_ACCESS' : undefined }));
    }
    const byPrefix = await logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/' }));
    assert.deepEqual(byPrefix.logGroups?.map((g) => g.logGroupName), ['/aws/lambda/a', '/aws/lambda/b']);

    const byPattern = await logs().send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'DataLogs' }));
    // With a pattern AWS returns a shorter description: no storedBytes, retention or protection flag.
    assert.deepEqual(byPattern.logGroups, [
      {
        logGroupName: '/app/DataLogs',
        creationTime: clock.now(),
        metricFilterCount: 0,
        arn: `${ARN}:/app/DataLogs:*`,
        logGroupClass: 'STANDARD',
        logGroupArn: `${ARN}:/app/DataLogs`,
      },
    ]);
    assert.deepEqual((await logs().send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'datalogs' }))).logGroups, []);

    const byClass = await logs().send(new DescribeLogGroupsCommand({ logGroupClass: 'INFREQUENT_ACCESS' }));
    assert.deepEqual(byClass.logGroups?.map((g) => g.logGroupName), ['other']);

    await rejectsWith(
      logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws', logGroupNamePattern: 'x' })),
      'InvalidParameterException',
      'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
    );
  });

  it('pages through groups in name order with nextToken', async () => {
    const names = Array.from({ length: 7 }, (_, i) => `group-${i}`);
    for (const name of [...names].reverse()) await logs().send(new CreateLogGroupCommand({ logGroupName: name }));
    const pages: string[][] = [];
    for await (const page of paginateDescribeLogGroups({ client: logs(), pageSize: 3 }, {})) {
      pages.push(page.logGroups?.map((g) => g.logGroupName ?? '') ?? []);
    }
    assert.deepEqual(pages, [names.slice(0, 3), names.slice(3, 6), names.slice(6)]);
    await rejectsWith(logs().send(new DescribeLogGroupsCommand({ nextToken: 'garbage' })), 'InvalidParameterException', 'The specified nextToken is invalid.');
  });

  it('counts metric filters per group', async () => {
    await logs().send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await logs().send(
      new PutMetricFilterCommand({
        logGroupName: 'g',
        filterName: 'errors',
        filterPattern: 'ERROR',
        metricTransformations: [{ metricName: 'Errors', metricNamespace: 'App', metricValue: '1' }],
      }),
    );
    const { logGroups } = await logs().send(new DescribeLogGroupsCommand({}));
    assert.equal(logGroups?.[0].metricFilterCount, 1);
  });

  describe('retention', () => {
    it('sets and removes the retention period', async () => {
      await logs().send(new CreateLogGroupCommand({ logGroupName: 'g' }));
      await logs().send(new PutRetentionPolicyCommand({ logGroupName: 'g', retentionInDays: 14 }));
      assert.equal((await logs().send(new DescribeLogGroupsCommand({}))).logGroups?.[0].retentionInDays, 14);
      await logs().send(new DeleteRetentionPolicyCommand({ logGroupName: 'g' }));
      assert.equal((await logs().send(new DescribeLogGroupsCommand({}))).logGroups?.[0].retentionInDays, undefined);
    });

    for (const days of [0, 2, 10, 4000]) {
      it(`refuses ${days} days`, async () => {
        await logs().send(new CreateLogGroupCommand({ logGroupName: 'g' }));
        await rejectsWith(
          logs().send(new PutRetentionPolicyCommand({ logGroupName: 'g', retentionInDays: days })),
          'InvalidParameterException',
          `1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]`,
        );
      });
    }

    it('answers ResourceNotFoundException for a missing group', async () => {
      await rejectsWith(logs().send(new PutRetentionPolicyCommand({ logGroupName: 'nope', retentionInDays: 7 })), 'ResourceNotFoundException', 'The specified log group does not exist.');
      await rejectsWith(logs().send(new DeleteRetentionPolicyCommand({ logGroupName: 'nope' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
    });
  });

  describe('tags', () => {
    it('shares one tag set between the name-based and the ARN-based APIs', async () => {
      await logs().send(new CreateLogGroupCommand({ logGroupName: 'g', tags: { env: 'testing1' } }));
      await logs().send(new TagResourceCommand({ resourceArn: `${ARN}:g`, tags: { test1: 'val1', test2: 'val2' } }));
      assert.deepEqual((await logs().send(new ListTagsLogGroupCommand({ logGroupName: 'g' }))).tags, { env: 'testing1', test1: 'val1', test2: 'val2' });

      await logs().send(new TagLogGroupCommand({ logGroupName: 'g', tags: { test3: 'val3' } }));
      assert.deepEqual((await logs().send(new ListTagsForResourceCommand({ resourceArn: `${ARN}:g` }))).tags, {
        env: 'testing1',
        test1: 'val1',
        test2: 'val2',
        test3: 'val3',
      });

      await logs().send(new UntagLogGroupCommand({ logGroupName: 'g', tags: ['test1'] }));
      await logs().send(new UntagResourceCommand({ resourceArn: `${ARN}:g`, tagKeys: ['env', 'test3'] }));
      assert.deepEqual((await logs().send(new ListTagsForResourceCommand({ resourceArn: `${ARN}:g` }))).tags, { test2: 'val2' });
    });

    it('keeps at most 50 tags on a group', async () => {
      const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
      await logs().send(new CreateLogGroupCommand({ logGroupName: 'g', tags }));
      await rejectsWith(logs().send(new TagLogGroupCommand({ logGroupName: 'g', tags: { extra: 'v' } })), 'TooManyTagsException', 'A resource can have no more than 50 tags.');
      await logs().send(new TagLogGroupCommand({ logGroupName: 'g', tags: { k0: 'replaced' } }));
    });

    it('answers ResourceNotFoundException for a missing group and another account or region', async () => {
      await logs().send(new CreateLogGroupCommand({ logGroupName: 'g' }));
      const cases = [`${ARN}:missing`, 'arn:aws:logs:eu-west-1:000000000000:log-group:g', 'arn:aws:logs:us-east-1:111122223333:log-group:g'];
      for (const resourceArn of cases) {
        await rejectsWith(logs().send(new ListTagsForResourceCommand({ resourceArn })), 'ResourceNotFoundException', 'The specified log group does not exist.');
      }
      await rejectsWith(logs().send(new ListTagsLogGroupCommand({ logGroupName: 'missing' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
    });
  });

  it('refuses to delete a group with deletion protection until it is disabled', async () => {
    await logs().send(new CreateLogGroupCommand({ logGroupName: 'g', deletionProtectionEnabled: true }));
    await rejectsWith(
      logs().send(new DeleteLogGroupCommand({ logGroupName: 'g' })),
      'ValidationException',
      'Cannot delete log group with deletion protection enabled. Disable deletion protection first.',
    );
    await logs().send(new PutLogGroupDeletionProtectionCommand({ logGroupIdentifier: `${ARN}:g`, deletionProtectionEnabled: false }));
    await logs().send(new DeleteLogGroupCommand({ logGroupName: 'g' }));
    assert.deepEqual((await logs().send(new DescribeLogGroupsCommand({}))).logGroups, []);
  });
});
