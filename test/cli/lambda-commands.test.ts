/**
 * `nimbus invoke` and `nimbus logs` as a developer runs them, against a started Nimbus: payloads inline,
 * from a file and from standard input, qualifiers, log tails, function errors and exit codes, log events
 * since a time, and --follow until Ctrl-C.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CreateFunctionCommand, DeleteFunctionCommand, InvokeCommand, LambdaClient, PublishVersionCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { clientSettings, useNimbus } from '../helpers/nimbus.js';
import { zip } from '../helpers/zip.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'src/cli/main.ts');
const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

const HANDLER = `
export const handler = async (event, context) => {
  console.log('event', JSON.stringify(event));
  if (event.fail) throw new Error('failing on request');
  return { echo: event, version: context.functionVersion };
};
`;

const workspace = mkdtempSync(join(tmpdir(), 'nimbus-cli-'));
after(() => {
  rmSync(workspace, { recursive: true, force: true });
});

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI the way the `nimbus` bin does, pointed at `endpoint` through NIMBUS_ENDPOINT. */
function startCli(args: string[], endpoint: string): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, NIMBUS_ENDPOINT: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test' };
  delete env.AWS_SESSION_TOKEN;
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
}

async function runCli(args: string[], endpoint: string, input = ''): Promise<CliResult> {
  const child = startCli(args, endpoint);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin?.end(input);
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, stdout, stderr };
}

/** Resolves once the child's stdout so far satisfies `ready`: the output itself is the signal. */
function outputUntil(child: ChildProcess, ready: (output: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (ready(output)) {
        child.stdout?.off('data', onData);
        resolve(output);
      }
    };
    child.stdout?.on('data', onData);
    child.once('close', () => {
      reject(new Error(`the CLI exited before the expected output; it printed:\n${output}`));
    });
  });
}

/** A local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

describe('nimbus invoke and nimbus logs', () => {
  const nimbus = useNimbus();
  const lambda = (): LambdaClient => new LambdaClient(clientSettings(nimbus()));

  async function createFunction(name: string): Promise<void> {
    await lambda().send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await zip({ 'index.mjs': HANDLER }) } }));
  }

  it('prints the response payload of an inline, a file and a stdin payload, and the log tail with --log', async () => {
    await createFunction('hello');
    const endpoint = nimbus().endpoint;
    const eventFile = join(workspace, 'event.json');
    writeFileSync(eventFile, '{"from":"file"}');
    const [inline, fromFile, fromStdin] = await Promise.all([
      runCli(['invoke', 'hello', '--payload', '{"from":"inline"}', '--log'], endpoint),
      runCli(['invoke', 'hello', '--payload', `@${eventFile}`], endpoint),
      runCli(['invoke', 'hello', '--payload', '@-'], endpoint, '{"from":"stdin"}'),
    ]);
    assert.equal(inline.status, 0, inline.stderr);
    assert.equal(inline.stdout, '{"echo":{"from":"inline"},"version":"$LATEST"}\n');
    assert.match(inline.stderr, /START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
    assert.match(inline.stderr, /\tINFO\tevent {"from":"inline"}/);
    assert.match(inline.stderr, /REPORT RequestId: /);
    assert.equal(fromFile.stdout, '{"echo":{"from":"file"},"version":"$LATEST"}\n');
    assert.equal(fromFile.stderr, '', 'no log tail without --log');
    assert.equal(fromStdin.stdout, '{"echo":{"from":"stdin"},"version":"$LATEST"}\n');
  });

  it('invokes a qualifier, exits 1 on a function error and on an error answer, and when Nimbus is unreachable', async () => {
    await createFunction('versions');
    await lambda().send(new PublishVersionCommand({ FunctionName: 'versions' }));
    await lambda().send(new UpdateFunctionCodeCommand({ FunctionName: 'versions', ZipFile: await zip({ 'index.mjs': 'export const handler = async () => "latest";' }) }));
    const endpoint = nimbus().endpoint;
    const port = await closedPort();
    const [qualified, failed, missing, unreachable] = await Promise.all([
      runCli(['invoke', 'versions', '--qualifier', '1', '--payload', '{}'], endpoint),
      runCli(['invoke', 'versions', '--qualifier', '1', '--payload', '{"fail":true}'], endpoint),
      runCli(['invoke', 'nope'], endpoint),
      runCli(['invoke', 'versions'], `http://127.0.0.1:${String(port)}`),
    ]);
    assert.equal(qualified.status, 0);
    assert.equal(qualified.stdout, '{"echo":{},"version":"1"}\n');

    assert.equal(failed.status, 1);
    const error = JSON.parse(failed.stdout) as { errorType: string; errorMessage: string };
    assert.deepEqual([error.errorType, error.errorMessage], ['Error', 'failing on request']);

    assert.equal(missing.status, 1);
    assert.equal(missing.stderr, 'nimbus: ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope\n');

    assert.equal(unreachable.status, 1);
    assert.match(unreachable.stderr, new RegExp(`^nimbus: cannot reach Nimbus at http://127\\.0\\.0\\.1:${String(port)} \\(connect ECONNREFUSED`));
  });

  it('prints log events since a time, also for a function that is gone, and exits 1 when there are none', async () => {
    const logs = new CloudWatchLogsClient(clientSettings(nimbus()));
    const group = '/aws/lambda/retired';
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'stream-1' }));
    const now = Date.now();
    await logs.send(new PutLogEventsCommand({
      logGroupName: group,
      logStreamName: 'stream-1',
      logEvents: [
        { timestamp: now - 3 * 3_600_000, message: 'three hours ago' },
        { timestamp: now - 30 * 60_000, message: 'half an hour ago' },
        { timestamp: now - 60_000, message: 'a minute ago' },
      ],
    }));
    const endpoint = nimbus().endpoint;
    const [recent, hour, day, none] = await Promise.all([
      runCli(['logs', 'retired'], endpoint),
      runCli(['logs', 'retired', '--since', '1h'], endpoint),
      runCli(['logs', 'retired', '--since', new Date(now - 86_400_000).toISOString()], endpoint),
      runCli(['logs', 'never-ran'], endpoint),
    ]);
    const messages = (output: string): string[] => output.trim().split('\n').map((line) => line.split(' ').slice(2).join(' '));
    assert.equal(recent.status, 0, recent.stderr);
    assert.deepEqual(messages(recent.stdout), ['a minute ago'], 'the default is the last 10 minutes');
    assert.match(recent.stdout, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z stream-1 a minute ago\n$/);
    assert.deepEqual(messages(hour.stdout), ['half an hour ago', 'a minute ago']);
    assert.deepEqual(messages(day.stdout), ['three hours ago', 'half an hour ago', 'a minute ago']);
    assert.equal(none.status, 1);
    assert.equal(none.stderr, 'nimbus: log group /aws/lambda/never-ran does not exist: the function has not written logs yet\n');
  });

  it('follows a function\'s logs until Ctrl-C, printing each event once', async () => {
    await createFunction('followed');
    await lambda().send(new InvokeCommand({ FunctionName: 'followed', Payload: Buffer.from('{"mark":"first"}') }));
    const follower = startCli(['logs', 'followed', '--follow'], nimbus().endpoint);
    try {
      await outputUntil(follower, (output) => output.includes('INFO\tevent {"mark":"first"}') && output.includes('REPORT RequestId'));
      const more = outputUntil(follower, (output) => output.includes('INFO\tevent {"mark":"second"}') && output.split('REPORT RequestId').length === 2);
      await lambda().send(new InvokeCommand({ FunctionName: 'followed', Payload: Buffer.from('{"mark":"second"}') }));
      const printed = await more;
      assert.equal(printed.split('\n').filter((line) => line.includes('START RequestId')).length, 1, 'the first invocation is not printed again');
    } finally {
      follower.kill('SIGINT');
    }
    const [status] = (await once(follower, 'close')) as [number | null];
    assert.equal(status, 0);
    await lambda().send(new DeleteFunctionCommand({ FunctionName: 'followed' }));
  });
});
