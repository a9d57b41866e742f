/**
 * The CloudWatch Logs record model: log groups, log streams, log events and filters as store records,
 * their keys, their ARNs, and the lookups every operation starts with.
 *
 * Keys: a log group name cannot contain ':' (pattern [\.\-_/#A-Za-z0-9]+) and neither can a log stream or
 * filter name (pattern [^:*]*), so `group:` is a prefix that holds exactly one group's streams, events and
 * filters, and `group:stream:` exactly one stream's events.
 */
import type { Distribution, LogGroupClass, MetricTransformation } from '../../generated/logs.js';
import { formatArn, parseArn } from '../../shared/arn.js';
import { ServiceError } from '../../shared/errors.js';
import type { Collection, Store } from '../../store/store.js';
import { scopedName } from '../../store/store.js';

export interface LogGroupRecord {
  name: string;
  creationTime: number;
  retentionInDays?: number;
  kmsKeyId?: string;
  logGroupClass: LogGroupClass;
  deletionProtectionEnabled: boolean;
  tags: Record<string, string>;
  /** UTF-8 bytes of the messages its streams hold. */
  storedBytes: number;
}

export interface LogStreamRecord {
  name: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  /** UTF-8 bytes of the messages it holds (reported as 0: AWS stopped reporting it per stream in 2019). */
  storedBytes: number;
  /** The ingestion sequence of the newest event: it orders events that share a timestamp. */
  lastSequence: number;
  /** How many PutLogEvents calls it took: the source of its sequence tokens. */
  uploads: number;
}

export interface StoredLogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

/**
 * The events of one PutLogEvents call kept as one record, keyed by the position of the first: storing
 * each event alone cost more than the rest of a Lambda invocation's logging. A run is only written when
 * its events sort after everything its stream holds, and runs are split back into single events before
 * an out-of-order write lands among them, so no other record's position ever falls inside a run.
 * Its events took consecutive sequences, starting with the one in its key.
 */
export interface StoredEventRun {
  run: { timestamp: number; message: string }[];
  ingestionTime: number;
}

/** A record of the events collection: one event, or a run of them. */
export type StoredEventRecord = StoredLogEvent | StoredEventRun;

export function isRun(record: StoredEventRecord): record is StoredEventRun {
  return 'run' in record;
}

export interface SubscriptionFilterRecord {
  filterName: string;
  filterPattern: string;
  destinationArn: string;
  roleArn?: string;
  distribution: Distribution;
  applyOnTransformedLogs: boolean;
  creationTime: number;
}

export interface MetricFilterRecord {
  filterName: string;
  filterPattern: string;
  metricTransformations: MetricTransformation[];
  applyOnTransformedLogs: boolean;
  creationTime: number;
}

export const groupKeyPrefix = (group: string): string => `${group}:`;
export const streamKey = (group: string, stream: string): string => `${group}:${stream}`;
export const eventKeyPrefix = (group: string, stream: string): string => `${group}:${stream}:`;
export const filterKey = (group: string, filterName: string): string => `${group}:${filterName}`;

export function logGroupNotFound(): ServiceError {
  return new ServiceError('ResourceNotFoundException', 'The specified log group does not exist.');
}

export function logStreamNotFound(): ServiceError {
  return new ServiceError('ResourceNotFoundException', 'The specified log stream does not exist.');
}

export function invalidParameter(message: string): ServiceError {
  return new ServiceError('InvalidParameterException', message);
}

/** One account's and region's CloudWatch Logs state. */
export class LogsState {
  readonly groups: Collection<LogGroupRecord>;
  readonly streams: Collection<LogStreamRecord>;
  readonly events: Collection<StoredEventRecord>;
  readonly subscriptionFilters: Collection<SubscriptionFilterRecord>;
  readonly metricFilters: Collection<MetricFilterRecord>;

  constructor(
    store: Store,
    readonly account: string,
    readonly region: string,
  ) {
    const collection = <T>(name: string): Collection<T> => store.collection<T>(scopedName('logs', account, region, name));
    this.groups = collection('groups');
    this.streams = collection('streams');
    this.events = collection('events');
    this.subscriptionFilters = collection('subscription-filters');
    this.metricFilters = collection('metric-filters');
  }

  requireGroup(name: string): LogGroupRecord {
    const group = this.groups.get(name);
    if (!group) throw logGroupNotFound();
    return group;
  }

  requireStream(group: string, stream: string): LogStreamRecord {
    const record = this.streams.get(streamKey(group, stream));
    if (!record) throw logStreamNotFound();
    return record;
  }

  /** The ARN without a suffix: what `logGroupArn` reports and what tagging takes. */
  logGroupArn(group: string): string {
    return formatArn({ service: 'logs', region: this.region, account: this.account, resource: `log-group:${group}` });
  }

  logStreamArn(group: string, stream: string): string {
    return `${this.logGroupArn(group)}:log-stream:${stream}`;
  }

  /**
   * The log group an ARN names, if it names one in this account and region. Only the form without the
   * trailing `:*` can arrive: the models' ARN patterns ([\w+=/:,.@-]*) refuse '*'.
   */
  groupNameFromArn(arn: string): string | undefined {
    const parsed = parseArn(arn);
    if (parsed?.service !== 'logs' || parsed.region !== this.region || parsed.account !== this.account) return undefined;
    return /^log-group:([^:]+)$/.exec(parsed.resource)?.[1];
  }

  /**
   * The log group of an operation that takes `logGroupName` or `logGroupIdentifier` (a name or an ARN).
   * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogStreams.html
   */
  resolveGroupName(input: { logGroupName?: string; logGroupIdentifier?: string }): string {
    const { logGroupName, logGroupIdentifier } = input;
    if (logGroupName !== undefined && logGroupIdentifier !== undefined) {
      throw new ServiceError('ValidationException', 'LogGroup name and LogGroup ARN are mutually exclusive parameters.');
    }
    if (logGroupName !== undefined) return logGroupName;
    if (logGroupIdentifier === undefined) {
      // AWS documents that one of the two is required but not the message it answers with.
      throw invalidParameter('Either logGroupName or logGroupIdentifier must be specified.');
    }
    if (!logGroupIdentifier.startsWith('arn:')) return logGroupIdentifier;
    const name = this.groupNameFromArn(logGroupIdentifier);
    if (name === undefined) throw logGroupNotFound();
    return name;
  }
}
