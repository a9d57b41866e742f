/**
 * Step Functions figures for npm run bench, state transitions per second (one transition = one state run):
 *   Express, in-process: the Nimbus ASL engine  vs  aws-local-stepfunctions, same definition, same process (like with like)
 *   Express, StartSyncExecution over HTTP, 32 connections  vs  the same peer in-process (Nimbus pays HTTP; the peer does not)
 *   Standard, durable: StartExecution of a long Pass chain, persisted, until every execution has ended  (budget >= 10,000/s)
 * The workflow is a chain of Pass states, each with Parameters and ResultPath. Every loop is bounded in count and time.
 */
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import { StateMachine } from 'aws-local-stepfunctions';
import type { StateMachineDefinition as PeerDefinition } from 'aws-local-stepfunctions';
// The engine as Nimbus runs it: compiled by tsc (npm run build), not transpiled on the fly.
import { startExecution, validateDefinition } from '../dist/engines/asl/index.js';
import type { EngineEnvironment, JsonValue } from '../dist/engines/asl/index.js';
import { CONNECTIONS, row, sigV4, sleep, withNimbus } from './support.js';

const EXPRESS_STATES = 10;
const STANDARD_STATES = 1000;
const STANDARD_EXECUTIONS = 30;
const IN_PROCESS_MS = 3000;
const IN_PROCESS_MAX_RUNS = 200_000;
const LOAD_SECONDS = 6;
const ROLE = 'arn:aws:iam::000000000000:role/bench';
const INPUT = { value: 'order-42', items: [1, 2, 3] };

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
async function perSecond(transitionsPerRun: number, once: () => unknown): Promise<number> {
  for (let i = 0; i < 200; i++) await once();
  let runs = 0;
  const started = process.hrtime.bigint();
  let elapsed = 0;
  while (runs < IN_PROCESS_MAX_RUNS && elapsed < IN_PROCESS_MS) {
    await once();
    runs++;
    if (runs % 100 === 0) elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  }
  elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  return (runs * transitionsPerRun) / (elapsed / 1000);
}

async function peerTransitions(definition: JsonValue): Promise<number> {
  const machine = new StateMachine(definition as unknown as PeerDefinition);
  return perSecond(EXPRESS_STATES, async () => {
    const output = await machine.run(INPUT).result;
    if (output === null) throw new Error('aws-local-stepfunctions returned no output');
  });
}

async function engineTransitions(definition: JsonValue): Promise<number> {
  const validation = validateDefinition(definition);
  if (!validation.ok) throw new Error(validation.message);
  let n = 0;
  return perSecond(EXPRESS_STATES, () => {
    const env: EngineEnvironment = { now: Date.now(), random: Math.random };
    n++;
    const result = startExecution(validation.definition, { executionArn: `arn:aws:states:us-east-1:000000000000:express:bench:run-${String(n)}`, stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:bench', roleArn: ROLE, input: INPUT }, env);
    if (result.status !== 'SUCCEEDED') throw new Error(`engine run ended ${result.status}`);
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function sfnCall(endpoint: string, operation: string, body: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const headers = { authorization: sigV4('states'), 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${operation}` };
    const req = request(new URL('/', endpoint), { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode !== 200) reject(new Error(`${operation} answered ${String(res.statusCode)}: ${text}`));
        else resolve(JSON.parse(text) as Record<string, unknown>);
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
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

/** Durable Standard executions of a long chain: from the first StartExecution until the last one has SUCCEEDED. */
async function standardTransitions(endpoint: string): Promise<number> {
  const stateMachineArn = await createMachine(endpoint, 'bench-standard', 'STANDARD', passChain(STANDARD_STATES));
  const started = process.hrtime.bigint();
  const executions: string[] = [];
  for (let i = 0; i < STANDARD_EXECUTIONS; i++) {
    executions.push((await sfnCall(endpoint, 'StartExecution', { stateMachineArn, name: `run-${String(i)}`, input: JSON.stringify(INPUT) })).executionArn as string);
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
  return (STANDARD_EXECUTIONS * STANDARD_STATES) / seconds;
}

const perSecondText = (value: number): string => `${Math.round(value).toLocaleString('en-US')}/s`;

export async function benchStepfunctions(): Promise<string[]> {
  const express = passChain(EXPRESS_STATES);
  const peer = await peerTransitions(express);
  const engine = await engineTransitions(express);
  const { sync, standard } = await withNimbus('stepfunctions', async (endpoint) => ({
    sync: await syncTransitions(endpoint, express),
    standard: await standardTransitions(endpoint),
  }));
  return [
    row('SFN Express transitions, in-process engine (10 Pass)', perSecondText(engine), 'aws-local-stepfunctions in-process', perSecondText(peer), engine / peer, '>= 1.5x', engine / peer >= 1.5),
    row('SFN Express transitions, StartSyncExecution over HTTP', perSecondText(sync), 'aws-local-stepfunctions in-process', perSecondText(peer), sync / peer, 'info (HTTP vs in-process)', true),
    row(`SFN Standard transitions, durable (${String(STANDARD_STATES)} Pass)`, perSecondText(standard), 'budget', '10,000/s', standard / 10_000, '>= 10,000/s', standard >= 10_000),
  ];
}
