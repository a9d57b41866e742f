/**
 * Delivers log lines to CloudWatch Logs through the logs service, off the request's critical path:
 * lines are queued and written right after the current turn of the event loop, batched per stream,
 * so the client's answer never waits for them. Delivery failures (a deleted group) drop the lines,
 * as API Gateway drops logs it cannot deliver.
 */
import { randomBytes } from 'node:crypto';
import { isServiceError } from '../../../shared/errors.js';
import { logger } from '../../../shared/log.js';
import type { ServiceRuntime } from '../../service.js';
import type { ApiLocation } from '../api-record.js';

const log = logger('apigateway');

export interface LogDestination {
  target: ApiLocation;
  group: string;
  stream: string;
  /** Execution log groups are API Gateway's own and made on first use; access log groups must exist. */
  createGroup: boolean;
}

interface Pending {
  destination: LogDestination;
  events: { timestamp: number; message: string }[];
}

/** PutLogEvents takes at most 10,000 events per call. */
const MAX_EVENTS_PER_CALL = 10_000;

class LogDelivery {
  private readonly readyStreams = new Set<string>();
  private pending = new Map<string, Pending>();
  private flushing: Promise<void> | undefined;
  /** Stream names by purpose and stage: API Gateway writes a stage's logs to long-lived streams named by a hash. */
  private readonly streamNames = new Map<string, string>();

  constructor(private readonly runtime: ServiceRuntime) {}

  streamFor(purpose: string): string {
    let name = this.streamNames.get(purpose);
    if (!name) {
      name = randomBytes(16).toString('hex');
      this.streamNames.set(purpose, name);
    }
    return name;
  }

  enqueue(destination: LogDestination, messages: string[], timestamp: number): void {
    if (messages.length === 0) return;
    const key = JSON.stringify([destination.target.account, destination.target.region, destination.group, destination.stream]);
    const pending = this.pending.get(key) ?? { destination, events: [] };
    for (const message of messages) pending.events.push({ timestamp, message });
    this.pending.set(key, pending);
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
  }

  forget(): void {
    this.readyStreams.clear();
    this.streamNames.clear();
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    for (const [key, { destination, events }] of batch) {
      for (let i = 0; i < events.length; i += MAX_EVENTS_PER_CALL) await this.write(key, destination, events.slice(i, i + MAX_EVENTS_PER_CALL));
    }
    this.flushing = this.pending.size > 0 ? new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush()) : undefined;
  }

  private async write(key: string, destination: LogDestination, logEvents: { timestamp: number; message: string }[]): Promise<void> {
    const { target, group: logGroupName, stream: logStreamName } = destination;
    const { client } = this.runtime;
    try {
      if (!this.readyStreams.has(key)) {
        if (destination.createGroup) await ignoringExisting(client.call('logs', 'CreateLogGroup', { logGroupName }, target));
        await ignoringExisting(client.call('logs', 'CreateLogStream', { logGroupName, logStreamName }, target));
        this.readyStreams.add(key);
      }
      await client.call('logs', 'PutLogEvents', { logGroupName, logStreamName, logEvents }, target);
    } catch (error) {
      this.readyStreams.delete(key);
      log.warn(`could not deliver API Gateway logs to ${logGroupName}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

async function ignoringExisting(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (!(isServiceError(error) && error.code === 'ResourceAlreadyExistsException')) throw error;
  }
}

const deliveries = new WeakMap<ServiceRuntime, LogDelivery>();

export function logDelivery(runtime: ServiceRuntime): LogDelivery {
  let delivery = deliveries.get(runtime);
  if (!delivery) {
    const created = new LogDelivery(runtime);
    runtime.lifecycle.onReset(() => {
      created.forget();
    });
    deliveries.set(runtime, created);
    delivery = created;
  }
  return delivery;
}
