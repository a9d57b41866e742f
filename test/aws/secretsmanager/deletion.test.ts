/**
 * DeleteSecret and RestoreSecret: the recovery window, what a secret scheduled for deletion still allows,
 * forced deletion, and the secret really being gone once the clock passes its DeletionDate.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { ManualClock } from '../../../src/shared/clock.js';
import { rejectsWith } from '../../helpers/assertions.js';
import { useNimbus } from '../../helpers/nimbus.js';
import { DAY_MS, secretsManager } from './helpers.js';

const MARKED = "You can't perform this operation on the secret because it was marked for deletion.";
const NOT_FOUND = "Secrets Manager can't find the specified secret.";

describe('Secrets Manager deletion and recovery', () => {
  const clock = new ManualClock(Date.UTC(2024, 2, 1, 12));
  const nimbus = useNimbus({ clock });
  const sm = () => secretsManager(nimbus());

  it('schedules deletion 30 days out by default and shows the secret as deleted', async () => {
    const created = await sm().send(new CreateSecretCommand({ Name: 'gone', SecretString: 'v' }));
    const deleted = await sm().send(new DeleteSecretCommand({ SecretId: 'gone' }));
    assert.deepEqual({ ARN: deleted.ARN, Name: deleted.Name }, { ARN: created.ARN, Name: 'gone' });
    assert.equal(deleted.DeletionDate?.getTime(), clock.now() + 30 * DAY_MS);

    const described = await sm().send(new DescribeSecretCommand({ SecretId: 'gone' }));
    assert.equal(described.DeletedDate?.getTime(), clock.now());
    assert.deepEqual(
      (await sm().send(new ListSecretsCommand({}))).SecretList?.map((secret) => secret.Name),
      [],
    );
    assert.deepEqual(
      (await sm().send(new ListSecretsCommand({ IncludePlannedDeletion: true }))).SecretList?.map((secret) => secret.Name),
      ['gone'],
    );
  });

  it('refuses reads and changes of a secret scheduled for deletion', async () => {
    await sm().send(new CreateSecretCommand({ Name: 'm', SecretString: 'v' }));
    await sm().send(new DeleteSecretCommand({ SecretId: 'm', RecoveryWindowInDays: 7 }));
    const refused = [
      () => sm().send(new GetSecretValueCommand({ SecretId: 'm' })),
      () => sm().send(new PutSecretValueCommand({ SecretId: 'm', SecretString: 'x' })),
      () => sm().send(new UpdateSecretCommand({ SecretId: 'm', Description: 'x' })),
      () => sm().send(new TagResourceCommand({ SecretId: 'm', Tags: [{ Key: 'k', Value: 'v' }] })),
      () => sm().send(new UntagResourceCommand({ SecretId: 'm', TagKeys: ['k'] })),
    ];
    for (const call of refused) await rejectsWith(call(), 'InvalidRequestException', MARKED);
    await rejectsWith(sm().send(new DeleteSecretCommand({ SecretId: 'm' })), 'InvalidRequestException', "You tried to perform the operation on a secret that's currently marked deleted.");
    await rejectsWith(
      sm().send(new CreateSecretCommand({ Name: 'm', SecretString: 'again' })),
      'InvalidRequestException',
      "You can't create this secret because a secret with this name is already scheduled for deletion.",
    );
  });

  it('restores a secret scheduled for deletion', async () => {
    await sm().send(new CreateSecretCommand({ Name: 'back', SecretString: 'v' }));
    await sm().send(new DeleteSecretCommand({ SecretId: 'back', RecoveryWindowInDays: 7 }));
    clock.advance(6 * DAY_MS);
    const restored = await sm().send(new RestoreSecretCommand({ SecretId: 'back' }));
    assert.equal(restored.Name, 'back');
    assert.equal((await sm().send(new GetSecretValueCommand({ SecretId: 'back' }))).SecretString, 'v');
    assert.equal((await sm().send(new DescribeSecretCommand({ SecretId: 'back' }))).DeletedDate, undefined);
    clock.advance(2 * DAY_MS);
    assert.equal((await sm().send(new GetSecretValueCommand({ SecretId: 'back' }))).SecretString, 'v');
  });

  it('forgets the secret once the clock passes DeletionDate, freeing the name', async () => {
    const first = await sm().send(new CreateSecretCommand({ Name: 'window', SecretString: 'v1' }));
    const deleted = await sm().send(new DeleteSecretCommand({ SecretId: 'window', RecoveryWindowInDays: 7 }));
    clock.advance(deleted.DeletionDate!.getTime() - clock.now() - 1);
    assert.ok((await sm().send(new DescribeSecretCommand({ SecretId: 'window' }))).DeletedDate);

    clock.advance(1);
    await rejectsWith(sm().send(new DescribeSecretCommand({ SecretId: 'window' })), 'ResourceNotFoundException', NOT_FOUND);
    await rejectsWith(sm().send(new RestoreSecretCommand({ SecretId: 'window' })), 'ResourceNotFoundException', NOT_FOUND);
    assert.deepEqual((await sm().send(new ListSecretsCommand({ IncludePlannedDeletion: true }))).SecretList, []);

    const second = await sm().send(new CreateSecretCommand({ Name: 'window', SecretString: 'v2' }));
    assert.notEqual(second.ARN, first.ARN);
    await rejectsWith(sm().send(new GetSecretValueCommand({ SecretId: first.ARN })), 'ResourceNotFoundException', NOT_FOUND);
  });

  it('deletes at once without recovery, also a secret already scheduled or missing', async () => {
    const created = await sm().send(new CreateSecretCommand({ Name: 'now', SecretString: 'v' }));
    const deleted = await sm().send(new DeleteSecretCommand({ SecretId: created.ARN, ForceDeleteWithoutRecovery: true }));
    assert.deepEqual({ ARN: deleted.ARN, Name: deleted.Name, at: deleted.DeletionDate?.getTime() }, { ARN: created.ARN, Name: 'now', at: clock.now() });
    await rejectsWith(sm().send(new DescribeSecretCommand({ SecretId: 'now' })), 'ResourceNotFoundException', NOT_FOUND);
    await sm().send(new CreateSecretCommand({ Name: 'now', SecretString: 'again' }));

    await sm().send(new DeleteSecretCommand({ SecretId: 'now' }));
    await sm().send(new DeleteSecretCommand({ SecretId: 'now', ForceDeleteWithoutRecovery: true }));
    await rejectsWith(sm().send(new DescribeSecretCommand({ SecretId: 'now' })), 'ResourceNotFoundException', NOT_FOUND);

    const missing = await sm().send(new DeleteSecretCommand({ SecretId: 'never-was', ForceDeleteWithoutRecovery: true }));
    assert.equal(missing.Name, 'never-was');
    assert.ok(missing.ARN);
    assert.ok(missing.DeletionDate);
    await rejectsWith(sm().send(new DeleteSecretCommand({ SecretId: 'never-was' })), 'ResourceNotFoundException', NOT_FOUND);
  });

  const invalid: { name: string; input: { RecoveryWindowInDays?: number; ForceDeleteWithoutRecovery?: boolean }; message: string }[] = [
    { name: 'a window shorter than 7 days', input: { RecoveryWindowInDays: 6 }, message: 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).' },
    { name: 'a window longer than 30 days', input: { RecoveryWindowInDays: 31 }, message: 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).' },
    {
      name: 'a window together with ForceDeleteWithoutRecovery',
      input: { RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true },
      message: "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
    },
  ];
  for (const { name, input, message } of invalid) {
    it(`refuses ${name}`, async () => {
      await sm().send(new CreateSecretCommand({ Name: 'kept', SecretString: 'v' }));
      await rejectsWith(sm().send(new DeleteSecretCommand({ SecretId: 'kept', ...input })), 'InvalidParameterException', message);
      assert.equal((await sm().send(new GetSecretValueCommand({ SecretId: 'kept' }))).SecretString, 'v');
    });
  }

  it('accepts the shortest and longest recovery windows', async () => {
    for (const days of [7, 30]) {
      await sm().send(new CreateSecretCommand({ Name: `w${days}`, SecretString: 'v' }));
      const deleted = await sm().send(new DeleteSecretCommand({ SecretId: `w${days}`, RecoveryWindowInDays: days }));
      assert.equal(deleted.DeletionDate?.getTime(), clock.now() + days * DAY_MS);
    }
  });
});
