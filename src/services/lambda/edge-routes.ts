/**
 * Lambda's non-API HTTP routes: GET /_nimbus/lambda/code/<CodeSha256> serves a function's zip, the
 * `Code.Location` GetFunction returns (on AWS, a presigned S3 URL).
 */
import { createReadStream, existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceRuntime } from '../service.js';
import { CodeStore } from './code.js';

export function handleLambdaEdgeRequest(runtime: ServiceRuntime, request: IncomingMessage, response: ServerResponse, url: URL): void {
  const match = /^\/_nimbus\/lambda\/code\/([^/]+)$/.exec(url.pathname);
  const path = match ? new CodeStore(runtime.filesDir).zipPath(decodeURIComponent(match[1])) : undefined;
  if (request.method !== 'GET' || !path || !existsSync(path)) {
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ message: 'No such function code' }));
    return;
  }
  response.writeHead(200, { 'content-type': 'application/zip' });
  createReadStream(path).pipe(response);
}
