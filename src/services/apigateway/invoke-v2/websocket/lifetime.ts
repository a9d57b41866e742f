/**
 * The time limits of a WebSocket connection: closed after 10 minutes without a client message (idle),
 * and 2 hours after it opened whatever happens on it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html).
 * API Gateway closes such a connection with 1001 "Going away"; $disconnect then runs as for any close.
 *
 * Timers run on the runtime's clock, so a ManualClock's advance() ends connections without waiting.
 * Messages the backend posts (@connections) do not keep a connection alive: only the client's count.
 */
import type { Clock } from '../../../../shared/clock.js';

export const IDLE_TIMEOUT_MS = 10 * 60 * 1000;
export const MAX_CONNECTION_MS = 2 * 60 * 60 * 1000;
export const GOING_AWAY = { code: 1001, reason: 'Going away' } as const;

export interface LifetimeWatch {
  /** A client message arrived: the idle time starts over. */
  touch(): void;
  /** The connection closed: no timer may fire for it any more. */
  stop(): void;
}

/** Watches a connection opened at `openedAt` (epoch milliseconds); `expire` closes it once, at the first limit reached. */
export function watchLifetime(clock: Clock, openedAt: number, expire: () => void): LifetimeWatch {
  let lastMessageAt = clock.now();
  let cancelIdle: () => void = () => undefined;
  const end = (): void => {
    cancelIdle();
    cancelMax();
    expire();
  };
  // The idle timer is not re-armed per message: when it fires early it waits for the rest of the idle time.
  const armIdle = (delay: number): void => {
    cancelIdle = clock.schedule(delay, () => {
      const idleFor = clock.now() - lastMessageAt;
      if (idleFor >= IDLE_TIMEOUT_MS) end();
      else armIdle(IDLE_TIMEOUT_MS - idleFor);
    });
  };
  const cancelMax = clock.schedule(Math.max(0, openedAt + MAX_CONNECTION_MS - clock.now()), end);
  armIdle(IDLE_TIMEOUT_MS);
  return {
    touch: () => {
      lastMessageAt = clock.now();
    },
    stop: () => {
      cancelIdle();
      cancelMax();
    },
  };
}
