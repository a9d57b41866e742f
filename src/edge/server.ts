/**
 * The edge: one node:http server for every service. Non-AWS routes are asked first; everything else is
 * an AWS API call. Every response carries a request id the way AWS sends it.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WireRequest, WireResponse } from '../protocols/wire.js';
import { requestId as newRequestId } from '../shared/ids.js';
import { logger } from '../shared/log.js';
import type { AwsRequestOptions } from './aws-request.js';
import { handleAwsRequest } from './aws-request.js';
import type { EdgeRoute } from './edge-route.js';
import { markClosedAtStop, refuseUpgrade } from './edge-route.js';

const log = logger('edge');

export interface EdgeOptions extends AwsRequestOptions {
  routes: EdgeRoute[];
  maxBodyBytes: number;
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

function wireRequest(request: IncomingMessage, body: Buffer): WireRequest {
  const rawUrl = request.url ?? '/';
  const q = rawUrl.indexOf('?');
  const rawQuery = q >= 0 ? rawUrl.slice(q + 1) : '';
  return {
    method: request.method ?? 'GET',
    path: q >= 0 ? rawUrl.slice(0, q) : rawUrl,
    rawQuery,
    query: new URLSearchParams(rawQuery),
    headers: request.headers,
    body,
    host: request.headers.host ?? '',
  };
}

/** S3 names its request id header differently from every other service. */
function requestIdHeaders(wire: WireRequest, requestId: string, response: WireResponse): Record<string, string> {
  if (response.headers['x-amz-request-id'] !== undefined || /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[^/]+\/s3\//.test(String(wire.headers.authorization))) {
    return { 'x-amz-request-id': requestId, 'x-amz-id-2': Buffer.from(requestId).toString('base64') };
  }
  return { 'x-amzn-requestid': requestId };
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

function tooLarge(response: ServerResponse, requestId: string, limit: number): void {
  const body = JSON.stringify({ __type: 'RequestEntityTooLargeException', message: `Request body exceeds the ${limit} byte limit` });
  response.writeHead(413, { 'content-type': 'application/json', 'x-amzn-errortype': 'RequestEntityTooLargeException', 'x-amzn-requestid': requestId, connection: 'close', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/**
 * Parsed request targets, for route matching only (matchers read them, never change them): API clients
 * send the same few targets over and over, and parsing one is a measurable part of a small request.
 */
const matchedUrls = new Map<string, URL>();
const MATCHED_URLS = 256;

function urlToMatch(target: string): URL {
  let url = matchedUrls.get(target);
  if (!url) {
    if (matchedUrls.size >= MATCHED_URLS) matchedUrls.clear();
    url = new URL(target, 'http://localhost');
    matchedUrls.set(target, url);
  }
  return url;
}

async function handle(options: EdgeOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const requestId = newRequestId();
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
    if (error instanceof BodyTooLarge) tooLarge(response, requestId, options.maxBodyBytes);
    else response.destroy();
    return;
  }
  const wire = wireRequest(request, body);
  const answer = await handleAwsRequest(options, wire, requestId);
  send(response, answer, requestIdHeaders(wire, requestId, answer), request.method === 'HEAD');
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

export function createEdgeServer(options: EdgeOptions): Server {
  const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
    handle(options, request, response).catch((error: unknown) => {
      log.error(`unhandled: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ __type: 'InternalFailure', message: 'Internal error in Nimbus' }));
      } else {
        response.destroy();
      }
    });
  });
  // node stops tracking a socket once it is upgraded, so closeAllConnections() would leave open WebSockets
  // holding server.close() forever: they are tracked here and closed with the rest.
  const upgraded = new Set<Duplex>();
  const closeHttpConnections = server.closeAllConnections.bind(server);
  server.closeAllConnections = () => {
    closeHttpConnections();
    for (const socket of upgraded) {
      markClosedAtStop(socket);
      socket.destroy();
    }
  };
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
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
