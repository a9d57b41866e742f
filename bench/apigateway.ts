/**
 * API Gateway figures, each beside a direct Lambda Invoke of the same warm no-op Node function measured in
 * the same run (budget: the gateway adds < 0.5 ms at p50):
 *   REST API, AWS_PROXY           p50/p99 latency (one keep-alive connection) and requests/s (32 connections)
 *   HTTP API, payload format 2.0  the same
 * and each API's requests/s beside the ceiling of any Node edge: bare node:http answering the same body.
 * The three kinds of request are interleaved in the latency loop so drift on a shared machine hits them alike.
 */
import autocannon from 'autocannon';
import { zip } from '../test/helpers/zip.js';
import { call, CONNECTIONS, percentile, row, sigV4, timed, withBareServer, withNimbus } from './support.js';

const SAMPLES = 2000;
const WARMUP = 300;
const BUDGET_MS = 0.5;
const HANDLER = "export const handler = async () => ({ statusCode: 200, body: '{}' });";


async function ok<T>(what: string, answer: Promise<{ status: number; body: string }>): Promise<T> {
  const { status, body } = await answer;
  if (status >= 300) throw new Error(`${what} failed (${String(status)}): ${body}`);
  return (body ? JSON.parse(body) : {}) as T;
}

/** Milliseconds a request took; anything but a 200 stops the bench. */
async function timedOk(fn: () => Promise<{ status: number }>): Promise<number> {
  let status = 0;
  const ms = await timed(async () => {
    ({ status } = await fn());
  });
  if (status !== 200) throw new Error(`answered ${String(status)}`);
  return ms;
}

interface Targets {
  invoke: { path: string; method: 'POST'; body: string; headers: Record<string, string> };
  rest: string;
  http: string;
}

/** The function, a REST API (GET / → AWS_PROXY, stage prod) and a quick-created HTTP API ($default route and stage, payload 2.0). */
async function setUp(endpoint: string): Promise<Targets> {
  const functionArn = 'arn:aws:lambda:us-east-1:000000000000:function:noop';
  await ok('CreateFunction', call(endpoint, 'POST', '/2015-03-31/functions', JSON.stringify({
    FunctionName: 'noop', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/bench', Code: { ZipFile: (await zip({ 'index.mjs': HANDLER })).toString('base64') },
  }), 'lambda'));
  const restApi = await ok<{ id: string; rootResourceId: string }>('CreateRestApi', call(endpoint, 'POST', '/restapis', JSON.stringify({ name: 'bench' }), 'apigateway'));
  const method = `/restapis/${restApi.id}/resources/${restApi.rootResourceId}/methods/GET`;
  await ok('PutMethod', call(endpoint, 'PUT', method, JSON.stringify({ authorizationType: 'NONE' }), 'apigateway'));
  await ok('PutIntegration', call(endpoint, 'PUT', `${method}/integration`, JSON.stringify({
    type: 'AWS_PROXY', httpMethod: 'POST', uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
  }), 'apigateway'));
  await ok('CreateDeployment', call(endpoint, 'POST', `/restapis/${restApi.id}/deployments`, JSON.stringify({ stageName: 'prod' }), 'apigateway'));
  const httpApi = await ok<{ apiId: string }>('CreateApi', call(endpoint, 'POST', '/v2/apis', JSON.stringify({ name: 'bench', protocolType: 'HTTP', target: functionArn }), 'apigateway'));
  return {
    invoke: { path: '/2015-03-31/functions/noop/invocations', method: 'POST', body: '{}', headers: { authorization: sigV4('lambda'), 'content-type': 'application/json' } },
    rest: `/_aws/execute-api/${restApi.id}/prod/`,
    http: `/_aws/execute-api/${httpApi.apiId}/`,
  };
}

async function throughput(url: string, options: { method?: 'POST'; body?: string; headers?: Record<string, string> } = {}): Promise<number> {
  const load = { url, connections: CONNECTIONS, ...options };
  await autocannon({ ...load, duration: 2 });
  const result = await autocannon({ ...load, duration: 5 });
  if (result.errors || result.non2xx) throw new Error(`${url} answered errors under load: ${String(result.errors)} errors, ${String(result.non2xx)} non-2xx`);
  return result.requests.average;
}

interface Figures {
  p50: number;
  p99: number;
  perSecond: number;
}

async function measure(endpoint: string): Promise<Record<'invoke' | 'rest' | 'http', Figures> & { ceiling: number }> {
  const targets = await setUp(endpoint);
  const invoke = (): Promise<{ status: number }> => call(endpoint, 'POST', targets.invoke.path, targets.invoke.body, 'lambda');
  const rest = (): Promise<{ status: number }> => call(endpoint, 'GET', targets.rest);
  const http = (): Promise<{ status: number }> => call(endpoint, 'GET', targets.http);
  // The first concurrent burst starts one environment per connection: pay for that before measuring anything.
  await autocannon({ url: `${endpoint}${targets.invoke.path}`, connections: CONNECTIONS, duration: 3, method: 'POST', body: targets.invoke.body, headers: targets.invoke.headers });
  for (let i = 0; i < WARMUP; i++) {
    await invoke();
    await rest();
    await http();
  }
  const samples = { invoke: [] as number[], rest: [] as number[], http: [] as number[] };
  for (let i = 0; i < SAMPLES; i++) {
    samples.invoke.push(await timedOk(invoke));
    samples.rest.push(await timedOk(rest));
    samples.http.push(await timedOk(http));
  }
  const figures = (values: number[], perSecond: number): Figures => ({ p50: percentile(values, 0.5), p99: percentile(values, 0.99), perSecond });
  return {
    invoke: figures(samples.invoke, await throughput(`${endpoint}${targets.invoke.path}`, { method: 'POST', body: targets.invoke.body, headers: targets.invoke.headers })),
    rest: figures(samples.rest, await throughput(`${endpoint}${targets.rest}`)),
    http: figures(samples.http, await throughput(`${endpoint}${targets.http}`)),
    // The handler's body, answered by node:http with nothing in between.
    ceiling: await withBareServer('{}', (url) => throughput(url)),
  };
}

/** The API Gateway rows of the bench table. */
export async function benchApigateway(): Promise<string[]> {
  const { invoke, rest, http, ceiling } = await withNimbus('apigateway', measure);
  const ms = (value: number): string => `${value.toFixed(2)} ms`;
  const rows = (name: string, figures: Figures): string[] => [
    row(`${name} p50 (gateway adds ${ms(figures.p50 - invoke.p50)})`, ms(figures.p50), 'direct Invoke p50', ms(invoke.p50), figures.p50 / invoke.p50, `+< ${String(BUDGET_MS)} ms`, figures.p50 - invoke.p50 < BUDGET_MS),
    row(`${name} p99`, ms(figures.p99), 'direct Invoke p99', ms(invoke.p99), figures.p99 / invoke.p99, '(reported)', true),
    row(`${name} requests/s (${String(CONNECTIONS)} conns)`, figures.perSecond.toFixed(0), 'direct Invoke/s', invoke.perSecond.toFixed(0), figures.perSecond / invoke.perSecond, '(reported)', true),
    row(`${name} requests/s against the ceiling`, figures.perSecond.toFixed(0), 'bare node:http, same body', ceiling.toFixed(0), figures.perSecond / ceiling, '(reported)', true),
  ];
  return [...rows('API Gateway REST API, AWS_PROXY', rest), ...rows('API Gateway HTTP API, payload 2.0', http)];
}
