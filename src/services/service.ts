/**
 * What a service is to the rest of Nimbus: a module that builds a provider from the shared runtime.
 * Providers implement their generated `XxxApi` interface (one method per operation, typed input and
 * output from the model) and never see HTTP.
 */
import type { Clock } from '../shared/clock.js';
import type { EventBus } from '../shared/event-bus.js';
import type { RequestContext } from '../shared/request-context.js';
import type { Store } from '../store/store.js';
import type { InternalClient } from './internal-client.js';

export interface ServiceRuntime {
  store: Store;
  clock: Clock;
  bus: EventBus;
  /** Calls any service's operation in-process, with the same validation as the edge. */
  client: InternalClient;
}

export type OperationHandler = (input: never, ctx: RequestContext) => unknown;

/** A provider: operation name -> handler. Operations it lacks answer NotImplemented. */
export type Provider = object;

/** The identity behind an access key, when a service (STS) issued it. */
export interface ResolvedCredential {
  account: string;
  arn: string;
  userId: string;
}

export interface ServiceModule {
  createProvider(runtime: ServiceRuntime): Provider;
  /** Lets the edge map temporary access keys this service issued to their account and principal. */
  resolveCredential?(runtime: ServiceRuntime, accessKeyId: string): ResolvedCredential | undefined;
}
