/**
 * The execution environments behind provisioned concurrency: started ahead of traffic for each
 * configuration, reported IN_PROGRESS until they are up, then READY (or FAILED with
 * FUNCTION_ERROR_INIT_FAILURE when one fails to initialise), and started again when Nimbus restarts with
 * configurations in its store (https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html).
 */
import type { ProvisionedConcurrencyStatusEnum } from '../../generated/lambda.js';
import { logger } from '../../shared/log.js';
import type { FunctionRecord, FunctionScope } from './function-record.js';
import { FunctionInvoker } from './invoker.js';
import type { LambdaService } from './lambda-service.js';
import type { ProvisionedConcurrencyRecord } from './provisioned-concurrency-record.js';
import { configKey, ProvisionedConcurrencyStore } from './provisioned-concurrency-record.js';

const log = logger('lambda');

export interface Allocation {
  status: ProvisionedConcurrencyStatusEnum;
  /** Environments initialised and ready: Allocated and Available in Lambda's terms. */
  allocated: number;
  statusReason?: string;
}

interface AllocationState extends Allocation {
  /** Moves on every change of the configuration, so work for an older one never reports. */
  generation: number;
  /** The pool key of the version whose environments this configuration started. */
  poolKey?: string;
  /** Work on one configuration runs in order: a prewarm never races the retirement that replaces it. */
  queue: Promise<void>;
}

const FAILED_INIT = 'FUNCTION_ERROR_INIT_FAILURE';

function report(state: AllocationState, allocation: Allocation): void {
  state.status = allocation.status;
  state.allocated = allocation.allocated;
  state.statusReason = allocation.statusReason;
}

export class ProvisionedEnvironments {
  readonly configs: ProvisionedConcurrencyStore;
  private readonly states = new Map<string, AllocationState>();
  private stopped = false;

  constructor(private readonly service: LambdaService) {
    this.configs = new ProvisionedConcurrencyStore(service.runtime.store);
    service.runtime.lifecycle.onReset(() => {
      this.states.clear();
    });
    service.runtime.lifecycle.onStop(() => {
      this.stopped = true;
    });
  }

  /** Where a configuration stands; IN_PROGRESS until its environments are up (also right after a restart). */
  allocation(record: ProvisionedConcurrencyRecord): Allocation {
    const state = this.states.get(configKey(record));
    return state ? { status: state.status, allocated: state.allocated, statusReason: state.statusReason } : { status: 'IN_PROGRESS', allocated: 0 };
  }

  /** (Re)starts a configuration's environments in the background, replacing those it had. */
  allocate(record: ProvisionedConcurrencyRecord): void {
    const key = configKey(record);
    const state: AllocationState = this.states.get(key) ?? { generation: 0, status: 'IN_PROGRESS', allocated: 0, queue: Promise.resolve() };
    this.states.set(key, state);
    const generation = ++state.generation;
    report(state, { status: 'IN_PROGRESS', allocated: 0 });
    this.enqueue(state, () => this.provision(record, state, generation));
  }

  /** Stops a deleted configuration's environments. */
  release(record: ProvisionedConcurrencyRecord): void {
    const key = configKey(record);
    const state = this.states.get(key);
    if (!state) return;
    this.states.delete(key);
    state.generation++;
    this.enqueue(state, () => {
      if (state.poolKey) this.service.pool.retire(state.poolKey);
      return Promise.resolve();
    });
  }

  /** Starts the environments of every stored configuration, without holding up whatever is starting. */
  restoreAll(): void {
    setImmediate(() => {
      for (const record of this.configs.all()) this.allocate(record);
    });
  }

  /** The version a configuration provisions: its own, or the one its alias points to now. */
  targetVersion(record: ProvisionedConcurrencyRecord): FunctionRecord | undefined {
    const scope: FunctionScope = record;
    const version = /^\d+$/.test(record.qualifier) ? record.qualifier : this.service.aliases(scope).get(record.functionName, record.qualifier)?.functionVersion;
    return version === undefined ? undefined : this.service.functions(scope).get(record.functionName, version);
  }

  private enqueue(state: AllocationState, work: () => Promise<void>): void {
    state.queue = state.queue.then(work).catch((error: unknown) => {
      log.warn(`provisioned concurrency: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  private async provision(record: ProvisionedConcurrencyRecord, state: AllocationState, generation: number): Promise<void> {
    const scope: FunctionScope = record;
    const current = (): boolean => !this.stopped && this.states.get(configKey(record)) === state && state.generation === generation;
    if (!current()) return;
    if (state.poolKey) this.service.pool.retire(state.poolKey);
    const target = this.targetVersion(record);
    if (!target) {
      report(state, { status: 'FAILED', allocated: 0, statusReason: FAILED_INIT });
      return;
    }
    state.poolKey = FunctionInvoker.poolKey(scope, target);
    const reserved = this.service.functions(scope).get(record.functionName)?.reservedConcurrency;
    let ready = 0;
    let failed = false;
    // One at a time, so a configuration deleted meanwhile stops starting environments at once.
    for (let started = 0; started < record.requested && !failed && current(); started++) {
      try {
        const [init] = await this.service.invoker.prewarm(scope, target, reserved, 1);
        if (init.ok) ready++;
        else failed = true;
      } catch (error) {
        if (this.stopped) return;
        log.warn(`provisioned concurrency for ${record.functionName}:${record.qualifier}: ${error instanceof Error ? error.message : String(error)}`);
        failed = true;
      }
    }
    // Nimbus stopping has disposed of every environment (and is closing the store).
    if (this.stopped) return;
    if (!current()) {
      // Deleted (or wiped by a reset) while starting: nothing may keep its environments.
      if (!this.configs.get(scope, record.functionName, record.qualifier)) this.service.pool.retire(state.poolKey);
      return;
    }
    report(state, failed ? { status: 'FAILED', allocated: ready, statusReason: FAILED_INIT } : { status: 'READY', allocated: ready });
  }
}
