/**
 * Warm execution environments per function configuration, and Lambda's concurrency rules.
 *
 * An invocation takes an idle environment of its configuration (a warm start) or creates one (a cold
 * start), unless Nimbus is saturated and waiting for a busy one is the better choice (scale-out.ts), as
 * long as the function's reserved concurrency and the account's limit allow another concurrent execution;
 * otherwise it is throttled. Environments idle longer than the idle limit are reaped.
 */
import type { EnvironmentSpec, InitOutcome, InvocationOutcome, InvocationRequest } from './environment.js';
import { ExecutionEnvironment } from './environment.js';
import { LoopLoad, ScaleOutStats, warmWaitMs } from './scale-out.js';

export interface PoolLimits {
  /** Concurrent executions across the account (Lambda's default: 1000). */
  accountConcurrency: number;
  /** How long an idle environment stays warm. */
  idleMs: number;
  /** Busy environments of one configuration below which an invocation never waits for a warm one (the cores). */
  parallelism: number;
}

export interface InvokeTarget {
  /** Environments are reused only for the same key: function, version and configuration. */
  key: string;
  /** The function (all its versions) for reserved concurrency. */
  functionId: string;
  reservedConcurrency?: number;
  /** A new environment's id (Lambda's log stream name for it). */
  newEnvironmentId(): string;
  /** The environment to start, given its id (async: it may fetch the function role's credentials). */
  spec(environmentId: string): Promise<EnvironmentSpec>;
}

export interface PooledOutcome extends InvocationOutcome {
  /** Set on a cold start: the init phase of the environment this invocation created. */
  init?: InitOutcome;
  /** The environment's log stream name, stable for its lifetime. */
  environmentId: string;
}

export class ThrottledError extends Error {
  constructor(readonly reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded') {
    super('Rate Exceeded.');
  }
}

/** An invocation waiting for a busy environment; given undefined, it starts its own. */
interface Waiter {
  take(pooled: PooledEnvironment | undefined): void;
  timer: NodeJS.Timeout;
}

interface PooledEnvironment {
  id: string;
  environment: ExecutionEnvironment;
  /** Started by prewarm for provisioned concurrency: kept however long it idles, until retired. */
  provisioned?: boolean;
}

export class EnvironmentPool {
  private readonly idle = new Map<string, PooledEnvironment[]>();
  private readonly busyByFunction = new Map<string, number>();
  private busyTotal = 0;
  private readonly all = new Set<PooledEnvironment>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly busyByKey = new Map<string, number>();
  private readonly stats = new Map<string, ScaleOutStats>();
  private readonly reaper: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly limits: PoolLimits,
    /** Whether Nimbus's event loop is saturated (replaceable so tests can say so). */
    private readonly load: { saturated(): boolean } = new LoopLoad(),
  ) {
    this.reaper = setInterval(() => {
      this.reapIdle();
    }, Math.max(1000, Math.min(limits.idleMs, 30_000)));
    this.reaper.unref();
  }

  /** Concurrent executions of a function right now. */
  concurrency(functionId: string): number {
    return this.busyByFunction.get(functionId) ?? 0;
  }

  async invoke(target: InvokeTarget, request: InvocationRequest): Promise<PooledOutcome> {
    this.admit(target);
    const busy = (this.busyByFunction.get(target.functionId) ?? 0) + 1;
    this.busyByFunction.set(target.functionId, busy);
    this.busyTotal++;
    try {
      let pooled = (await this.waitForBusy(target.key)) ?? this.takeIdle(target.key);
      let init: InitOutcome | undefined;
      if (!pooled) {
        const startedAt = performance.now();
        pooled = await this.create(target);
        init = await pooled.environment.initialize();
        if (!init.ok) {
          this.discard(pooled);
          return initFailure(init, pooled.id);
        }
        this.statsOf(target.key).recordColdStart(performance.now() - startedAt);
      }
      const outcome = await this.run(target.key, pooled, request);
      return { ...outcome, init, environmentId: pooled.id };
    } finally {
      this.busyByFunction.set(target.functionId, (this.busyByFunction.get(target.functionId) ?? 1) - 1);
      this.busyTotal--;
    }
  }

  private async run(key: string, pooled: PooledEnvironment, request: InvocationRequest): Promise<InvocationOutcome> {
    this.busyByKey.set(key, (this.busyByKey.get(key) ?? 0) + 1);
    const startedAt = performance.now();
    try {
      return await pooled.environment.invoke(request);
    } finally {
      this.statsOf(key).recordInvocation(performance.now() - startedAt);
      this.busyByKey.set(key, (this.busyByKey.get(key) ?? 1) - 1);
      this.release(key, pooled);
    }
  }

  /** Waits for a busy environment when scale-out.ts says so; undefined: use another one. */
  private waitForBusy(key: string): Promise<PooledEnvironment | undefined> | undefined {
    const queue = this.waiters.get(key) ?? [];
    const backlog = { saturated: this.load.saturated(), busy: this.busyByKey.get(key) ?? 0, parallelism: this.limits.parallelism };
    const waitMs = warmWaitMs(this.stats.get(key), backlog);
    if (waitMs === undefined) return undefined;
    return new Promise((resolve) => {
      const waiter: Waiter = {
        take: resolve,
        // Waiting longer than a cold start takes is never worth it (and the busy ones may be waiting on this one).
        timer: setTimeout(() => {
          this.dropWaiter(key, waiter);
          resolve(undefined);
        }, waitMs),
      };
      queue.push(waiter);
      this.waiters.set(key, queue);
    });
  }

  /** An environment is done with an invocation: the next waiter gets it, else it idles (or it is gone). */
  private release(key: string, pooled: PooledEnvironment): void {
    const waiter = this.waiters.get(key)?.shift();
    if (waiter) clearTimeout(waiter.timer);
    if (pooled.environment.state !== 'idle') {
      this.discard(pooled);
      waiter?.take(undefined);
    } else if (waiter) {
      waiter.take(pooled);
    } else {
      this.putIdle(key, pooled);
    }
  }

  private dropWaiter(key: string, waiter: Waiter): void {
    const queue = this.waiters.get(key);
    const at = queue?.indexOf(waiter) ?? -1;
    if (at >= 0) queue?.splice(at, 1);
  }

  private statsOf(key: string): ScaleOutStats {
    let stats = this.stats.get(key);
    if (!stats) {
      stats = new ScaleOutStats();
      this.stats.set(key, stats);
    }
    return stats;
  }

  /** Starts `count` environments ahead of traffic (provisioned concurrency). */
  async prewarm(target: InvokeTarget, count: number): Promise<InitOutcome[]> {
    const outcomes: InitOutcome[] = [];
    for (let i = 0; i < count; i++) {
      const pooled = await this.create(target);
      pooled.provisioned = true;
      const init = await pooled.environment.initialize();
      outcomes.push(init);
      if (init.ok) this.release(target.key, pooled);
      else this.discard(pooled);
    }
    return outcomes;
  }

  /** Drops every environment whose key starts with `prefix` (a function updated or deleted). */
  retire(prefix: string): void {
    for (const [key, environments] of this.idle) {
      if (!key.startsWith(prefix)) continue;
      for (const pooled of environments) this.discard(pooled);
      this.idle.delete(key);
    }
    for (const key of this.stats.keys()) if (key.startsWith(prefix)) this.stats.delete(key);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.reaper);
    for (const queue of this.waiters.values()) {
      for (const waiter of queue) {
        clearTimeout(waiter.timer);
        waiter.take(undefined);
      }
    }
    this.waiters.clear();
    for (const pooled of this.all) pooled.environment.dispose();
    this.all.clear();
    this.idle.clear();
  }

  private async create(target: InvokeTarget): Promise<PooledEnvironment> {
    const id = target.newEnvironmentId();
    const spec = await target.spec(id);
    // Background work (provisioned concurrency) may still ask for one while Nimbus stops: no process may outlive it.
    if (this.closed) throw new Error('The execution environment pool is closed');
    const pooled = { id, environment: new ExecutionEnvironment(spec) };
    this.all.add(pooled);
    return pooled;
  }

  private admit(target: InvokeTarget): void {
    if (target.reservedConcurrency !== undefined && this.concurrency(target.functionId) >= target.reservedConcurrency) {
      throw new ThrottledError('ReservedFunctionConcurrentInvocationLimitExceeded');
    }
    if (this.busyTotal >= this.limits.accountConcurrency) throw new ThrottledError('ConcurrentInvocationLimitExceeded');
  }

  private takeIdle(key: string): PooledEnvironment | undefined {
    const environments = this.idle.get(key);
    // Most recently used first: it is the warmest, and the others can age out.
    return environments?.pop();
  }

  private putIdle(key: string, pooled: PooledEnvironment): void {
    const environments = this.idle.get(key) ?? [];
    environments.push(pooled);
    this.idle.set(key, environments);
  }

  private discard(pooled: PooledEnvironment): void {
    pooled.environment.dispose();
    this.all.delete(pooled);
  }

  private reapIdle(): void {
    const cutoff = Date.now() - this.limits.idleMs;
    for (const [key, environments] of this.idle) {
      const keep = environments.filter((pooled) => {
        if (pooled.provisioned || pooled.environment.lastUsedAt >= cutoff) return true;
        this.discard(pooled);
        return false;
      });
      if (keep.length) this.idle.set(key, keep);
      else this.idle.delete(key);
    }
  }
}

function initFailure(init: InitOutcome, environmentId: string): PooledOutcome {
  const error = init.error;
  return {
    status: init.status ?? 'init-error',
    payload: error?.body ?? Buffer.from('{}'),
    functionError: 'Unhandled',
    errorType: error?.errorType,
    logs: init.logs,
    durationMs: init.durationMs,
    maxMemoryUsedMb: 0,
    init,
    environmentId,
  };
}
