import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DeleteMetricFilterCommand,
  DeleteSubscriptionFilterCommand,
  DescribeMetricFiltersCommand,
  DescribeSubscriptionFiltersCommand,
  paginateDescribeMetricFilters,
  PutMetricFilterCommand,
  PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { PutMetricFilterCommandInput, PutSubscriptionFilterCommandInput } from '@aws-sdk/client-cloudwatch-logs';
import { ManualClock } from '../../../src/index.js';
import { rejectsWith } from '../../helpers/assertions.js';
import { useNimbus } from '../../helpers/nimbus.js';
import { logsClient, MINUTE, T0 } from './logs-helpers.js';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:shipper';

describe('CloudWatch Logs subscription and metric filters', () => {
  const clock = new ManualClock(T0);
  const nimbus = useNimbus({ clock });
  const logs = () => logsClient(nimbus());

  describe('subscription filters', () => {
    const putFilter = (input: Partial<PutSubscriptionFilterCommandInput> = {}) =>
      logs().send(new PutSubscriptionFilterCommand({ logGroupName: 'g', filterName: 'ship', filterPattern: '', destinationArn: FUNCTION_ARN, ...input }));

    it('records a filter, keeps its creation time when it is replaced, and deletes it', async () => {
      await logs().send(new CreateLogGroupCommand({ logGroupName: 'g' }));
      assert.deepEqual((await logs().send(new DescribeSubscriptionFiltersCommand({ logGroupName: 'g' }))).subscriptionFilters, []);
      await putFilter();
      const created = clock.now();
      clock.advance(MINUTE);
      await putFilter({ filterPattern: '{ $.level = "ERROR" }' });
      assert.deepEqual((await logs().send(new DescribeSubscriptionFiltersCommand({ logGroupName: 'g' }))).subscriptionFilters, [
        {
          filterName: 'ship',
          logGroupName: 'g',
          filterPattern: '{ $.level = "ERROR" }',
          destinationArn: FUNCTION_ARN,
          distribution: 'ByLogStream',
          applyOnTransformedLogs: false,
          creationTime: created,
        },
      ]);
      await logs().send(new DeleteSubscriptionFilterCommand({ logGroupName: 'g', filterName: 'ship' }));
      await rejectsWith(
        logs().send(new DeleteSubscriptionFilterCommand({ logGroupName: 'g', filterName: 'ship' })),
        'ResourceNotFoundException',
        'The specified subscription filter does not exist.',
      );
    });

    it('allows two filters per log group', async () => {
      await logs().send(new CreateLogGroupCommand({ logGroupName: 'g' }));
      await putFilter({ filterName: 'a' });
      await putFilter({ filterName: 'b', distribution: 'Random' });
      await rejectsWith(putFilter({ filterName: 'c' }), 'LimitExceededException', 'Resource limit exceeded.');
      const { subscriptionFilters } = await logs().send(new DescribeSubscriptionFiltersCommand({ logGroupName: 'g', filterNamePrefix: 'b' }));
      assert.deepEqual(subscriptionFilters?.map((f) => [f.filterName, f.distribution]), [['b', 'Random']]);
    });

    it('refuses invalid patterns, role-less Kinesis destinations and missing groups', async () => {
      await rejectsWith(putFilter(), 'ResourceNotFoundException', 'The specified log group does not exist.');
      await rejectsWith(logs().send(new DescribeSubscriptionFiltersCommand({ logGroupName: 'g' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
      await logs().send(new CreateLogGroupCommand({ logGroupName: 'g' }));
      await rejectsWith(putFilter({ filterPattern: '[ip, user' }), 'InvalidParameterException', "If a filter pattern starts with '[' it must end with ']'");
      await rejectsWith(
        putFilter({ destinationArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/logs' }),
        'InvalidParameterException',
        'destinationArn for vendor kinesis cannot be used without roleArn',
      );
      await putFilter({ destinationArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/logs', roleArn: 'arn:aws:iam::000000000000:role/cwl' });
    });
  });

  describe('metric filters', () => {
    const putFilter = (input: Partial<PutMetricFilterCommandInput> = {}) =>
      logs().send(
        new PutMetricFilterCommand({
          logGroupName: 'g',
          filterName: 'errors',
          filterPattern: 'ERROR',
          metricTransformations: [{ metricName: 'Errors', metricNamespace: 'App', metricValue: '1', defaultValue: 0 }],
          ...input,
        }),
      );

    it('records a filter and describes it', async () => {
      await logs().send(new CreateLogGroupCommand({ logGroupName: 'g' }));
      await putFilter();
      assert.deepEqual((await logs().send(new DescribeMetricFiltersCommand({ logGroupName: 'g' }))).metricFilters, [
        {
          filterName: 'errors',
          filterPattern: 'ERROR',
          metricTransformations: [{ metricName: 'Errors', metricNamespace: 'App', metricValue: '1', defaultValue: 0 }],
          creationTime: clock.now(),
          logGroupName: 'g',
          applyOnTransformedLogs: false,
        },
      ]);
    });

    it('lists filters across groups and narrows by group, name prefix and metric', async () => {
      for (const group of ['g', 'h']) {
        await logs().send(new CreateLogGroupCommand({ logGroupName: group }));
        await putFilter({ logGroupName: group, filterName: 'errors' });
        await putFilter({
          logGroupName: group,
          filterName: 'latency',
          filterPattern: '{ $.latency > 0 }',
          metricTransformations: [{ metricName: 'Latency', metricNamespace: 'App', metricValue: '$.latency' }],
        });
      }
      const describe = async (input: Record<string, string>): Promise<string[]> =>
        (await logs().send(new DescribeMetricFiltersCommand(input))).metricFilters?.map((f) => `${f.logGroupName}/${f.filterName}`) ?? [];
      assert.deepEqual(await describe({}), ['g/errors', 'g/latency', 'h/errors', 'h/latency']);
      assert.deepEqual(await describe({ logGroupName: 'h', filterNamePrefix: 'lat' }), ['h/latency']);
      assert.deepEqual(await describe({ metricName: 'Latency', metricNamespace: 'App' }), ['g/latency', 'h/latency']);

      const pages: number[] = [];
      for await (const page of paginateDescribeMetricFilters({ client: logs(), pageSize: 3 }, {})) pages.push(page.metricFilters?.length ?? 0);
      assert.deepEqual(pages, [3, 1]);

      await logs().send(new DeleteLogGroupCommand({ logGroupName: 'g' }));
      assert.deepEqual(await describe({}), ['h/errors', 'h/latency']);
    });

    it('refuses invalid patterns and answers for missing groups and filters', async () => {
      await rejectsWith(putFilter(), 'ResourceNotFoundException', 'The specified log group does not exist.');
      await logs().send(new CreateLogGroupCommand({ logGroupName: 'g' }));
      await rejectsWith(putFilter({ filterPattern: '{ $.level = ' }), 'InvalidParameterException', "If a filter pattern starts with '{' it must end with '}'");
      await rejectsWith(
        logs().send(new DeleteMetricFilterCommand({ logGroupName: 'g', filterName: 'errors' })),
        'ResourceNotFoundException',
        'The specified metric filter does not exist.',
      );
      await putFilter();
      await logs().send(new DeleteMetricFilterCommand({ logGroupName: 'g', filterName: 'errors' }));
      assert.deepEqual((await logs().send(new DescribeMetricFiltersCommand({ logGroupName: 'g' }))).metricFilters, []);
    });
  });
});
