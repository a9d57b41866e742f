/**
 * The management API under a WebSocket API's own URL, where Lambda code usually points its client:
 * `http://{api-id}.execute-api.localhost:{port}/{stage}` or `/_aws/execute-api/{api-id}/{stage}`, the SDK
 * appending `/@connections/{id}` (EDGE_ROUTES in registry.ts sends these here, ahead of the data plane).
 * With the base path taken off, the request is an ordinary call of the service, run through its codec
 * and the internal client (so the model's validation applies), in the account of the API it names.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { codecFor } from '../../protocols/index.js';
import { loadServiceModel } from '../../protocols/model.js';
import type { WireRequest, WireResponse } from '../../protocols/wire.js';
import { isServiceError, ServiceError } from '../../shared/errors.js';
import { requestId as newRequestId } from '../../shared/ids.js';
import { findV2Api } from '../apigatewayv2/records.js';
import type { ServiceRuntime } from '../service.js';

const SERVICE = 'apigatewaymanagementapi';
const PATH_FORM = /^\/_aws\/execute-api\/([a-z0-9]{10})\/[^/]+(\/@connections\/.*)$/;
const HOST_FORM = /^([a-z0-9]{10})\.execute-api\.localhost(?::\d+)?$/i;
const HOST_PATH = /^\/[^/]+(\/@connections\/.*)$/;

/** The API a management request names and its path without the API's base, or undefined. */
export function managementAddress(host: string, path: string): { apiId: string; path: string } | undefined {
  const byPath = PATH_FORM.exec(path);
  if (byPath) return { apiId: byPath[1], path: byPath[2] };
  const byHost = HOST_FORM.exec(host);
  const rest = byHost ? HOST_PATH.exec(path) : null;
  return byHost && rest ? { apiId: byHost[1].toLowerCase(), path: rest[1] } : undefined;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}

async function answer(runtime: ServiceRuntime, wire: WireRequest, apiId: string | undefined, requestId: string): Promise<WireResponse> {
  const model = loadServiceModel(SERVICE);
  const codec = codecFor(model.metadata);
  try {
    const operation = codec.resolveOperation(model, wire);
    if (!operation) throw codec.unknownOperationError(wire);
    const api = apiId === undefined ? undefined : findV2Api(runtime, apiId);
    // An API that does not exist answers as AWS does for any unknown execute-api host.
    if (!api) throw new ServiceError('ForbiddenException', 'Forbidden', 403);
    const input = codec.parseInput(model, operation, wire);
    const output = await runtime.client.call(SERVICE, operation.name, input, api.location);
    return codec.serializeOutput(model, operation, output, { requestId, method: wire.method });
  } catch (error) {
    const failure = isServiceError(error) ? error : new ServiceError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
    return codec.serializeError(model, failure, { requestId, method: wire.method });
  }
}

export async function handleManagementRequest(runtime: ServiceRuntime, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const requestId = newRequestId();
  const rawUrl = request.url ?? '/';
  const rawPath = rawUrl.split('?')[0];
  const address = managementAddress(request.headers.host ?? '', rawPath);
  const wire: WireRequest = {
    method: request.method ?? 'GET',
    path: address?.path ?? rawPath,
    rawQuery: url.search.slice(1),
    query: url.searchParams,
    headers: request.headers,
    body: await readBody(request),
    host: request.headers.host ?? '',
  };
  const result = await answer(runtime, wire, address?.apiId, requestId);
  const body = typeof result.body === 'string' ? Buffer.from(result.body) : result.body;
  response.writeHead(result.status, { ...result.headers, 'x-amzn-requestid': requestId, 'content-length': String(body.length) });
  response.end(request.method === 'HEAD' ? undefined : body);
}
