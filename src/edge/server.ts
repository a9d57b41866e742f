/**
 * The edge: one port for every service. Connections start on the fast path (fast-path.ts), which answers
 * AWS API calls itself; anything else (routes of their own, upgrades, HTTP/1.0) goes to the node:http
 * server below, which never listens itself. Non-AWS routes are asked first; everything else is an AWS API
 * call. Every answer carries a request id the way AWS sends it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WireResponse } from '../protocols/wire.js';
import { wireRequestOf } from '../protocols/wire.js';
import { requestId as newRequestId } from '../shared/ids.js';
import { logger } from '../shared/log.js';
import { answerAwsCall, internalFailure, tooLargeAnswer } from './answers.js';
import type { AwsRequestOptions } from './aws-request.js';
import type { EdgeRoute } from './edge-route.js';
import { markClosedAtStop, refuseUpgrade, urlToMatch } from './edge-route.js';
import { serveFast } from './fast-path.js';

const log = logger('edge');

/** How long an idle keep-alive connection stays open (node:http's keepAliveTimeout, set the same on both paths). */
const KEEP_ALIVE_MS = 65_000;

export interface EdgeOptions extends AwsRequestOptions {
  routes: EdgeRoute[];
  maxBodyBytes: number;
}

/** The edge's listening server; closeAllConnections() drops every open connection, upgraded ones too. */
export interface EdgeServer extends NetServer {
  closeAllConnections(): void;
}

class BodyTooLarge extends Error {}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}

function send(response: ServerResponse, wire: WireResponse, extraHeaders: Record<string, string>, head: boolean): void {
  const body = wire.body;
  // A HEAD answer describes the body a GET would return (S3's HeadObject ContentLength), so the codec's
  // content-length stands; otherwise it is the length of what is sent.
  const contentLength = head && wire.headers['content-length'] !== undefined ? wire.headers['content-length'] : String(typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  response.writeHead(wire.status, { ...wire.headers, ...extraHeaders, 'content-length': contentLength });
  // A string body goes out as is: node joins it to the head in one write, without a Buffer.
  response.end(head ? undefined : body);
}

async function handle(options: EdgeOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const target = request.url ?? '/';
  const route = options.routes.find((r) => r.matches(request, urlToMatch(target)));
  if (route) {
    // The route's handler gets its own copy: it may change it.
    await route.handle(request, response, new URL(target, 'http://localhost'));
    return;
  }
  let body: Buffer;
  try {
    body = await readBody(request, options.maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      response.shouldKeepAlive = false;
      send(response, tooLargeAnswer(options.maxBodyBytes), { 'x-amzn-requestid': newRequestId() }, false);
    } else {
      response.destroy();
    }
    return;
  }
  const { answer, headers } = await answerAwsCall(options, wireRequestOf(request.method ?? 'GET', request.url ?? '/', request.headers, body));
  send(response, answer, headers, request.method === 'HEAD');
}

/**
 * An HTTP upgrade (a WebSocket handshake) goes to the route its address belongs to, matched as requests
 * are; node sends every request with an Upgrade header here, so one no route takes is refused.
 */
async function upgrade(options: EdgeOptions, request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  // The socket is ours from here: a client that drops it must not crash the process.
  socket.on('error', () => socket.destroy());
  const url = new URL(request.url ?? '/', 'http://localhost');
  const route = options.routes.find((r) => r.matches(request, url));
  if (route?.upgrade) await route.upgrade(request, socket, head, url);
  else refuseUpgrade(socket, `No WebSocket endpoint at ${url.pathname}`);
}

/** The node:http server the fast path hands connections to. */
function createSlowPath(options: EdgeOptions, upgraded: Set<Duplex>): ReturnType<typeof createHttpServer> {
  const server = createHttpServer({ keepAliveTimeout: KEEP_ALIVE_MS }, (request, response) => {
    handle(options, request, response).catch((error: unknown) => {
      log.error(`unhandled: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!response.headersSent) send(response, internalFailure(), {}, false);
      else response.destroy();
    });
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // node stops tracking a socket once it is upgraded: the edge closes these itself at stop.
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    upgrade(options, request, socket, head).catch((error: unknown) => {
      log.error(`unhandled upgrade: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      socket.destroy();
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

export function createEdgeServer(options: EdgeOptions): EdgeServer {
  const upgraded = new Set<Duplex>();
  const connections = new Set<Socket>();
  const slowPath = createSlowPath(options, upgraded);
  const fastOptions = { ...options, keepAliveMs: KEEP_ALIVE_MS };
  const server = createNetServer((socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
    serveFast(socket, fastOptions, slowPath);
  });
  return Object.assign(server, {
    closeAllConnections(): void {
      // Upgraded sockets are marked first: their services skip close work ($disconnect) for them.
      for (const socket of upgraded) markClosedAtStop(socket);
      for (const socket of [...connections, ...upgraded]) socket.destroy();
    },
  });
}
