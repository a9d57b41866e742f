/**
 * Secrets Manager through @aws-sdk/client-secrets-manager: creating secrets, reading values by name and
 * ARN, new values, metadata, tags and resource policies.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { CreateSecretCommandInput } from '@aws-sdk/client-secrets-manager';
import {
  CreateSecretCommand,
  DeleteResourcePolicyCommand,
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  ValidateResourcePolicyCommand,
} from '@aws-sdk/client-secrets-manager';
import { ManualClock } from '../../../src/shared/clock.js';
import { rejectsWith } from '../../helpers/assertions.js';
import { useNimbus } from '../../helpers/nimbus.js';
import { DAY_MS, secretsManager } from './helpers.js';

const NOT_FOUND = "Secrets Manager can't find the specified secret.";
const INVALID_NAME = 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!';

describe('Secrets Manager secrets and values', () => {
  const clock = new ManualClock(Date.UTC(2024, 4, 10, 15, 30));
  const nimbus = useNimbus({ clock });
  const sm = () => secretsManager(nimbus());

  it('creates a secret and reads it back by name, full ARN and partial ARN', async () => {
    const created = await sm().send(new CreateSecretCommand({ Name: 'db', SecretString: '{"u":"a"}' }));
    assert.match(created.ARN!, /^arn:aws:secretsmanager:us-east-1:000000000000:secret:db-[A-Za-z0-9]{6}$/);
    assert.equal(created.Name, 'db');
    assert.match(created.VersionId!, /^[0-9a-f-]{36}$/);

    for (const secretId of ['db', created.ARN!, created.ARN!.slice(0, -7)]) {
      const value = await sm().send(new GetSecretValueCommand({ SecretId: secretId }));
      assert.equal(value.SecretString, '{"u":"a"}');
      assert.equal(value.ARN, created.ARN);
      assert.equal(value.Name, 'db');
      assert.equal(value.VersionId, created.VersionId);
      assert.deepEqual(value.VersionStages, ['AWSCURRENT']);
      assert.equal(value.CreatedDate?.getTime(), clock.now());
    }
  });

  it('keeps binary values as bytes', async () => {
    const bytes = Uint8Array.from([0, 1, 2, 255, 254]);
    await sm().send(new CreateSecretCommand({ Name: 'bin', SecretBinary: bytes }));
    const value = await sm().send(new GetSecretValueCommand({ SecretId: 'bin' }));
    assert.deepEqual(Buffer.from(value.SecretBinary!), Buffer.from(bytes));
    assert.equal(value.SecretString, undefined);
  });

  it('treats an ARN whose name ends in "-" and six characters as a full ARN, as AWS does', async () => {
    const created = await sm().send(new CreateSecretCommand({ Name: 'app-abc123', SecretString: 's' }));
    assert.equal((await sm().send(new GetSecretValueCommand({ SecretId: created.ARN! }))).SecretString, 's');
    await rejectsWith(sm().send(new GetSecretValueCommand({ SecretId: created.ARN!.slice(0, -7) })), 'ResourceNotFoundException', NOT_FOUND);
    const otherSuffix = `${created.ARN!.slice(0, -6)}ZZZZZZ`;
    await rejectsWith(sm().send(new GetSecretValueCommand({ SecretId: otherSuffix })), 'ResourceNotFoundException', NOT_FOUND);
  });

  const createErrors: { name: string; input: CreateSecretCommandInput; code: string; message: string | RegExp }[] = [
    { name: 'an invalid character in the name', input: { Name: 'has space' }, code: 'ValidationException', message: INVALID_NAME },
    {
      name: 'both value kinds',
      input: { Name: 'both', SecretString: 's', SecretBinary: Buffer.from('b') },
      code: 'InvalidParameterException',
      message: "You can't specify both a binary secret value and a string secret value in the same secret.",
    },
    {
      name: 'a name longer than 512 characters',
      input: { Name: 'n'.repeat(513) },
      code: 'ValidationException',
      message: /^1 validation error detected: Value 'n+' at 'name' failed to satisfy constraint: Member must have length less than or equal to 512$/,
    },
  ];
  for (const { name, input, code, message } of createErrors) {
    it(`refuses CreateSecret with ${name}`, async () => {
      await rejectsWith(sm().send(new CreateSecretCommand(input)), code, message);
    });
  }

  it('accepts every character AWS allows in a name and the longest name', async () => {
    for (const name of ['Valid/_+=.@-Name', 'x'.repeat(512)]) {
      const created = await sm().send(new CreateSecretCommand({ Name: name, SecretString: 'v' }));
      assert.equal(created.Name, name);
      assert.equal((await sm().send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'v');
    }
  });

  it('answers a retried CreateSecret with the same answer and refuses a reused token with another value', async () => {
    const token = randomUUID();
    const first = await sm().send(new CreateSecretCommand({ Name: 'idem', SecretString: 'one', ClientRequestToken: token }));
    assert.equal(first.VersionId, token);
    const again = await sm().send(new CreateSecretCommand({ Name: 'idem', SecretString: 'one', ClientRequestToken: token }));
    assert.deepEqual({ ARN: again.ARN, Name: again.Name, VersionId: again.VersionId }, { ARN: first.ARN, Name: first.Name, VersionId: token });

    await rejectsWith(
      sm().send(new CreateSecretCommand({ Name: 'idem', SecretString: 'two', ClientRequestToken: token })),
      'ResourceExistsException',
      `You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${first.ARN!}.`,
    );
    await rejectsWith(sm().send(new CreateSecretCommand({ Name: 'idem', SecretString: 'one' })), 'ResourceExistsException', 'The operation failed because the secret idem already exists.');
  });

  it('refuses a value without ClientRequestToken from a hand-made request', async () => {
    const response = await fetch(nimbus().endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'secretsmanager.CreateSecret',
        authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=abc',
      },
      body: JSON.stringify({ Name: 'raw', SecretString: 's' }),
    });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { __type: 'InvalidRequestException', Message: 'You must provide a ClientRequestToken value. We recommend a UUID-type value.' });
  });

  it('reports missing secrets and missing values with the messages AWS uses', async () => {
    await rejectsWith(sm().send(new GetSecretValueCommand({ SecretId: 'nope' })), 'ResourceNotFoundException', NOT_FOUND);
    await rejectsWith(sm().send(new GetSecretValueCommand({ SecretId: 'bad name!' })), 'ValidationException', INVALID_NAME);

    await sm().send(new CreateSecretCommand({ Name: 'empty' }));
    await rejectsWith(
      sm().send(new GetSecretValueCommand({ SecretId: 'empty' })),
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
    );

    const created = await sm().send(new CreateSecretCommand({ Name: 'full', SecretString: 'v' }));
    const unknownVersion = randomUUID();
    await rejectsWith(
      sm().send(new GetSecretValueCommand({ SecretId: 'full', VersionId: unknownVersion })),
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for VersionId: ${unknownVersion}`,
    );
    await rejectsWith(
      sm().send(new GetSecretValueCommand({ SecretId: 'full', VersionStage: 'AWSPENDING' })),
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret value for staging label: AWSPENDING",
    );
    await rejectsWith(
      sm().send(new GetSecretValueCommand({ SecretId: 'full', VersionId: created.VersionId, VersionStage: 'AWSPREVIOUS' })),
      'InvalidRequestException',
      'You provided a VersionStage that is not associated to the provided VersionId.',
    );
  });

  it('makes a new value AWSCURRENT and the previous one AWSPREVIOUS', async () => {
    const created = await sm().send(new CreateSecretCommand({ Name: 'rot', SecretString: 'v1' }));
    clock.advance(1000);
    const put = await sm().send(new PutSecretValueCommand({ SecretId: 'rot', SecretString: 'v2' }));
    assert.deepEqual(put.VersionStages, ['AWSCURRENT']);
    assert.equal(put.ARN, created.ARN);

    assert.equal((await sm().send(new GetSecretValueCommand({ SecretId: 'rot' }))).SecretString, 'v2');
    const previous = await sm().send(new GetSecretValueCommand({ SecretId: 'rot', VersionStage: 'AWSPREVIOUS' }));
    assert.equal(previous.SecretString, 'v1');
    assert.equal(previous.VersionId, created.VersionId);
    const byId = await sm().send(new GetSecretValueCommand({ SecretId: 'rot', VersionId: put.VersionId }));
    assert.equal(byId.CreatedDate?.getTime(), clock.now());
  });

  it('answers a retried PutSecretValue without a new version and refuses a reused token with another value', async () => {
    const created = await sm().send(new CreateSecretCommand({ Name: 'p', SecretString: 'v1' }));
    const token = randomUUID();
    const first = await sm().send(new PutSecretValueCommand({ SecretId: 'p', SecretString: 'v2', ClientRequestToken: token }));
    const retried = await sm().send(new PutSecretValueCommand({ SecretId: 'p', SecretString: 'v2', ClientRequestToken: token }));
    assert.deepEqual(retried.VersionStages, first.VersionStages);
    assert.equal(retried.VersionId, token);
    const versions = await sm().send(new ListSecretVersionIdsCommand({ SecretId: 'p' }));
    assert.deepEqual(
      versions.Versions?.map((version) => [version.VersionId, version.VersionStages]),
      [
        [created.VersionId, ['AWSPREVIOUS']],
        [token, ['AWSCURRENT']],
      ],
    );

    await rejectsWith(
      sm().send(new PutSecretValueCommand({ SecretId: 'p', SecretString: 'other', ClientRequestToken: token })),
      'ResourceExistsException',
      `You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${created.ARN!}.`,
    );
    await rejectsWith(sm().send(new PutSecretValueCommand({ SecretId: 'p' })), 'InvalidRequestException', 'You must provide either SecretString or SecretBinary.');
    await rejectsWith(sm().send(new PutSecretValueCommand({ SecretId: 'missing', SecretString: 'x' })), 'ResourceNotFoundException', NOT_FOUND);
  });

  it('gives the first value of an empty secret AWSCURRENT whatever labels are asked for', async () => {
    await sm().send(new CreateSecretCommand({ Name: 'later', Description: '' }));
    const described = await sm().send(new DescribeSecretCommand({ SecretId: 'later' }));
    assert.equal(described.VersionIdsToStages, undefined);
    assert.equal(described.Description, undefined);
    const put = await sm().send(new PutSecretValueCommand({ SecretId: 'later', SecretString: 'v', VersionStages: ['MINE'] }));
    assert.deepEqual(put.VersionStages, ['AWSCURRENT', 'MINE']);
  });

  it('updates description, KMS key and value with UpdateSecret', async () => {
    const created = await sm().send(new CreateSecretCommand({ Name: 'u', SecretString: 'v1' }));
    const metadataOnly = await sm().send(new UpdateSecretCommand({ SecretId: 'u', Description: 'first', KmsKeyId: 'alias/mine' }));
    assert.equal(metadataOnly.VersionId, undefined);

    const withValue = await sm().send(new UpdateSecretCommand({ SecretId: 'u', SecretString: 'v2', Description: 'second' }));
    assert.ok(withValue.VersionId);
    assert.equal((await sm().send(new GetSecretValueCommand({ SecretId: 'u' }))).SecretString, 'v2');

    const described = await sm().send(new DescribeSecretCommand({ SecretId: 'u' }));
    assert.equal(described.Description, 'second');
    assert.equal(described.KmsKeyId, 'alias/mine');
    assert.deepEqual(described.VersionIdsToStages, { [created.VersionId!]: ['AWSPREVIOUS'], [withValue.VersionId]: ['AWSCURRENT'] });

    const versions = await sm().send(new ListSecretVersionIdsCommand({ SecretId: 'u' }));
    assert.deepEqual(
      versions.Versions?.map((version) => version.KmsKeyIds),
      [['DefaultEncryptionKey'], ['alias/mine']],
    );
  });

  it('describes a secret with its dates, tags and versions, omitting what AWS omits', async () => {
    const created = await sm().send(new CreateSecretCommand({ Name: 'd', SecretString: 'v', Description: 'about d', Tags: [{ Key: 'team', Value: 'core' }] }));
    let described = await sm().send(new DescribeSecretCommand({ SecretId: created.ARN }));
    assert.equal(described.ARN, created.ARN);
    assert.equal(described.Name, 'd');
    assert.equal(described.Description, 'about d');
    assert.equal(described.CreatedDate?.getTime(), clock.now());
    assert.equal(described.LastChangedDate?.getTime(), clock.now());
    assert.equal(described.LastAccessedDate, undefined);
    assert.equal(described.DeletedDate, undefined);
    assert.equal(described.RotationEnabled, undefined);
    assert.equal(described.KmsKeyId, undefined);
    assert.deepEqual(described.Tags, [{ Key: 'team', Value: 'core' }]);
    assert.deepEqual(described.VersionIdsToStages, { [created.VersionId!]: ['AWSCURRENT'] });

    clock.advance(DAY_MS);
    await sm().send(new GetSecretValueCommand({ SecretId: 'd' }));
    described = await sm().send(new DescribeSecretCommand({ SecretId: 'd' }));
    // LastAccessedDate is a date without a time of day.
    const today = clock.now() - (clock.now() % DAY_MS);
    assert.equal(described.LastAccessedDate?.getTime(), today);
    const versions = await sm().send(new ListSecretVersionIdsCommand({ SecretId: 'd' }));
    assert.equal(versions.Versions?.[0].LastAccessedDate?.getTime(), today);
  });

  it('tags and untags a secret', async () => {
    await sm().send(new CreateSecretCommand({ Name: 't' }));
    assert.equal((await sm().send(new DescribeSecretCommand({ SecretId: 't' }))).Tags, undefined);

    await sm().send(new TagResourceCommand({ SecretId: 't', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await sm().send(new TagResourceCommand({ SecretId: 't', Tags: [{ Key: 'a', Value: 'changed' }] }));
    assert.deepEqual((await sm().send(new DescribeSecretCommand({ SecretId: 't' }))).Tags, [
      { Key: 'a', Value: 'changed' },
      { Key: 'b', Value: '2' },
    ]);

    await sm().send(new UntagResourceCommand({ SecretId: 't', TagKeys: ['a', 'b'] }));
    assert.deepEqual((await sm().send(new DescribeSecretCommand({ SecretId: 't' }))).Tags, []);
    await rejectsWith(sm().send(new TagResourceCommand({ SecretId: 'nope', Tags: [{ Key: 'a', Value: '1' }] })), 'ResourceNotFoundException', NOT_FOUND);
  });

  it('stores, returns, validates and deletes a resource policy', async () => {
    const created = await sm().send(new CreateSecretCommand({ Name: 'pol' }));
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
    });
    assert.equal((await sm().send(new GetResourcePolicyCommand({ SecretId: 'pol' }))).ResourcePolicy, undefined);

    const put = await sm().send(new PutResourcePolicyCommand({ SecretId: 'pol', ResourcePolicy: policy }));
    assert.deepEqual({ ARN: put.ARN, Name: put.Name }, { ARN: created.ARN, Name: 'pol' });
    const got = await sm().send(new GetResourcePolicyCommand({ SecretId: 'pol' }));
    assert.deepEqual({ ARN: got.ARN, Name: got.Name, ResourcePolicy: got.ResourcePolicy }, { ARN: created.ARN, Name: 'pol', ResourcePolicy: policy });

    const validated = await sm().send(new ValidateResourcePolicyCommand({ SecretId: 'pol', ResourcePolicy: policy }));
    assert.equal(validated.PolicyValidationPassed, true);
    assert.deepEqual(validated.ValidationErrors, []);

    for (const malformed of ['{not json', '[]', JSON.stringify({ Version: '2019-10-19', Statement: [] })]) {
      await rejectsWith(sm().send(new PutResourcePolicyCommand({ SecretId: 'pol', ResourcePolicy: malformed })), 'MalformedPolicyDocumentException', 'This policy has invalid syntax.');
      await rejectsWith(sm().send(new ValidateResourcePolicyCommand({ ResourcePolicy: malformed })), 'MalformedPolicyDocumentException', 'This policy has invalid syntax.');
    }

    await sm().send(new DeleteResourcePolicyCommand({ SecretId: 'pol' }));
    assert.equal((await sm().send(new GetResourcePolicyCommand({ SecretId: 'pol' }))).ResourcePolicy, undefined);
  });

  it('keeps secrets apart per Region', async () => {
    await sm().send(new CreateSecretCommand({ Name: 'regional', SecretString: 'east' }));
    const west = secretsManager(nimbus(), 'us-west-2');
    await rejectsWith(west.send(new GetSecretValueCommand({ SecretId: 'regional' })), 'ResourceNotFoundException', NOT_FOUND);
    const created = await west.send(new CreateSecretCommand({ Name: 'regional', SecretString: 'west' }));
    assert.match(created.ARN!, /^arn:aws:secretsmanager:us-west-2:/);
    assert.equal((await sm().send(new GetSecretValueCommand({ SecretId: 'regional' }))).SecretString, 'east');
  });

  it('accepts replica Regions and reports that replication failed', async () => {
    const created = await sm().send(new CreateSecretCommand({ Name: 'rep', SecretString: 'v', AddReplicaRegions: [{ Region: 'eu-west-1' }], ForceOverwriteReplicaSecret: true }));
    assert.deepEqual(created.ReplicationStatus?.map((status) => [status.Region, status.Status]), [['eu-west-1', 'Failed']]);
    const described = await sm().send(new DescribeSecretCommand({ SecretId: 'rep' }));
    assert.equal(described.PrimaryRegion, 'us-east-1');
    assert.equal(described.ReplicationStatus?.[0].StatusMessage, 'Replication to other Regions is not supported by Nimbus.');
    await rejectsWith(sm().send(new CreateSecretCommand({ Name: 'rep2', AddReplicaRegions: [{ Region: 'us-east-1' }] })), 'InvalidParameterException', 'Invalid replica region.');
  });

  it('says plainly that rotation is not implemented yet', async () => {
    await sm().send(new CreateSecretCommand({ Name: 'rotating', SecretString: 'v' }));
    await rejectsWith(sm().send(new RotateSecretCommand({ SecretId: 'rotating' })), 'NotImplemented', 'secretsmanager.RotateSecret is not implemented in Nimbus yet', 501);
  });
});
