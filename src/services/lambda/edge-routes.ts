/**
 * Lambda's non-API HTTP routes: function URLs (see function-url/serve.ts for their two address forms), and
 * GET /_nimbus/lambda/code/<CodeSha256>, which serves a function's zip, the `Code.Location` GetFunction
 * returns (on AWS, a presigned S3 URL).
 */
import { createReadStream, existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceRuntime } from '../service.js';
import { CodeStore } from './code.js';
import { functionUrlAddress, serveFunctionUrl } from './function-url/serve.js';
import { lambdaServiceOf } from './function-url/services.js';

export async function handleLambdaEdgeRequest(runtime: ServiceRuntime, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const address = functionUrlAddress(request);
  const service = lambdaServiceOf(runtime);
  if (address && service) {
    await serveFunctionUrl(service, request, response, address);
    return;
  }
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
