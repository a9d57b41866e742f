/**
 * Subscription filters and metric filters: recorded per log group, their patterns checked by the filter
 * pattern engine. Quotas: two subscription filters and 100 metric filters per log group
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html).
 */
import type {
  DeleteMetricFilterRequest,
  DeleteSubscriptionFilterRequest,
  DescribeMetricFiltersRequest,
  DescribeMetricFiltersResponse,
  DescribeSubscriptionFiltersRequest,
  DescribeSubscriptionFiltersResponse,
  PutMetricFilterRequest,
  PutSubscriptionFilterRequest,
} from '../../generated/logs.js';
import { parseArn } from '../../shared/arn.js';
import { ServiceError } from '../../shared/errors.js';
import { compilePattern } from './filter-pattern.js';
import type { LogsState } from './model.js';
import { filterKey, groupKeyPrefix, invalidParameter } from './model.js';
import { pageRecords } from './pagination.js';

const MAX_SUBSCRIPTION_FILTERS = 2;
const MAX_METRIC_FILTERS = 100;
const DEFAULT_DESCRIBE_LIMIT = 50;

function limitExceeded(): ServiceError {
  return new ServiceError('LimitExceededException', 'Resource limit exceeded.');
}

/** The group a filter key belongs to: everything before the first ':' (group names hold none). */
function groupOfKey(key: string): string {
  return key.slice(0, key.indexOf(':'));
}

export function putSubscriptionFilter(state: LogsState, input: PutSubscriptionFilterRequest, now: number): void {
  state.requireGroup(input.logGroupName);
  compilePattern(input.filterPattern);
  // Kinesis and Firehose deliveries are made with a role; Lambda is invoked through its resource policy.
  const vendor = parseArn(input.destinationArn)?.service;
  if ((vendor === 'kinesis' || vendor === 'firehose') && input.roleArn === undefined) {
    throw invalidParameter(`destinationArn for vendor ${vendor} cannot be used without roleArn`);
  }
  const key = filterKey(input.logGroupName, input.filterName);
  const existing = state.subscriptionFilters.get(key);
  if (!existing && state.subscriptionFilters.count(groupKeyPrefix(input.logGroupName)) >= MAX_SUBSCRIPTION_FILTERS) throw limitExceeded();
  state.subscriptionFilters.put(key, {
    filterName: input.filterName,
    filterPattern: input.filterPattern,
    destinationArn: input.destinationArn,
    roleArn: input.roleArn,
    distribution: input.distribution ?? 'ByLogStream',
    applyOnTransformedLogs: input.applyOnTransformedLogs ?? false,
    creationTime: existing?.creationTime ?? now,
  });
}

export function describeSubscriptionFilters(state: LogsState, input: DescribeSubscriptionFiltersRequest): DescribeSubscriptionFiltersResponse {
  state.requireGroup(input.logGroupName);
  const page = pageRecords(state.subscriptionFilters, filterKey(input.logGroupName, input.filterNamePrefix ?? ''), {
    scope: `subscription-filters:${input.logGroupName}`,
    token: input.nextToken,
    limit: input.limit ?? DEFAULT_DESCRIBE_LIMIT,
  });
  return {
    subscriptionFilters: page.items.map(([, filter]) => ({ ...filter, logGroupName: input.logGroupName })),
    nextToken: page.nextToken,
  };
}

export function deleteSubscriptionFilter(state: LogsState, input: DeleteSubscriptionFilterRequest): void {
  state.requireGroup(input.logGroupName);
  if (!state.subscriptionFilters.delete(filterKey(input.logGroupName, input.filterName))) {
    throw new ServiceError('ResourceNotFoundException', 'The specified subscription filter does not exist.');
  }
}

export function putMetricFilter(state: LogsState, input: PutMetricFilterRequest, now: number): void {
  state.requireGroup(input.logGroupName);
  compilePattern(input.filterPattern);
  const key = filterKey(input.logGroupName, input.filterName);
  const existing = state.metricFilters.get(key);
  if (!existing && state.metricFilters.count(groupKeyPrefix(input.logGroupName)) >= MAX_METRIC_FILTERS) throw limitExceeded();
  state.metricFilters.put(key, {
    filterName: input.filterName,
    filterPattern: input.filterPattern,
    metricTransformations: input.metricTransformations,
    applyOnTransformedLogs: input.applyOnTransformedLogs ?? false,
    creationTime: existing?.creationTime ?? now,
  });
}

/**
 * Without logGroupName the filters of every group are listed (filterNamePrefix applies only together
 * with logGroupName, as the API reference says); metricName and metricNamespace narrow either listing.
 */
export function describeMetricFilters(state: LogsState, input: DescribeMetricFiltersRequest): DescribeMetricFiltersResponse {
  if (input.logGroupName !== undefined) state.requireGroup(input.logGroupName);
  const prefix = input.logGroupName === undefined ? '' : filterKey(input.logGroupName, input.filterNamePrefix ?? '');
  const page = pageRecords(
    state.metricFilters,
    prefix,
    { scope: `metric-filters:${input.logGroupName ?? ''}`, token: input.nextToken, limit: input.limit ?? DEFAULT_DESCRIBE_LIMIT },
    (filter) =>
      filter.metricTransformations.some(
        (transformation) =>
          (input.metricName === undefined || transformation.metricName === input.metricName) &&
          (input.metricNamespace === undefined || transformation.metricNamespace === input.metricNamespace),
      ),
  );
  return {
    metricFilters: page.items.map(([key, filter]) => ({ ...filter, logGroupName: groupOfKey(key) })),
    nextToken: page.nextToken,
  };
}

export function deleteMetricFilter(state: LogsState, input: DeleteMetricFilterRequest): void {
  state.requireGroup(input.logGroupName);
  if (!state.metricFilters.delete(filterKey(input.logGroupName, input.filterName))) {
    throw new ServiceError('ResourceNotFoundException', 'The specified metric filter does not exist.');
  }
}
