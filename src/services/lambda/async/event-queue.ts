/**
 * Lambda's internal queue of asynchronous events, kept in the store so that an accepted event (Invoke
 * answered 202) survives a restart: each event is one record from the moment it is accepted until its
 * last attempt has been handled (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html).
 */
import type { Collection, Store } from '../../../store/store.js';

// One collection for every account and region: at start-up the dispatcher must find every pending event
// without knowing which accounts and regions have any.
const EVENTS = 'lambda/global/-/async-events';

/** What the function answered on the last attempt that ran it. */
interface FunctionResponse {
  executedVersion: string;
  functionError?: string;
  /** The response, or Lambda's error payload, as UTF-8. */
  payload: string;
  /** The log stream of the environment that ran it. */
  logStream: string;
}

export interface QueuedEvent {
  /** The Invoke request's id: every attempt and every record of the event carries it, as on Lambda. */
  id: string;
  account: string;
  region: string;
  functionName: string;
  /** The version or alias the caller invoked; absent for the unqualified function. */
  qualifier?: string;
  /** The event, UTF-8 JSON. */
  payload: string;
  /** Epoch milliseconds. */
  enqueuedAt: number;
  /** When the next attempt is due (epoch milliseconds). */
  dueAt: number;
  /** Attempts that ran the function. */
  attempts: number;
  /** Throttles and system errors since the function last ran: the exponent of their back-off. */
  throttles: number;
  response?: FunctionResponse;
  /** Why the last attempt failed, as a dead-letter queue message reports it (ErrorCode, ErrorMessage). */
  lastFailure?: { statusCode: number; message: string };
}

export class EventQueue {
  private readonly events: Collection<QueuedEvent>;

  constructor(store: Store) {
    this.events = store.collection<QueuedEvent>(EVENTS);
  }

  get(id: string): QueuedEvent | undefined {
    return this.events.get(id);
  }

  put(event: QueuedEvent): void {
    this.events.put(event.id, event);
  }

  delete(id: string): void {
    this.events.delete(id);
  }

  /** Every pending event, the earliest due first. */
  pending(): QueuedEvent[] {
    return this.events
      .list()
      .map(([, event]) => event)
      .sort((a, b) => a.dueAt - b.dueAt || a.enqueuedAt - b.enqueuedAt);
  }
}
