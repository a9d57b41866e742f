/**
 * Runs queued asynchronous events in the background, a bounded number at a time, with Lambda's retry
 * rules (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html):
 *
 * - a function error is retried up to MaximumRetryAttempts times (default 2), one minute after the first
 *   attempt and two minutes after the second;
 * - a throttle (the function's reserved concurrency or the account's limit is in use) or a system error
 *   puts the event back with a back-off growing from 1 second to 5 minutes, without counting an attempt;
 * - an event whose next attempt would come at or after MaximumEventAgeInSeconds (default 6 hours) is
 *   discarded as EventAgeExceeded, one that failed with no retries left as RetriesExhausted, and one for
 *   a function with reserved concurrency 0 at once, unrun, as ZeroReservedConcurrency
 *   (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html);
 * - a discarded event goes to the OnFailure destination and the function's dead-letter queue, a
 *   successful one to the OnSuccess destination.
 *
 * Every wait is on the runtime clock, so a ManualClock moves retries forward in tests.
 */
import { logger } from '../../../shared/log.js';
import { functionArn, LATEST, logGroupName } from '../function-record.js';
import { logStreamName } from '../function-logs.js';
import type { LambdaService, ResolvedFunction } from '../lambda-service.js';
import { ThrottledError } from '../runtime/pool.js';
import type { DeliverySource } from './delivery.js';
import { DestinationDelivery } from './delivery.js';
import type { AsyncSettings } from './event-invoke-config.js';
import { asyncSettings, EventInvokeConfigStore } from './event-invoke-config.js';
import type { QueuedEvent } from './event-queue.js';
import { EventQueue } from './event-queue.js';
import type { InvocationCondition } from './invocation-record.js';
import { deadLetter, errorMessageOf, invocationRecord } from './invocation-record.js';

const log = logger('lambda');

/** Events running at once: enough to keep functions busy without starting a process per queued event. */
const MAX_CONCURRENT_DISPATCHES = 10;
/** After the n-th failed attempt the next one waits n minutes. */
const RETRY_STEP_MS = 60_000;
const FIRST_THROTTLE_DELAY_MS = 1000;
const MAX_THROTTLE_DELAY_MS = 5 * 60_000;

/** A throttle as a dead-letter queue message reports it: the status and message Invoke would answer. */
const THROTTLED = { statusCode: 429, message: 'Rate Exceeded.' };

/** One pass of an event through the dispatcher. */
interface Run {
  event: QueuedEvent;
  target: ResolvedFunction;
  settings: AsyncSettings;
  /** When the event becomes too old to run (epoch milliseconds). */
  expiresAt: number;
  generation: number;
}

export class AsyncDispatcher {
  private readonly queue: EventQueue;
  private readonly delivery: DestinationDelivery;
  /** Events due now, in the order they became due. */
  private readonly ready: string[] = [];
  private readonly timers = new Map<string, () => void>();
  private running = 0;
  private pumpScheduled = false;
  /** Bumped by a reset: work started before it must not write into the wiped store. */
  private generation = 0;
  private stopped = false;

  constructor(private readonly service: LambdaService) {
    const { runtime } = service;
    this.queue = new EventQueue(runtime.store);
    this.delivery = new DestinationDelivery(runtime, service.logs);
    runtime.lifecycle.onReset(() => {
      this.generation++;
      this.forgetScheduled();
    });
    runtime.lifecycle.onStop(() => {
      this.stopped = true;
      this.forgetScheduled();
    });
    // Events accepted before a restart carry on where they were.
    for (const event of this.queue.pending()) this.wake(event);
  }

  /** Takes an event in: it is in the store when this returns, so the caller may answer 202. */
  enqueue(event: QueuedEvent): void {
    this.queue.put(event);
    this.wake(event);
  }

  private wake(event: QueuedEvent): void {
    const wait = event.dueAt - this.service.runtime.clock.now();
    if (wait <= 0) {
      this.makeReady(event.id);
      return;
    }
    const cancel = this.service.runtime.clock.schedule(wait, () => {
      this.timers.delete(event.id);
      this.makeReady(event.id);
    });
    this.timers.set(event.id, cancel);
  }

  private makeReady(id: string): void {
    this.ready.push(id);
    this.schedulePump();
  }

  /** Dispatching starts on a later turn of the event loop: never inside the Invoke request that queued it. */
  private schedulePump(): void {
    if (this.pumpScheduled || this.stopped) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (!this.stopped && this.running < MAX_CONCURRENT_DISPATCHES && this.ready.length > 0) {
      const id = this.ready.shift()!;
      this.running++;
      this.dispatch(id, this.generation)
        .catch((error: unknown) => {
          log.error(`asynchronous event ${id} failed in Nimbus: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        })
        .finally(() => {
          this.running--;
          this.schedulePump();
        });
    }
  }

  private forgetScheduled(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.ready.length = 0;
  }

  private obsolete(generation: number): boolean {
    return this.stopped || generation !== this.generation;
  }

  private async dispatch(id: string, generation: number): Promise<void> {
    const event = this.queue.get(id);
    if (!event) return;
    const scope = { account: event.account, region: event.region };
    let target: ResolvedFunction;
    try {
      target = this.service.resolve(scope, event.functionName, event.qualifier);
    } catch (error) {
      // The function (or the alias or version) was deleted since: Lambda drops its queued events too.
      log.warn(`dropping asynchronous event ${id} of ${event.functionName}: ${error instanceof Error ? error.message : String(error)}`);
      this.queue.delete(id);
      return;
    }
    const { runtime } = this.service;
    const settings = asyncSettings(new EventInvokeConfigStore(runtime.store, scope).get(target.record.name, event.qualifier ?? LATEST));
    const run: Run = { event, target, settings, generation, expiresAt: event.enqueuedAt + settings.maximumEventAgeMs };
    const reservedConcurrency = this.service.functions(scope).get(target.record.name)?.reservedConcurrency;
    // Retries are timed from the start of an attempt, so the schedule does not depend on how long the
    // bookkeeping after it took.
    const startedAt = runtime.clock.now();
    if (startedAt >= run.expiresAt) return this.finish(run, 'EventAgeExceeded');
    if (reservedConcurrency === 0) {
      event.lastFailure = THROTTLED;
      return this.finish(run, 'ZeroReservedConcurrency');
    }

    let outcome;
    try {
      outcome = await this.service.invoker.invoke(scope, target.record, reservedConcurrency, {
        payload: Buffer.from(event.payload),
        invokedArn: functionArn(scope, target.record.name, event.qualifier),
        requestId: event.id,
      });
    } catch (error) {
      if (this.obsolete(generation)) return;
      event.lastFailure = error instanceof ThrottledError ? THROTTLED : { statusCode: 500, message: error instanceof Error ? error.message : String(error) };
      const delay = Math.min(FIRST_THROTTLE_DELAY_MS * 2 ** event.throttles, MAX_THROTTLE_DELAY_MS);
      event.throttles++;
      return this.retryOrExpire(run, startedAt + delay);
    }
    if (this.obsolete(generation)) return;

    event.attempts++;
    event.throttles = 0;
    const payload = outcome.payload.toString('utf8');
    event.response = { executedVersion: target.executedVersion, functionError: outcome.functionError, payload, logStream: outcome.environmentId };
    if (!outcome.functionError) return this.finish(run, 'Success');
    event.lastFailure = { statusCode: 200, message: errorMessageOf(payload) };
    if (event.attempts > settings.maximumRetryAttempts) return this.finish(run, 'RetriesExhausted');
    return this.retryOrExpire(run, startedAt + event.attempts * RETRY_STEP_MS);
  }

  /** Lambda looks ahead: an event that would be too old by its next attempt is discarded now. */
  private async retryOrExpire(run: Run, dueAt: number): Promise<void> {
    if (dueAt >= run.expiresAt) return this.finish(run, 'EventAgeExceeded');
    run.event.dueAt = dueAt;
    this.queue.put(run.event);
    this.wake(run.event);
  }

  /** Sends the event's record where its condition goes, then takes it off the queue. */
  private async finish({ event, target, settings, generation }: Run, condition: InvocationCondition): Promise<void> {
    const now = this.service.runtime.clock.now();
    const scope = { account: event.account, region: event.region };
    const versionArn = functionArn(scope, target.record.name, target.executedVersion);
    const source: DeliverySource = {
      scope,
      requestId: event.id,
      functionArn: versionArn,
      logGroup: logGroupName(target.record),
      logStream: event.response?.logStream ?? logStreamName(target.executedVersion, new Date(now)),
    };
    const record = invocationRecord(event, condition, versionArn, now);
    if (condition === 'Success') {
      if (settings.onSuccess) await this.delivery.sendRecord(settings.onSuccess, record, source);
    } else {
      if (settings.onFailure) await this.delivery.sendRecord(settings.onFailure, record, source);
      if (target.record.deadLetterTargetArn) await this.delivery.sendDeadLetter(target.record.deadLetterTargetArn, deadLetter(event), source);
    }
    // Taken off only once delivered: a restart in between delivers again (at least once, as on Lambda).
    if (!this.obsolete(generation)) this.queue.delete(event.id);
  }
}

const dispatchers = new WeakMap<LambdaService, AsyncDispatcher>();

/** The one dispatcher of a Lambda service, started (and resuming pending events) on first use. */
export function dispatcherFor(service: LambdaService): AsyncDispatcher {
  let dispatcher = dispatchers.get(service);
  if (!dispatcher) {
    dispatcher = new AsyncDispatcher(service);
    dispatchers.set(service, dispatcher);
  }
  return dispatcher;
}
