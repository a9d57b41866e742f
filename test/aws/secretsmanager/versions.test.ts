/**
 * Secret versions and staging labels: PutSecretValue with VersionStages, UpdateSecretVersionStage,
 * ListSecretVersionIds and the pruning of deprecated versions. The label sequences replay ones recorded
 * against AWS.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { ManualClock } from '../../../src/shared/clock.js';
import { rejectsWith } from '../../helpers/assertions.js';
import { useNimbus } from '../../helpers/nimbus.js';
import { DAY_MS, secretsManager } from './helpers.js';

/** Version id -> labels, in creation order, deprecated versions included, across all pages. */
async function labels(sm: SecretsManagerClient, secretId: string): Promise<[string, string[]][]> {
  const all: [string, string[]][] = [];
  let nextToken: string | undefined;
  do {
    const listed = await sm.send(new ListSecretVersionIdsCommand({ SecretId: secretId, IncludeDeprecated: true, NextToken: nextToken }));
    for (const version of listed.Versions ?? []) all.push([version.VersionId!, version.VersionStages ?? []]);
    nextToken = listed.NextToken;
  } while (nextToken);
  return all;
}

async function put(sm: SecretsManagerClient, secretId: string, value: string, stages?: string[]): Promise<string> {
  const response = await sm.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: value, VersionStages: stages }));
  return response.VersionId!;
}

describe('Secrets Manager versions and staging labels', () => {
  const clock = new ManualClock(Date.UTC(2024, 0, 1));
  const nimbus = useNimbus({ clock });
  const sm = () => secretsManager(nimbus());

  it('leaves AWSCURRENT alone when a value gets other labels, and moves labels off older versions', async () => {
    const v1 = (await sm().send(new CreateSecretCommand({ Name: 's', SecretString: 'S0' }))).VersionId!;
    const v2 = await put(sm(), 's', 'S1', ['one', 'two', 'three']);
    const v3 = await put(sm(), 's', 'S2', ['one', 'two', 'four']);
    assert.deepEqual(await labels(sm(), 's'), [
      [v1, ['AWSCURRENT']],
      [v2, ['three']],
      [v3, ['four', 'one', 'two']],
    ]);
    assert.equal((await sm().send(new GetSecretValueCommand({ SecretId: 's' }))).SecretString, 'S0');
    assert.equal((await sm().send(new GetSecretValueCommand({ SecretId: 's', VersionStage: 'three' }))).SecretString, 'S1');
  });

  it('rotates through AWSPENDING like a rotation function does', async () => {
    const v1 = (await sm().send(new CreateSecretCommand({ Name: 'r', SecretString: 'S1' }))).VersionId!;
    const v2 = await put(sm(), 'r', 'S2', ['AWSPENDING']);
    assert.deepEqual(await labels(sm(), 'r'), [
      [v1, ['AWSCURRENT']],
      [v2, ['AWSPENDING']],
    ]);

    await sm().send(new UpdateSecretVersionStageCommand({ SecretId: 'r', VersionStage: 'AWSCURRENT', RemoveFromVersionId: v1, MoveToVersionId: v2 }));
    assert.deepEqual(await labels(sm(), 'r'), [
      [v1, ['AWSPREVIOUS']],
      [v2, ['AWSCURRENT', 'AWSPENDING']],
    ]);

    const v3 = await put(sm(), 'r', 'S3', ['AWSPENDING']);
    assert.deepEqual(await labels(sm(), 'r'), [
      [v1, ['AWSPREVIOUS']],
      [v2, ['AWSCURRENT']],
      [v3, ['AWSPENDING']],
    ]);

    await sm().send(new UpdateSecretVersionStageCommand({ SecretId: 'r', VersionStage: 'AWSCURRENT', RemoveFromVersionId: v2, MoveToVersionId: v3 }));
    assert.deepEqual(await labels(sm(), 'r'), [
      [v1, []],
      [v2, ['AWSPREVIOUS']],
      [v3, ['AWSCURRENT', 'AWSPENDING']],
    ]);
  });

  it('drops AWSPENDING from the old current version when a new value becomes AWSCURRENT', async () => {
    const v1 = (await sm().send(new CreateSecretCommand({ Name: 'p', SecretString: 'S1' }))).VersionId!;
    const v2 = await put(sm(), 'p', 'S2', ['AWSPENDING']);
    await sm().send(new UpdateSecretVersionStageCommand({ SecretId: 'p', VersionStage: 'AWSCURRENT', RemoveFromVersionId: v1, MoveToVersionId: v2 }));
    const v3 = await put(sm(), 'p', 'S3');
    assert.deepEqual(await labels(sm(), 'p'), [
      [v1, []],
      [v2, ['AWSPREVIOUS']],
      [v3, ['AWSCURRENT']],
    ]);
  });

  it('keeps custom labels on versions that AWSCURRENT leaves', async () => {
    await sm().send(new CreateSecretCommand({ Name: 'c', SecretString: 'SS' }));
    const v2 = await put(sm(), 'c', 'S1', ['AWSCURRENT', 'PUT0']);
    const v3 = await put(sm(), 'c', 'S2', ['AWSPENDING', 'PUT1']);
    await sm().send(new UpdateSecretVersionStageCommand({ SecretId: 'c', VersionStage: 'AWSCURRENT', RemoveFromVersionId: v2, MoveToVersionId: v3 }));
    const listed = await labels(sm(), 'c');
    assert.deepEqual(listed.slice(1), [
      [v2, ['AWSPREVIOUS', 'PUT0']],
      [v3, ['AWSCURRENT', 'AWSPENDING', 'PUT1']],
    ]);
  });

  it('rolls back by moving AWSCURRENT onto the AWSPREVIOUS version', async () => {
    const v1 = (await sm().send(new CreateSecretCommand({ Name: 'b', SecretString: 'old' }))).VersionId!;
    const v2 = await put(sm(), 'b', 'new');
    await sm().send(new UpdateSecretVersionStageCommand({ SecretId: 'b', VersionStage: 'AWSCURRENT', RemoveFromVersionId: v2, MoveToVersionId: v1 }));
    assert.deepEqual(await labels(sm(), 'b'), [
      [v1, ['AWSCURRENT']],
      [v2, ['AWSPREVIOUS']],
    ]);
    assert.equal((await sm().send(new GetSecretValueCommand({ SecretId: 'b' }))).SecretString, 'old');
  });

  it('removes a custom label from a version', async () => {
    const v1 = (await sm().send(new CreateSecretCommand({ Name: 'l', SecretString: 'S' }))).VersionId!;
    const v2 = await put(sm(), 'l', 'T', ['PENDING']);
    await sm().send(new UpdateSecretVersionStageCommand({ SecretId: 'l', VersionStage: 'PENDING', RemoveFromVersionId: v2 }));
    assert.deepEqual(await labels(sm(), 'l'), [
      [v1, ['AWSCURRENT']],
      [v2, []],
    ]);
  });

  it('refuses label moves that AWS refuses', async () => {
    const v1 = (await sm().send(new CreateSecretCommand({ Name: 'e', SecretString: 'S' }))).VersionId!;
    const v2 = await put(sm(), 'e', 'T', ['AWSPENDING']);
    const missing = '00000000-0000-4000-8000-000000000000';
    const cases: { input: { VersionStage: string; RemoveFromVersionId?: string; MoveToVersionId?: string }; code: string; message: string }[] = [
      {
        input: { VersionStage: 'AWSCURRENT', MoveToVersionId: v2 },
        code: 'InvalidParameterException',
        message: `The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version ${v1}, so you must explicitly reference that version in RemoveFromVersionId.`,
      },
      {
        input: { VersionStage: 'AWSCURRENT', RemoveFromVersionId: v2, MoveToVersionId: v2 },
        code: 'InvalidParameterException',
        message: 'When you move staging label AWSCURRENT, if you specify RemoveFromVersionId, it must be set to the version that currently has the staging label AWSCURRENT.',
      },
      {
        input: { VersionStage: 'AWSCURRENT', RemoveFromVersionId: v1 },
        code: 'InvalidParameterException',
        message: "You can only move staging label AWSCURRENT to a different secret version. It can't be completely removed.",
      },
      {
        input: { VersionStage: 'AWSPENDING', RemoveFromVersionId: v2, MoveToVersionId: missing },
        code: 'ResourceNotFoundException',
        message: `Secrets Manager can't find the specified secret value for VersionId: ${missing}`,
      },
    ];
    for (const { input, code, message } of cases) {
      await rejectsWith(sm().send(new UpdateSecretVersionStageCommand({ SecretId: 'e', ...input })), code, message);
    }
    assert.deepEqual(await labels(sm(), 'e'), [
      [v1, ['AWSCURRENT']],
      [v2, ['AWSPENDING']],
    ]);
  });

  it('lists deprecated versions only when asked, without VersionStages, and pages through versions', async () => {
    const v1 = (await sm().send(new CreateSecretCommand({ Name: 'v', SecretString: 'S0' }))).VersionId!;
    const v2 = await put(sm(), 'v', 'S1');
    const v3 = await put(sm(), 'v', 'S2');

    const labelled = await sm().send(new ListSecretVersionIdsCommand({ SecretId: 'v' }));
    assert.deepEqual(
      labelled.Versions?.map((version) => version.VersionId),
      [v2, v3],
    );
    assert.equal(labelled.Name, 'v');

    const first = await sm().send(new ListSecretVersionIdsCommand({ SecretId: 'v', IncludeDeprecated: true, MaxResults: 2 }));
    assert.deepEqual(
      first.Versions?.map((version) => [version.VersionId, version.VersionStages]),
      [
        [v1, undefined],
        [v2, ['AWSPREVIOUS']],
      ],
    );
    assert.ok(first.NextToken);
    const second = await sm().send(new ListSecretVersionIdsCommand({ SecretId: 'v', IncludeDeprecated: true, MaxResults: 2, NextToken: first.NextToken }));
    assert.deepEqual(
      second.Versions?.map((version) => version.VersionId),
      [v3],
    );
    assert.equal(second.NextToken, undefined);

    await rejectsWith(sm().send(new ListSecretVersionIdsCommand({ SecretId: 'v', NextToken: 'garbage' })), 'InvalidNextTokenException', 'The NextToken value is invalid.');
    await rejectsWith(sm().send(new ListSecretVersionIdsCommand({ SecretId: 'nope' })), 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  });

  it('prunes deprecated versions beyond 100 once they are a day old', async () => {
    await sm().send(new CreateSecretCommand({ Name: 'many', SecretString: 'v0' }));
    for (let i = 1; i <= 104; i++) await put(sm(), 'many', `v${i}`);
    // Versions created in the last 24 hours are kept, whatever their number.
    assert.equal((await labels(sm(), 'many')).length, 105);

    clock.advance(DAY_MS + 1);
    await put(sm(), 'many', 'v105');
    const kept = await labels(sm(), 'many');
    assert.equal(kept.length, 100);
    assert.deepEqual(kept.slice(-2).map(([, stages]) => stages), [['AWSPREVIOUS'], ['AWSCURRENT']]);
    const oldest = await sm().send(new GetSecretValueCommand({ SecretId: 'many', VersionId: kept[0][0] }));
    assert.equal(oldest.SecretString, 'v6');
  });
});
