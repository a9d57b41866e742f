/**
 * The wire format through two independent clients: the AWS CLI (v1, botocore) running the flow a developer
 * types, and boto3. Both drive the started Nimbus over HTTP as they would drive AWS.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { awsEnvironment } from '../../helpers/cli.js';
import { useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';

const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';
/** AWS CLI v2 has `--cli-binary-format` and `aws logs tail`; v1 has neither (and sends --payload as written). */
const awsCliV2 = /^aws-cli\/2\./.test(spawnSync('aws', ['--version'], { encoding: 'utf8' }).stdout);
const workspace = mkdtempSync(join(tmpdir(), 'nimbus-lambda-cli-'));
after(() => {
  rmSync(workspace, { recursive: true, force: true });
});

const handler = (mark: string): string => `
export const handler = async (event, context) => {
  console.log('hello from ${mark}', JSON.stringify(event));
  return { mark: '${mark}', version: context.functionVersion, name: event.name };
};
`;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { env, cwd: workspace, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (_error, stdout, stderr) => {
      resolve({ status: child.exitCode, stdout, stderr });
    });
  });
}

describe('Lambda through the AWS CLI and boto3', () => {
  const nimbus = useNimbus();

  const environment = (): NodeJS.ProcessEnv => awsEnvironment(nimbus().endpoint);

  async function aws(...args: string[]): Promise<unknown> {
    const result = await run('aws', ['--output', 'json', ...args], environment());
    assert.equal(result.status, 0, `aws ${args.join(' ')} failed:\n${result.stderr}`);
    return result.stdout.trim() ? JSON.parse(result.stdout) : undefined;
  }

  it('creates, waits for, invokes, versions, aliases and reads the logs of a function with the aws CLI', async () => {
    writeFileSync(join(workspace, 'function.zip'), await zip({ 'index.mjs': handler('v1') }));
    writeFileSync(join(workspace, 'function-v2.zip'), await zip({ 'index.mjs': handler('v2') }));

    const created = (await aws('lambda', 'create-function', '--function-name', 'hello', '--runtime', 'nodejs20.x', '--handler', 'index.handler', '--role', ROLE, '--zip-file', 'fileb://function.zip')) as Record<string, unknown>;
    assert.equal(created.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:hello');
    assert.equal(created.State, 'Pending');
    await aws('lambda', 'wait', 'function-active', '--function-name', 'hello');

    const raw = awsCliV2 ? ['--cli-binary-format', 'raw-in-base64-out'] : [];
    const invoked = (await aws('lambda', 'invoke', '--function-name', 'hello', '--payload', '{"name":"cli"}', ...raw, '--log-type', 'Tail', 'response.json')) as Record<string, unknown>;
    assert.equal(invoked.StatusCode, 200);
    assert.equal(invoked.ExecutedVersion, '$LATEST');
    assert.match(Buffer.from(invoked.LogResult as string, 'base64').toString(), /\tINFO\thello from v1 {"name":"cli"}/);
    assert.deepEqual(JSON.parse(readFileSync(join(workspace, 'response.json'), 'utf8')), { mark: 'v1', version: '$LATEST', name: 'cli' });

    assert.equal(((await aws('lambda', 'publish-version', '--function-name', 'hello')) as { Version: string }).Version, '1');
    await aws('lambda', 'update-function-code', '--function-name', 'hello', '--zip-file', 'fileb://function-v2.zip');
    await aws('lambda', 'wait', 'function-updated', '--function-name', 'hello');
    assert.equal(((await aws('lambda', 'publish-version', '--function-name', 'hello')) as { Version: string }).Version, '2');

    const alias = (await aws('lambda', 'create-alias', '--function-name', 'hello', '--name', 'live', '--function-version', '1', '--routing-config', '{"AdditionalVersionWeights":{"2":0.5}}')) as Record<string, unknown>;
    assert.equal(alias.AliasArn, 'arn:aws:lambda:us-east-1:000000000000:function:hello:live');
    assert.deepEqual(alias.RoutingConfig, { AdditionalVersionWeights: { '2': 0.5 } });
    const viaAlias = (await aws('lambda', 'invoke', '--function-name', 'hello', '--qualifier', 'live', '--payload', '{"name":"alias"}', ...raw, 'alias.json')) as Record<string, unknown>;
    const aliasBody = JSON.parse(readFileSync(join(workspace, 'alias.json'), 'utf8')) as { mark: string; version: string };
    assert.ok(['1', '2'].includes(viaAlias.ExecutedVersion as string));
    assert.equal(aliasBody.version, viaAlias.ExecutedVersion);
    assert.equal(aliasBody.mark, aliasBody.version === '1' ? 'v1' : 'v2');

    // v1 reads the events `aws logs tail` shows with filter-log-events.
    const messages = awsCliV2
      ? (await run('aws', ['logs', 'tail', '/aws/lambda/hello', '--since', '1h'], environment())).stdout
      : ((await aws('logs', 'filter-log-events', '--log-group-name', '/aws/lambda/hello')) as { events: { message: string }[] }).events.map((event) => event.message).join('\n');
    assert.match(messages, /START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
    assert.match(messages, /hello from v1 {"name":"cli"}/);
    assert.match(messages, /REPORT RequestId: /);
  });

  it('invokes with a log tail, publishes and aliases with boto3', async () => {
    const script = `
import base64, io, json, sys, zipfile
import boto3

buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w") as archive:
    archive.writestr("index.py", "def handler(event, context):\\n    print('python saw', event['n'])\\n    return {'double': event['n'] * 2, 'version': context.function_version}\\n")
client = boto3.client("lambda")
client.create_function(FunctionName="py", Runtime="python3.12", Handler="index.handler", Role="${ROLE}", Code={"ZipFile": buffer.getvalue()})
client.get_waiter("function_active_v2").wait(FunctionName="py")
response = client.invoke(FunctionName="py", Payload=json.dumps({"n": 21}), LogType="Tail")
version = client.publish_version(FunctionName="py")["Version"]
client.create_alias(FunctionName="py", Name="stable", FunctionVersion=version)
aliased = client.invoke(FunctionName="py", Qualifier="stable", Payload=b'{"n": 2}')
try:
    client.invoke(FunctionName="py", Qualifier="missing")
    missing = None
except client.exceptions.ResourceNotFoundException as error:
    missing = error.response["Error"]["Message"]
print(json.dumps({
    "status": response["StatusCode"],
    "payload": json.loads(response["Payload"].read()),
    "tail": base64.b64decode(response["LogResult"]).decode(),
    "aliased": json.loads(aliased["Payload"].read()),
    "executed": aliased["ExecutedVersion"],
    "missing": missing,
}))
`;
    const result = await run('python3', ['-c', script], environment());
    assert.equal(result.status, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { status: number; payload: unknown; tail: string; aliased: unknown; executed: string; missing: string };
    assert.equal(out.status, 200);
    assert.deepEqual(out.payload, { double: 42, version: '$LATEST' });
    assert.match(out.tail, /python saw 21/);
    assert.deepEqual(out.aliased, { double: 4, version: '1' });
    assert.equal(out.executed, '1');
    assert.equal(out.missing, 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:py:missing');
  });
});
