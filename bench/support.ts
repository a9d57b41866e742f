/**
 * What every bench section shares: starting Nimbus from the built CLI, stopping processes, medians, the
 * unsigned-but-well-formed SigV4 header Nimbus accepts, and the output row format.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const BARE_SERVER = fileURLToPath(new URL('./bare-server.mjs', import.meta.url));
/** Concurrent keep-alive connections for every throughput figure. */
export const CONNECTIONS = 32;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The value below which the fraction `p` (0..1) of `values` falls. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A SigV4 Authorization header naming the service; Nimbus reads the scope and does not check the signature. */
export const sigV4 = (service: string): string =>
  `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;

/** Spawns a process and resolves with the time until `ready` matches its stdout (or it exits, for `node -e 0`). */
export function timeUntil(args: string[], ready?: RegExp): Promise<{ ms: number; child: ChildProcess; output: string }> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NIMBUS_LOG_LEVEL: 'warn' } });
  const elapsed = (): number => Number(process.hrtime.bigint() - started) / 1e6;
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out: ${args.join(' ')}`));
    }, 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (ready?.test(output)) {
        clearTimeout(timer);
        resolve({ ms: elapsed(), child, output });
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      if (!ready) resolve({ ms: elapsed(), child, output });
      else reject(new Error(`exited before ready: ${args.join(' ')}\n${output}`));
    });
  });
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGKILL');
  });
}

const READY = /Nimbus ready on (http:\/\/\S+) in/;

export async function startNimbus(args: string[]): Promise<{ child: ChildProcess; endpoint: string; ms: number }> {
  const { child, output, ms } = await timeUntil([CLI, 'start', '--port', '0', ...args], READY);
  return { child, endpoint: READY.exec(output)![1], ms };
}

/** Runs `fn` against a durable Nimbus in a fresh data directory, then stops it and removes the directory. */
export async function withNimbus<T>(name: string, fn: (endpoint: string, pid: number) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), `nimbus-bench-${name}-`));
  const started = await startNimbus(['--data-dir', dataDir]);
  try {
    return await fn(started.endpoint, started.child.pid!);
  } finally {
    await stop(started.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Runs `fn` beside a bare server answering `body` and doing nothing else (the ceiling for any Node edge); stops
 * it after. `node:http` by default; `http1` is node:net with the reader Nimbus's edge uses for AWS calls.
 */
export async function withBareServer<T>(body: string, fn: (url: string) => Promise<T>, reader: 'node:http' | 'http1' = 'node:http'): Promise<T> {
  const bare = spawn(process.execPath, [BARE_SERVER], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BODY: body, READER: reader } });
  try {
    const url = await new Promise<string>((resolve) => {
      bare.stdout.once('data', (chunk: Buffer) => {
        resolve(chunk.toString().trim());
      });
    });
    return await fn(url);
  } finally {
    await stop(bare);
  }
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/** One line of the printed table: the figure, its peer or floor, the ratio and whether the budget holds. */
export function row(what: string, nimbus: string, floorName: string, floor: string, ratio: number, budget: string, ok: boolean): string {
  return `| ${what} | ${nimbus} | ${floorName} | ${floor} | ${ratio.toFixed(2)}x | ${budget} | ${ok ? 'ok' : 'OVER BUDGET'} |`;
}

/** One keep-alive connection per host: sequential latency loops measure the server, not connection set-up. */
const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });

/** A JSON request (unless `headers` say otherwise), signed for `service` when one is named; resolves with the status and the body. */
export function call(endpoint: string, method: string, path: string, body?: string, service?: string, extraHeaders: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(service ? { authorization: sigV4(service) } : {}), ...extraHeaders };
    const req = request(new URL(path, endpoint), { method, agent: keepAlive, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Milliseconds `fn` took. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}
