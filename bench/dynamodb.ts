/**
 * DynamoDB figures for npm run bench: PutItem, GetItem and Query ops/s (with p50/p99) under 32 keep-alive
 * connections, Nimbus (durable) beside dynalite (a Node DynamoDB emulator on LevelDB, in memory) started in
 * its own process in the same run, measured in alternation (median of 3 rounds of 3 s after a 2 s warm-up
 * each). Both get the same table, the same ~100 B items and the same requests:
 * pre-built requests replayed by a lean raw-socket client (bench/lean-client.ts: a few microseconds of CPU
 * a request, so the servers set the pace), rotating over keys through one shared counter so writes spread
 * over many items and reads over many keys. Budget: Nimbus >= 3x dynalite on each. Beside each, the
 * ceiling of a server on the edge's own HTTP reader (bench/bare-server.mjs, READER=http1) answering the same requests with the same bytes.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { leanLoad } from './lean-client.js';
import { CONNECTIONS, median, row, sigV4, stop, withBareServer, withNimbus } from './support.js';

const ROUNDS = 3;
const ROUND_SECONDS = 3;
const WARMUP_SECONDS = 2;
const PARTITIONS = 200;
const ITEMS_PER_PARTITION = 5;
const PUT_KEYS = 1000;
const BUDGET = 3;
const TABLE = 'bench';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

type Operation = 'PutItem' | 'GetItem' | 'Query' | 'CreateTable' | 'BatchWriteItem';

const headersFor = (operation: Operation): Record<string, string> => ({
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-target': `DynamoDB_20120810.${operation}`,
  'x-amz-date': '20260101T000000Z',
  authorization: sigV4('dynamodb'),
});

function call(endpoint: string, operation: Operation, body: object): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/', endpoint), { method: 'POST', headers: headersFor(operation) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() });
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function mustCall(endpoint: string, operation: Operation, body: object): Promise<string> {
  const result = await call(endpoint, operation, body);
  if (result.status !== 200) throw new Error(`${operation} failed (${String(result.status)}): ${result.body}`);
  return result.body;
}

/** An item of about 100 bytes (names plus values, as DynamoDB sizes it). */
function item(pk: string, sk: number): Record<string, unknown> {
  return {
    pk: { S: pk },
    sk: { N: String(sk) },
    name: { S: `customer name for ${pk}/${String(sk)}` },
    email: { S: `someone-${String(sk)}@example-company.com` },
    total: { N: '1234.56' },
    active: { BOOL: true },
  };
}

const partitionKey = (p: number): string => `user-${String(p).padStart(5, '0')}`;

async function prepare(endpoint: string): Promise<void> {
  await mustCall(endpoint, 'CreateTable', {
    TableName: TABLE,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  const items = Array.from({ length: PARTITIONS * ITEMS_PER_PARTITION }, (_, i) => item(partitionKey(Math.floor(i / ITEMS_PER_PARTITION)), i % ITEMS_PER_PARTITION));
  for (let i = 0; i < items.length; i += 25) {
    await mustCall(endpoint, 'BatchWriteItem', { RequestItems: { [TABLE]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } });
  }
}

/** The bodies each operation rotates through. */
const BODIES: Record<'PutItem' | 'GetItem' | 'Query', string[]> = {
  PutItem: Array.from({ length: PUT_KEYS }, (_, i) => JSON.stringify({ TableName: TABLE, Item: item(`put-${String(i)}`, 0) })),
  GetItem: Array.from({ length: PARTITIONS * ITEMS_PER_PARTITION }, (_, i) =>
    JSON.stringify({ TableName: TABLE, Key: { pk: { S: partitionKey(i % PARTITIONS) }, sk: { N: String(i % ITEMS_PER_PARTITION) } } }),
  ),
  Query: Array.from({ length: PARTITIONS }, (_, i) =>
    JSON.stringify({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: partitionKey(i) } } }),
  ),
};

interface Figures {
  rps: number;
  p50: number;
  p99: number;
}

async function load(url: string, operation: keyof typeof BODIES, seconds: number): Promise<Figures> {
  const requests = BODIES[operation].map((body) => ({ method: 'POST', path: '/', headers: headersFor(operation), body }));
  const result = await leanLoad(url, requests, CONNECTIONS, seconds);
  if (result.errors || result.non2xx) throw new Error(`${operation} answered errors under load at ${url}: ${String(result.errors)} errors, ${String(result.non2xx)} non-2xx`);
  return { rps: result.rps, p50: result.p50, p99: result.p99 };
}

/** The operations measured under load. */
type MeasuredOperation = keyof typeof BODIES;

/**
 * Nimbus, dynalite and the bare server are up at once and measured in alternation, a few short rounds each, keeping the median:
 * on a shared machine load comes and goes, and alternating spreads it evenly over them.
 */
async function measureBoth(nimbus: string, dynalite: string): Promise<Record<MeasuredOperation, { nimbus: Figures; dynalite: Figures; ceiling: Figures }>> {
  await prepare(nimbus);
  await prepare(dynalite);
  const figures = {} as Record<MeasuredOperation, { nimbus: Figures; dynalite: Figures; ceiling: Figures }>;
  for (const operation of ['PutItem', 'GetItem', 'Query'] as const) {
    // The ceiling of a server on the edge's own HTTP reader: the same requests answered with Nimbus's own answer, doing nothing else.
    const sample = await call(nimbus, operation, JSON.parse(BODIES[operation][0]) as object);
    figures[operation] = await withBareServer(sample.body, async (bare) => {
      const servers = { nimbus, dynalite, ceiling: bare };
      const runs: Record<keyof typeof servers, Figures[]> = { nimbus: [], dynalite: [], ceiling: [] };
      for (const server of Object.values(servers)) await load(server, operation, WARMUP_SECONDS);
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, url] of Object.entries(servers) as [keyof typeof servers, string][]) runs[name].push(await load(url, operation, ROUND_SECONDS));
      }
      return { nimbus: medianFigures(runs.nimbus), dynalite: medianFigures(runs.dynalite), ceiling: medianFigures(runs.ceiling) };
    }, 'http1');
  }
  return figures;
}

function medianFigures(runs: Figures[]): Figures {
  return { rps: median(runs.map((r) => r.rps)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)) };
}

/** dynalite in its own process (so it gets its own core, as Nimbus does), listening on a loopback port. */
async function withDynalite<T>(fn: (endpoint: string) => Promise<T>): Promise<T> {
  const script = `require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }).listen(0, '127.0.0.1', function () { process.stdout.write('http://127.0.0.1:' + this.address().port + '\\n'); });`;
  const child: ChildProcess = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      child.stdout!.once('data', (chunk: Buffer) => {
        resolve(chunk.toString().trim());
      });
      child.once('exit', () => {
        reject(new Error('dynalite exited before listening'));
      });
    });
    return await fn(endpoint);
  } finally {
    await stop(child);
  }
}

const figure = (f: Figures): string => `${f.rps.toFixed(0)} ops/s (p50 ${String(f.p50)} ms, p99 ${String(f.p99)} ms)`;

/** The DynamoDB rows of the bench table. */
export async function benchDynamodb(): Promise<string[]> {
  const figures = await withNimbus('dynamodb', (nimbus) => withDynalite((dynalite) => measureBoth(nimbus, dynalite)));
  return (['PutItem', 'GetItem', 'Query'] as const).flatMap((operation) => {
    const { nimbus, dynalite, ceiling } = figures[operation];
    const ratio = nimbus.rps / dynalite.rps;
    return [
      row(`dynamodb:${operation} (${String(CONNECTIONS)} conns, ~100 B items)`, figure(nimbus), 'dynalite', figure(dynalite), ratio, `>= ${String(BUDGET)}x`, ratio >= BUDGET),
      // What the budget asks against what the edge's HTTP layer allows at all: 3x dynalite above the ceiling cannot be met.
      row(`dynamodb:${operation}: ${String(BUDGET)}x dynalite against the edge's ceiling`, `${(dynalite.rps * BUDGET).toFixed(0)} ops/s asked`, 'bare server on the edge reader, same answer', `${ceiling.rps.toFixed(0)} req/s`, (dynalite.rps * BUDGET) / ceiling.rps, '(reported)', true),
    ];
  });
}
