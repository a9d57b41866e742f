/**
 * What every group of Lambda operations shares: the stores, the code store, the environment pool, the
 * invoker, and how a function reference with a qualifier ($LATEST, a version, an alias) resolves.
 */
import { availableParallelism } from 'node:os';
import type { ServiceRuntime } from '../service.js';
import type { Frozen } from '../../store/store.js';
import { AliasStore, pickAliasVersion } from './alias-record.js';
import { CodeStore } from './code.js';
import { functionNotFound, userError } from './errors.js';
import type { FunctionRecord, FunctionScope } from './function-record.js';
import { FunctionStore, functionArn, LATEST } from './function-record.js';
import { FunctionLogWriter } from './function-logs.js';
import { parseFunctionReference } from './function-names.js';
import { FunctionInvoker } from './invoker.js';
import { EnvironmentPool } from './runtime/pool.js';
import { LoopLoad } from './runtime/scale-out.js';
import { EventInvokeConfigStore } from './async/event-invoke-config.js';
import { PolicyStore } from './function-url/resource-policy.js';
import { FunctionUrlStore } from './function-url/url-record.js';

/** Lambda's default concurrency quota per account and region. */
export const ACCOUNT_CONCURRENCY = 1000;
const IDLE_ENVIRONMENT_MS = 5 * 60_000;

export interface ResolvedFunction {
  /** Shared and frozen (FunctionStore.peek): copy it to change it. */
  record: Frozen<FunctionRecord>;
  /** The version that runs: for an alias, the one its routing picked. */
  executedVersion: string;
  /** The ARN the caller invoked (qualified when a qualifier was given). */
  invokedArn: string;
}

export class LambdaService {
  readonly code: CodeStore;
  readonly pool: EnvironmentPool;
  readonly logs: FunctionLogWriter;
  readonly invoker: FunctionInvoker;

  constructor(
    readonly runtime: ServiceRuntime,
    /** Alias traffic splitting draws from this; tests may replace it. */
    readonly random: () => number = Math.random,
  ) {
    this.code = new CodeStore(runtime.filesDir);
    const load = new LoopLoad();
    this.pool = new EnvironmentPool({ accountConcurrency: ACCOUNT_CONCURRENCY, idleMs: IDLE_ENVIRONMENT_MS, parallelism: availableParallelism() }, load);
    this.logs = new FunctionLogWriter(runtime.client, runtime.bus, load);
    this.invoker = new FunctionInvoker(runtime, this.pool, this.code, this.logs);
    runtime.lifecycle.onStop(async () => {
      await this.logs.settled();
      this.logs.detach();
      this.pool.close();
    });
    runtime.lifecycle.onReset(() => {
      this.pool.retire('');
      this.logs.forget();
    });
  }

  functions(scope: FunctionScope): FunctionStore {
    return new FunctionStore(this.runtime.store, scope);
  }

  aliases(scope: FunctionScope): AliasStore {
    return new AliasStore(this.runtime.store, scope);
  }

  /** The $LATEST record of a function given by name or ARN; ResourceNotFoundException if absent. */
  latest(scope: FunctionScope, reference: string): FunctionRecord {
    const { name } = parseFunctionReference(scope, reference);
    const record = this.functions(scope).get(name);
    if (!record) throw functionNotFound(scope, name);
    return record;
  }

  /** A function at a qualifier: $LATEST (the default), a published version, or an alias (with its routing). */
  resolve(scope: FunctionScope, reference: string, qualifier: string | undefined): ResolvedFunction {
    const parsed = parseFunctionReference(scope, reference, qualifier);
    const functions = this.functions(scope);
    const requested = parsed.qualifier ?? LATEST;
    let version = requested;
    if (requested !== LATEST && !/^\d+$/.test(requested)) {
      if (!functions.get(parsed.name)) throw functionNotFound(scope, parsed.name);
      const alias = this.aliases(scope).get(parsed.name, requested);
      if (!alias) throw userError('ResourceNotFoundException', `Function not found: ${functionArn(scope, parsed.name, requested)}`, 404);
      version = pickAliasVersion(alias, this.random);
    }
    const record = functions.peek(parsed.name, version);
    if (!record) throw functionNotFound(scope, parsed.name, parsed.qualifier);
    return { record, executedVersion: version, invokedArn: functionArn(scope, parsed.name, parsed.qualifier) };
  }

  /**
   * Forgets what hangs off a deleted function, version or alias (URL configs, resource policies, event
   * invoke configs), so a function created again under the same name starts clean, as on AWS.
   */
  forgetAttachments(scope: FunctionScope, name: string, qualifier?: string): void {
    const urls = new FunctionUrlStore(this.runtime.store, scope);
    const eventConfigs = new EventInvokeConfigStore(this.runtime.store, scope);
    this.runtime.store.transaction(() => {
      new PolicyStore(this.runtime.store, scope).delete(name, qualifier);
      for (const url of urls.list(name)) if (qualifier === undefined || url.qualifier === qualifier) urls.delete(url);
      if (qualifier === undefined) eventConfigs.deleteFunction(name);
      else eventConfigs.delete(name, qualifier);
    });
  }

  /** Drops the warm environments of a function whose code or configuration changed. */
  retire(scope: FunctionScope, name: string): void {
    this.pool.retire(FunctionInvoker.functionPrefix(scope, name));
  }
}
