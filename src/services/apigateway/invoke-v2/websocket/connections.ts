/**
 * The open WebSocket connections of one Nimbus instance. The data plane adds them on a successful
 * handshake; the management API (apigatewaymanagementapi) posts to, describes and closes them.
 *
 * Connections are sockets, so they live in memory only: they do not survive a restart (clients must
 * reconnect, as they must when API Gateway drops them). A reset, and stopping Nimbus, close them all
 * without running $disconnect: the APIs and functions it would call are gone or going. Several Nimbus instances can run in
 * one process, so the registry is found through the instance's store rather than held in a module variable.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import type { ServiceRuntime } from '../../../service.js';
import type { Store } from '../../../../store/store.js';
import type { ApiLocation } from '../../api-record.js';
import type { ConnectionContext } from './events.js';

/** A client message over 128 KB is refused with close code 1009 (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). */
export const MAX_MESSAGE_BYTES = 128 * 1024;

export interface LiveConnection extends ConnectionContext {
  location: ApiLocation;
  socket: WebSocket;
  /** The upgraded HTTP socket under it, which the edge closes when Nimbus stops. */
  transport: Duplex;
  /** Epoch milliseconds of the last message in either direction. */
  lastActiveAt: number;
  /** Set when a reset drops the connection: no $disconnect runs then. */
  dropped: boolean;
}

export class ConnectionRegistry {
  /** Completes handshakes the data plane accepted; it never listens on a port of its own. */
  readonly server: WebSocketServer;
  private readonly connections = new Map<string, LiveConnection>();
  /** The subprotocol a $connect integration chose for a handshake (its Sec-WebSocket-Protocol answer). */
  private readonly chosenProtocols = new WeakMap<IncomingMessage, string>();

  constructor() {
    this.server = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_MESSAGE_BYTES,
      handleProtocols: (_offered, request) => this.chosenProtocols.get(request) ?? false,
    });
  }

  chooseProtocol(request: IncomingMessage, protocol: string): void {
    this.chosenProtocols.set(request, protocol);
  }

  add(connection: LiveConnection): void {
    this.connections.set(connection.connectionId, connection);
  }

  /** The connection if it is open; one that is closing or closed is gone to the management API. */
  open(connectionId: string): LiveConnection | undefined {
    const connection = this.connections.get(connectionId);
    return connection && connection.socket.readyState === connection.socket.OPEN ? connection : undefined;
  }

  remove(connectionId: string): void {
    this.connections.delete(connectionId);
  }

  /** Drops every connection at once (reset). */
  dropAll(): void {
    for (const connection of this.connections.values()) {
      connection.dropped = true;
      connection.socket.terminate();
    }
    this.connections.clear();
  }
}

const registries = new WeakMap<Store, ConnectionRegistry>();

/** The connection registry of the Nimbus instance `runtime` belongs to. */
export function connectionRegistry(runtime: ServiceRuntime): ConnectionRegistry {
  let registry = registries.get(runtime.store);
  if (!registry) {
    const created = new ConnectionRegistry();
    runtime.lifecycle.onReset(() => {
      created.dropAll();
    });
    registries.set(runtime.store, created);
    registry = created;
  }
  return registry;
}
