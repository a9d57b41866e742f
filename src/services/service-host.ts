/**
 * Loads services on first use and runs their operations: validation against the model, then the
 * provider method. The edge and the internal client both come through here, so a call between services
 * is checked exactly like one from outside.
 */
import type { Operation, ServiceModel } from '../protocols/model.js';
import { loadServiceModel } from '../protocols/model.js';
import { codecFor } from '../protocols/index.js';
import type { ProtocolCodec } from '../protocols/protocol.js';
import { validateInput } from '../protocols/validate.js';
import { notImplemented, ServiceError } from '../shared/errors.js';
import { requestId } from '../shared/ids.js';
import type { Caller, RequestContext } from '../shared/request-context.js';
import type { CallTarget, InternalClient } from './internal-client.js';
import { BACKGROUND_SERVICES, isServed, SERVICE_LOADERS } from './registry.js';
import type { Provider, ResolvedCredential, ServiceModule, ServiceRuntime } from './service.js';

export interface LoadedService {
  name: string;
  model: ServiceModel;
  codec: ProtocolCodec;
  provider: Provider;
  module: ServiceModule;
}

type Handler = (input: Record<string, unknown>, ctx: RequestContext) => unknown;

export function rootCaller(account: string, accessKeyId = 'internal'): Caller {
  return { accessKeyId, arn: `arn:aws:iam::${account}:root`, userId: account };
}

export class ServiceHost {
  readonly runtime: ServiceRuntime;
  private readonly loaded = new Map<string, LoadedService>();
  private readonly loading = new Map<string, Promise<LoadedService>>();

  private readonly resetHooks: (() => void)[] = [];
  private readonly stopHooks: (() => void | Promise<void>)[] = [];

  constructor(base: Omit<ServiceRuntime, 'client' | 'lifecycle'>) {
    const client: InternalClient = { call: (service, operation, input, target) => this.callInternal(service, operation, input, target) };
    const lifecycle = {
      onReset: (fn: () => void) => this.resetHooks.push(fn),
      onStop: (fn: () => void | Promise<void>) => this.stopHooks.push(fn),
    };
    this.runtime = { ...base, client, lifecycle };
  }

  /** Wipes all state: the store, and whatever loaded services hold outside it. */
  reset(): void {
    this.runtime.store.reset();
    for (const hook of this.resetHooks) hook();
  }

  /** Loads the services with background work that have stored state, so their work resumes after a restart. */
  async resumeBackgroundWork(): Promise<void> {
    for (const name of BACKGROUND_SERVICES) {
      if (this.runtime.store.hasRecords(`${name}/`)) await this.load(name);
    }
  }

  async stop(): Promise<void> {
    for (const hook of this.stopHooks) await hook();
  }

  /** The service if it is already loaded: the edge's fast path, no promise. */
  loadedService(name: string): LoadedService | undefined {
    return this.loaded.get(name);
  }

  load(name: string): Promise<LoadedService> {
    const ready = this.loaded.get(name);
    if (ready) return Promise.resolve(ready);
    let pending = this.loading.get(name);
    if (!pending) {
      if (!isServed(name)) return Promise.reject(new ServiceError('NotImplemented', `The ${name} service is not implemented in Nimbus yet`, 501));
      pending = SERVICE_LOADERS[name]().then((module) => {
        const model = loadServiceModel(name);
        const service = { name, model, codec: codecFor(model.metadata), provider: module.createProvider(this.runtime), module };
        this.loaded.set(name, service);
        return service;
      });
      this.loading.set(name, pending);
      pending.finally(() => this.loading.delete(name)).catch(() => undefined);
    }
    return pending;
  }

  /** Validates the typed input against the model and runs the provider's method for the operation. */
  async invoke(service: LoadedService, operation: Operation, input: Record<string, unknown>, ctx: RequestContext): Promise<Record<string, unknown>> {
    service.module.checkInput?.(operation.name, input, ctx);
    const problem = validateInput(service.model, operation.input?.shape, input);
    if (problem) throw new ServiceError(service.module.validationErrorCode ?? service.codec.validationErrorCode, problem, 400);
    const handler = (service.provider as Record<string, Handler | undefined>)[operation.name];
    if (typeof handler !== 'function') throw notImplemented(service.name, operation.name);
    const output = await handler.call(service.provider, input, ctx);
    return (output ?? {}) as Record<string, unknown>;
  }

  /** Maps a temporary access key to the identity the issuing service recorded for it. */
  async resolveCredential(accessKeyId: string): Promise<ResolvedCredential | undefined> {
    if (!accessKeyId.startsWith('ASIA')) return undefined;
    const sts = await this.load('sts');
    return sts.module.resolveCredential?.(this.runtime, accessKeyId);
  }

  status(): Record<string, 'running' | 'available'> {
    return Object.fromEntries(Object.keys(SERVICE_LOADERS).map((name) => [name, this.loaded.has(name) ? 'running' : 'available']));
  }

  private async callInternal<Output>(name: string, operationName: string, input: Record<string, unknown>, target: CallTarget): Promise<Output> {
    const service = await this.load(name);
    if (!Object.hasOwn(service.model.operations, operationName)) {
      throw new ServiceError('UnknownOperationException', `${name} has no operation ${operationName}`, 400);
    }
    const ctx: RequestContext = {
      account: target.account,
      region: target.region,
      requestId: requestId(),
      service: name,
      operation: operationName,
      caller: target.caller ?? rootCaller(target.account),
    };
    return (await this.invoke(service, service.model.operations[operationName], input, ctx)) as Output;
  }
}
