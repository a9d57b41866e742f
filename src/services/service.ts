/**
 * What a service is to the rest of Nimbus: a module that builds a provider from the shared runtime.
 * Providers implement their generated `XxxApi` interface (one method per operation, typed input and
 * output from the model) and never see HTTP.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Clock } from '../shared/clock.js';
import type { EventBus } from '../shared/event-bus.js';
import type { RequestContext } from '../shared/request-context.js';
import type { Store } from '../store/store.js';
import type { InternalClient } from './internal-client.js';

/** Hooks for services that hold resources outside the store (processes, ports, timers). */
export interface Lifecycle {
  /** Runs when state is wiped (POST /_nimbus/reset). */
  onReset(fn: () => void): void;
  /** Runs when Nimbus stops. */
  onStop(fn: () => void | Promise<void>): void;
}

export interface ServiceRuntime {
  store: Store;
  clock: Clock;
  bus: EventBus;
  /** Calls any service's operation in-process, with the same validation as the edge. */
  client: InternalClient;
  /** A directory for files that belong with the state (function code): under the data dir, or a temporary one when ephemeral. */
  filesDir: string;
  /** The edge's URL (set once it listens), for code that calls back into Nimbus (AWS_ENDPOINT_URL in functions). */
  edge: { endpoint: string };
  lifecycle: Lifecycle;
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
  /** Serves the service's non-API HTTP routes (see EDGE_ROUTES in registry.ts). */
  handleEdgeRequest?(runtime: ServiceRuntime, request: IncomingMessage, response: ServerResponse, url: URL): void | Promise<void>;
  /** Takes over an HTTP `upgrade` (a WebSocket handshake) to one of the service's EDGE_ROUTES; it owns the socket from then on. */
  handleEdgeUpgrade?(runtime: ServiceRuntime, request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void | Promise<void>;
  /** Checks AWS makes before the model's constraints and answers with the service's own error (throws a ServiceError). */
  checkInput?(operation: string, input: Record<string, unknown>, ctx: RequestContext): void;
  /** The code this service answers a failed model constraint with, when it differs from its protocol's usual one. */
  validationErrorCode?: string;
  /** Lets the edge map temporary access keys this service issued to their account and principal. */
  resolveCredential?(runtime: ServiceRuntime, accessKeyId: string): ResolvedCredential | undefined;
}
