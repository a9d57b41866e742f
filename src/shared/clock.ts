/**
 * One clock for every time-dependent behaviour (visibility timeouts, retention, recovery windows,
 * schedules). Tests use ManualClock and move time forward instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` once `ms` of this clock's time has passed; returns a cancel function. */
  schedule(ms: number, fn: () => void): () => void;
}

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  schedule(ms: number, fn: () => void): () => void {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => {
      clearTimeout(timer);
    };
  }
}

interface PendingTimer {
  due: number;
  fn: () => void;
}

export class ManualClock implements Clock {
  private current: number;
  private timers = new Set<PendingTimer>();

  constructor(start: number = Date.now()) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(ms: number, fn: () => void): () => void {
    const timer = { due: this.current + ms, fn };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }

  /** Moves time forward, firing due timers in order of their due time. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const next = [...this.timers].filter((t) => t.due <= target).sort((a, b) => a.due - b.due)[0];
      if (!next) break;
      this.timers.delete(next);
      this.current = next.due;
      next.fn();
    }
    this.current = target;
  }
}
