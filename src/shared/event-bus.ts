/**
 * The in-process bus services use to tell each other what happened (a stream record, a notification,
 * a schedule firing) without importing each other. Listeners run after the emitting operation's write
 * is durable; a throwing listener is logged and never fails the emitter.
 */
import { logger } from './log.js';

const log = logger('bus');

export interface BusEvent {
  /** `<service>:<event>`, e.g. `logs:events-put`. */
  topic: string;
  account: string;
  region: string;
  detail: Record<string, unknown>;
}

type Listener = (event: BusEvent) => void | Promise<void>;

/**
 * Emitted (and awaited) by CloudWatch Logs before every read of groups, streams or events, so services
 * that batch their log writes (Lambda's function logs) write what they hold first.
 */
export const LOGS_BEFORE_READ = 'logs:before-read';

export class EventBus {
  private readonly listeners = new Map<string, Set<Listener>>();

  on(topic: string, listener: Listener): () => void {
    let set = this.listeners.get(topic);
    if (!set) {
      set = new Set();
      this.listeners.set(topic, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  emit(event: BusEvent): void {
    for (const listener of this.listeners.get(event.topic) ?? []) {
      queueMicrotask(() => {
        void run(listener, event);
      });
    }
  }

  /**
   * Runs the topic's listeners at once and resolves when all are done: for a reader that must first see
   * what a writer still holds back (e.g. CloudWatch Logs reads, Lambda's batched log lines).
   */
  async emitAndWait(event: BusEvent): Promise<void> {
    await Promise.all([...(this.listeners.get(event.topic) ?? [])].map((listener) => run(listener, event)));
  }
}

function run(listener: Listener, event: BusEvent): Promise<void> {
  return Promise.resolve()
    .then(() => listener(event))
    .catch((error: unknown) => {
      log.error(`listener for ${event.topic} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
}
