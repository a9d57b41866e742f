import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AssumeRoleCommand, GetAccessKeyInfoCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

describe('STS through @aws-sdk/client-sts', () => {
  const nimbus = useNimbus();
  const sts = (overrides = {}): STSClient => new STSClient(clientSettings(nimbus(), overrides));

  it('reports the default account root for any access key', async () => {
    const identity = await sts().send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, '000000000000');
    assert.equal(identity.Arn, 'arn:aws:iam::000000000000:root');
  });

  it('maps a 12-digit access key to that account', async () => {
    const identity = await sts({ credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' } }).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, '111122223333');
  });

  it('issues role credentials that the edge maps to the role session', async () => {
    const assumed = await sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/app/deployer', RoleSessionName: 'ci-run', DurationSeconds: 900 }));
    const credentials = assumed.Credentials!;
    assert.match(credentials.AccessKeyId!, /^ASIA[A-Z0-9]{16}$/);
    assert.equal(credentials.SecretAccessKey!.length, 40);
    assert.ok(credentials.Expiration! > new Date());
    assert.equal(assumed.AssumedRoleUser!.Arn, 'arn:aws:sts::444455556666:assumed-role/deployer/ci-run');
    assert.match(assumed.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z0-9]{17}:ci-run$/);

    const asRole = sts({ credentials: { accessKeyId: credentials.AccessKeyId!, secretAccessKey: credentials.SecretAccessKey!, sessionToken: credentials.SessionToken } });
    const identity = await asRole.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, '444455556666');
    assert.equal(identity.Arn, 'arn:aws:sts::444455556666:assumed-role/deployer/ci-run');
    assert.equal(identity.UserId, assumed.AssumedRoleUser!.AssumedRoleId);

    const info = await sts().send(new GetAccessKeyInfoCommand({ AccessKeyId: credentials.AccessKeyId! }));
    assert.equal(info.Account, '444455556666');
  });

  it('issues session tokens for the caller and refuses them to role sessions', async () => {
    const token = await sts().send(new GetSessionTokenCommand({ DurationSeconds: 3600 }));
    const credentials = token.Credentials!;
    const asSession = sts({ credentials: { accessKeyId: credentials.AccessKeyId!, secretAccessKey: credentials.SecretAccessKey!, sessionToken: credentials.SessionToken } });
    assert.equal((await asSession.send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:iam::000000000000:root');
  });

  it('answers AWS validation errors with the query protocol error format', async () => {
    await assert.rejects(sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/r', RoleSessionName: 'x' })), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'ValidationError');
      assert.equal(
        error.message,
        "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
      );
      assert.equal(error.$metadata?.httpStatusCode, 400);
      return true;
    });
    await assert.rejects(sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/r', RoleSessionName: 'ok', DurationSeconds: 60 })), /Member must have value greater than or equal to 900/);
  });
});
