/**
 * Whether an invocation runs in another environment (an idle one, or a new one: a cold start) or waits
 * for a busy one to finish.
 *
 * Lambda always uses another. On one machine that is the wrong choice when Nimbus itself is the
 * bottleneck: each runtime is a process, every invocation passes through Nimbus's event loop, and once
 * that loop is saturated more runtime processes cannot make invocations finish sooner; they only take
 * CPU from it (context switches, each process's own event loop). So, while Nimbus's loop is saturated
 * and at least as many environments as cores are busy, an invocation waits for a busy environment of its
 * configuration, as long as its invocations usually take less than a cold start. Otherwise (a loop with
 * room, long invocations, nothing learned yet) it behaves as on Lambda. Waiting never outlasts one
 * cold start, so two invocations that wait on each other (a handler polling for what another one sends)
 * still both run.
 */

/** Weight of the newest sample in the running averages: recent behaviour counts, one outlier does not. */
const SMOOTHING = 0.2;
/** How often the event loop's utilisation is re-read, and above which it counts as saturated. */
const LOAD_WINDOW_MS = 50;
const SATURATED_UTILIZATION = 0.8;

/** What the pool has learned about one environment configuration. */
export class ScaleOutStats {
  /** How long an invocation holds an environment, ms (running average). */
  busyMs: number | undefined;
  /** How long a cold start takes until the runtime asks for work, ms (running average). */
  coldStartMs: number | undefined;

  recordInvocation(ms: number): void {
    this.busyMs = average(this.busyMs, ms);
  }

  recordColdStart(ms: number): void {
    this.coldStartMs = average(this.coldStartMs, ms);
  }
}

function average(current: number | undefined, sample: number): number {
  return current === undefined ? sample : current + SMOOTHING * (sample - current);
}

/** Whether Nimbus's event loop was saturated over the last window, read at most once per window. */
export class LoopLoad {
  private window = performance.eventLoopUtilization();
  private readAt = performance.now();
  private saturatedNow = false;

  saturated(): boolean {
    const now = performance.now();
    if (now - this.readAt >= LOAD_WINDOW_MS) {
      this.saturatedNow = performance.eventLoopUtilization(this.window).utilization >= SATURATED_UTILIZATION;
      this.window = performance.eventLoopUtilization();
      this.readAt = now;
    }
    return this.saturatedNow;
  }
}

export interface Backlog {
  /** Whether Nimbus's event loop is saturated. */
  saturated: boolean;
  /** Environments of this configuration running an invocation now. */
  busy: number;
  /** Busy environments below which another one is used anyway: they run on otherwise idle cores. */
  parallelism: number;
}

/**
 * How long to wait for a busy environment, in ms, or undefined to use another one now. While Nimbus is
 * saturated, busy environments do not progress in parallel (they queue in its event loop), so the wait
 * cannot be predicted from their number; it is bounded by a cold start instead. Invocations that usually
 * take longer than a cold start never wait.
 */
export function warmWaitMs(stats: ScaleOutStats | undefined, backlog: Backlog): number | undefined {
  if (!backlog.saturated || backlog.busy < backlog.parallelism) return undefined;
  if (stats?.busyMs === undefined || stats.coldStartMs === undefined) return undefined;
  return stats.busyMs < stats.coldStartMs ? stats.coldStartMs : undefined;
}
