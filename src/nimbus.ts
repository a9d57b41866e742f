/**
 * Starting and stopping a whole Nimbus: store, clock, bus, services and the edge on one port.
 * `startNimbus()` is the programmatic API (ephemeral and on a free port unless told otherwise); the CLI
 * calls it with durable defaults.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { internalRoutes, serviceRoutes } from './edge/internal-routes.js';
import { createEdgeServer } from './edge/server.js';
import type { InternalClient } from './services/internal-client.js';
import { ServiceHost } from './services/service-host.js';
import type { Clock } from './shared/clock.js';
import { SystemClock } from './shared/clock.js';
import type { NimbusConfig } from './shared/config.js';
import { DEFAULT_CONFIG } from './shared/config.js';
import { EventBus } from './shared/event-bus.js';
import { logger } from './shared/log.js';
import { SqliteStore } from './store/sqlite.js';
import type { Store } from './store/store.js';

const log = logger('nimbus');

export interface StartOptions extends Partial<NimbusConfig> {
  /** A ManualClock lets tests move time instead of sleeping. */
  clock?: Clock;
}

export interface Nimbus {
  /** http://host:port, ready for AWS_ENDPOINT_URL or an SDK client's `endpoint`. */
  readonly endpoint: string;
  readonly host: string;
  readonly port: number;
  readonly clock: Clock;
  readonly store: Store;
  /** Calls any service's operation in-process. */
  readonly client: InternalClient;
  /** Wipes all state, as POST /_nimbus/reset does. */
  reset(): void;
  stop(): Promise<void>;
}

export async function startNimbus(options: StartOptions = {}): Promise<Nimbus> {
  const config: NimbusConfig = { ...DEFAULT_CONFIG, port: 0, ephemeral: true, ...stripUndefined(options) };
  const clock = options.clock ?? new SystemClock();
  const store = new SqliteStore(config.ephemeral ? undefined : resolve(config.dataDir));
  const filesDir = config.ephemeral ? mkdtempSync(join(tmpdir(), 'nimbus-')) : resolve(config.dataDir, 'files');
  mkdirSync(filesDir, { recursive: true });
  const edge = { endpoint: '' };
  const host = new ServiceHost({ store, clock, bus: new EventBus(), filesDir, edge });
  const server = createEdgeServer({
    host,
    defaultRegion: config.defaultRegion,
    maxBodyBytes: config.maxBodyBytes,
    routes: [serviceRoutes(host), internalRoutes(host, store, Date.now())],
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(config.port, config.host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  }).catch((error: unknown) => {
    store.close();
    throw error;
  });
  const closeStore = async (): Promise<void> => {
    await host.stop();
    store.close();
    if (config.ephemeral) rmSync(filesDir, { recursive: true, force: true });
  };

  const { port } = server.address() as AddressInfo;
  const urlHost = config.host.includes(':') ? `[${config.host}]` : config.host;
  edge.endpoint = `http://${urlHost}:${String(port)}`;
  // After the server answers, so resuming never delays readiness.
  setImmediate(() => {
    host.resumeBackgroundWork().catch((error: unknown) => {
      log.error(`could not resume background work: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  return {
    endpoint: edge.endpoint,
    host: config.host,
    port,
    clock,
    store,
    client: host.runtime.client,
    reset: () => {
      host.reset();
    },
    stop: () =>
      new Promise<void>((resolveClose, rejectClose) => {
        server.close(() => {
          closeStore().then(resolveClose, rejectClose);
        });
        server.closeAllConnections();
      }),
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
