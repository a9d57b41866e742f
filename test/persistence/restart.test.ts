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
import type { STSClientConfig } from '@aws-sdk/client-sts';
import { TEST_CREDENTIALS, TEST_REGION } from '../helpers/nimbus.js';
import type { NimbusProcess } from '../helpers/process.js';
import { killHard, spawnNimbus } from '../helpers/process.js';

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

const settings = (endpoint: string, credentials = TEST_CREDENTIALS): STSClientConfig => ({ endpoint, region: TEST_REGION, credentials });

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
