/**
 * Amazon CloudWatch Logs: log groups, log streams and their events, retention, tags, and the subscription
 * and metric filters recorded on a group.
 *
 * Known limitations:
 * - Subscription filters and metric filters are recorded and their patterns validated, but nothing is
 *   delivered to their destinations and no metric is published yet; PutLogEvents announces each write on
 *   the bus (`logs:events-put`) for the delivery that will listen there. Destinations are not checked.
 * - storedBytes counts the UTF-8 bytes of the messages held, not AWS's compressed archive size, and is
 *   exact at once where AWS updates it lazily. Expired events are hidden from every read at once and are
 *   removed from storage a batch at a time when their stream is next written to.
 * - Tags, TagResource and ListTagsForResource cover log groups only (no destinations or deliveries).
 * - KMS keys are recorded, not checked; deletion protection guards DeleteLogGroup only.
 * - Cross-account observability parameters (accountIdentifiers, includeLinkedAccounts), unmask, entity,
 *   fieldSelectionCriteria and emitSystemFields are accepted and ignored. Log Insights queries, transformers,
 *   deliveries, exports, anomaly detection and Live Tail answer NotImplemented.
 */
import type {
  CreateLogGroupRequest,
  CreateLogStreamRequest,
  DeleteLogGroupRequest,
  DeleteLogStreamRequest,
  DeleteMetricFilterRequest,
  DeleteRetentionPolicyRequest,
  DeleteSubscriptionFilterRequest,
  DescribeLogGroupsRequest,
  DescribeLogGroupsResponse,
  DescribeLogStreamsRequest,
  DescribeLogStreamsResponse,
  DescribeMetricFiltersRequest,
  DescribeMetricFiltersResponse,
  DescribeSubscriptionFiltersRequest,
  DescribeSubscriptionFiltersResponse,
  FilterLogEventsRequest,
  FilterLogEventsResponse,
  GetLogEventsRequest,
  GetLogEventsResponse,
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  ListTagsLogGroupRequest,
  ListTagsLogGroupResponse,
  LogGroup,
  LogsApi,
  LogStream,
  PutLogEventsRequest,
  PutLogEventsResponse,
  PutLogGroupDeletionProtectionRequest,
  PutMetricFilterRequest,
  PutRetentionPolicyRequest,
  PutSubscriptionFilterRequest,
  TagLogGroupRequest,
  TagResourceRequest,
  UntagLogGroupRequest,
  UntagResourceRequest,
} from '../../generated/logs.js';
import { ServiceError } from '../../shared/errors.js';
import { LOGS_BEFORE_READ } from '../../shared/event-bus.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ServiceRuntime } from '../service.js';
import type { Page } from '../shared/next-token.js';
import { appendLogEvents, sequenceToken } from './append-events.js';
import { filterLogEvents } from './filter-log-events.js';
import * as filters from './filters.js';
import { getLogEvents } from './get-log-events.js';
import type { LogGroupRecord, LogStreamRecord } from './model.js';
import { eventKeyPrefix, groupKeyPrefix, invalidParameter, LogsState, streamKey } from './model.js';
import { pageRecords, pageSorted } from './pagination.js';
import { checkRetentionDays } from './retention.js';
import { addTags, groupNameForTagging, removeTags } from './tags.js';

const DEFAULT_DESCRIBE_LIMIT = 50;

export function createLogsProvider(runtime: ServiceRuntime): Partial<LogsApi> {
  const stateFor = (ctx: RequestContext): LogsState => new LogsState(runtime.store, ctx.account, ctx.region);
  /** Services that batch their log writes (Lambda's function logs) write what they hold before a read sees the store. */
  const writesHeldBack = (ctx: RequestContext): Promise<void> => runtime.bus.emitAndWait({ topic: LOGS_BEFORE_READ, account: ctx.account, region: ctx.region, detail: {} });

  /** DescribeLogGroups' view of a group; with logGroupNamePattern AWS returns a shorter one. */
  const describeGroup = (state: LogsState, group: LogGroupRecord, brief: boolean): LogGroup => {
    const logGroupArn = state.logGroupArn(group.name);
    const summary: LogGroup = {
      logGroupName: group.name,
      creationTime: group.creationTime,
      metricFilterCount: state.metricFilters.count(groupKeyPrefix(group.name)),
      arn: `${logGroupArn}:*`,
      logGroupClass: group.logGroupClass,
      logGroupArn,
    };
    if (brief) return summary;
    return {
      ...summary,
      retentionInDays: group.retentionInDays,
      storedBytes: group.storedBytes,
      kmsKeyId: group.kmsKeyId,
      deletionProtectionEnabled: group.deletionProtectionEnabled,
    };
  };

  const describeStream = (state: LogsState, group: string, stream: LogStreamRecord): LogStream => ({
    logStreamName: stream.name,
    creationTime: stream.creationTime,
    firstEventTimestamp: stream.firstEventTimestamp,
    lastEventTimestamp: stream.lastEventTimestamp,
    lastIngestionTime: stream.lastIngestionTime,
    uploadSequenceToken: stream.uploads > 0 ? sequenceToken(stream.uploads) : undefined,
    arn: state.logStreamArn(group, stream.name),
    // "storedBytes ... is always reported as zero" since June 17, 2019 (LogStream data type reference).
    storedBytes: 0,
  });

  const updateGroup = (ctx: RequestContext, name: string, change: (group: LogGroupRecord) => LogGroupRecord): void => {
    const state = stateFor(ctx);
    state.groups.put(name, change(state.requireGroup(name)));
  };

  return {
    CreateLogGroup(input: CreateLogGroupRequest, ctx: RequestContext): Record<string, never> {
      const state = stateFor(ctx);
      if (state.groups.get(input.logGroupName)) {
        throw new ServiceError('ResourceAlreadyExistsException', 'The specified log group already exists');
      }
      state.groups.put(input.logGroupName, {
        name: input.logGroupName,
        creationTime: runtime.clock.now(),
        kmsKeyId: input.kmsKeyId,
        logGroupClass: input.logGroupClass ?? 'STANDARD',
        deletionProtectionEnabled: input.deletionProtectionEnabled ?? false,
        tags: input.tags ?? {},
        storedBytes: 0,
      });
      return {};
    },

    DeleteLogGroup(input: DeleteLogGroupRequest, ctx: RequestContext): Record<string, never> {
      const state = stateFor(ctx);
      const group = state.requireGroup(input.logGroupName);
      if (group.deletionProtectionEnabled) {
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/protecting-log-groups-from-deletion.html
        throw new ServiceError('ValidationException', 'Cannot delete log group with deletion protection enabled. Disable deletion protection first.');
      }
      const prefix = groupKeyPrefix(input.logGroupName);
      runtime.store.transaction(() => {
        state.groups.delete(input.logGroupName);
        state.streams.deletePrefix(prefix);
        state.events.deletePrefix(prefix);
        state.subscriptionFilters.deletePrefix(prefix);
        state.metricFilters.deletePrefix(prefix);
      });
      return {};
    },

    async DescribeLogGroups(input: DescribeLogGroupsRequest, ctx: RequestContext): Promise<DescribeLogGroupsResponse> {
      await writesHeldBack(ctx);
      const state = stateFor(ctx);
      const pattern = input.logGroupNamePattern;
      if (input.logGroupNamePrefix !== undefined && pattern !== undefined) {
        throw invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
      }
      const identifiers = input.logGroupIdentifiers && new Set(input.logGroupIdentifiers.map((id) => (id.startsWith('arn:') ? state.groupNameFromArn(id) : id)));
      // The pattern is a case-sensitive substring (DescribeLogGroups API reference); results are ASCII-sorted by name.
      const page = pageRecords(
        state.groups,
        input.logGroupNamePrefix ?? '',
        { scope: 'log-groups', token: input.nextToken, limit: input.limit ?? DEFAULT_DESCRIBE_LIMIT },
        (group) =>
          (pattern === undefined || group.name.includes(pattern)) &&
          (input.logGroupClass === undefined || group.logGroupClass === input.logGroupClass) &&
          (identifiers === undefined || identifiers.has(group.name)),
      );
      return { logGroups: page.items.map(([, group]) => describeGroup(state, group, pattern !== undefined)), nextToken: page.nextToken };
    },

    PutRetentionPolicy(input: PutRetentionPolicyRequest, ctx: RequestContext): Record<string, never> {
      checkRetentionDays(input.retentionInDays);
      updateGroup(ctx, input.logGroupName, (group) => ({ ...group, retentionInDays: input.retentionInDays }));
      return {};
    },

    DeleteRetentionPolicy(input: DeleteRetentionPolicyRequest, ctx: RequestContext): Record<string, never> {
      updateGroup(ctx, input.logGroupName, ({ retentionInDays: _dropped, ...group }) => group);
      return {};
    },

    PutLogGroupDeletionProtection(input: PutLogGroupDeletionProtectionRequest, ctx: RequestContext): Record<string, never> {
      const name = stateFor(ctx).resolveGroupName({ logGroupIdentifier: input.logGroupIdentifier });
      updateGroup(ctx, name, (group) => ({ ...group, deletionProtectionEnabled: input.deletionProtectionEnabled }));
      return {};
    },

    CreateLogStream(input: CreateLogStreamRequest, ctx: RequestContext): Record<string, never> {
      const state = stateFor(ctx);
      state.requireGroup(input.logGroupName);
      const key = streamKey(input.logGroupName, input.logStreamName);
      if (state.streams.get(key)) throw new ServiceError('ResourceAlreadyExistsException', 'The specified log stream already exists');
      state.streams.put(key, { name: input.logStreamName, creationTime: runtime.clock.now(), storedBytes: 0, lastSequence: 0, uploads: 0 });
      return {};
    },

    DeleteLogStream(input: DeleteLogStreamRequest, ctx: RequestContext): Record<string, never> {
      const state = stateFor(ctx);
      runtime.store.transaction(() => {
        const group = state.requireGroup(input.logGroupName);
        const stream = state.requireStream(input.logGroupName, input.logStreamName);
        state.streams.delete(streamKey(input.logGroupName, input.logStreamName));
        state.events.deletePrefix(eventKeyPrefix(input.logGroupName, input.logStreamName));
        state.groups.put(group.name, { ...group, storedBytes: group.storedBytes - stream.storedBytes });
      });
      return {};
    },

    async DescribeLogStreams(input: DescribeLogStreamsRequest, ctx: RequestContext): Promise<DescribeLogStreamsResponse> {
      await writesHeldBack(ctx);
      const state = stateFor(ctx);
      const orderBy = input.orderBy ?? 'LogStreamName';
      if (orderBy === 'LastEventTime' && input.logStreamNamePrefix !== undefined) {
        throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
      }
      const group = state.requireGroup(state.resolveGroupName(input));
      const request = {
        scope: `log-streams:${group.name}:${orderBy}:${input.descending ? 'descending' : 'ascending'}`,
        token: input.nextToken,
        limit: input.limit ?? DEFAULT_DESCRIBE_LIMIT,
        descending: input.descending,
      };
      const prefix = groupKeyPrefix(group.name);
      let page: Page<LogStreamRecord>;
      if (orderBy === 'LogStreamName') {
        const records = pageRecords(state.streams, prefix + (input.logStreamNamePrefix ?? ''), request);
        page = { items: records.items.map(([, stream]) => stream), nextToken: records.nextToken };
      } else {
        // Streams without events sort as if their last event were at time 0; ties go by name.
        const sortKey = (stream: LogStreamRecord): string => `${String(stream.lastEventTimestamp ?? 0).padStart(15, '0')}:${stream.name}`;
        const streams = state.streams.list({ prefix }).map(([, stream]) => stream);
        streams.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
        if (input.descending) streams.reverse();
        page = pageSorted(streams, sortKey, request);
      }
      return { logStreams: page.items.map((stream) => describeStream(state, group.name, stream)), nextToken: page.nextToken };
    },

    PutLogEvents(input: PutLogEventsRequest, ctx: RequestContext): PutLogEventsResponse {
      return appendLogEvents(runtime, ctx.account, ctx.region, input.logGroupName, input.logStreamName, input.logEvents);
    },

    async GetLogEvents(input: GetLogEventsRequest, ctx: RequestContext): Promise<GetLogEventsResponse> {
      await writesHeldBack(ctx);
      const state = stateFor(ctx);
      const group = state.requireGroup(state.resolveGroupName(input));
      state.requireStream(group.name, input.logStreamName);
      return getLogEvents(state, group, input.logStreamName, input, runtime.clock.now());
    },

    async FilterLogEvents(input: FilterLogEventsRequest, ctx: RequestContext): Promise<FilterLogEventsResponse> {
      await writesHeldBack(ctx);
      const state = stateFor(ctx);
      const group = state.requireGroup(state.resolveGroupName(input));
      return filterLogEvents(state, group, input, runtime.clock.now());
    },

    TagLogGroup(input: TagLogGroupRequest, ctx: RequestContext): Record<string, never> {
      addTags(stateFor(ctx), input.logGroupName, input.tags);
      return {};
    },

    UntagLogGroup(input: UntagLogGroupRequest, ctx: RequestContext): Record<string, never> {
      removeTags(stateFor(ctx), input.logGroupName, input.tags);
      return {};
    },

    ListTagsLogGroup(input: ListTagsLogGroupRequest, ctx: RequestContext): ListTagsLogGroupResponse {
      return { tags: stateFor(ctx).requireGroup(input.logGroupName).tags };
    },

    TagResource(input: TagResourceRequest, ctx: RequestContext): Record<string, never> {
      const state = stateFor(ctx);
      addTags(state, groupNameForTagging(state, input.resourceArn), input.tags);
      return {};
    },

    UntagResource(input: UntagResourceRequest, ctx: RequestContext): Record<string, never> {
      const state = stateFor(ctx);
      removeTags(state, groupNameForTagging(state, input.resourceArn), input.tagKeys);
      return {};
    },

    ListTagsForResource(input: ListTagsForResourceRequest, ctx: RequestContext): ListTagsForResourceResponse {
      const state = stateFor(ctx);
      return { tags: state.requireGroup(groupNameForTagging(state, input.resourceArn)).tags };
    },

    PutSubscriptionFilter(input: PutSubscriptionFilterRequest, ctx: RequestContext): Record<string, never> {
      filters.putSubscriptionFilter(stateFor(ctx), input, runtime.clock.now());
      return {};
    },

    DescribeSubscriptionFilters(input: DescribeSubscriptionFiltersRequest, ctx: RequestContext): DescribeSubscriptionFiltersResponse {
      return filters.describeSubscriptionFilters(stateFor(ctx), input);
    },

    DeleteSubscriptionFilter(input: DeleteSubscriptionFilterRequest, ctx: RequestContext): Record<string, never> {
      filters.deleteSubscriptionFilter(stateFor(ctx), input);
      return {};
    },

    PutMetricFilter(input: PutMetricFilterRequest, ctx: RequestContext): Record<string, never> {
      filters.putMetricFilter(stateFor(ctx), input, runtime.clock.now());
      return {};
    },

    DescribeMetricFilters(input: DescribeMetricFiltersRequest, ctx: RequestContext): DescribeMetricFiltersResponse {
      return filters.describeMetricFilters(stateFor(ctx), input);
    },

    DeleteMetricFilter(input: DeleteMetricFilterRequest, ctx: RequestContext): Record<string, never> {
      filters.deleteMetricFilter(stateFor(ctx), input);
      return {};
    },
  };
}
