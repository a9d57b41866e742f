/**
 * Routes that are not AWS API calls plug in here: Nimbus's own /_nimbus/* now; API Gateway invocations,
 * function URLs and WebSocket upgrades later. The edge asks each in order before treating a request as an
 * AWS API call.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** What route matching reads of a request: node's IncomingMessage, or the head the edge's fast path read. */
export type RequestHead = Pick<IncomingMessage, 'method' | 'url' | 'headers'>;

export interface EdgeRoute {
  name: string;
  matches(request: RequestHead, url: URL): boolean;
  handle(request: IncomingMessage, response: ServerResponse, url: URL): void | Promise<void>;
  /** Takes over an HTTP `upgrade` (a WebSocket handshake); routes without it refuse upgrades. */
  upgrade?(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void | Promise<void>;
}

/** Refuses an upgrade no route takes: a 404, then the socket closes. */
export function refuseUpgrade(socket: Duplex, message: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error: 'NotFound', message });
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${String(Buffer.byteLength(body))}\r\n\r\n${body}`);
}

const closedAtStop = new WeakSet<Duplex>();

/** Marks an upgraded socket the edge closes because Nimbus is stopping. */
export function markClosedAtStop(socket: Duplex): void {
  closedAtStop.add(socket);
}

/** Whether Nimbus closed this upgraded socket while stopping: a service then skips its close work ($disconnect). */
export function wasClosedAtStop(socket: Duplex): boolean {
  return closedAtStop.has(socket);
}

/**
 * Parsed request targets, for route matching only (matchers read them, never change them): API clients
 * send the same few targets over and over, and parsing one is a measurable part of a small request.
 */
const matchedUrls = new Map<string, URL>();
const MATCHED_URLS = 256;

export function urlToMatch(target: string): URL {
  let url = matchedUrls.get(target);
  if (!url) {
    if (matchedUrls.size >= MATCHED_URLS) matchedUrls.clear();
    url = new URL(target, 'http://localhost');
    matchedUrls.set(target, url);
  }
  return url;
}
