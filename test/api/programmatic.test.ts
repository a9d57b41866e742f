/** The programmatic API as a TypeScript user embeds it in a test run. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ManualClock, startNimbus } from '../../src/index.js';
import { ServiceError } from '../../src/shared/errors.js';
import { TEST_CREDENTIALS } from '../helpers/nimbus.js';

describe('startNimbus()', () => {
  it('starts an ephemeral cloud on a free loopback port and stops it cleanly', async () => {
    const nimbus = await startNimbus();
    try {
      assert.match(nimbus.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(nimbus.port, 4566);
      assert.equal(nimbus.store.durable, false);
      const health = (await (await fetch(`${nimbus.endpoint}/_nimbus/health`)).json()) as { status: string; persistence: string; services: Record<string, string> };
      assert.equal(health.status, 'running');
      assert.equal(health.persistence, 'ephemeral');
      assert.equal(health.services.sts, 'available');
      const sts = new STSClient({ endpoint: nimbus.endpoint, region: 'eu-west-1', credentials: TEST_CREDENTIALS });
      assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, '000000000000');
      const after = (await (await fetch(`${nimbus.endpoint}/_nimbus/health`)).json()) as { services: Record<string, string> };
      assert.equal(after.services.sts, 'running');
    } finally {
      await nimbus.stop();
    }
    await assert.rejects(fetch(`${nimbus.endpoint}/_nimbus/health`));
  });

  it('serves two clouds side by side with separate state', async () => {
    const [a, b] = await Promise.all([startNimbus(), startNimbus()]);
    try {
      assert.notEqual(a.port, b.port);
      a.store.collection<number>('test/000000000000/us-east-1/x').put('k', 1);
      assert.equal(b.store.collection<number>('test/000000000000/us-east-1/x').get('k'), undefined);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('gives services an internal client with the same validation as the edge, and no HTTP', async () => {
    const nimbus = await startNimbus();
    try {
      const identity = await nimbus.client.call<{ Account: string; Arn: string }>('sts', 'GetCallerIdentity', {}, { account: '123456789012', region: 'us-east-1' });
      assert.deepEqual(identity, { Account: '123456789012', Arn: 'arn:aws:iam::123456789012:root', UserId: '123456789012' });
      await assert.rejects(
        nimbus.client.call('sts', 'AssumeRole', { RoleArn: 'arn:aws:iam::1:role/r', RoleSessionName: 'x' }, { account: '000000000000', region: 'us-east-1' }),
        (error: unknown) => error instanceof ServiceError && error.code === 'ValidationError' && /roleSessionName/.test(error.message),
      );
      await assert.rejects(nimbus.client.call('sts', 'Nope', {}, { account: '000000000000', region: 'us-east-1' }), /sts has no operation Nope/);
      await assert.rejects(nimbus.client.call('sqs', 'ListQueues', {}, { account: '000000000000', region: 'us-east-1' }), /The sqs service is not implemented in Nimbus yet/);
    } finally {
      await nimbus.stop();
    }
  });

  it('answers POST /_nimbus/reset by wiping state', async () => {
    const nimbus = await startNimbus();
    try {
      nimbus.store.collection<number>('test/000000000000/us-east-1/x').put('k', 1);
      const response = await fetch(`${nimbus.endpoint}/_nimbus/reset`, { method: 'POST' });
      assert.equal(response.status, 200);
      assert.equal(nimbus.store.collection<number>('test/000000000000/us-east-1/x').get('k'), undefined);
      assert.equal((await fetch(`${nimbus.endpoint}/_nimbus/nothing`)).status, 404);
    } finally {
      await nimbus.stop();
    }
  });

  it('runs on an injected clock: STS credentials expire when the test moves time', async () => {
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const nimbus = await startNimbus({ clock });
    try {
      const sts = new STSClient({ endpoint: nimbus.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });
      const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
      const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/r', RoleSessionName: 'short', DurationSeconds: 900 }));
      assert.equal(assumed.Credentials!.Expiration!.toISOString(), '2026-01-01T00:15:00.000Z');
      const asRole = new STSClient({ endpoint: nimbus.endpoint, region: 'us-east-1', credentials: { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: 'x' } });
      assert.match((await asRole.send(new GetCallerIdentityCommand({}))).Arn!, /assumed-role\/r\/short/);
      clock.advance(900_000);
      await assert.rejects(asRole.send(new GetCallerIdentityCommand({})), (error: Error) => error.name === 'ExpiredTokenException' && error.message === 'The security token included in the request is expired');
    } finally {
      await nimbus.stop();
    }
  });
});
