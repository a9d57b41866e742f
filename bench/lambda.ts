/**
 * Lambda figures for npm run bench, each beside its floor measured in the same run:
 *   warm invoke through the Invoke API (p50/p99)  vs  a loopback HTTP round trip between two Node processes
 *   cold start, Node / Python (p50)               vs  `node -e 0` / `python3 -c 0` (the real binary)
 *   warm invocations/s, 32 connections            (budget: >= 3000/s)
 *   RSS of one warm environment
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { ZipFile } from 'yazl';

const BARE_SERVER = fileURLToPath(new URL('./bare-server.mjs', import.meta.url));

export interface LambdaFigures {
  warmP50: number;
  warmP99: number;
  roundTripP50: number;
  coldNodeP50: number;
  nodeSpawnP50: number;
  coldPythonP50: number;
  pythonSpawnP50: number;
  invocationsPerSecond: number;
  environmentRssMb: number;
}

const auth = (service: string): string =>
  `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;

function zip(files: Record<string, string>): Promise<Buffer> {
  const archive = new ZipFile();
  for (const [name, content] of Object.entries(files)) archive.addBuffer(Buffer.from(content), name);
  archive.end();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    archive.outputStream.on('data', (c: Buffer) => chunks.push(c));
    archive.outputStream.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function call(endpoint: string, method: string, path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, endpoint), { method, agent, headers: { authorization: auth('lambda'), 'content-type': 'application/json', ...headers } }, (res) => {
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

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function createFunction(endpoint: string, name: string, runtime: string, handler: string, files: Record<string, string>): Promise<void> {
  const body = JSON.stringify({ FunctionName: name, Runtime: runtime, Handler: handler, Role: 'arn:aws:iam::000000000000:role/bench', Code: { ZipFile: (await zip(files)).toString('base64') } });
  const created = await call(endpoint, 'POST', '/2015-03-31/functions', body);
  if (created.status !== 201) throw new Error(`CreateFunction ${name} failed: ${created.body}`);
}

const invokePath = (name: string): string => `/2015-03-31/functions/${name}/invocations`;

async function invoke(endpoint: string, name: string): Promise<void> {
  const result = await call(endpoint, 'POST', invokePath(name), '{}');
  if (result.status !== 200) throw new Error(`Invoke ${name} failed: ${result.body}`);
}

/** Forces the next invocation to start a new environment, as a configuration change does on Lambda. */
async function makeCold(endpoint: string, name: string, i: number): Promise<void> {
  await call(endpoint, 'PUT', `/2015-03-31/functions/${name}/configuration`, JSON.stringify({ Description: `cold ${String(i)}` }));
}

async function spawnTimes(command: string, args: string[], runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    times.push(await timed(() => new Promise((resolve) => spawn(command, args, { stdio: 'ignore' }).once('exit', resolve))));
  }
  return percentile(times, 0.5);
}

async function roundTripFloor(): Promise<number> {
  const bare = spawn(process.execPath, [BARE_SERVER], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BODY: '{}' } });
  const url = await new Promise<string>((resolve) => bare.stdout.once('data', (c: Buffer) => {
    resolve(c.toString().trim());
  }));
  const times: number[] = [];
  for (let i = 0; i < 3000; i++) times.push(await timed(() => call(url, 'POST', '/', '{}')));
  bare.kill('SIGKILL');
  return percentile(times.slice(500), 0.5);
}

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

/** The runtime processes Nimbus started: children of the Nimbus process running a bootstrap. */
function environmentPids(nimbusPid: number): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(nimbusPid)], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes('bootstrap')).map((line) => Number(line.trim().split(/\s+/)[0]));
}

export async function benchLambda(endpoint: string, nimbusPid: number): Promise<LambdaFigures> {
  await createFunction(endpoint, 'noop', 'nodejs20.x', 'index.handler', { 'index.mjs': 'export const handler = async () => ({ ok: true });' });
  await createFunction(endpoint, 'noop-py', 'python3.11', 'app.handler', { 'app.py': 'def handler(event, context):\n    return {"ok": True}\n' });

  for (let i = 0; i < 500; i++) await invoke(endpoint, 'noop');
  const warm: number[] = [];
  for (let i = 0; i < 3000; i++) warm.push(await timed(() => invoke(endpoint, 'noop')));
  const roundTripP50 = await roundTripFloor();

  const coldNode: number[] = [];
  const coldPython: number[] = [];
  for (let i = 0; i < 7; i++) {
    await makeCold(endpoint, 'noop', i);
    coldNode.push(await timed(() => invoke(endpoint, 'noop')));
    await makeCold(endpoint, 'noop-py', i);
    coldPython.push(await timed(() => invoke(endpoint, 'noop-py')));
  }
  const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

  const load = await autocannon({ url: `${endpoint}${invokePath('noop')}`, connections: 32, duration: 8, method: 'POST', body: '{}', headers: { authorization: auth('lambda'), 'content-type': 'application/json' } });
  if (load.errors || load.non2xx) throw new Error(`Invoke answered errors under load: ${String(load.errors)} errors, ${String(load.non2xx)} non-2xx`);

  const pids = environmentPids(nimbusPid);
  const environmentRssMb = pids.length ? pids.map(rssMb).reduce((a, b) => a + b, 0) / pids.length : 0;
  return {
    warmP50: percentile(warm, 0.5),
    warmP99: percentile(warm, 0.99),
    roundTripP50,
    coldNodeP50: percentile(coldNode, 0.5),
    nodeSpawnP50: await spawnTimes(process.execPath, ['-e', '0'], 7),
    coldPythonP50: percentile(coldPython, 0.5),
    pythonSpawnP50: await spawnTimes(python, ['-c', '0'], 7),
    invocationsPerSecond: load.requests.average,
    environmentRssMb,
  };
}
