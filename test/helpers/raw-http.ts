/**
 * A raw HTTP request to Nimbus on loopback, for the tests that address an API or a function URL by its Host
 * header (fetch does not let a caller choose Host) or need exact control over the headers sent.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';

export interface RawRequest {
  method: string;
  /** The request target: path and query string, sent as given. */
  path: string;
  /** Sent as the Host header when given. */
  host?: string;
  /** A map, or Node's flat list of raw headers ([name, value, name, value, …]) when one must repeat. */
  headers?: OutgoingHttpHeaders | string[];
  body?: string | Buffer;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body decoded as UTF-8. */
  text: string;
  /** The body's bytes, for binary answers. */
  body: Buffer;
}

function withHost(host: string | undefined, headers: OutgoingHttpHeaders | string[]): OutgoingHttpHeaders | string[] {
  if (host === undefined) return headers;
  return Array.isArray(headers) ? ['Host', host, ...headers] : { host, ...headers };
}

export function rawRequest(port: number, request: RawRequest): Promise<HttpAnswer> {
  const { method, path, host, headers = {}, body } = request;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: withHost(host, headers) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: bytes.toString('utf8'), body: bytes });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
