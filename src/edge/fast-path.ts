/**
 * The edge's fast path: AWS API calls read and answered on the socket by the edge itself (shared/http1.ts)
 * instead of through node:http's request and response objects, which cost a tenth or more of a small
 * call (bench: ssm:GetParameter, Lambda Invoke, DynamoDB). Every connection starts here. The first request
 * that is not a plain HTTP/1.1 AWS API call (an upgrade, HTTP/1.0, anything a route of its own serves: API
 * Gateway, function URLs, /_nimbus) hands the connection, from that request on, to node:http for good, once
 * the answers before it are out.
 *
 * What node:http would otherwise do is done here as AWS clients need it: answers in request order (pipelined
 * requests one at a time), `Expect: 100-continue`, a Date header, `Connection: close` honoured, 400 for bytes
 * that are not HTTP, 413 past the body limit, and the idle connection closed after the keep-alive timeout
 * (never while a call runs: a Lambda invoke may take 15 minutes).
 */
import type { Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { WireResponse } from '../protocols/wire.js';
import { wireRequestOf } from '../protocols/wire.js';
import type { HttpRequest } from '../shared/http1.js';
import { CONTINUE, MalformedRequest, RequestReader } from '../shared/http1.js';
import { requestId as newRequestId } from '../shared/ids.js';
import { logger } from '../shared/log.js';
import { answerAwsCall, internalFailure, tooLargeAnswer } from './answers.js';
import type { AwsRequestOptions } from './aws-request.js';
import type { EdgeRoute } from './edge-route.js';
import { urlToMatch } from './edge-route.js';

const log = logger('edge');

export interface FastPathOptions extends AwsRequestOptions {
  routes: EdgeRoute[];
  maxBodyBytes: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveMs: number;
}

/** The Date header, rebuilt once a second as node:http does. */
let dateText = '';
let dateSecond = -1;
function httpDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

/** CR or LF in a header would let a value write headers (or a body) of its own. */
const UNSAFE_HEADER_TEXT = /[\r\n]/;

/** The bytes of an answer; HEAD answers keep the codec's content-length and send no body. */
function answerBytes(answer: WireResponse, extraHeaders: Record<string, string>, head: boolean, close: boolean): Buffer {
  const body = answer.body;
  const length = head && answer.headers['content-length'] !== undefined ? answer.headers['content-length'] : String(typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  let text = `HTTP/1.1 ${String(answer.status)} ${STATUS_CODES[answer.status] ?? ''}\r\n`;
  const headerLine = (name: string, value: string): void => {
    if (UNSAFE_HEADER_TEXT.test(value)) throw new Error(`Header ${name} holds a line break`);
    text += `${name}: ${value}\r\n`;
  };
  // The edge's own headers win over a codec's of the same name, as in the node:http path.
  for (const name in answer.headers) if (name !== 'content-length' && extraHeaders[name] === undefined) headerLine(name, answer.headers[name]);
  for (const name in extraHeaders) headerLine(name, extraHeaders[name]);
  text += `date: ${httpDate()}\r\ncontent-length: ${length}\r\n${close ? 'connection: close\r\n' : ''}\r\n`;
  if (head) return Buffer.from(text, 'latin1');
  // One write either way: a string body joins the head, a Buffer body is copied behind it.
  if (typeof body === 'string') return Buffer.from(text + body, 'utf8');
  const headBytes = Buffer.from(text, 'latin1');
  return Buffer.concat([headBytes, body], headBytes.length + body.length);
}

/** Whether a request asks for its connection to close after the answer. */
function wantsClose(request: HttpRequest): boolean {
  return /(^|,)\s*close\s*(,|$)/i.test(request.headers.connection ?? '');
}

/** Serves one connection on the fast path until it closes or goes to `http` (see the top of this file). */
export function serveFast(socket: Socket, options: FastPathOptions, http: Server): void {
  /** Answers in request order: each request's work chains on the one before. */
  let queue: Promise<void> = Promise.resolve();
  let inFlight = 0;
  let closing = false;

  const enqueue = (work: () => Promise<void> | void): void => {
    inFlight++;
    queue = queue.then(async () => {
      try {
        await work();
      } catch (error) {
        log.error(`edge connection: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        socket.destroy();
      } finally {
        inFlight--;
      }
    });
  };
  const write = (bytes: string | Buffer, close: boolean): void => {
    if (socket.destroyed) return;
    if (close) {
      closing = true;
      socket.end(bytes);
    } else {
      socket.write(bytes);
    }
  };

  const answer = async (request: HttpRequest): Promise<void> => {
    if (closing) return;
    const close = wantsClose(request);
    if (!request.body) {
      write(answerBytes(tooLargeAnswer(options.maxBodyBytes), { 'x-amzn-requestid': newRequestId() }, false, true), true);
      return;
    }
    const wire = wireRequestOf(request.method, request.path, request.headers, request.body);
    let bytes: Buffer;
    try {
      const { answer: response, headers } = await answerAwsCall(options, wire);
      bytes = answerBytes(response, headers, request.method === 'HEAD', close);
    } catch (error) {
      log.error(`unhandled: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      bytes = answerBytes(internalFailure(), {}, false, close);
    }
    write(bytes, close);
  };

  const reader = new RequestReader(options.maxBodyBytes, {
    accept: (head) => head.version === 'HTTP/1.1' && head.headers.upgrade === undefined && !options.routes.some((route) => route.matches({ method: head.method, url: head.path, headers: head.headers }, urlToMatch(head.path))),
    onContinue: () => {
      enqueue(() => {
        if (!closing && !socket.destroyed) socket.write(CONTINUE);
      });
    },
    onRequest: (request) => {
      enqueue(() => answer(request));
    },
  });

  const handOver = (bytes: Buffer): void => {
    socket.off('data', onData);
    socket.pause();
    enqueue(() => {
      if (closing || socket.destroyed) return;
      socket.off('timeout', onTimeout);
      socket.setTimeout(0);
      http.emit('connection', socket);
      socket.unshift(bytes);
      socket.resume();
      // node:http owns the connection now: its keep-alive rules apply, not this file's.
      closing = true;
    });
  };

  const onData = (chunk: Buffer): void => {
    try {
      reader.push(chunk);
    } catch (error) {
      socket.off('data', onData);
      const malformed = error instanceof MalformedRequest;
      if (!malformed) log.error(`edge reader: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      enqueue(() => {
        write(`HTTP/1.1 ${malformed ? '400 Bad Request' : '500 Internal Server Error'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`, true);
      });
      return;
    }
    const released = reader.released();
    if (released) handOver(released);
  };
  // The socket's timer restarts at every read and write; it fires after keepAliveMs without either. A call
  // still running then (a long invoke) keeps the connection: its answer's write restarts the timer.
  const onTimeout = (): void => {
    if (inFlight === 0) socket.destroy();
  };

  socket.setNoDelay(true);
  socket.on('data', onData);
  socket.on('timeout', onTimeout);
  socket.on('error', () => socket.destroy());
  socket.setTimeout(options.keepAliveMs);
}
