import type { EventDetails, HistoryEvent } from '../../engines/asl/index.js';
import type { LoggingConfiguration } from '../../generated/stepfunctions.js';
import { stableId } from '../../shared/ids.js';
import type { InternalClient } from '../internal-client.js';

/**
 * Writes execution history to CloudWatch Logs per the state machine's
 * loggingConfiguration, one JSON log event per history event, in the shape
 * of https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html:
 * level ALL logs every event, ERROR the failures, FATAL only the ends of
 * failed executions; includeExecutionData=false drops inputs and outputs.
 * Logging must never fail an execution, so delivery errors (a missing log
 * group, say) are dropped, as AWS drops undeliverable logs.
 */
const FATAL_TYPES = new Set(['ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);

function isErrorType(type: string): boolean {
  return FATAL_TYPES.has(type) || /(Failed|TimedOut|StartFailed|ScheduleFailed|SubmitFailed)$/.test(type);
}

function shouldLog(level: LoggingConfiguration['level'], type: string): boolean {
  if (level === 'ALL') return true;
  if (level === 'ERROR') return isErrorType(type);
  if (level === 'FATAL') return FATAL_TYPES.has(type);
  return false;
}

export interface LoggedExecution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly startDate: number;
  readonly logging?: LoggingConfiguration;
}

export class ExecutionLogger {
  /** Per execution, the delivery chain, so its events land in order. */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly client: InternalClient) {}

  write(execution: LoggedExecution, events: readonly HistoryEvent[], finished: boolean): void {
    const logging = execution.logging;
    const groupArn = logging?.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn;
    if (logging === undefined || groupArn === undefined) return;
    const selected = events.filter((event) => shouldLog(logging.level, event.type));
    const arn = execution.executionArn;
    if (selected.length === 0 && !finished) return;
    const [, , , region, account, , logGroupName] = groupArn.split(':');
    const target = { account, region };
    const streamName = logStreamName(execution);
    const first = !this.chains.has(arn);
    const previous = this.chains.get(arn) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (first) await this.client.call('logs', 'CreateLogStream', { logGroupName, logStreamName: streamName }, target).catch(() => undefined);
      if (selected.length === 0) return;
      const logEvents = selected.map((event) => ({ timestamp: event.timestamp, message: JSON.stringify(logRecord(execution, event, logging.includeExecutionData ?? false)) }));
      await this.client.call('logs', 'PutLogEvents', { logGroupName, logStreamName: streamName, logEvents }, target).catch(() => undefined);
    });
    this.chains.set(arn, next);
    if (finished) void next.then(() => this.chains.delete(arn));
  }

  forget(): void {
    this.chains.clear();
  }
}

/** Streams are named states/<machine>/<start minute>/<id>, one per execution. */
function logStreamName(execution: LoggedExecution): string {
  const minute = new Date(execution.startDate).toISOString().slice(0, 16).replace(/[T:]/g, '-');
  return `states/${execution.stateMachineArn.split(':')[6]}/${minute}/${stableId(execution.executionArn, 8).toLowerCase()}`;
}

function logRecord(execution: LoggedExecution, event: HistoryEvent, includeData: boolean): Record<string, unknown> {
  const detailsEntry = Object.entries(event).find(([key]) => key.endsWith('EventDetails')) as [string, EventDetails] | undefined;
  const details: Record<string, unknown> = { ...(detailsEntry?.[1] ?? {}) };
  if (!includeData) {
    delete details.input;
    delete details.output;
    delete details.parameters;
  }
  return {
    id: String(event.id),
    type: event.type,
    details,
    previous_event_id: String(event.previousEventId),
    event_timestamp: String(event.timestamp),
    execution_arn: execution.executionArn,
    redrive_count: '0',
  };
}
