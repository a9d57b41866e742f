/**
 * Lambda figures for npm run bench, each beside its floor measured in the same run:
 *   warm invoke through the Invoke API (p50/p99)  vs  a loopback HTTP round trip between two Node processes
 *   cold start, Node / Python (p50)               vs  `node -e 0` / `python3 -c 0` (the real binary)
 *   warm invocations/s, 32 connections            (budget: >= 3000/s)
 *   RSS of one warm environment
 */
import { execFileSync, spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { zip } from '../test/helpers/zip.js';
import { call, CONNECTIONS, percentile, row, rssMb, sigV4, timed, withBareServer } from './support.js';


interface LambdaFigures {
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


async function createFunction(endpoint: string, name: string, runtime: string, handler: string, files: Record<string, string>): Promise<void> {
  const body = JSON.stringify({ FunctionName: name, Runtime: runtime, Handler: handler, Role: 'arn:aws:iam::000000000000:role/bench', Code: { ZipFile: (await zip(files)).toString('base64') } });
  const created = await call(endpoint, 'POST', '/2015-03-31/functions', body, 'lambda');
  if (created.status !== 201) throw new Error(`CreateFunction ${name} failed: ${created.body}`);
}

const invokePath = (name: string): string => `/2015-03-31/functions/${name}/invocations`;

async function invoke(endpoint: string, name: string): Promise<void> {
  const result = await call(endpoint, 'POST', invokePath(name), '{}', 'lambda');
  if (result.status !== 200) throw new Error(`Invoke ${name} failed: ${result.body}`);
}

/** Forces the next invocation to start a new environment, as a configuration change does on Lambda. */
async function makeCold(endpoint: string, name: string, i: number): Promise<void> {
  await call(endpoint, 'PUT', `/2015-03-31/functions/${name}/configuration`, JSON.stringify({ Description: `cold ${String(i)}` }), 'lambda');
}

async function spawnTimes(command: string, args: string[], runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    times.push(await timed(() => new Promise((resolve) => spawn(command, args, { stdio: 'ignore' }).once('exit', resolve))));
  }
  return percentile(times, 0.5);
}

function roundTripFloor(): Promise<number> {
  return withBareServer('{}', async (url) => {
    const times: number[] = [];
    for (let i = 0; i < 3000; i++) times.push(await timed(() => call(url, 'POST', '/', '{}')));
    return percentile(times.slice(500), 0.5);
  });
}

/** The runtime processes Nimbus started: children of the Nimbus process running a bootstrap. */
function environmentPids(nimbusPid: number): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(nimbusPid)], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes('bootstrap')).map((line) => Number(line.trim().split(/\s+/)[0]));
}

async function measure(endpoint: string, nimbusPid: number): Promise<LambdaFigures> {
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

  const loadOptions = { url: `${endpoint}${invokePath('noop')}`, connections: CONNECTIONS, method: 'POST' as const, body: '{}', headers: { authorization: sigV4('lambda'), 'content-type': 'application/json' } };
  // Warm up first: the first concurrent burst cold-starts one environment per connection, which is the
  // cold-start figure's business, not this one's.
  await autocannon({ ...loadOptions, duration: 3 });
  const load = await autocannon({ ...loadOptions, duration: 8 });
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

/** The Lambda rows of the bench table. */
export async function benchLambda(endpoint: string, nimbusPid: number): Promise<string[]> {
  const lambda = await measure(endpoint, nimbusPid);
  const bareRss = await bareNodeRssMb();
  return [
    row('Lambda warm invoke p50 (Invoke API)', `${lambda.warmP50.toFixed(2)} ms`, 'loopback HTTP round trip', `${lambda.roundTripP50.toFixed(2)} ms`, lambda.warmP50 / lambda.roundTripP50, '< 1 ms', lambda.warmP50 < 1),
    row('Lambda warm invoke p99', `${lambda.warmP99.toFixed(2)} ms`, 'loopback HTTP round trip', `${lambda.roundTripP50.toFixed(2)} ms`, lambda.warmP99 / lambda.roundTripP50, '(reported)', true),
    row('Lambda cold start p50, Node', `${lambda.coldNodeP50.toFixed(0)} ms`, '`node -e 0`', `${lambda.nodeSpawnP50.toFixed(0)} ms`, lambda.coldNodeP50 / lambda.nodeSpawnP50, '<= 1.7x', lambda.coldNodeP50 / lambda.nodeSpawnP50 <= 1.7),
    row('Lambda cold start p50, Python', `${lambda.coldPythonP50.toFixed(0)} ms`, '`python3 -c 0`', `${lambda.pythonSpawnP50.toFixed(0)} ms`, lambda.coldPythonP50 / lambda.pythonSpawnP50, '<= 2x', lambda.coldPythonP50 / lambda.pythonSpawnP50 <= 2),
    row(`Lambda warm invocations/s (${String(CONNECTIONS)} conns)`, lambda.invocationsPerSecond.toFixed(0), 'budget', '3000', lambda.invocationsPerSecond / 3000, '>= 1x', lambda.invocationsPerSecond >= 3000),
    row('RSS per warm environment', `${lambda.environmentRssMb.toFixed(1)} MB`, 'bare Node process', `${bareRss.toFixed(1)} MB`, lambda.environmentRssMb / bareRss, '(reported)', true),
  ];
}

/** The RSS of an idle bare Node process, the floor for one environment. */
async function bareNodeRssMb(): Promise<number> {
  const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const mb = rssMb(bare.pid!);
  bare.kill('SIGKILL');
  return mb;
}
