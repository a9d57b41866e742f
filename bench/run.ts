/**
 * npm run bench: Nimbus beside a floor measured on the same machine in the same run, printed as ratios
 * (absolute times drift on shared machines; ratios hold). Everything targets loopback and every loop is
 * bounded in count and time.
 *
 *   start to ready     `nimbus start` until its ready line   vs  `node -e 0`                  budget <= 2.5x
 *   idle RSS           Nimbus after start, idle               vs  a bare Node process          budget <= 1.8x
 *   ssm:GetParameter   requests/s, 32 keep-alive connections  vs  bare node:http, same bytes   budget >= 40%
 *   Lambda, API Gateway, DynamoDB, Step Functions: see bench/<service>.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { benchApigateway } from './apigateway.js';
import { benchDynamodb } from './dynamodb.js';
import { benchLambda } from './lambda.js';
import { benchStepfunctions } from './stepfunctions.js';
import { CONNECTIONS, median, row, rssMb, sleep, startNimbus, stop, timeUntil, withBareServer, withNimbus } from './support.js';

const RUNS = 7;
const LOAD_SECONDS = 8;

async function benchStart(): Promise<{ nimbus: number; floor: number }> {
  const floor: number[] = [];
  const nimbus: number[] = [];
  // Every run reopens the same data directory, as `npm start` does after the first time.
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

    const floor = await withBareServer(sample, async (bareUrl) => {
      await autocannon({ url: bareUrl, connections: CONNECTIONS, duration: 2, method: 'POST', headers: get.headers, body: get.body });
      return load(bareUrl, get);
    });
    return { nimbus: nimbus.rps, floor: floor.rps, responseBytes: Buffer.byteLength(sample) };
  } finally {
    await stop(started.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const startup = await benchStart();
  const rss = await benchIdleRss();
  const rps = await benchGetParameter();
  const lines = [
    '| measure | Nimbus | floor | floor value | ratio | budget | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    row('start to ready (median of 7)', `${startup.nimbus.toFixed(0)} ms`, '`node -e 0`', `${startup.floor.toFixed(0)} ms`, startup.nimbus / startup.floor, '<= 2.5x', startup.nimbus / startup.floor <= 2.5),
    row('idle RSS', `${rss.nimbus.toFixed(1)} MB`, 'bare Node process', `${rss.floor.toFixed(1)} MB`, rss.nimbus / rss.floor, '<= 1.8x', rss.nimbus / rss.floor <= 1.8),
    row(`ssm:GetParameter req/s (${String(CONNECTIONS)} conns, ${String(rps.responseBytes)} B)`, rps.nimbus.toFixed(0), 'bare node:http, same bytes', rps.floor.toFixed(0), rps.nimbus / rps.floor, '>= 0.40x', rps.nimbus / rps.floor >= 0.4),
  ];
  // Each service's section starts its own Nimbus and returns its rows.
  const sections: (() => Promise<string[]>)[] = [() => withNimbus('lambda', benchLambda), benchApigateway, benchDynamodb, benchStepfunctions];
  for (const section of sections) lines.push(...(await section()));
  console.log(lines.join('\n'));
}

await main();
