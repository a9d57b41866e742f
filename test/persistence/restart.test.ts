/**
 * Durability: acknowledged writes survive `kill -9` of the real CLI process, and a restart brings every
 * resource back; `--ephemeral` keeps nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, GetLogEventsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, GetParameterHistoryCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { ClientSettings } from '../helpers/nimbus.js';
import { TEST_CREDENTIALS, TEST_REGION } from '../helpers/nimbus.js';
import type { NimbusProcess } from '../helpers/process.js';
import { killHard, spawnNimbus } from '../helpers/process.js';
import { zip } from '../helpers/zip.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-restart-'));
const running: NimbusProcess[] = [];

after(async () => {
  for (const process of running) if (process.child.exitCode === null) await killHard(process);
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(args: string[]): Promise<NimbusProcess> {
  const process = await spawnNimbus(args);
  running.push(process);
  return process;
}

const settings = (endpoint: string, credentials: ClientSettings['credentials'] = TEST_CREDENTIALS): ClientSettings => ({ endpoint, region: TEST_REGION, credentials });

describe('state survives kill -9 and restart', () => {
  it('prints one ready line with the time it took', async () => {
    const nimbus = await start(['--ephemeral']);
    assert.match(nimbus.readyLine, /^Nimbus ready on http:\/\/127\.0\.0\.1:\d+ in \d+ ms$/);
    await killHard(nimbus);
  });

  it('keeps temporary credentials issued before a hard kill', async () => {
    const first = await start(['--data-dir', dataDir]);
    const assumed = await new STSClient(settings(first.endpoint)).send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/durable', RoleSessionName: 'before-kill' }),
    );
    await killHard(first);

    const second = await start(['--data-dir', dataDir]);
    const credentials = assumed.Credentials!;
    const identity = await new STSClient(
      settings(second.endpoint, { accessKeyId: credentials.AccessKeyId!, secretAccessKey: credentials.SecretAccessKey! }),
    ).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, 'arn:aws:sts::123456789012:assumed-role/durable/before-kill');
    await killHard(second);
  });

  it('brings back parameters, secret versions and log events acknowledged before a hard kill', async () => {
    const first = await start(['--data-dir', dataDir]);
    const ssm = new SSMClient(settings(first.endpoint));
    const secrets = new SecretsManagerClient(settings(first.endpoint));
    const logs = new CloudWatchLogsClient(settings(first.endpoint));
    await ssm.send(new PutParameterCommand({ Name: '/app/db', Value: 'v1', Type: 'SecureString' }));
    await ssm.send(new PutParameterCommand({ Name: '/app/db', Value: 'v2', Type: 'SecureString', Overwrite: true }));
    await secrets.send(new CreateSecretCommand({ Name: 'db', SecretString: '{"u":"a"}' }));
    await secrets.send(new PutSecretValueCommand({ SecretId: 'db', SecretString: '{"u":"b"}' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'ERROR before the kill' }] }));
    // The last write is acknowledged; the process dies with no chance to flush anything.
    await killHard(first);

    const second = await start(['--data-dir', dataDir]);
    const ssmAfter = new SSMClient(settings(second.endpoint));
    const parameter = await ssmAfter.send(new GetParameterCommand({ Name: '/app/db', WithDecryption: true }));
    assert.equal(parameter.Parameter?.Value, 'v2');
    assert.equal(parameter.Parameter?.Version, 2);
    assert.equal((await ssmAfter.send(new GetParameterHistoryCommand({ Name: '/app/db', WithDecryption: true }))).Parameters?.length, 2);
    const secret = await new SecretsManagerClient(settings(second.endpoint)).send(new GetSecretValueCommand({ SecretId: 'db' }));
    assert.equal(secret.SecretString, '{"u":"b"}');
    const previous = await new SecretsManagerClient(settings(second.endpoint)).send(new GetSecretValueCommand({ SecretId: 'db', VersionStage: 'AWSPREVIOUS' }));
    assert.equal(previous.SecretString, '{"u":"a"}');
    const events = await new CloudWatchLogsClient(settings(second.endpoint)).send(new GetLogEventsCommand({ logGroupName: 'g', logStreamName: 's', startFromHead: true }));
    assert.deepEqual(events.events?.map((e) => e.message), ['ERROR before the kill']);
    await killHard(second);
  });

  it('keeps every write acknowledged before a kill that lands in the middle of a stream of writes', async () => {
    const first = await start(['--data-dir', dataDir]);
    const ssm = new SSMClient(settings(first.endpoint));
    const acknowledged: string[] = [];
    let killed = false;
    // Eight writers in parallel, each bounded; the kill lands while requests are in flight.
    const writer = async (id: number): Promise<void> => {
      for (let i = 0; i < 100 && !killed; i++) {
        const name = `/stream/w${String(id)}/p${String(i)}`;
        try {
          await ssm.send(new PutParameterCommand({ Name: name, Value: 'x', Type: 'String' }));
          acknowledged.push(name);
        } catch {
          return;
        }
      }
    };
    let finished = 0;
    const writers = Array.from({ length: 8 }, (_, id) => writer(id).finally(() => finished++));
    while (acknowledged.length < 150 && finished < writers.length) await new Promise((resolve) => setImmediate(resolve));
    assert.ok(acknowledged.length >= 150, 'the writers were still writing when the kill came');
    killed = true;
    await killHard(first);
    await Promise.all(writers);

    const second = await start(['--data-dir', dataDir]);
    const ssmAfter = new SSMClient(settings(second.endpoint));
    for (const name of acknowledged) {
      const { Parameter } = await ssmAfter.send(new GetParameterCommand({ Name: name }));
      assert.equal(Parameter?.Value, 'x', `${name} was acknowledged before the kill`);
    }
    await killHard(second);
  });

  it('loads services with background work after a restart, without waiting for a request', async () => {
    const first = await start(['--data-dir', dataDir]);
    await new LambdaClient(settings(first.endpoint)).send(new CreateFunctionCommand({
      FunctionName: 'resumed', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/r',
      Code: { ZipFile: await zip({ 'index.mjs': 'export const handler = async () => 1;' }) },
    }));
    await killHard(first);
    const second = await start(['--data-dir', dataDir]);
    let services: Record<string, string> = {};
    for (let i = 0; i < 200 && services.lambda !== 'running'; i++) {
      services = ((await (await fetch(`${second.endpoint}/_nimbus/health`)).json()) as { services: Record<string, string> }).services;
    }
    assert.equal(services.lambda, 'running');
    assert.equal(services.ssm, 'available', 'services without background work still load on first use');
    await killHard(second);
  });

  it('keeps nothing with --ephemeral', async () => {
    const first = await start(['--ephemeral', '--data-dir', dataDir]);
    const assumed = await new STSClient(settings(first.endpoint)).send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/gone', RoleSessionName: 'ephemeral' }),
    );
    await killHard(first);
    const second = await start(['--ephemeral', '--data-dir', dataDir]);
    const credentials = assumed.Credentials!;
    const identity = await new STSClient(
      settings(second.endpoint, { accessKeyId: credentials.AccessKeyId!, secretAccessKey: credentials.SecretAccessKey! }),
    ).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, '000000000000');
    await killHard(second);
  });
});
