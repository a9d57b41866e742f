/**
 * npm run bench: Nimbus beside a floor measured on the same machine in the same run, printed as ratios
 * (absolute times drift on shared machines; ratios hold). Everything targets loopback and every loop is
 * bounded in count and time.
 *
 *   start to ready     `nimbus start` until its ready line   vs  `node -e 0`                  budget <= 2.5x
 *   idle RSS           Nimbus after start, idle               vs  a bare Node process          budget <= 1.8x
 *   ssm:GetParameter   requests/s, 32 keep-alive connections  vs  bare node:http, same bytes   budget >= 40%
 *   Lambda             see bench/lambda.ts
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { benchLambda } from './lambda.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const BARE_SERVER = fileURLToPath(new URL('./bare-server.mjs', import.meta.url));
const RUNS = 7;
const LOAD_SECONDS = 8;
const CONNECTIONS = 32;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Spawns a process and resolves with the time until `ready` matches its stdout (or it exits, for `node -e 0`). */
function timeUntil(args: string[], ready?: RegExp): Promise<{ ms: number; child: ChildProcess; output: string }> {
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

function stop(child: ChildProcess): Promise<void> {
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

async function startNimbus(args: string[]): Promise<{ child: ChildProcess; endpoint: string; ms: number }> {
  const { child, output, ms } = await timeUntil([CLI, 'start', '--port', '0', ...args], READY);
  return { child, endpoint: READY.exec(output)![1], ms };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function benchStart(): Promise<{ nimbus: number; floor: number }> {
  const floor: number[] = [];
  const nimbus: number[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-bench-start-'));
  try {
    for (let i = 0; i < RUNS; i++) {
      floor.push((await timeUntil(['-e', '0'])).ms);
      const started = await startNimbus(['--data-dir', dataDir]);
      nimbus.push(started.ms);
      await stop(started.child);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { nimbus: median(nimbus), floor: median(floor) };
}

async function benchIdleRss(): Promise<{ nimbus: number; floor: number }> {
  const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const started = await startNimbus(['--ephemeral']);
  await sleep(1500);
  const result = { nimbus: rssMb(started.child.pid!), floor: rssMb(bare.pid!) };
  await stop(started.child);
  await stop(bare);
  return result;
}

interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

function send(endpoint: string, raw: RawRequest): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(raw.path, endpoint), { method: raw.method, headers: raw.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve(Buffer.concat(chunks).toString());
      });
    });
    req.on('error', reject);
    req.end(raw.body);
  });
}

/** A pre-signed SSM request: built once, replayed by autocannon, so the client measures the server, not itself. */
function ssmRequest(operation: string, body: object): RawRequest {
  const text = JSON.stringify(body);
  return {
    method: 'POST',
    path: '/',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AmazonSSM.${operation}`,
      'x-amz-date': '20260101T000000Z',
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ssm/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000000000000000000000000000000000000000000000000000000000000000',
    },
    body: text,
  };
}

async function load(url: string, raw: RawRequest): Promise<{ rps: number; errors: number; non2xx: number }> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: LOAD_SECONDS, method: 'POST', headers: raw.headers, body: raw.body });
  return { rps: result.requests.average, errors: result.errors, non2xx: result.non2xx };
}

async function benchGetParameter(): Promise<{ nimbus: number; floor: number; responseBytes: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-bench-rps-'));
  const started = await startNimbus(['--data-dir', dataDir]);
  try {
    await send(started.endpoint, ssmRequest('PutParameter', { Name: '/bench/param', Value: 'a-value-of-some-length', Type: 'String' }));
    const get = ssmRequest('GetParameter', { Name: '/bench/param' });
    const sample = await send(started.endpoint, get);
    if (!sample.includes('"Parameter"')) throw new Error(`GetParameter failed: ${sample}`);
    // Warm up, then measure.
    await autocannon({ url: started.endpoint, connections: CONNECTIONS, duration: 2, method: 'POST', headers: get.headers, body: get.body });
    const nimbus = await load(started.endpoint, get);
    if (nimbus.errors || nimbus.non2xx) throw new Error(`Nimbus answered errors under load: ${JSON.stringify(nimbus)}`);

    const bare = spawn(process.execPath, [BARE_SERVER], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BODY: sample } });
    const bareUrl = await new Promise<string>((resolve) => {
      bare.stdout.once('data', (chunk: Buffer) => {
        resolve(chunk.toString().trim());
      });
    });
    await autocannon({ url: bareUrl, connections: CONNECTIONS, duration: 2, method: 'POST', headers: get.headers, body: get.body });
    const floor = await load(bareUrl, get);
    await stop(bare);
    return { nimbus: nimbus.rps, floor: floor.rps, responseBytes: Buffer.byteLength(sample) };
  } finally {
    await stop(started.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function row(what: string, nimbus: string, floorName: string, floor: string, ratio: number, budget: string, ok: boolean): string {
  return `| ${what} | ${nimbus} | ${floorName} | ${floor} | ${ratio.toFixed(2)}x | ${budget} | ${ok ? 'ok' : 'OVER BUDGET'} |`;
}

async function runLambdaBench(): Promise<Awaited<ReturnType<typeof benchLambda>>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-bench-lambda-'));
  const started = await startNimbus(['--data-dir', dataDir]);
  try {
    return await benchLambda(started.endpoint, started.child.pid!);
  } finally {
    await stop(started.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const startup = await benchStart();
  const rss = await benchIdleRss();
  const rps = await benchGetParameter();
  const lambda = await runLambdaBench();
  const lines = [
    '| measure | Nimbus | floor | floor value | ratio | budget | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    row('start to ready (median of 7)', `${startup.nimbus.toFixed(0)} ms`, '`node -e 0`', `${startup.floor.toFixed(0)} ms`, startup.nimbus / startup.floor, '<= 2.5x', startup.nimbus / startup.floor <= 2.5),
    row('idle RSS', `${rss.nimbus.toFixed(1)} MB`, 'bare Node process', `${rss.floor.toFixed(1)} MB`, rss.nimbus / rss.floor, '<= 1.8x', rss.nimbus / rss.floor <= 1.8),
    row(`ssm:GetParameter req/s (${String(CONNECTIONS)} conns, ${String(rps.responseBytes)} B)`, rps.nimbus.toFixed(0), 'bare node:http, same bytes', rps.floor.toFixed(0), rps.nimbus / rps.floor, '>= 0.40x', rps.nimbus / rps.floor >= 0.4),
    row('Lambda warm invoke p50 (Invoke API)', `${lambda.warmP50.toFixed(2)} ms`, 'loopback HTTP round trip', `${lambda.roundTripP50.toFixed(2)} ms`, lambda.warmP50 / lambda.roundTripP50, '< 1 ms', lambda.warmP50 < 1),
    row('Lambda warm invoke p99', `${lambda.warmP99.toFixed(2)} ms`, 'loopback HTTP round trip', `${lambda.roundTripP50.toFixed(2)} ms`, lambda.warmP99 / lambda.roundTripP50, '(reported)', true),
    row('Lambda cold start p50, Node', `${lambda.coldNodeP50.toFixed(0)} ms`, '`node -e 0`', `${lambda.nodeSpawnP50.toFixed(0)} ms`, lambda.coldNodeP50 / lambda.nodeSpawnP50, '<= 1.7x', lambda.coldNodeP50 / lambda.nodeSpawnP50 <= 1.7),
    row('Lambda cold start p50, Python', `${lambda.coldPythonP50.toFixed(0)} ms`, '`python3 -c 0`', `${lambda.pythonSpawnP50.toFixed(0)} ms`, lambda.coldPythonP50 / lambda.pythonSpawnP50, '<= 2x', lambda.coldPythonP50 / lambda.pythonSpawnP50 <= 2),
    row('Lambda warm invocations/s (32 conns)', lambda.invocationsPerSecond.toFixed(0), 'budget', '3000', lambda.invocationsPerSecond / 3000, '>= 1x', lambda.invocationsPerSecond >= 3000),
    row('RSS per warm environment', `${lambda.environmentRssMb.toFixed(1)} MB`, 'bare Node process', `${rss.floor.toFixed(1)} MB`, lambda.environmentRssMb / rss.floor, '(reported)', true),
  ];
  console.log(lines.join('\n'));
}

await main();
