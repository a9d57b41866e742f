/**
 * The Lambda Runtime API of one execution environment
 * (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html): the runtime long-polls
 * `invocation/next`, then posts the result to `invocation/{id}/response` or `/error`, or reports a failed
 * start to `init/error`. Every environment gets its own server on a loopback port, so any runtime
 * interface client (ours, AWS's, a Go or Rust one) works unchanged.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const PREFIX = '/2018-06-01/runtime';
/**
 * Not part of Lambda's Runtime API: Nimbus's bootstraps send it with a result when the invocation wrote
 * nothing to stdout or stderr, so the host need not wait for their end-of-output marker. Other runtime
 * clients never send it and are waited for as before.
 */
const NO_OUTPUT_HEADER = 'x-nimbus-no-output';
/** Lambda's synchronous response limit: 6 MB. */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

export interface RuntimeInvocation {
  requestId: string;
  payload: Buffer;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string;
  clientContext?: string;
  cognitoIdentity?: string;
}

export interface RuntimeError {
  errorType: string;
  errorMessage: string;
  stackTrace?: string[];
  /** The raw body the runtime posted, returned to the caller as the function's error payload. */
  body: Buffer;
}

/** What the environment learns from its runtime, as events. */
export interface RuntimeApiEvents {
  /** The runtime asked for work: it is initialised (first time) or done with the last invocation. */
  onNext(): void;
  /** `silent`: Nimbus's own runtime clients say so when the invocation wrote no output (no end marker follows). */
  onResponse(requestId: string, payload: Buffer, silent: boolean): void;
  onError(requestId: string, error: RuntimeError, silent: boolean): void;
  onInitError(error: RuntimeError): void;
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () => {
      resolve(size > limit ? undefined : Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}

function reply(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Reads an error body as Lambda does: JSON with errorType/errorMessage when it is, else opaque. */
function parseRuntimeError(body: Buffer, errorTypeHeader: string | undefined): RuntimeError {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errorType?: unknown; errorMessage?: unknown; stackTrace?: unknown };
    return {
      errorType: typeof parsed.errorType === 'string' ? parsed.errorType : (errorTypeHeader ?? 'Unknown'),
      errorMessage: typeof parsed.errorMessage === 'string' ? parsed.errorMessage : '',
      stackTrace: Array.isArray(parsed.stackTrace) ? parsed.stackTrace.map(String) : undefined,
      body,
    };
  } catch {
    return { errorType: errorTypeHeader ?? 'Unknown', errorMessage: body.toString('utf8'), body };
  }
}

export class RuntimeApiServer {
  private readonly server: Server;
  private waiting: ServerResponse | undefined;
  private pending: RuntimeInvocation | undefined;
  /** The invocation handed to the runtime and not yet answered. */
  private current: string | undefined;

  constructor(private readonly events: RuntimeApiEvents) {
    this.server = createServer({ keepAliveTimeout: 0 }, (request, response) => {
      this.route(request, response).catch(() => {
        if (!response.headersSent) reply(response, 500, { errorMessage: 'Internal error', errorType: 'ServiceException' });
      });
    });
    // The runtime's long poll may wait for minutes between invocations.
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 0;
  }

  /** Listens on a free loopback port; resolves with the `host:port` for AWS_LAMBDA_RUNTIME_API. */
  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        resolve(`127.0.0.1:${String((this.server.address() as AddressInfo).port)}`);
      });
    });
  }

  /** Hands an invocation to the runtime: now if it is polling, else on its next poll. */
  dispatch(invocation: RuntimeInvocation): void {
    this.pending = invocation;
    this.current = invocation.requestId;
    if (this.waiting) {
      const response = this.waiting;
      this.waiting = undefined;
      this.deliver(response);
    }
  }

  close(): void {
    this.waiting?.destroy();
    this.waiting = undefined;
    this.server.closeAllConnections();
    this.server.close();
  }

  private deliver(response: ServerResponse): void {
    const invocation = this.pending;
    if (!invocation) return;
    this.pending = undefined;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-length': String(invocation.payload.length),
      'lambda-runtime-aws-request-id': invocation.requestId,
      'lambda-runtime-deadline-ms': String(invocation.deadlineMs),
      'lambda-runtime-invoked-function-arn': invocation.invokedFunctionArn,
      'lambda-runtime-trace-id': invocation.traceId,
    };
    if (invocation.clientContext) headers['lambda-runtime-client-context'] = invocation.clientContext;
    if (invocation.cognitoIdentity) headers['lambda-runtime-cognito-identity'] = invocation.cognitoIdentity;
    response.writeHead(200, headers);
    response.end(invocation.payload);
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = request.url ?? '';
    if (request.method === 'GET' && path === `${PREFIX}/invocation/next`) {
      this.events.onNext();
      if (this.pending) this.deliver(response);
      else this.waiting = response;
      return;
    }
    if (request.method === 'POST' && path === `${PREFIX}/init/error`) {
      const body = (await readBody(request, MAX_RESPONSE_BYTES)) ?? Buffer.alloc(0);
      reply(response, 202, { status: 'OK' });
      this.events.onInitError(parseRuntimeError(body, header(request, 'lambda-runtime-function-error-type')));
      return;
    }
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (request.method === 'POST' && match) {
      const requestId = decodeURIComponent(match[1]);
      if (requestId !== this.current) {
        request.resume();
        reply(response, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
        return;
      }
      const body = await readBody(request, MAX_RESPONSE_BYTES);
      if (!body) {
        reply(response, 413, { errorMessage: `Exceeded maximum allowed payload size (${String(MAX_RESPONSE_BYTES)} bytes).`, errorType: 'RequestEntityTooLarge' });
        this.current = undefined;
        const message = `Response payload size exceeded maximum allowed payload size (${String(MAX_RESPONSE_BYTES)} bytes).`;
        this.events.onError(requestId, { errorType: 'Function.ResponseSizeTooLarge', errorMessage: message, body: Buffer.from(JSON.stringify({ errorMessage: message, errorType: 'Function.ResponseSizeTooLarge' })) }, false);
        return;
      }
      reply(response, 202, { status: 'OK' });
      this.current = undefined;
      const silent = header(request, NO_OUTPUT_HEADER) === '1';
      if (match[2] === 'response') this.events.onResponse(requestId, body, silent);
      else this.events.onError(requestId, parseRuntimeError(body, header(request, 'lambda-runtime-function-error-type')), silent);
      return;
    }
    request.resume();
    reply(response, 404, { errorMessage: `Unknown Runtime API path ${request.method ?? ''} ${path}`, errorType: 'InvalidRequest' });
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
