import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { constants as zlibConstants, crc32, deflateRawSync } from 'node:zlib';
import {
  AddLayerVersionPermissionCommand,
  CreateFunctionCommand,
  DeleteLayerVersionCommand,
  GetFunctionConfigurationCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  InvokeCommand,
  LambdaClient,
  ListLayersCommand,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
  RemoveLayerVersionPermissionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import type { PublishLayerVersionCommandInput } from '@aws-sdk/client-lambda';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';

const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';
const ACCOUNT = '000000000000';
const OTHER_ACCOUNT = '111111111111';

const decode = (payload: Uint8Array | undefined): unknown => JSON.parse(Buffer.from(payload ?? []).toString('utf8'));
const sha256 = (content: Buffer): string => createHash('sha256').update(content).digest('base64');

interface AwsError extends Error {
  $metadata: { httpStatusCode?: number };
}

async function rejectsWith(promise: Promise<unknown>, name: string, message: string, status: number): Promise<void> {
  await assert.rejects(promise, (error: AwsError) => {
    assert.equal(error.name, name);
    assert.equal(error.message, message);
    assert.equal(error.$metadata.httpStatusCode, status);
    return true;
  });
}

/**
 * A zip of one file of `size` zero bytes, written by hand: zlib deflates and checksums 125 MB of zeros in
 * a fraction of the time a zip library's streaming path takes.
 */
function zeroZip(size: number): Buffer {
  const zeros = Buffer.alloc(size);
  const data = deflateRawSync(zeros, { strategy: zlibConstants.Z_RLE });
  const name = Buffer.from('zeros.bin');
  const crc = crc32(zeros);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt16LE(33, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE((3 << 8) | 20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt16LE(33, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
  const centralOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

/** A CommonJS package for a Node layer: `greeter` says which layer it came from. */
function greeterPackage(root: string, source: string): Record<string, string> {
  return {
    [`${root}/greeter/package.json`]: JSON.stringify({ name: 'greeter', main: 'index.js' }),
    [`${root}/greeter/index.js`]: `module.exports = { source: ${JSON.stringify(source)}, greet: (name) => 'hello ' + name };`,
  };
}

describe('Lambda layers through @aws-sdk/client-lambda', () => {
  const nimbus = useNimbus();
  const lambda = (accessKeyId = 'test'): LambdaClient => new LambdaClient(clientSettings(nimbus(), { credentials: { accessKeyId, secretAccessKey: 'test' } }));

  async function publish(name: string, files: Parameters<typeof zip>[0], extra: Partial<PublishLayerVersionCommandInput> = {}): Promise<string> {
    const published = await lambda().send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: await zip(files) }, ...extra }));
    return published.LayerVersionArn!;
  }

  it('publishes numbered versions, serves their content and never reuses a number', async () => {
    const content = await zip({ 'python/util.py': 'VALUE = 1\n' });
    const first = await lambda().send(new PublishLayerVersionCommand({
      LayerName: 'utils', Description: 'shared helpers', LicenseInfo: 'MIT', CompatibleRuntimes: ['python3.11', 'python3.12'], CompatibleArchitectures: ['x86_64'],
      Content: { ZipFile: content },
    }));
    assert.equal(first.$metadata.httpStatusCode, 201);
    assert.equal(first.LayerArn, `arn:aws:lambda:us-east-1:${ACCOUNT}:layer:utils`);
    assert.equal(first.LayerVersionArn, `arn:aws:lambda:us-east-1:${ACCOUNT}:layer:utils:1`);
    assert.equal(first.Version, 1);
    assert.equal(first.Description, 'shared helpers');
    assert.equal(first.LicenseInfo, 'MIT');
    assert.deepEqual(first.CompatibleRuntimes, ['python3.11', 'python3.12']);
    assert.deepEqual(first.CompatibleArchitectures, ['x86_64']);
    assert.match(first.CreatedDate!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    assert.equal(first.Content?.CodeSha256, sha256(content));
    assert.equal(first.Content?.CodeSize, content.length);
    const download = await fetch(first.Content?.Location ?? '');
    assert.equal(download.status, 200);
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), content);

    const bare = await lambda().send(new PublishLayerVersionCommand({ LayerName: 'utils', Content: { ZipFile: content } }));
    assert.equal(bare.Version, 2);
    assert.equal(bare.Description, '');
    assert.deepEqual(bare.CompatibleRuntimes, []);
    assert.equal(bare.LicenseInfo, undefined);

    const { $metadata: _byName, ...byName } = await lambda().send(new GetLayerVersionCommand({ LayerName: 'utils', VersionNumber: 1 }));
    const { $metadata: _published, ...published } = first;
    assert.deepEqual(byName, published);
    const { $metadata: _byArn, ...byArn } = await lambda().send(new GetLayerVersionByArnCommand({ Arn: first.LayerVersionArn }));
    assert.deepEqual(byArn, published);
    const { $metadata: _byLayerArn, ...byLayerArn } = await lambda().send(new GetLayerVersionCommand({ LayerName: first.LayerArn, VersionNumber: 1 }));
    assert.deepEqual(byLayerArn, published);

    for (const version of [1, 2]) await lambda().send(new DeleteLayerVersionCommand({ LayerName: 'utils', VersionNumber: version }));
    assert.deepEqual((await lambda().send(new ListLayerVersionsCommand({ LayerName: 'utils' }))).LayerVersions, []);
    const third = await lambda().send(new PublishLayerVersionCommand({ LayerName: 'utils', Content: { ZipFile: content } }));
    assert.equal(third.Version, 3);
  });

  it('lists layers by their latest matching version and versions newest first', async () => {
    await publish('alpha', { 'a.txt': '1' }, { CompatibleRuntimes: ['nodejs20.x'], CompatibleArchitectures: ['x86_64'] });
    await publish('alpha', { 'a.txt': '2' }, { CompatibleRuntimes: ['python3.12'], CompatibleArchitectures: ['arm64'] });
    await publish('beta', { 'b.txt': '1' }, { CompatibleRuntimes: ['nodejs20.x', 'python3.12'] });

    const all = await lambda().send(new ListLayersCommand({}));
    assert.deepEqual(all.Layers?.map((layer) => [layer.LayerName, layer.LayerArn, layer.LatestMatchingVersion?.Version]), [
      ['alpha', `arn:aws:lambda:us-east-1:${ACCOUNT}:layer:alpha`, 2],
      ['beta', `arn:aws:lambda:us-east-1:${ACCOUNT}:layer:beta`, 1],
    ]);
    const node = await lambda().send(new ListLayersCommand({ CompatibleRuntime: 'nodejs20.x' }));
    assert.deepEqual(node.Layers?.map((layer) => [layer.LayerName, layer.LatestMatchingVersion?.LayerVersionArn]), [
      ['alpha', `arn:aws:lambda:us-east-1:${ACCOUNT}:layer:alpha:1`],
      ['beta', `arn:aws:lambda:us-east-1:${ACCOUNT}:layer:beta:1`],
    ]);
    const arm = await lambda().send(new ListLayersCommand({ CompatibleArchitecture: 'arm64' }));
    assert.deepEqual(arm.Layers?.map((layer) => layer.LayerName), ['alpha']);
    const paged = await lambda().send(new ListLayersCommand({ MaxItems: 1 }));
    assert.deepEqual(paged.Layers?.map((layer) => layer.LayerName), ['alpha']);
    const next = await lambda().send(new ListLayersCommand({ MaxItems: 1, Marker: paged.NextMarker }));
    assert.deepEqual(next.Layers?.map((layer) => layer.LayerName), ['beta']);
    assert.equal(next.NextMarker, undefined);

    const versions = await lambda().send(new ListLayerVersionsCommand({ LayerName: 'alpha' }));
    assert.deepEqual(versions.LayerVersions?.map((version) => version.Version), [2, 1]);
    assert.equal(versions.LayerVersions?.[0].LayerVersionArn, `arn:aws:lambda:us-east-1:${ACCOUNT}:layer:alpha:2`);
    const python = await lambda().send(new ListLayerVersionsCommand({ LayerName: 'alpha', CompatibleRuntime: 'python3.12' }));
    assert.deepEqual(python.LayerVersions?.map((version) => version.Version), [2]);
    assert.deepEqual((await lambda().send(new ListLayerVersionsCommand({ LayerName: 'nothing' }))).LayerVersions, []);
  });

  it('answers Lambda errors for missing layers and bad version numbers', async () => {
    await publish('present', { 'x.txt': 'x' });
    const cases: [string, () => Promise<unknown>, string, string, number][] = [
      ['missing layer', () => lambda().send(new GetLayerVersionCommand({ LayerName: 'absent', VersionNumber: 1 })), 'ResourceNotFoundException', 'The resource you requested does not exist.', 404],
      ['missing version', () => lambda().send(new GetLayerVersionCommand({ LayerName: 'present', VersionNumber: 2 })), 'ResourceNotFoundException', 'The resource you requested does not exist.', 404],
      ['version 0', () => lambda().send(new GetLayerVersionCommand({ LayerName: 'present', VersionNumber: 0 })), 'InvalidParameterValueException', 'Layer Version Cannot be less than 1', 400],
      ['missing by ARN', () => lambda().send(new GetLayerVersionByArnCommand({ Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:layer:present:9` })), 'ResourceNotFoundException', 'The resource you requested does not exist.', 404],
      ['delete version -1', () => lambda().send(new DeleteLayerVersionCommand({ LayerName: 'present', VersionNumber: -1 })), 'InvalidParameterValueException', 'Layer Version Cannot be less than 1', 400],
      ['policy of a missing version', () => lambda().send(new GetLayerVersionPolicyCommand({ LayerName: 'present', VersionNumber: 3 })), 'ResourceNotFoundException', `Layer version arn:aws:lambda:us-east-1:${ACCOUNT}:layer:present:3 does not exist.`, 404],
      ['no policy yet', () => lambda().send(new GetLayerVersionPolicyCommand({ LayerName: 'present', VersionNumber: 1 })), 'ResourceNotFoundException', 'No policy is associated with the given resource.', 404],
    ];
    for (const [, call, name, message, status] of cases) await rejectsWith(call(), name, message, status);
    // Deleting what is not there succeeds.
    const deleted = await lambda().send(new DeleteLayerVersionCommand({ LayerName: 'absent', VersionNumber: 4 }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
  });

  it('grants, reads and revokes layer permissions with revision ids, and shares versions across accounts', async () => {
    const arn = await publish('shared', { 'nodejs/node_modules/x/index.js': 'module.exports = 1;' });
    const other = lambda(OTHER_ACCOUNT);
    await rejectsWith(
      other.send(new GetLayerVersionByArnCommand({ Arn: arn })),
      'AccessDeniedException',
      `User: arn:aws:iam::${OTHER_ACCOUNT}:root is not authorized to perform: lambda:GetLayerVersion on resource: ${arn} because no resource-based policy allows the lambda:GetLayerVersion action`,
      403,
    );

    const everyone = await lambda().send(new AddLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: 1, StatementId: 'everyone', Action: 'lambda:GetLayerVersion', Principal: '*' }));
    assert.equal(everyone.$metadata.httpStatusCode, 201);
    assert.deepEqual(JSON.parse(everyone.Statement!), { Sid: 'everyone', Effect: 'Allow', Principal: '*', Action: 'lambda:GetLayerVersion', Resource: arn });
    const account = await lambda().send(new AddLayerVersionPermissionCommand({
      LayerName: 'shared', VersionNumber: 1, StatementId: 'one-account', Action: 'lambda:GetLayerVersion', Principal: OTHER_ACCOUNT, RevisionId: everyone.RevisionId,
    }));
    assert.deepEqual((JSON.parse(account.Statement!) as { Principal: unknown }).Principal, { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` });
    assert.notEqual(account.RevisionId, everyone.RevisionId);

    const policy = await lambda().send(new GetLayerVersionPolicyCommand({ LayerName: 'shared', VersionNumber: 1 }));
    assert.equal(policy.RevisionId, account.RevisionId);
    const document = JSON.parse(policy.Policy!) as { Version: string; Id: string; Statement: { Sid: string }[] };
    assert.equal(document.Version, '2012-10-17');
    assert.equal(document.Id, 'default');
    assert.deepEqual(document.Statement.map((statement) => statement.Sid), ['everyone', 'one-account']);

    await rejectsWith(
      lambda().send(new AddLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: 1, StatementId: 'everyone', Action: 'lambda:GetLayerVersion', Principal: '*' })),
      'ResourceConflictException',
      'The statement id (everyone) provided already exists. Please provide a new statement id, or remove the existing statement.',
      409,
    );
    const staleRevision = 'The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id';
    await rejectsWith(
      lambda().send(new AddLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: 1, StatementId: 'late', Action: 'lambda:GetLayerVersion', Principal: '*', RevisionId: everyone.RevisionId })),
      'PreconditionFailedException', staleRevision, 412,
    );
    await rejectsWith(lambda().send(new RemoveLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: 1, StatementId: 'everyone', RevisionId: everyone.RevisionId })), 'PreconditionFailedException', staleRevision, 412);
    await rejectsWith(lambda().send(new RemoveLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: 1, StatementId: 'nobody' })), 'ResourceNotFoundException', 'Statement nobody is not found in resource policy.', 404);

    // The other account now reads the version and builds a function on it.
    assert.equal((await other.send(new GetLayerVersionByArnCommand({ Arn: arn }))).Version, 1);
    const created = await other.send(new CreateFunctionCommand({
      FunctionName: 'borrower', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: `arn:aws:iam::${OTHER_ACCOUNT}:role/r`,
      Code: { ZipFile: await zip({ 'index.js': 'exports.handler = async () => 1;' }) }, Layers: [arn],
    }));
    assert.equal(created.Layers?.[0].Arn, arn);

    await lambda().send(new RemoveLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: 1, StatementId: 'everyone' }));
    await lambda().send(new RemoveLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: 1, StatementId: 'one-account' }));
    await rejectsWith(lambda().send(new GetLayerVersionPolicyCommand({ LayerName: 'shared', VersionNumber: 1 })), 'ResourceNotFoundException', 'No policy is associated with the given resource.', 404);
    await assert.rejects(other.send(new GetLayerVersionByArnCommand({ Arn: arn })), (error: Error) => error.name === 'AccessDeniedException');
  });

  it('checks a function\'s layers as Lambda does and reports each with its size', async () => {
    const arns: string[] = [];
    for (const name of ['l1', 'l2', 'l3', 'l4', 'l5', 'l6']) arns.push(await publish(name, { [`${name}.txt`]: name }));
    const second = await publish('l1', { 'l1.txt': 'second' });
    const code = await zip({ 'index.js': 'exports.handler = async () => 1;' });
    const create = (name: string, layers: string[]): Promise<unknown> =>
      lambda().send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: code }, Layers: layers }));
    const cases: [string[], string][] = [
      [arns, 'Cannot reference more than 5 layers.'],
      [[`arn:aws:lambda:us-east-1:${ACCOUNT}:layer:l1:7`], `Layer version arn:aws:lambda:us-east-1:${ACCOUNT}:layer:l1:7 does not exist.`],
      [[`arn:aws:lambda:us-east-1:${ACCOUNT}:layer:ghost:1`], `Layer version arn:aws:lambda:us-east-1:${ACCOUNT}:layer:ghost:1 does not exist.`],
      [[arns[0], second], `Two different versions of the same layer are not allowed to be referenced in the same function. ${arns[0]} and ${second} are versions of the same layer.`],
      [[arns[0], arns[0]], `Two different versions of the same layer are not allowed to be referenced in the same function. ${arns[0]} and ${arns[0]} are versions of the same layer.`],
      [[`arn:aws:lambda:eu-west-1:${ACCOUNT}:layer:l1:1`], 'Layers are not in the same region as the function. Layers are expected to be in region us-east-1.'],
    ];
    for (const [layers, message] of cases) await rejectsWith(create('rejected', layers), 'InvalidParameterValueException', message, 400);

    const created = (await create('layered', arns.slice(0, 2))) as { Layers: { Arn: string; CodeSize: number }[] };
    const sizes = await Promise.all(arns.slice(0, 2).map(async (arn) => (await lambda().send(new GetLayerVersionByArnCommand({ Arn: arn }))).Content?.CodeSize));
    assert.deepEqual(created.Layers, [{ Arn: arns[0], CodeSize: sizes[0] }, { Arn: arns[1], CodeSize: sizes[1] }]);

    // A deleted layer version stays with the functions that use it.
    await lambda().send(new DeleteLayerVersionCommand({ LayerName: 'l1', VersionNumber: 1 }));
    const configuration = await lambda().send(new GetFunctionConfigurationCommand({ FunctionName: 'layered' }));
    assert.deepEqual(configuration.Layers?.map((layer) => layer.Arn), arns.slice(0, 2));
    await rejectsWith(
      lambda().send(new UpdateFunctionConfigurationCommand({ FunctionName: 'layered', Layers: [arns[0]] })),
      'InvalidParameterValueException', `Layer version ${arns[0]} does not exist.`, 400,
    );
    const cleared = await lambda().send(new UpdateFunctionConfigurationCommand({ FunctionName: 'layered', Layers: [] }));
    assert.equal(cleared.Layers, undefined);
  });

  it('refuses code and layers that unzip to more than 250 MB together', async () => {
    // Zeros compress to almost nothing: the zip is small, and each layer alone is within the limit. Both
    // layers share the content, which Nimbus unpacks once.
    const zeros = zeroZip(131_072_001);
    const first = (await lambda().send(new PublishLayerVersionCommand({ LayerName: 'big-a', Content: { ZipFile: zeros } }))).LayerVersionArn!;
    const second = (await lambda().send(new PublishLayerVersionCommand({ LayerName: 'big-b', Content: { ZipFile: zeros } }))).LayerVersionArn!;
    const code = await zip({ 'index.js': 'exports.handler = async () => 1;' });
    await rejectsWith(
      lambda().send(new CreateFunctionCommand({ FunctionName: 'too-big', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: code }, Layers: [first, second] })),
      'InvalidParameterValueException',
      `Function code combined with layers exceeds the maximum allowed size of 262144000 bytes. The actual size is ${String(2 * 131_072_001 + 'exports.handler = async () => 1;'.length)} bytes.`,
      400,
    );
  });

  it('runs Node functions that require and import a layer\'s module, later layers overriding earlier ones', async () => {
    const a = await publish('greeter-a', { ...greeterPackage('nodejs/node_modules', 'a'), 'shared/which.txt': 'a' });
    const b = await publish('greeter-b', { ...greeterPackage('nodejs/node20/node_modules', 'b'), 'shared/which.txt': 'b' });
    const handler = (style: 'cjs' | 'esm'): string => {
      const body = `
        const layers = process.env.NIMBUS_LAYERS_DIR;
        return { source: greeter.source, greeting: greeter.greet('layers'), which: fs.readFileSync(layers + '/shared/which.txt', 'utf8'), initType: process.env.AWS_LAMBDA_INITIALIZATION_TYPE };`;
      return style === 'cjs'
        ? `const greeter = require('greeter'); const fs = require('node:fs'); exports.handler = async () => {${body} };`
        : `import greeter from 'greeter'; import fs from 'node:fs'; export const handler = async () => {${body} };`;
    };
    const run = async (name: string, file: string, style: 'cjs' | 'esm', layers: string[]): Promise<unknown> => {
      await lambda().send(new CreateFunctionCommand({
        FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await zip({ [file]: handler(style) }) }, Layers: layers,
      }));
      const result = await lambda().send(new InvokeCommand({ FunctionName: name }));
      assert.equal(result.FunctionError, undefined, Buffer.from(result.Payload ?? []).toString());
      return decode(result.Payload);
    };
    // nodejs/node20/node_modules comes before nodejs/node_modules on NODE_PATH, as on Lambda; files of later layers win.
    assert.deepEqual(await run('cjs-ab', 'index.js', 'cjs', [a, b]), { source: 'b', greeting: 'hello layers', which: 'b', initType: 'on-demand' });
    assert.deepEqual(await run('esm-ba', 'index.mjs', 'esm', [b, a]), { source: 'b', greeting: 'hello layers', which: 'a', initType: 'on-demand' });
    assert.deepEqual(await run('esm-a', 'index.mjs', 'esm', [a]), { source: 'a', greeting: 'hello layers', which: 'a', initType: 'on-demand' });
  });

  it('runs a Python function importing from a layer', async () => {
    const layer = await publish('py-libs', {
      'python/lib/python3.11/site-packages/vendored/__init__.py': 'NAME = "site-packages"\n',
      'python/plain.py': 'def double(n):\n    return n * 2\n',
    });
    await lambda().send(new CreateFunctionCommand({
      FunctionName: 'py-layered', Runtime: 'python3.11', Handler: 'app.handler', Role: ROLE, Layers: [layer],
      Code: { ZipFile: await zip({ 'app.py': 'import os\nimport vendored\nfrom plain import double\n\ndef handler(event, context):\n    return {"name": vendored.NAME, "double": double(event["n"]), "layers": os.path.isdir(os.environ["NIMBUS_LAYERS_DIR"])}\n' }) },
    }));
    const result = await lambda().send(new InvokeCommand({ FunctionName: 'py-layered', Payload: Buffer.from('{"n":21}') }));
    assert.equal(result.FunctionError, undefined, Buffer.from(result.Payload ?? []).toString());
    assert.deepEqual(decode(result.Payload), { name: 'site-packages', double: 42, layers: true });
  });

  it('runs a provided.al2023 function whose bootstrap comes from a layer', async () => {
    // A shell custom runtime with curl, as in Lambda's tutorial; `shout` comes from the layer's bin/ on PATH.
    const bootstrap = `#!/bin/sh
set -eu
API="http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  HEADERS="$(mktemp)"
  EVENT="$(curl -sS -D "$HEADERS" "$API/invocation/next")"
  REQUEST_ID="$(grep -i '^lambda-runtime-aws-request-id:' "$HEADERS" | cut -d: -f2 | tr -d '[:space:]')"
  rm -f "$HEADERS"
  GREETING="$(shout "$(cat "$LAMBDA_TASK_ROOT/name.txt")")"
  curl -sS -X POST "$API/invocation/$REQUEST_ID/response" -d "{\\"greeting\\":\\"$GREETING\\",\\"handler\\":\\"$_HANDLER\\",\\"event\\":$EVENT}" > /dev/null
done
`;
    const layer = await publish('shell-runtime', {
      bootstrap: { content: bootstrap, mode: 0o755 },
      'bin/shout': { content: '#!/bin/sh\necho "$1" | tr a-z A-Z\n', mode: 0o755 },
    }, { CompatibleRuntimes: ['provided.al2023'] });
    await lambda().send(new CreateFunctionCommand({
      FunctionName: 'shell', Runtime: 'provided.al2023', Handler: 'function.handler', Role: ROLE, Layers: [layer],
      Code: { ZipFile: await zip({ 'name.txt': 'custom runtime' }) },
    }));
    const result = await lambda().send(new InvokeCommand({ FunctionName: 'shell', Payload: Buffer.from('{"n":1}') }));
    assert.equal(result.FunctionError, undefined, Buffer.from(result.Payload ?? []).toString());
    assert.deepEqual(decode(result.Payload), { greeting: 'CUSTOM RUNTIME', handler: 'function.handler', event: { n: 1 } });
  });
});

describe('Lambda layers through the AWS CLI and boto3', () => {
  const nimbus = useNimbus();
  const run = promisify(execFile);
  const workDir = mkdtempSync(join(tmpdir(), 'nimbus-layers-cli-'));
  after(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  const env = (): NodeJS.ProcessEnv => {
    const { AWS_PROFILE: _profile, ...rest } = process.env;
    return {
      ...rest,
      AWS_ENDPOINT_URL: nimbus().endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    };
  };
  const cli = async (...args: string[]): Promise<Record<string, unknown>> => JSON.parse((await run('aws', ['lambda', ...args], { env: env() })).stdout) as Record<string, unknown>;

  it('publishes with the CLI and reads, lists and shares with boto3', async () => {
    const zipPath = join(workDir, 'layer.zip');
    writeFileSync(zipPath, await zip({ 'python/cli_helper.py': 'X = 1\n' }));
    const published = await cli('publish-layer-version', '--layer-name', 'cli-layer', '--zip-file', `fileb://${zipPath}`, '--compatible-runtimes', 'python3.11', '--description', 'from the CLI');
    assert.equal(published.LayerVersionArn, `arn:aws:lambda:us-east-1:${ACCOUNT}:layer:cli-layer:1`);
    assert.equal(published.Description, 'from the CLI');
    const listed = await cli('list-layers', '--compatible-runtime', 'python3.11');
    assert.deepEqual((listed.Layers as { LayerName: string }[]).map((layer) => layer.LayerName), ['cli-layer']);

    const script = `
import boto3, json
client = boto3.client('lambda')
version = client.get_layer_version_by_arn(Arn='${published.LayerVersionArn}')
granted = client.add_layer_version_permission(LayerName='cli-layer', VersionNumber=1, StatementId='all', Action='lambda:GetLayerVersion', Principal='*')
try:
    client.get_layer_version(LayerName='cli-layer', VersionNumber=5)
    missing = None
except client.exceptions.ResourceNotFoundException as error:
    missing = error.response['Error']['Message']
settings = client.get_account_settings()
print(json.dumps({'size': version['Content']['CodeSize'], 'principal': json.loads(granted['Statement'])['Principal'], 'missing': missing, 'usage': settings['AccountUsage']}))
`;
    const outcome = JSON.parse((await run('python3', ['-c', script], { env: env() })).stdout) as Record<string, unknown>;
    assert.deepEqual(outcome, {
      size: (published.Content as { CodeSize: number }).CodeSize,
      principal: '*',
      missing: 'The resource you requested does not exist.',
      usage: { TotalCodeSize: (published.Content as { CodeSize: number }).CodeSize, FunctionCount: 0 },
    });
  });
});
