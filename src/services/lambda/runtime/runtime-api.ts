/**
 * The Lambda Runtime API of one execution environment
 * (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html): the runtime long-polls
 * `invocation/next`, then posts the result to `invocation/{id}/response` or `/error`, or reports a failed
 * start to `init/error`. Every environment gets its own server on a loopback port, so any runtime
 * interface client (ours, AWS's, a Go or Rust one) works unchanged.
 */
import type { AddressInfo, Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import type { HttpRequest } from '../../../shared/http1.js';
import { CONTINUE, MalformedRequest, RequestReader, responseBytes } from '../../../shared/http1.js';

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

/**
 * A connection's answers, written in as few writes as can be: each write wakes the runtime process, and
 * on a VM a wake-up costs more than the rest of an invocation's work here. Answers to the requests of one
 * read leave together; and when the runtime has already asked for its next invocation (our bootstraps
 * send the result and the next poll at once), the result's 202 waits to leave with that invocation.
 */
const ACCEPTED = responseBytes(202, { 'content-type': 'application/json' }, Buffer.from(JSON.stringify({ status: 'OK' })));

class Connection {
  private readonly out: Buffer[] = [];

  constructor(readonly socket: Socket) {}

  reply(status: number, headers: Record<string, string>, body: Buffer): void {
    this.out.push(responseBytes(status, headers, body));
  }

  /** The answer to a runtime's result: the same bytes every time. */
  accepted(): void {
    this.out.push(ACCEPTED);
  }

  replyJson(status: number, body: object): void {
    this.reply(status, { 'content-type': 'application/json' }, Buffer.from(JSON.stringify(body)));
  }

  flush(): void {
    if (!this.out.length) return;
    if (!this.socket.destroyed) this.socket.write(this.out.length === 1 ? this.out[0] : Buffer.concat(this.out));
    this.out.length = 0;
  }
}

export class RuntimeApiServer {
  private readonly server: Server;
  private readonly connections = new Set<Socket>();
  private waiting: Connection | undefined;
  private pending: RuntimeInvocation | undefined;
  /** The invocation handed to the runtime and not yet answered. */
  private current: string | undefined;

  constructor(private readonly events: RuntimeApiEvents) {
    // Plain sockets rather than node:http: two requests per invocation pass here, and HTTP's objects and
    // per-response writes cost more than the invocation itself (see shared/http1.ts).
    this.server = createServer((socket) => {
      this.accept(socket);
    });
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
      const connection = this.waiting;
      this.waiting = undefined;
      this.deliver(connection);
      connection.flush();
    }
  }

  close(): void {
    this.waiting = undefined;
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
    this.server.close();
  }

  private accept(socket: Socket): void {
    this.connections.add(socket);
    socket.setNoDelay(true);
    const connection = new Connection(socket);
    const reader = new RequestReader(MAX_RESPONSE_BYTES, {
      onRequest: (request) => {
        this.route(request, connection);
      },
      onContinue: () => {
        connection.flush();
        socket.write(CONTINUE);
      },
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch (error) {
        // Whatever a runtime sends, it never takes Nimbus down: unreadable bytes end the connection.
        const malformed = error instanceof MalformedRequest;
        connection.replyJson(malformed ? 400 : 500, malformed
          ? { errorMessage: `Malformed request: ${error.message}`, errorType: 'InvalidRequest' }
          : { errorMessage: 'Internal error', errorType: 'ServiceException' });
        connection.flush();
        socket.removeAllListeners('data');
        socket.end();
        return;
      }
      // A runtime waiting for its next invocation gets what is due to it together with that invocation.
      if (this.waiting !== connection) connection.flush();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.connections.delete(socket);
      if (this.waiting === connection) this.waiting = undefined;
    });
  }

  private deliver(connection: Connection): void {
    const invocation = this.pending;
    if (!invocation) return;
    this.pending = undefined;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': invocation.requestId,
      'lambda-runtime-deadline-ms': String(invocation.deadlineMs),
      'lambda-runtime-invoked-function-arn': invocation.invokedFunctionArn,
      'lambda-runtime-trace-id': invocation.traceId,
    };
    if (invocation.clientContext) headers['lambda-runtime-client-context'] = invocation.clientContext;
    if (invocation.cognitoIdentity) headers['lambda-runtime-cognito-identity'] = invocation.cognitoIdentity;
    connection.reply(200, headers, invocation.payload);
  }

  private route(request: HttpRequest, connection: Connection): void {
    const path = request.path;
    if (request.method === 'GET' && path === `${PREFIX}/invocation/next`) {
      this.events.onNext();
      if (this.pending) this.deliver(connection);
      else this.waiting = connection;
      return;
    }
    if (request.method === 'POST' && path === `${PREFIX}/init/error`) {
      connection.accepted();
      this.events.onInitError(parseRuntimeError(request.body ?? Buffer.alloc(0), request.headers['lambda-runtime-function-error-type']));
      return;
    }
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (request.method === 'POST' && match) {
      const requestId = decodedOrUndefined(match[1]);
      if (requestId === undefined || requestId !== this.current) {
        connection.replyJson(400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
        return;
      }
      this.current = undefined;
      if (!request.body) {
        connection.replyJson(413, { errorMessage: `Exceeded maximum allowed payload size (${String(MAX_RESPONSE_BYTES)} bytes).`, errorType: 'RequestEntityTooLarge' });
        const message = `Response payload size exceeded maximum allowed payload size (${String(MAX_RESPONSE_BYTES)} bytes).`;
        this.events.onError(requestId, { errorType: 'Function.ResponseSizeTooLarge', errorMessage: message, body: Buffer.from(JSON.stringify({ errorMessage: message, errorType: 'Function.ResponseSizeTooLarge' })) }, false);
        return;
      }
      connection.accepted();
      const silent = request.headers[NO_OUTPUT_HEADER] === '1';
      if (match[2] === 'response') this.events.onResponse(requestId, request.body, silent);
      else this.events.onError(requestId, parseRuntimeError(request.body, request.headers['lambda-runtime-function-error-type']), silent);
      return;
    }
    connection.replyJson(404, { errorMessage: `Unknown Runtime API path ${request.method} ${path}`, errorType: 'InvalidRequest' });
  }
}

/** A percent-encoded path segment, or undefined when its encoding is broken (never a request id). */
function decodedOrUndefined(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
