/**
 * HTTP/1.1 requests read off a socket's bytes: request line, headers, and a body framed by Content-Length
 * or chunked transfer coding, pipelined requests one after another. It serves the Lambda Runtime API and
 * the edge's fast path for AWS API calls (edge/fast-path.ts), where node:http's objects and per-response
 * work cost a measurable share of a small request. It reads what HTTP/1.1 clients send and refuses the
 * rest (bad framing, oversized heads) rather than guessing; a reader's owner may instead hand a request it
 * does not want (an upgrade, HTTP/1.0) with everything after it to node:http (`accept`).
 */

import { STATUS_CODES } from 'node:http';

export interface HttpRequest {
  method: string;
  /** The request target as sent: path and query string. */
  path: string;
  /** HTTP/1.0 or HTTP/1.1. */
  version: string;
  /** Header names in lowercase; a repeated header keeps its first value. */
  headers: Record<string, string>;
  /** The body, or undefined when it was over the reader's limit (its bytes were read and dropped). */
  body: Buffer | undefined;
}

export class MalformedRequest extends Error {}

/** A request head larger than this is refused (Node's own limit is 16 KB). */
const MAX_HEAD_BYTES = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
const REQUEST_LINE = /^([A-Z]+) (\S+) (HTTP\/1\.[01])$/;

type Phase =
  | { kind: 'head' }
  | { kind: 'sized'; request: HttpRequest; remaining: number }
  | { kind: 'chunk-size'; request: HttpRequest }
  | { kind: 'chunk-data'; request: HttpRequest; remaining: number }
  | { kind: 'chunk-end'; request: HttpRequest }
  | { kind: 'trailers'; request: HttpRequest }
  | { kind: 'released' };

export interface RequestReaderEvents {
  /** A whole request arrived. */
  onRequest(request: HttpRequest): void;
  /** The client sent `Expect: 100-continue` and waits for a go-ahead before its body. */
  onContinue(): void;
  /**
   * Asked with each head, before its body is read: false stops the reader, which keeps this request's
   * bytes and everything after them for `released()`. Without it every request is read.
   */
  accept?(head: HttpRequest): boolean;
}

/**
 * Turns the bytes of one connection into requests. Feed it every chunk; it calls onRequest for each
 * complete request, in order, and throws MalformedRequest when the bytes are not HTTP it can read.
 */
export class RequestReader {
  private pending: Buffer = Buffer.alloc(0);
  private phase: Phase = { kind: 'head' };
  private parts: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly bodyLimit: number,
    private readonly events: RequestReaderEvents,
  ) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.step());
  }

  /** After `accept` said no: the bytes from that request's first one on. */
  released(): Buffer | undefined {
    return this.phase.kind === 'released' ? this.pending : undefined;
  }

  /** Advances by one phase if the bytes for it are here; false when more bytes are needed. */
  private step(): boolean {
    const phase = this.phase;
    switch (phase.kind) {
      case 'released':
        return false;
      case 'head':
        return this.readHead();
      case 'sized': {
        const take = Math.min(phase.remaining, this.pending.length);
        if (take === 0 && phase.remaining > 0) return false;
        this.collect(this.pending.subarray(0, take));
        this.pending = this.pending.subarray(take);
        phase.remaining -= take;
        if (phase.remaining > 0) return false;
        this.finish(phase.request);
        return true;
      }
      case 'chunk-size': {
        const end = this.pending.indexOf(CRLF);
        if (end < 0) return this.needMore(64);
        const sizeText = this.pending.toString('latin1', 0, end).split(';')[0].trim();
        if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) throw new MalformedRequest('bad chunk size');
        this.pending = this.pending.subarray(end + 2);
        const size = parseInt(sizeText, 16);
        this.phase = size === 0 ? { kind: 'trailers', request: phase.request } : { kind: 'chunk-data', request: phase.request, remaining: size };
        return true;
      }
      case 'chunk-data': {
        const take = Math.min(phase.remaining, this.pending.length);
        if (take === 0) return false;
        this.collect(this.pending.subarray(0, take));
        this.pending = this.pending.subarray(take);
        phase.remaining -= take;
        if (phase.remaining === 0) this.phase = { kind: 'chunk-end', request: phase.request };
        return true;
      }
      case 'chunk-end': {
        if ((this.pending.length > 0 && this.pending[0] !== 13) || (this.pending.length > 1 && this.pending[1] !== 10)) throw new MalformedRequest('chunk without CRLF');
        if (this.pending.length < 2) return false;
        this.pending = this.pending.subarray(2);
        this.phase = { kind: 'chunk-size', request: phase.request };
        return true;
      }
      case 'trailers': {
        // Trailer fields end with an empty line; none of them matter here.
        const end = this.pending.indexOf(CRLF);
        if (end < 0) return this.needMore(MAX_HEAD_BYTES);
        this.pending = this.pending.subarray(end + 2);
        if (end === 0) this.finish(phase.request);
        return true;
      }
    }
  }

  private readHead(): boolean {
    const end = this.pending.indexOf(HEAD_END);
    if (end < 0) return this.needMore(MAX_HEAD_BYTES);
    if (end > MAX_HEAD_BYTES) throw new MalformedRequest('head too large');
    // One string for the whole head, walked line by line: no array of lines, no per-line regex.
    const text = this.pending.toString('latin1', 0, end);
    let lineEnd = text.indexOf('\r\n');
    if (lineEnd < 0) lineEnd = text.length;
    const requestLine = REQUEST_LINE.exec(text.slice(0, lineEnd));
    if (!requestLine) throw new MalformedRequest('bad request line');
    const headers: Record<string, string> = {};
    for (let at = lineEnd + 2; at < text.length; at = lineEnd + 2) {
      lineEnd = text.indexOf('\r\n', at);
      if (lineEnd < 0) lineEnd = text.length;
      const colon = text.indexOf(':', at);
      if (colon <= at || colon > lineEnd) throw new MalformedRequest('bad header line');
      const name = text.slice(at, colon).trim().toLowerCase();
      headers[name] ??= text.slice(colon + 1, lineEnd).trim();
    }
    const request: HttpRequest = { method: requestLine[1], path: requestLine[2], version: requestLine[3], headers, body: undefined };
    if (this.events.accept && !this.events.accept(request)) {
      this.phase = { kind: 'released' };
      return false;
    }
    this.pending = this.pending.subarray(end + 4);
    this.parts = [];
    this.size = 0;
    const chunked = /(^|,)\s*chunked\s*$/i.test(headers['transfer-encoding'] ?? '');
    const length = headers['content-length'];
    if (!chunked && length !== undefined && !/^\d{1,10}$/.test(length)) throw new MalformedRequest('bad content-length');
    const sized = chunked ? 0 : Number(length ?? 0);
    const hasBody = chunked || sized > 0;
    if (hasBody && headers.expect?.toLowerCase() === '100-continue') this.events.onContinue();
    if (chunked) this.phase = { kind: 'chunk-size', request };
    else if (sized > 0) this.phase = { kind: 'sized', request, remaining: sized };
    else this.finish(request);
    return true;
  }

  /** Waits for more bytes, unless the unfinished line already exceeds what a client may send. */
  private needMore(limit: number): boolean {
    if (this.pending.length > limit) throw new MalformedRequest('line too long');
    return false;
  }

  private collect(part: Buffer): void {
    this.size += part.length;
    // Over the limit, keep reading (the client is still sending) but stop keeping.
    if (this.size <= this.bodyLimit) this.parts.push(part);
  }

  private finish(request: HttpRequest): void {
    request.body = this.size > this.bodyLimit ? undefined : this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    this.phase = { kind: 'head' };
    this.events.onRequest(request);
  }
}

/** An HTTP/1.1 response's bytes: status line, headers (Content-Length added), and body. */
export function responseBytes(status: number, headers: Record<string, string>, body: Buffer): Buffer {
  let head = `HTTP/1.1 ${String(status)} ${STATUS_CODES[status] ?? ''}\r\n`;
  for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
  head += `content-length: ${String(body.length)}\r\n\r\n`;
  const headBytes = Buffer.from(head, 'latin1');
  return body.length ? Buffer.concat([headBytes, body], headBytes.length + body.length) : headBytes;
}

export const CONTINUE = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');
