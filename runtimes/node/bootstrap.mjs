// Nimbus's Node.js runtime interface client: runs inside a function's execution environment (a child
// process), loads the handler once (the cold start), then loops on the Lambda Runtime API:
// GET invocation/next -> run the handler -> POST invocation/{id}/response or /error.
// It speaks only the public Runtime API, like AWS's own runtime.
import { existsSync } from 'node:fs';
import nodeModule from 'node:module';
import { connect } from 'node:net';
import { delimiter, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';

const api = process.env.AWS_LAMBDA_RUNTIME_API;
const taskRoot = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
const handlerSpec = process.env._HANDLER ?? '';
const base = `/2018-06-01/runtime`;
// Written to stdout after each invocation's output so the host can tell which log lines belong to it.
const END_MARKER = '\u0000nimbus-end';

let currentRequestId;

/**
 * A minimal HTTP/1.1 client on one keep-alive connection to the Runtime API. Requests may be pipelined
 * (the result and the next long poll go out in one write); responses come back in order. Bodies are
 * read by content-length or chunked transfer encoding, or to the end of a closing connection. A lighter
 * path than node:http's agent: in a small VM every syscall and allocation per invocation shows.
 */
class RuntimeClient {
  constructor(address) {
    const colon = address.lastIndexOf(':');
    this.host = address.slice(0, colon);
    this.port = Number(address.slice(colon + 1));
    this.address = address;
    this.socket = undefined;
    this.buffer = Buffer.alloc(0);
    /** Requests written and not yet answered, oldest first. */
    this.waiting = [];
    this.corked = false;
  }

  request(method, path, body, headers = {}) {
    return new Promise((resolve, reject) => {
      const socket = this.connection();
      let head = `${method} ${base}${path} HTTP/1.1\r\nhost: ${this.address}\r\n`;
      for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
      if (body !== undefined && headers['content-length'] === undefined) head += `content-length: ${body.length}\r\n`;
      head += '\r\n';
      this.waiting.push({ resolve, reject });
      // Requests made in the same turn go out together.
      if (!this.corked) {
        this.corked = true;
        socket.cork();
        process.nextTick(() => {
          this.corked = false;
          socket.uncork();
        });
      }
      socket.write(head, 'latin1');
      if (body !== undefined && body.length) socket.write(body);
    });
  }

  connection() {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.parse(false);
    });
    socket.on('end', () => this.parse(true));
    socket.on('close', () => this.fail(socket, new Error('Runtime API connection closed')));
    socket.on('error', (error) => this.fail(socket, error));
    return socket;
  }

  fail(socket, error) {
    if (socket !== this.socket) return;
    const waiting = this.waiting;
    this.waiting = [];
    this.socket = undefined;
    for (const pending of waiting) pending.reject(error);
  }

  /** Takes every complete response off the buffer and settles its request. */
  parse(ended) {
    while (this.waiting.length) {
      const response = readResponse(this.buffer, ended);
      if (!response) return;
      this.buffer = this.buffer.subarray(response.consumed);
      this.waiting.shift().resolve(response);
    }
  }
}

/** One HTTP/1.1 response from the front of `buffer`, or undefined while it is incomplete. */
function readResponse(buffer, ended) {
  const headEnd = buffer.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const lines = buffer.toString('latin1', 0, headEnd).split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers = {};
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    if (colon > 0) headers[lines[i].slice(0, colon).trim().toLowerCase()] = lines[i].slice(colon + 1).trim();
  }
  const start = headEnd + 4;
  if (headers['content-length'] !== undefined) {
    const end = start + Number(headers['content-length']);
    if (buffer.length < end) return undefined;
    return { status, headers, body: buffer.subarray(start, end), consumed: end };
  }
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const chunks = [];
    let at = start;
    for (;;) {
      const lineEnd = buffer.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(buffer.toString('latin1', at, lineEnd), 16);
      if (size === 0) {
        // No trailers are sent to a runtime: the terminating chunk ends with an empty line.
        const end = buffer.indexOf('\r\n', lineEnd + 2);
        if (end < 0) return undefined;
        return { status, headers, body: Buffer.concat(chunks), consumed: end + 2 };
      }
      if (buffer.length < lineEnd + 2 + size + 2) return undefined;
      chunks.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  // Neither: the body runs to the end of the connection.
  if (!ended) return undefined;
  return { status, headers, body: buffer.subarray(start), consumed: buffer.length };
}

const client = new RuntimeClient(api);

function call(method, path, body, headers) {
  return client.request(method, path, body, headers);
}

function errorPayload(error) {
  if (error instanceof Error) {
    return { errorType: error.name ?? 'Error', errorMessage: error.message ?? '', trace: String(error.stack ?? '').split('\n') };
  }
  return { errorType: typeof error === 'string' ? 'string' : typeof error, errorMessage: String(error), trace: [] };
}

function post(path, payload, errorType, silent = false) {
  const body = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const headers = { 'content-type': 'application/json', 'content-length': body.length };
  if (errorType) headers['lambda-runtime-function-error-type'] = errorType;
  // Nimbus's own header: this invocation wrote no output, so no end-of-output marker follows.
  if (silent) headers['x-nimbus-no-output'] = '1';
  return call('POST', path, body, headers);
}

// Whether the current invocation wrote to stdout or stderr: only then does the host wait for the
// end-of-output marker.
let wroteOutput = false;

function watchOutput() {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = (...args) => {
      wroteOutput = true;
      return write(...args);
    };
  }
}

// Lambda's log line format for console output: timestamp, request id, level, message.
function patchConsole() {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
  for (const [method, level] of Object.entries(levels)) {
    console[method] = (...args) => {
      const message = format(...args).replace(/\n/g, '\r');
      process.stdout.write(`${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${message}\n`);
    };
  }
}

class UserCodeError extends Error {
  constructor(type, message, cause) {
    super(message);
    this.name = type;
    this.cause = cause;
  }
}

/** Finds the handler's module file as Lambda does: <dir>/<module>.{js,mjs,cjs} under the task root. */
function moduleFile(modulePath) {
  for (const extension of ['.js', '.mjs', '.cjs', '']) {
    const file = resolvePath(taskRoot, `${modulePath}${extension}`);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/**
 * Lets ES module code import the packages the runtime provides (the AWS SDK, layers' node_modules) as on
 * Lambda: Node's ES module resolver ignores NODE_PATH, so resolve-hook.mjs retries a bare specifier the
 * default resolution cannot find in those directories. Only local-code and layered functions need it (zip
 * code finds Nimbus's node_modules by walking up), so it is registered only when search paths are given.
 */
function registerResolveHook() {
  const searchPaths = (process.env.NIMBUS_NODE_SEARCH_PATHS ?? '').split(delimiter).filter(Boolean);
  // module.register arrived in Node 20.6; before it, only `require` finds those packages.
  if (searchPaths.length && typeof nodeModule.register === 'function') {
    nodeModule.register('./resolve-hook.mjs', { parentURL: import.meta.url, data: { searchPaths } });
  }
}

async function loadHandler() {
  const dot = handlerSpec.lastIndexOf('.');
  if (dot <= 0) throw new UserCodeError('Runtime.MalformedHandlerName', "Bad handler: the handler must be of the form 'module.function'");
  const modulePath = handlerSpec.slice(0, dot);
  const functionPath = handlerSpec.slice(dot + 1);
  const file = moduleFile(modulePath);
  if (!file) throw new UserCodeError('Runtime.ImportModuleError', `Error: Cannot find module '${modulePath}'`);
  let module;
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    if (error instanceof SyntaxError) throw new UserCodeError('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message}`, error);
    throw new UserCodeError('Runtime.ImportModuleError', `${error?.name ?? 'Error'}: ${error?.message ?? String(error)}`, error);
  }
  let handler = module;
  for (const part of functionPath.split('.')) handler = handler?.[part] ?? handler?.default?.[part];
  if (typeof handler !== 'function') {
    throw new UserCodeError('Runtime.HandlerNotFound', `${handlerSpec} is undefined or not exported`);
  }
  return handler;
}

function makeContext(headers) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: headers['lambda-runtime-cognito-identity'] ? JSON.parse(headers['lambda-runtime-cognito-identity']) : undefined,
    clientContext: headers['lambda-runtime-client-context'] ? JSON.parse(headers['lambda-runtime-client-context']) : undefined,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  return context;
}

/** Runs the handler in either style: a returned promise, or a callback when it declares three parameters. */
function runHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (error, result) => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    context.done = callback;
    context.succeed = (result) => callback(null, result);
    context.fail = (error) => callback(error ?? 'handled');
    try {
      const returned = handler(event, context, callback);
      if (returned && typeof returned.then === 'function') returned.then((r) => callback(null, r), (e) => callback(e ?? new Error('Promise rejected')));
      else if (handler.length < 3) callback(null, returned);
    } catch (error) {
      callback(error);
    }
  });
}

async function main() {
  patchConsole();
  watchOutput();
  registerResolveHook();
  let handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    const payload = error instanceof UserCodeError ? { errorType: error.name, errorMessage: error.message, trace: String(error.cause?.stack ?? error.stack).split('\n') } : errorPayload(error);
    console.error(`${payload.errorType}: ${payload.errorMessage}`);
    await post('/init/error', payload, payload.errorType);
    process.exit(1);
  }

  process.on('unhandledRejection', (reason) => {
    const payload = errorPayload(reason);
    console.error(`Unhandled Promise Rejection\t${JSON.stringify(payload)}`);
    process.exit(128);
  });

  let polling = call('GET', '/invocation/next');
  for (;;) {
    const next = await polling;
    const requestId = next.headers['lambda-runtime-aws-request-id'];
    currentRequestId = requestId;
    // Lambda's runtimes publish each invocation's trace header here, where the X-Ray SDK looks for it.
    if (next.headers['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'];
    else delete process.env._X_AMZN_TRACE_ID;
    wroteOutput = false;
    let outcome;
    try {
      const event = next.body.length ? JSON.parse(next.body.toString('utf8')) : null;
      const result = await runHandler(handler, event, makeContext(next.headers));
      outcome = { path: `/invocation/${requestId}/response`, payload: result === undefined ? 'null' : JSON.stringify(result) };
    } catch (error) {
      const payload = errorPayload(error);
      console.error(`Invoke Error \t${JSON.stringify(payload)}`);
      outcome = { path: `/invocation/${requestId}/error`, payload, errorType: payload.errorType };
    }
    const silent = !wroteOutput;
    if (!silent) process.stdout.write(`${END_MARKER} ${requestId}\n`);
    // The result and the next long poll go out pipelined, in one write.
    const posted = post(outcome.path, outcome.payload, outcome.errorType, silent);
    polling = call('GET', '/invocation/next');
    await posted;
  }
}

await main();
