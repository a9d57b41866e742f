/** An incoming invocation as the integrations see it, read once from node's request. */
import type { IncomingMessage } from 'node:http';
import { requestId } from '../../../shared/ids.js';

export interface GatewayRequest {
  httpMethod: string;
  /** The path after the stage, as the client sent it. */
  path: string;
  /** Last value per header, names as the client sent them. */
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  query: Record<string, string>;
  multiValueQuery: Record<string, string[]>;
  rawQuery: string;
  body: Buffer;
  sourceIp: string;
  userAgent: string;
  requestId: string;
  /** Epoch milliseconds. */
  receivedAt: number;
  domainName: string;
  protocol: string;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
    });
    request.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}

export async function readGatewayRequest(request: IncomingMessage, url: URL, path: string, receivedAt: number): Promise<GatewayRequest> {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const [name, value] = [request.rawHeaders[i], request.rawHeaders[i + 1]];
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = {};
  const multiValueQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    (multiValueQuery[name] ??= []).push(value);
  }
  return {
    httpMethod: (request.method ?? 'GET').toUpperCase(),
    path,
    headers,
    multiValueHeaders,
    query,
    multiValueQuery,
    rawQuery: url.search.slice(1),
    body: await readBody(request),
    sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    userAgent: request.headers['user-agent'] ?? '',
    requestId: requestId(),
    receivedAt,
    domainName: request.headers.host ?? '',
    protocol: `HTTP/${request.httpVersion}`,
  };
}

/** The header's value whatever its case. */
export function headerOf(request: GatewayRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const key = Object.keys(request.headers).find((candidate) => candidate.toLowerCase() === wanted);
  return key === undefined ? undefined : request.headers[key];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** $context.requestTime's CLF format: 09/Apr/2015:12:34:56 +0000. */
export function requestTime(epochMillis: number): string {
  const date = new Date(epochMillis);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
