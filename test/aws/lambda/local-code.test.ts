/**
 * Local code, a Nimbus extension: Code { S3Bucket: 'nimbus-local', S3Key: '/absolute/dir' } runs a function
 * straight from a directory, and an edit shows on the next invoke without redeploying.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { InvocationResponse } from '@aws-sdk/client-lambda';
import { CreateFunctionCommand, GetFunctionCommand, InvokeCommand, LambdaClient, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { LocalCode } from '../../../src/services/lambda/local-code.js';
import { SqliteStore } from '../../../src/store/sqlite.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';

const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';
const SCOPE = { account: '000000000000', region: 'us-east-1' };

const workspace = mkdtempSync(join(tmpdir(), 'nimbus-local-code-'));
after(() => {
  rmSync(workspace, { recursive: true, force: true });
});

/** A fresh directory of function code under the workspace. */
function codeDirectory(name: string, files: Record<string, string>): string {
  const directory = join(workspace, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(directory, path, '..'), { recursive: true });
    writeFileSync(join(directory, path), content);
  }
  return directory;
}

function decode(response: InvocationResponse): unknown {
  return JSON.parse(Buffer.from(response.Payload ?? []).toString('utf8'));
}

function coldStart(response: InvocationResponse): boolean {
  return Buffer.from(response.LogResult ?? '', 'base64').toString('utf8').includes('INIT_START');
}

const nodeHandler = (mark: string): string => `
import { greeting } from './lib/greeting.mjs';
let count = 0;
export const handler = async () => ({ mark: '${mark}', greeting, count: ++count });
`;

describe('Lambda local code (nimbus-local)', () => {
  const nimbus = useNimbus();
  const lambda = (): LambdaClient => new LambdaClient(clientSettings(nimbus()));

  async function invoke(name: string): Promise<InvocationResponse> {
    return lambda().send(new InvokeCommand({ FunctionName: name, LogType: 'Tail' }));
  }

  it('runs a function from a directory and picks up edits, nested ones too, on the next invoke', async () => {
    const directory = codeDirectory('node-app', { 'index.mjs': nodeHandler('v1'), 'lib/greeting.mjs': "export const greeting = 'hello';" });
    const created = await lambda().send(new CreateFunctionCommand({
      FunctionName: 'local-node', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { S3Bucket: 'nimbus-local', S3Key: directory },
    }));
    assert.equal(created.CodeSize, 0);
    assert.match(created.CodeSha256!, /^[A-Za-z0-9+/]{43}=$/);

    const first = await invoke('local-node');
    assert.deepEqual(decode(first), { mark: 'v1', greeting: 'hello', count: 1 });
    assert.ok(coldStart(first));
    const warm = await invoke('local-node');
    assert.deepEqual(decode(warm), { mark: 'v1', greeting: 'hello', count: 2 });
    assert.ok(!coldStart(warm), 'nothing changed, so the environment stays warm');

    writeFileSync(join(directory, 'index.mjs'), nodeHandler('v2'));
    const edited = await invoke('local-node');
    assert.deepEqual(decode(edited), { mark: 'v2', greeting: 'hello', count: 1 });
    assert.ok(coldStart(edited));

    writeFileSync(join(directory, 'lib/greeting.mjs'), "export const greeting = 'bonjour';");
    assert.deepEqual(decode(await invoke('local-node')), { mark: 'v2', greeting: 'bonjour', count: 1 });
    assert.deepEqual(decode(await invoke('local-node')), { mark: 'v2', greeting: 'bonjour', count: 2 });

    const got = await lambda().send(new GetFunctionCommand({ FunctionName: 'local-node' }));
    assert.equal(got.Configuration?.CodeSize, 0);
  });

  it('runs Python from a directory without writing bytecode caches into it', async () => {
    const directory = codeDirectory('py-app', { 'app.py': 'def handler(event, context):\n    return "one"\n', 'util.py': 'VALUE = 1\n' });
    await lambda().send(new CreateFunctionCommand({
      FunctionName: 'local-py', Runtime: 'python3.12', Handler: 'app.handler', Role: ROLE, Code: { S3Bucket: 'nimbus-local', S3Key: directory },
    }));
    assert.equal(decode(await invoke('local-py')), 'one');
    writeFileSync(join(directory, 'app.py'), 'import util\n\n\ndef handler(event, context):\n    return "two %d" % util.VALUE\n');
    assert.equal(decode(await invoke('local-py')), 'two 1');
    const warm = await invoke('local-py');
    assert.equal(decode(warm), 'two 1');
    assert.ok(!coldStart(warm));
    assert.equal(existsSync(join(directory, '__pycache__')), false);
  });

  it('switches a zip function to local code with UpdateFunctionCode; a redeploy after an edit has a new CodeSha256', async () => {
    await lambda().send(new CreateFunctionCommand({
      FunctionName: 'switch', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await zip({ 'index.mjs': "export const handler = async () => 'zip';" }) },
    }));
    assert.equal(decode(await invoke('switch')), 'zip');
    const directory = codeDirectory('switch-app', { 'index.mjs': "export const handler = async () => 'local';" });
    const updated = await lambda().send(new UpdateFunctionCodeCommand({ FunctionName: 'switch', S3Bucket: 'nimbus-local', S3Key: directory }));
    assert.equal(updated.CodeSize, 0);
    assert.equal(decode(await invoke('switch')), 'local');

    const again = await lambda().send(new UpdateFunctionCodeCommand({ FunctionName: 'switch', S3Bucket: 'nimbus-local', S3Key: directory }));
    assert.equal(again.CodeSha256, updated.CodeSha256, 'same path, same content');
    writeFileSync(join(directory, 'extra.txt'), 'more');
    const changed = await lambda().send(new UpdateFunctionCodeCommand({ FunctionName: 'switch', S3Bucket: 'nimbus-local', S3Key: directory }));
    assert.notEqual(changed.CodeSha256, updated.CodeSha256);
  });

  it('rejects a relative path and a missing directory', async () => {
    const file = join(codeDirectory('a-file', { 'index.mjs': '' }), 'index.mjs');
    const cases = [
      { key: 'src/app', message: "S3Key must be the absolute path of a directory when S3Bucket is 'nimbus-local' (Nimbus local code), got 'src/app'." },
      { key: join(workspace, 'nowhere'), message: `The local code directory '${join(workspace, 'nowhere')}' (S3Bucket 'nimbus-local') does not exist or is not a directory.` },
      { key: file, message: `The local code directory '${file}' (S3Bucket 'nimbus-local') does not exist or is not a directory.` },
    ];
    for (const { key, message } of cases) {
      await assert.rejects(
        lambda().send(new CreateFunctionCommand({ FunctionName: 'bad-local', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { S3Bucket: 'nimbus-local', S3Key: key } })),
        (error: Error & { $metadata: { httpStatusCode?: number } }) => {
          assert.equal(error.name, 'InvalidParameterValueException');
          assert.equal(error.message, message);
          assert.equal(error.$metadata.httpStatusCode, 400);
          return true;
        },
      );
    }
  });
});

describe('LocalCode without a recursive watch (the rescan on each invoke)', () => {
  const lifecycle = { onReset: (): void => undefined, onStop: (): void => undefined };

  it('reports a change once per consumer, and ignores bytecode caches', async () => {
    const directory = codeDirectory('rescan', { 'index.py': 'x = 1\n', 'pkg/mod.py': 'y = 2\n' });
    const local = new LocalCode(new SqliteStore(undefined), lifecycle, false);
    const { sha256 } = local.register(SCOPE, directory);
    assert.equal(local.directoryOf(SCOPE, sha256), directory);
    assert.equal(local.directoryOf(SCOPE, 'unknown'), undefined);

    assert.deepEqual(await local.observe(directory, 'fn-a'), { generation: 0, changed: false });
    // A new size too: two writes within one tick of the file system's clock can share a modification time.
    writeFileSync(join(directory, 'pkg/mod.py'), 'y = 30\n');
    assert.deepEqual(await local.observe(directory, 'fn-a'), { generation: 1, changed: true });
    assert.deepEqual(await local.observe(directory, 'fn-a'), { generation: 1, changed: false });
    assert.deepEqual(await local.observe(directory, 'fn-b'), { generation: 1, changed: false }, 'a new consumer has nothing stale');

    mkdirSync(join(directory, 'pkg/__pycache__'));
    writeFileSync(join(directory, 'pkg/__pycache__/mod.cpython-312.pyc'), 'bytes');
    assert.deepEqual(await local.observe(directory, 'fn-a'), { generation: 1, changed: false });
    local.close();
  });
});
