/**
 * Drives a protocol codec with a real AWS SDK v3 client, for protocol unit tests: the SDK's serializer produces
 * the requests we parse and its deserializer reads the responses (and errors) we write. A request handler
 * stands in for the network, so no server runs.
 */
import { Readable } from 'node:stream';
import type { HttpRequest as SdkHttpRequest, HttpResponse as SdkHttpResponse } from '@smithy/types';
import { ServiceError } from '../shared/errors.js';
import type { ServiceModel } from './model.js';
import type { ProtocolCodec, ResponseContext } from './protocol.js';
import type { WireRequest, WireResponse } from './wire.js';

async function collectBody(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  // Through its ArrayBuffer: Buffer.from(view) would call the SDK's string-flavoured valueOf() on JSON bodies.
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks);
  }
  throw new Error(`Unexpected request body type ${typeof body}`);
}

function encodeQuery(query: SdkHttpRequest['query'] | undefined): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) parts.push(item === null ? encodeURIComponent(key) : `${encodeURIComponent(key)}=${encodeURIComponent(item)}`);
  }
  return parts.join('&');
}

/** The request as the edge would hand it to a codec. */
async function toWireRequest(request: SdkHttpRequest): Promise<WireRequest> {
  const rawQuery = encodeQuery(request.query);
  const headers: WireRequest['headers'] = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  const body: unknown = request.body;
  return {
    method: request.method,
    path: request.path,
    rawQuery,
    query: new URLSearchParams(rawQuery),
    headers,
    body: await collectBody(body),
    host: request.port ? `${request.hostname}:${request.port}` : request.hostname,
  };
}

function toSdkResponse(response: WireResponse): SdkHttpResponse {
  const body = Buffer.from(response.body);
  return { statusCode: response.status, headers: response.headers, body: Readable.from(body.length > 0 ? [body] : []) };
}

/** What the fake service answers: its output, or an error. */
export interface SdkReply {
  output?: Record<string, unknown>;
  error?: ServiceError;
}

/** What the codec made of the SDK's last request, and what it wrote back. */
export interface SdkSeen {
  operation?: string;
  input?: Record<string, unknown>;
  request?: WireRequest;
  response?: WireResponse;
}

export interface SdkHarnessOptions {
  protocol: ProtocolCodec;
  model: ServiceModel;
  /** The context responses are written with (its requestId shows in headers and error bodies). */
  context: ResponseContext;
  reply: SdkReply;
  /** Changes the request on the wire, for requests the SDK would never send. */
  tamper?: (wire: WireRequest) => WireRequest;
}

/** The `requestHandler` of an SDK client config: takes the SDK's request, resolves the response. */
export interface SdkRequestHandler {
  handle: (request: SdkHttpRequest) => Promise<{ response: SdkHttpResponse }>;
}

/** Client settings with nothing to do with the codec: no retries, so an error reaches the test at once. */
export const SDK_CLIENT_SETTINGS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  maxAttempts: 1,
};

/**
 * A request handler that sends the SDK's requests through `protocol`: it records what was parsed in `seen`
 * and answers with `reply`. A ServiceError from parsing is answered as the edge answers it, so a test sees
 * the error the SDK makes of it.
 */
export function sdkHarness(options: SdkHarnessOptions): { requestHandler: SdkRequestHandler; seen: SdkSeen } {
  const { protocol, model, context, reply, tamper = (wire: WireRequest) => wire } = options;
  const seen: SdkSeen = {};
  const handle = async (request: SdkHttpRequest): Promise<{ response: SdkHttpResponse }> => {
    const wire = tamper(await toWireRequest(request));
    seen.request = wire;
    const operation = protocol.resolveOperation(model, wire);
    if (!operation) return { response: toSdkResponse(protocol.serializeError(model, protocol.unknownOperationError(wire), context)) };
    seen.operation = operation.name;
    const responseContext: ResponseContext = { ...context, method: wire.method };
    try {
      seen.input = protocol.parseInput(model, operation, wire);
      seen.response = reply.error
        ? protocol.serializeError(model, reply.error, responseContext)
        : protocol.serializeOutput(model, operation, reply.output ?? {}, responseContext);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      seen.response = protocol.serializeError(model, error, responseContext);
    }
    return { response: toSdkResponse(seen.response) };
  };
  return { requestHandler: { handle }, seen };
}
