/**
 * How functions behave inside their runtimes, as on Lambda: Node's handler styles and its module systems
 * (an ES module importing the AWS SDK it does not ship), Python handlers and their errors, a custom
 * runtime's own bootstrap, and what survives between invocations.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import type { CreateFunctionCommandInput, InvocationResponse } from '@aws-sdk/client-lambda';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import type { ZipEntry } from '../../helpers/zip.js';
import { zip } from '../../helpers/zip.js';

const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

const hasCurl = spawnSync('curl', ['--version']).status === 0;
const hasBoto3 = spawnSync('python3', ['-c', 'import boto3']).status === 0;

function decode(response: InvocationResponse): unknown {
  return JSON.parse(Buffer.from(response.Payload ?? []).toString('utf8'));
}

function tail(response: InvocationResponse): string {
  return Buffer.from(response.LogResult ?? '', 'base64').toString('utf8');
}

const CJS_HANDLER = `
let count = 0;
exports.handler = function (event, context, callback) {
  count++;
  if (event.style === 'succeed') return context.succeed({ style: 'succeed', count });
  if (event.style === 'error') return callback(new RangeError('out of range'));
  setImmediate(() => callback(null, { style: 'callback', count, requestId: context.awsRequestId }));
};
`;

const ESM_SSM_HANDLER = `
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
export const handler = async (event) => {
  const { Parameter } = await ssm.send(new GetParameterCommand({ Name: event.name }));
  return { value: Parameter.Value, endpoint: process.env.AWS_ENDPOINT_URL, keyPrefix: process.env.AWS_ACCESS_KEY_ID.slice(0, 4), hasToken: Boolean(process.env.AWS_SESSION_TOKEN) };
};
`;

const PYTHON_HANDLER = `
import os
import sys


def handler(event, context):
    if event.get("fail"):
        raise ValueError("bad value: " + str(event["fail"]))
    return {
        "python": "%d.%d" % sys.version_info[:2],
        "executionEnv": os.environ["AWS_EXECUTION_ENV"],
        "name": context.function_name,
        "remaining": context.get_remaining_time_in_millis() > 0,
        "event": event,
    }
`;

const BOTO3_HANDLER = `
import boto3

ssm = boto3.client("ssm")


def handler(event, context):
    return ssm.get_parameter(Name=event["name"])["Parameter"]["Value"]
`;

/** A custom runtime: the Runtime API loop in shell with curl, as in Lambda's tutorial. */
const SHELL_BOOTSTRAP = `#!/bin/sh
set -eu
API="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime"
HEADERS="$(mktemp)"
while true; do
  EVENT="$(curl -sS -D "$HEADERS" "$API/invocation/next")"
  REQUEST_ID="$(grep -i '^lambda-runtime-aws-request-id:' "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)"
  echo "handling $REQUEST_ID"
  case "$EVENT" in
    *fail*) curl -sS -o /dev/null -X POST -H 'Lambda-Runtime-Function-Error-Type: Custom.Failure' -d '{"errorType":"Custom.Failure","errorMessage":"asked to fail"}' "$API/invocation/$REQUEST_ID/error" ;;
    *) curl -sS -o /dev/null -X POST -d "{\\"echo\\":$EVENT,\\"handler\\":\\"$_HANDLER\\"}" "$API/invocation/$REQUEST_ID/response" ;;
  esac
done
`;

/** The same loop in Python, for hosts without curl. */
const PYTHON_BOOTSTRAP = `#!/usr/bin/env python3
import json
import os
import urllib.request

api = "http://%s/2018-06-01/runtime" % os.environ["AWS_LAMBDA_RUNTIME_API"]
while True:
    with urllib.request.urlopen(api + "/invocation/next") as response:
        request_id = response.headers["Lambda-Runtime-Aws-Request-Id"]
        event = json.loads(response.read())
    print("handling " + request_id, flush=True)
    if "fail" in event:
        body, path, headers = {"errorType": "Custom.Failure", "errorMessage": "asked to fail"}, "/error", {"Lambda-Runtime-Function-Error-Type": "Custom.Failure"}
    else:
        body, path, headers = {"echo": event, "handler": os.environ["_HANDLER"]}, "/response", {}
    request = urllib.request.Request(api + "/invocation/" + request_id + path, data=json.dumps(body).encode(), headers=headers, method="POST")
    urllib.request.urlopen(request).read()
`;

describe('Lambda runtimes', () => {
  const nimbus = useNimbus();
  const lambda = (): LambdaClient => new LambdaClient(clientSettings(nimbus()));

  async function create(name: string, runtime: CreateFunctionCommandInput['Runtime'], files: Record<string, string | ZipEntry>, extra: Partial<CreateFunctionCommandInput> = {}): Promise<void> {
    await lambda().send(new CreateFunctionCommand({ FunctionName: name, Runtime: runtime, Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await zip(files) }, ...extra }));
  }

  async function invoke(name: string, event: unknown): Promise<InvocationResponse> {
    return lambda().send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), LogType: 'Tail' }));
  }

  it('runs a CommonJS handler in callback style, with context.succeed and callback errors', async () => {
    await create('cjs', 'nodejs20.x', { 'index.js': CJS_HANDLER });
    const callback = await invoke('cjs', { style: 'callback' });
    assert.equal(callback.FunctionError, undefined);
    const body = decode(callback) as { style: string; count: number; requestId: string };
    assert.deepEqual({ style: body.style, count: body.count }, { style: 'callback', count: 1 });
    assert.match(body.requestId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(decode(await invoke('cjs', { style: 'succeed' })), { style: 'succeed', count: 2 });
    const failed = await invoke('cjs', { style: 'error' });
    assert.equal(failed.FunctionError, 'Unhandled');
    const error = decode(failed) as { errorType: string; errorMessage: string; trace: string[] };
    assert.equal(error.errorType, 'RangeError');
    assert.equal(error.errorMessage, 'out of range');
    assert.match(error.trace[0], /^RangeError: out of range/);
  });

  it('lets an ES module handler import the AWS SDK it does not ship, and call Nimbus with the role credentials', async () => {
    await new SSMClient(clientSettings(nimbus())).send(new PutParameterCommand({ Name: '/app/greeting', Value: 'hello from ssm', Type: 'String' }));
    await create('esm-sdk', 'nodejs20.x', { 'index.mjs': ESM_SSM_HANDLER });
    const result = await invoke('esm-sdk', { name: '/app/greeting' });
    assert.equal(result.FunctionError, undefined, tail(result));
    assert.deepEqual(decode(result), { value: 'hello from ssm', endpoint: nimbus().endpoint, keyPrefix: 'ASIA', hasToken: true });

    // Loaded lazily inside the handler, as code that trims its cold start does.
    const lazy = "export const handler = async () => {\n  const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');\n  return (await new STSClient({}).send(new GetCallerIdentityCommand({}))).Arn;\n};";
    await create('esm-lazy', 'nodejs20.x', { 'index.mjs': lazy });
    const identity = await invoke('esm-lazy', {});
    assert.equal(identity.FunctionError, undefined, tail(identity));
    assert.match(decode(identity) as string, /^arn:aws:sts::000000000000:assumed-role\/lambda-role\/esm-lazy$/);

    // A package that is nowhere still fails as on Lambda, naming the package.
    await create('esm-missing', 'nodejs20.x', { 'index.mjs': "import 'no-such-package-anywhere';\nexport const handler = async () => 1;" });
    const missing = await invoke('esm-missing', {});
    assert.equal(missing.FunctionError, 'Unhandled');
    const error = decode(missing) as { errorType: string; errorMessage: string };
    assert.equal(error.errorType, 'Runtime.ImportModuleError');
    assert.match(error.errorMessage, /Cannot find package 'no-such-package-anywhere'/);
  });

  it('gives every invocation its own X-Ray trace header in _X_AMZN_TRACE_ID, in Node and Python', async () => {
    await create('trace-node', 'nodejs20.x', { 'index.mjs': 'export const handler = async () => process.env._X_AMZN_TRACE_ID;' });
    await create('trace-python', 'python3.12', { 'index.py': 'import os\ndef handler(event, context):\n    return os.environ.get("_X_AMZN_TRACE_ID")\n' });
    const traceHeader = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/;
    for (const name of ['trace-node', 'trace-python']) {
      const first = decode(await invoke(name, {})) as string;
      const second = decode(await invoke(name, {})) as string;
      assert.match(first, traceHeader, name);
      assert.match(second, traceHeader, name);
      assert.notEqual(first, second, `${name}: a new trace per invocation`);
    }
  });

  for (const runtime of ['python3.11', 'python3.12'] as const) {
    it(`runs a ${runtime} handler and reports its exception with errorType, errorMessage and stackTrace`, async () => {
      const name = `py-${runtime.replace('.', '')}`;
      await create(name, runtime, { 'index.py': PYTHON_HANDLER });
      const ok = await invoke(name, { n: 1 });
      assert.equal(ok.FunctionError, undefined, tail(ok));
      const body = decode(ok) as { python: string; executionEnv: string; name: string; remaining: boolean; event: unknown };
      assert.match(body.python, /^3\.\d+$/, 'runs on the host python3, whatever its minor version');
      assert.deepEqual({ ...body, python: undefined }, { python: undefined, executionEnv: `AWS_Lambda_${runtime}`, name, remaining: true, event: { n: 1 } });

      const failed = await invoke(name, { fail: 42 });
      assert.equal(failed.FunctionError, 'Unhandled');
      const error = decode(failed) as { errorType: string; errorMessage: string; stackTrace: string[] };
      assert.equal(error.errorType, 'ValueError');
      assert.equal(error.errorMessage, 'bad value: 42');
      assert.ok(error.stackTrace.some((frame) => frame.includes('index.py') && frame.includes('in handler')), JSON.stringify(error.stackTrace));
      assert.match(tail(failed), /ValueError/);
    });
  }

  it('runs a Python handler that reads SSM through boto3', { skip: hasBoto3 ? false : 'boto3 is not installed for the host python3' }, async () => {
    await new SSMClient(clientSettings(nimbus())).send(new PutParameterCommand({ Name: '/app/db-host', Value: 'db.internal', Type: 'String' }));
    await create('py-boto3', 'python3.12', { 'index.py': BOTO3_HANDLER });
    const result = await invoke('py-boto3', { name: '/app/db-host' });
    assert.equal(result.FunctionError, undefined, tail(result));
    assert.equal(decode(result), 'db.internal');
  });

  it(`runs a provided.al2023 function whose own bootstrap speaks the Runtime API (${hasCurl ? 'shell and curl' : 'python, as curl is missing'})`, async () => {
    await create('custom', 'provided.al2023', { bootstrap: { content: hasCurl ? SHELL_BOOTSTRAP : PYTHON_BOOTSTRAP, mode: 0o755 } }, { Handler: 'function.handler' });
    const first = await invoke('custom', { n: 1 });
    assert.equal(first.FunctionError, undefined, tail(first));
    assert.deepEqual(decode(first), { echo: { n: 1 }, handler: 'function.handler' });
    assert.match(tail(first), /handling [0-9a-f-]{36}/);
    const failed = await invoke('custom', { fail: true });
    assert.equal(failed.FunctionError, 'Unhandled');
    assert.deepEqual(decode(failed), { errorType: 'Custom.Failure', errorMessage: 'asked to fail' });
    const warm = await invoke('custom', { n: 3 });
    assert.doesNotMatch(tail(warm), /INIT_START/, 'the same bootstrap process serves the next invocation');
  });

  it('keeps global state while warm, shows the environment variables, and starts afresh after a configuration change', async () => {
    const handler = `
let count = 0;
export const handler = async () => ({
  count: ++count,
  greeting: process.env.GREETING,
  name: process.env.AWS_LAMBDA_FUNCTION_NAME,
  memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  region: process.env.AWS_REGION,
  taskRoot: typeof process.env.LAMBDA_TASK_ROOT,
  cwdIsTaskRoot: process.cwd() === process.env.LAMBDA_TASK_ROOT,
});`;
    await create('stateful', 'nodejs20.x', { 'index.mjs': handler }, { Environment: { Variables: { GREETING: 'hello' } } });
    const expected = { greeting: 'hello', name: 'stateful', memory: '128', region: 'us-east-1', taskRoot: 'string', cwdIsTaskRoot: true };
    assert.deepEqual(decode(await invoke('stateful', {})), { count: 1, ...expected });
    assert.deepEqual(decode(await invoke('stateful', {})), { count: 2, ...expected });
    await lambda().send(new UpdateFunctionConfigurationCommand({ FunctionName: 'stateful', Environment: { Variables: { GREETING: 'bonjour' } }, MemorySize: 256 }));
    const fresh = await invoke('stateful', {});
    assert.deepEqual(decode(fresh), { count: 1, ...expected, greeting: 'bonjour', memory: '256' });
    assert.match(tail(fresh), /INIT_START/);
  });
});
