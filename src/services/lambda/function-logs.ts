/**
 * A function's logs, written as Lambda writes them to CloudWatch Logs: the group /aws/lambda/<name>, one
 * stream per execution environment (`2024/01/02/[$LATEST]<32 hex>`), and per invocation the lines
 * START, the runtime's output, END and REPORT
 * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html).
 */
import { randomBytes } from 'node:crypto';
import { isServiceError } from '../../shared/errors.js';
import { logger } from '../../shared/log.js';
import type { EventBus } from '../../shared/event-bus.js';
import { LOGS_BEFORE_READ } from '../../shared/event-bus.js';
import type { InternalClient } from '../internal-client.js';
import type { PooledOutcome } from './runtime/pool.js';

const log = logger('lambda');

export function logStreamName(version: string, now: Date): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${day}/[${version}]${randomBytes(16).toString('hex')}`;
}

export interface InvocationLogContext {
  requestId: string;
  version: string;
  runtime: string;
  memorySize: number;
}

/** The lines of one invocation, init phase included on a cold start. */
export function invocationLogLines(context: InvocationLogContext, outcome: PooledOutcome): string[] {
  const lines: string[] = [];
  if (outcome.init) {
    lines.push(`INIT_START Runtime Version: ${context.runtime}`);
    if (outcome.init.ok) lines.push(...outcome.init.logs);
  }
  lines.push(`START RequestId: ${context.requestId} Version: ${context.version}`);
  if (outcome.init && !outcome.init.ok) lines.push(...outcome.init.logs);
  lines.push(...outcome.logs);
  lines.push(`END RequestId: ${context.requestId}`);
  const billed = Math.max(1, Math.ceil(outcome.durationMs));
  let report = `REPORT RequestId: ${context.requestId}\tDuration: ${outcome.durationMs.toFixed(2)} ms\tBilled Duration: ${String(billed)} ms\tMemory Size: ${String(context.memorySize)} MB\tMax Memory Used: ${String(outcome.maxMemoryUsedMb)} MB\t`;
  if (outcome.init?.ok) report += `Init Duration: ${outcome.init.durationMs.toFixed(2)} ms\t`;
  if (outcome.status === 'timeout') report += 'Status: timeout';
  else if (outcome.status === 'crash' || outcome.status === 'out-of-memory') report += `Status: error\tError Type: ${outcome.errorType ?? 'Runtime.ExitError'}`;
  lines.push(report.trimEnd());
  return lines;
}

/** The last 4 KB of an invocation's log, base64, for `LogType: Tail`. */
export function logTail(lines: string[]): string {
  const text = Buffer.from(`${lines.join('\n')}\n`);
  return text.subarray(Math.max(0, text.length - 4096)).toString('base64');
}

interface PendingWrite {
  target: { account: string; region: string };
  group: string;
  stream: string;
  events: { timestamp: number; message: string }[];
}

/** PutLogEvents takes at most 10,000 events per call. */
const MAX_EVENTS_PER_CALL = 10_000;

/**
 * While Nimbus is saturated, how long lines wait to be written with others: one store commit per stream
 * and batch, not per invocation (each commit writes its pages to the WAL). Reads never see the delay
 * (LOGS_BEFORE_READ); a follower of the log stream sees lines up to this much later.
 */
const SATURATED_FLUSH_MS = 100;

/**
 * Writes lines to a function's log group and stream, creating both on first use as Lambda does. Writes
 * are queued and flushed right after the current turn of the event loop, so the invocation's answer
 * does not wait for them (Lambda's logs also arrive just after the response); while Nimbus is saturated
 * they wait up to SATURATED_FLUSH_MS to be written together. Either way a CloudWatch Logs read first
 * has everything queued written (the LOGS_BEFORE_READ bus topic), so it never misses a line.
 */
export class FunctionLogWriter {
  private readonly knownStreams = new Set<string>();
  private pending = new Map<string, PendingWrite>();
  private flushing: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Enqueue calls so far, and how many of them are written: a reader waits for its own, not for later ones. */
  private enqueued = 0;
  private written = 0;
  /** Stops listening to the bus. */
  readonly detach: () => void;

  constructor(
    private readonly client: InternalClient,
    bus: EventBus,
    private readonly load: { saturated(): boolean },
  ) {
    this.detach = bus.on(LOGS_BEFORE_READ, () => this.settled());
  }

  enqueue(target: { account: string; region: string }, group: string, stream: string, lines: string[], now: number): void {
    const key = `${target.account}/${target.region}/${group}/${stream}`;
    const write = this.pending.get(key) ?? { target, group, stream, events: [] };
    for (const message of lines) write.events.push({ timestamp: now, message: message === '' ? ' ' : message });
    this.pending.set(key, write);
    this.enqueued++;
    this.flushing ??= this.nextFlush();
  }

  /** Resolves once everything queued so far is written (lines queued meanwhile do not hold it up). */
  async settled(): Promise<void> {
    const target = this.enqueued;
    while (this.written < target && this.flushing) {
      this.wake?.();
      await this.flushing;
    }
  }

  /** The next flush: after this turn of the event loop, or a little later while Nimbus is saturated. */
  private nextFlush(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (!this.load.saturated()) {
        setImmediate(resolve);
        return;
      }
      const timer = setTimeout(resolve, SATURATED_FLUSH_MS);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).then(() => this.flush());
  }

  private async flush(): Promise<void> {
    this.wake = undefined;
    const batch = this.pending;
    const covered = this.enqueued;
    this.pending = new Map();
    for (const write of batch.values()) {
      for (let i = 0; i < write.events.length; i += MAX_EVENTS_PER_CALL) {
        await this.write(write.target, write.group, write.stream, write.events.slice(i, i + MAX_EVENTS_PER_CALL));
      }
    }
    this.written = covered;
    this.flushing = this.pending.size ? this.nextFlush() : undefined;
  }

  private async write(target: { account: string; region: string }, group: string, stream: string, logEvents: { timestamp: number; message: string }[]): Promise<void> {
    const key = `${target.account}/${target.region}/${group}/${stream}`;
    try {
      if (!this.knownStreams.has(key)) {
        await this.ignoringExisting(this.client.call('logs', 'CreateLogGroup', { logGroupName: group }, target));
        await this.ignoringExisting(this.client.call('logs', 'CreateLogStream', { logGroupName: group, logStreamName: stream }, target));
        this.knownStreams.add(key);
      }
      await this.client.call('logs', 'PutLogEvents', { logGroupName: group, logStreamName: stream, logEvents }, target);
    } catch (error) {
      // The group may have been deleted since: forget the stream so the next write recreates it.
      this.knownStreams.delete(key);
      log.warn(`could not write function logs to ${group}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  forget(): void {
    this.knownStreams.clear();
  }

  private async ignoringExisting(call: Promise<unknown>): Promise<void> {
    try {
      await call;
    } catch (error) {
      if (!(isServiceError(error) && error.code === 'ResourceAlreadyExistsException')) throw error;
    }
  }
}
