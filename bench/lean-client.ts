/**
 * A lean HTTP/1.1 load client: keep-alive sockets, each with one request in flight, writing pre-built
 * request bytes and reading answers by their Content-Length. It spends a few microseconds of CPU a
 * request, where autocannon spends tens, so on a 2-core machine the server under test (on the other core)
 * sets the pace, not the client. Servers it drives must answer with a Content-Length (Nimbus, dynalite and
 * the bare server all do); any other answer counts as an error.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';

export interface LeanRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface LeanFigures {
  rps: number;
  /** Latency percentiles, in milliseconds. */
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Waits this long at most for answers in flight when the time is up. */
const DRAIN_MS = 2_000;
const HEADER_END = Buffer.from('\r\n\r\n');

/** A request's whole bytes, host header included, ready to write as they are. */
export function requestBytes(url: URL, request: LeanRequest): Buffer {
  const body = Buffer.from(request.body);
  const head = [`${request.method} ${request.path} HTTP/1.1`, `host: ${url.host}`, ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`), `content-length: ${String(body.length)}`];
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), body]);
}

/** One answer's length and status, or undefined while its head is incomplete. */
function answerAt(buffer: Buffer): { status: number; end: number } | undefined {
  const headEnd = buffer.indexOf(HEADER_END);
  if (headEnd < 0) return undefined;
  const head = buffer.toString('latin1', 0, headEnd);
  const match = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (!match) throw new Error(`an answer without Content-Length: ${head.split('\r\n')[0]}`);
  return { status: Number(head.slice(9, 12)), end: headEnd + HEADER_END.length + Number(match[1]) };
}

/**
 * Sends `requests` in rotation (one shared counter, so consecutive requests on different sockets differ)
 * over `connections` sockets for `seconds`, and reports throughput and latency.
 */
export async function leanLoad(endpoint: string, requests: readonly LeanRequest[], connections: number, seconds: number): Promise<LeanFigures> {
  const url = new URL(endpoint);
  const wire = requests.map((request) => requestBytes(url, request));
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let non2xx = 0;
  let running = true;
  const started = performance.now();
  let finished = started;

  const drive = (socket: Socket): Promise<void> =>
    new Promise((resolve) => {
      let pending: Buffer = Buffer.alloc(0);
      let sentAt = 0;
      const send = (): void => {
        if (!running) {
          socket.end();
          return;
        }
        next = (next + 1) % wire.length;
        sentAt = performance.now();
        socket.write(wire[next]);
      };
      socket.on('data', (chunk: Buffer) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        let answer: ReturnType<typeof answerAt>;
        try {
          answer = answerAt(pending);
        } catch {
          errors += 1;
          socket.destroy();
          return;
        }
        if (!answer || pending.length < answer.end) return;
        const now = performance.now();
        latencies.push(now - sentAt);
        finished = now;
        if (answer.status < 200 || answer.status > 299) non2xx += 1;
        pending = pending.subarray(answer.end);
        send();
      });
      socket.on('error', () => {
        errors += 1;
        resolve();
      });
      socket.on('close', () => {
        resolve();
      });
      socket.once('connect', send);
    });

  const sockets = Array.from({ length: connections }, () => connect({ host: url.hostname, port: Number(url.port) }).setNoDelay(true));
  const done = Promise.all(sockets.map(drive));
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  running = false;
  const drained = setTimeout(() => {
    for (const socket of sockets) socket.destroy();
  }, DRAIN_MS);
  await done;
  clearTimeout(drained);

  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number): number => Number((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0).toFixed(2));
  return { rps: latencies.length / ((finished - started) / 1000), p50: at(0.5), p99: at(0.99), errors, non2xx };
}
