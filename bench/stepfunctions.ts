/**
 * Step Functions figures for npm run bench, state transitions per second (one transition = one state run):
 *   Express, in-process: the Nimbus ASL engine  vs  aws-local-stepfunctions, same definition, same process (like with like)
 *   Express, StartSyncExecution over HTTP, 32 connections  vs  the same peer in-process (Nimbus pays HTTP; the peer does not)
 *   Standard, durable: StartExecution of a long Pass chain, persisted, until every execution has ended  (budget >= 10,000/s)
 *   the same three for an inline Map over 10,000 items whose iterator is one Pass state (one transition per item)
 *   StartSyncExecution latency (p50/p99) of Pass -> Lambda task -> Pass, beside a direct Invoke of the same warm function
 * The chain is of Pass states, each with Parameters and ResultPath. Every loop is bounded in count and time.
 */
import autocannon from 'autocannon';
import { StateMachine } from 'aws-local-stepfunctions';
import type { StateMachineDefinition as PeerDefinition } from 'aws-local-stepfunctions';
// The engine as Nimbus runs it: compiled by tsc (npm run build), not transpiled on the fly.
import { startExecution, validateDefinition } from '../dist/engines/asl/index.js';
import type { EngineEnvironment, JsonValue } from '../dist/engines/asl/index.js';
import { zip } from '../test/helpers/zip.js';
import { call, CONNECTIONS, percentile, row, sigV4, sleep, timed, withNimbus } from './support.js';

const EXPRESS_STATES = 10;
const STANDARD_STATES = 1000;
const STANDARD_EXECUTIONS = 30;
const IN_PROCESS_MS = 3000;
const IN_PROCESS_MAX_RUNS = 200_000;
const LOAD_SECONDS = 6;
const ROLE = 'arn:aws:iam::000000000000:role/bench';
const INPUT = { value: 'order-42', items: [1, 2, 3] };
const MAP_ITEMS = 10_000;
const MAP_EXECUTIONS = 3;
/** The Map state and one Pass per item. */
const MAP_TRANSITIONS = MAP_ITEMS + 1;
// From 1: aws-local-stepfunctions fails `$` on an item of 0 ("Path expression '$' does not point to a value").
const MAP_INPUT = { items: Array.from({ length: MAP_ITEMS }, (_, i) => i + 1) };
const LATENCY_RUNS = 300;
const LATENCY_WARMUP = 30;
const FUNCTION_NAME = 'bench-noop';

/** An inline Map over $.items whose iterator shapes each item with one Pass state. */
const inlineMap: JsonValue = {
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map', ItemsPath: '$.items', End: true,
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Shape', States: { Shape: { Type: 'Pass', Parameters: { 'item.$': '$' }, End: true } } },
    },
  },
};

/** Three states, one of them a request-response Lambda task. */
const lambdaMachine: JsonValue = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Parameters: { 'orderId.$': '$.value' }, Next: 'Call' },
    Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: FUNCTION_NAME, 'Payload.$': '$' }, ResultSelector: { 'reply.$': '$.Payload' }, ResultPath: '$.call', Next: 'Done' },
    Done: { Type: 'Pass', End: true },
  },
};

interface Workload {
  readonly definition: JsonValue;
  readonly input: JsonValue;
  readonly transitions: number;
  /** Unmeasured runs first, so both interpreters are compiled by the JIT before the clock starts. */
  readonly warmups: number;
}

/** Pass states in a chain, each shaping its input with Parameters and placing the result with ResultPath. */
function passChain(length: number): { StartAt: string; States: Record<string, JsonValue> } {
  const states: Record<string, JsonValue> = {};
  for (let i = 0; i < length; i++) {
    const state: Record<string, JsonValue> = { Type: 'Pass', Parameters: { 'value.$': '$.value', 'first.$': '$.items[0]', step: i }, ResultPath: '$.last' };
    if (i + 1 < length) state.Next = `Step${String(i + 1)}`;
    else state.End = true;
    states[`Step${String(i)}`] = state;
  }
  return { StartAt: 'Step0', States: states };
}

/** Runs `once` until the time or count bound, and returns transitions per second. */
async function perSecond(transitionsPerRun: number, warmups: number, once: () => unknown): Promise<number> {
  for (let i = 0; i < warmups; i++) await once();
  let runs = 0;
  const started = process.hrtime.bigint();
  let elapsed = 0;
  while (runs < IN_PROCESS_MAX_RUNS && elapsed < IN_PROCESS_MS) {
    await once();
    runs++;
    elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  }
  elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  return (runs * transitionsPerRun) / (elapsed / 1000);
}

async function peerTransitions(work: Workload): Promise<number> {
  const machine = new StateMachine(work.definition as unknown as PeerDefinition);
  return perSecond(work.transitions, work.warmups, async () => {
    const output = await machine.run(work.input).result;
    if (output === null) throw new Error('aws-local-stepfunctions returned no output');
  });
}

async function engineTransitions(work: Workload): Promise<number> {
  const validation = validateDefinition(work.definition);
  if (!validation.ok) throw new Error(validation.message);
  let n = 0;
  return perSecond(work.transitions, work.warmups, () => {
    const env: EngineEnvironment = { now: Date.now(), random: Math.random };
    n++;
    const result = startExecution(validation.definition, { executionArn: `arn:aws:states:us-east-1:000000000000:express:bench:run-${String(n)}`, stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:bench', roleArn: ROLE, input: work.input }, env);
    if (result.status !== 'SUCCEEDED') throw new Error(`engine run ended ${result.status}`);
  });
}


async function sfnCall(endpoint: string, operation: string, body: unknown): Promise<Record<string, unknown>> {
  const answer = await call(endpoint, 'POST', '/', JSON.stringify(body), 'states', { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${operation}` });
  if (answer.status !== 200) throw new Error(`${operation} answered ${String(answer.status)}: ${answer.body}`);
  return JSON.parse(answer.body) as Record<string, unknown>;
}

async function createMachine(endpoint: string, name: string, type: 'STANDARD' | 'EXPRESS', definition: JsonValue): Promise<string> {
  const created = await sfnCall(endpoint, 'CreateStateMachine', { name, type, roleArn: ROLE, definition: JSON.stringify(definition) });
  return created.stateMachineArn as string;
}

/** StartSyncExecution under load; every answer must be a SUCCEEDED execution. */
async function syncTransitions(endpoint: string, definition: JsonValue): Promise<number> {
  const stateMachineArn = await createMachine(endpoint, 'bench-express', 'EXPRESS', definition);
  const body = JSON.stringify({ stateMachineArn, input: JSON.stringify(INPUT) });
  const first = await sfnCall(endpoint, 'StartSyncExecution', JSON.parse(body));
  if (first.status !== 'SUCCEEDED') throw new Error(`StartSyncExecution ended ${String(first.status)}`);
  const options = {
    url: endpoint, connections: CONNECTIONS, method: 'POST' as const, body,
    headers: { authorization: sigV4('states'), 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.StartSyncExecution' },
  };
  await autocannon({ ...options, duration: 2 });
  const load = await autocannon({ ...options, duration: LOAD_SECONDS });
  if (load.non2xx > 0 || load.errors > 0) throw new Error(`StartSyncExecution under load: ${String(load.non2xx)} non-2xx, ${String(load.errors)} errors`);
  return load.requests.average * EXPRESS_STATES;
}

/** Durable Standard executions: from the first StartExecution until the last one has SUCCEEDED. */
async function standardTransitions(endpoint: string, name: string, work: Workload, executionCount: number): Promise<number> {
  const stateMachineArn = await createMachine(endpoint, name, 'STANDARD', work.definition);
  const input = JSON.stringify(work.input);
  const started = process.hrtime.bigint();
  const executions: string[] = [];
  for (let i = 0; i < executionCount; i++) {
    executions.push((await sfnCall(endpoint, 'StartExecution', { stateMachineArn, name: `run-${String(i)}`, input })).executionArn as string);
  }
  for (const executionArn of executions) {
    let status = 'RUNNING';
    for (let poll = 0; status === 'RUNNING' && poll < 20_000; poll++) {
      // A short pause between polls, so the polling does not take the CPU from the executions it waits for.
      if (poll > 0) await sleep(2);
      status = (await sfnCall(endpoint, 'DescribeExecution', { executionArn })).status as string;
    }
    if (status !== 'SUCCEEDED') throw new Error(`${executionArn} ended ${status}`);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return (executionCount * work.transitions) / seconds;
}

interface Latencies {
  readonly syncP50: number;
  readonly syncP99: number;
  readonly invokeP50: number;
  readonly invokeP99: number;
}

/** StartSyncExecution of Pass -> Lambda -> Pass, one at a time, and a direct Invoke of the same warm function, interleaved. */
async function lambdaLatencies(endpoint: string): Promise<Latencies> {
  const code = (await zip({ 'index.mjs': 'export const handler = async (event) => ({ ok: true, orderId: event.orderId });' })).toString('base64');
  const created = await call(endpoint, 'POST', '/2015-03-31/functions', JSON.stringify({ FunctionName: FUNCTION_NAME, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: code } }), 'lambda');
  if (created.status !== 201) throw new Error(`CreateFunction answered ${String(created.status)}: ${created.body}`);
  const stateMachineArn = await createMachine(endpoint, 'bench-lambda', 'EXPRESS', lambdaMachine);
  const syncBody = { stateMachineArn, input: JSON.stringify(INPUT) };
  const invokePath = `/2015-03-31/functions/${FUNCTION_NAME}/invocations`;
  const sync = async (): Promise<void> => {
    const answer = await sfnCall(endpoint, 'StartSyncExecution', syncBody);
    if (answer.status !== 'SUCCEEDED') throw new Error(`StartSyncExecution ended ${String(answer.status)}: ${String(answer.cause)}`);
  };
  const invoke = async (): Promise<void> => {
    const answer = await call(endpoint, 'POST', invokePath, '{"orderId":"order-42"}', 'lambda');
    if (answer.status !== 200) throw new Error(`Invoke answered ${String(answer.status)}: ${answer.body}`);
  };
  for (let i = 0; i < LATENCY_WARMUP; i++) {
    await invoke();
    await sync();
  }
  const syncTimes: number[] = [];
  const invokeTimes: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    invokeTimes.push(await timed(invoke));
    syncTimes.push(await timed(sync));
  }
  return { syncP50: percentile(syncTimes, 0.5), syncP99: percentile(syncTimes, 0.99), invokeP50: percentile(invokeTimes, 0.5), invokeP99: percentile(invokeTimes, 0.99) };
}

const perSecondText = (value: number): string => `${Math.round(value).toLocaleString('en-US')}/s`;

const ms = (value: number): string => `${value.toFixed(2)} ms`;

export async function benchStepfunctions(): Promise<string[]> {
  const express = passChain(EXPRESS_STATES);
  const chain: Workload = { definition: express, input: INPUT, transitions: EXPRESS_STATES, warmups: 200 };
  const map: Workload = { definition: inlineMap, input: MAP_INPUT, transitions: MAP_TRANSITIONS, warmups: 3 };
  const peer = await peerTransitions(chain);
  const engine = await engineTransitions(chain);
  const mapPeer = await peerTransitions(map);
  const mapEngine = await engineTransitions(map);
  // Latency before the Standard runs: the megabytes of history they leave in the store slow every later request.
  const { sync, standard, mapStandard, latency } = await withNimbus('stepfunctions', async (endpoint) => ({
    sync: await syncTransitions(endpoint, express),
    latency: await lambdaLatencies(endpoint),
    standard: await standardTransitions(endpoint, 'bench-standard', { definition: passChain(STANDARD_STATES), input: INPUT, transitions: STANDARD_STATES, warmups: 0 }, STANDARD_EXECUTIONS),
    mapStandard: await standardTransitions(endpoint, 'bench-standard-map', map, MAP_EXECUTIONS),
  }));
  return [
    row('SFN Express transitions, in-process engine (10 Pass)', perSecondText(engine), 'aws-local-stepfunctions in-process', perSecondText(peer), engine / peer, '>= 1.5x', engine / peer >= 1.5),
    row('SFN Express transitions, StartSyncExecution over HTTP', perSecondText(sync), 'aws-local-stepfunctions in-process', perSecondText(peer), sync / peer, 'info (HTTP vs in-process)', true),
    row(`SFN Standard transitions, durable (${String(STANDARD_STATES)} Pass)`, perSecondText(standard), 'budget', '10,000/s', standard / 10_000, '>= 10,000/s', standard >= 10_000),
    row('SFN Express transitions, in-process engine (inline Map, 10,000 items)', perSecondText(mapEngine), 'aws-local-stepfunctions in-process', perSecondText(mapPeer), mapEngine / mapPeer, '>= 1.5x', mapEngine / mapPeer >= 1.5),
    row('SFN Standard transitions, durable (inline Map, 10,000 items)', perSecondText(mapStandard), 'budget', '10,000/s', mapStandard / 10_000, '>= 10,000/s', mapStandard >= 10_000),
    row('SFN StartSyncExecution p50 (Pass, Lambda task, Pass)', ms(latency.syncP50), 'direct Lambda Invoke p50', ms(latency.invokeP50), latency.syncP50 / latency.invokeP50, 'info', true),
    row('SFN StartSyncExecution p99 (Pass, Lambda task, Pass)', ms(latency.syncP99), 'direct Lambda Invoke p99', ms(latency.invokeP99), latency.syncP99 / latency.invokeP99, 'info', true),
  ];
}
