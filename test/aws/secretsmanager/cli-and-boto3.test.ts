/**
 * The wire format through two more independent clients: the AWS CLI (v1) and boto3, run as child
 * processes against the started Nimbus, exactly as a user runs them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cliRunners } from '../../helpers/cli.js';
import { useNimbus } from '../../helpers/nimbus.js';

describe('Secrets Manager through the AWS CLI and boto3', () => {
  const nimbus = useNimbus();
  const { exec, python } = cliRunners(nimbus);

  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const outcome = await exec('aws', ['secretsmanager', ...args, '--output', 'json']);
    assert.equal(outcome.code, 0, outcome.stderr);
    return JSON.parse(outcome.stdout) as Record<string, unknown>;
  };

  it('runs the acceptance example: create-secret then get-secret-value', async () => {
    const created = await aws('create-secret', '--name', 'db', '--secret-string', '{"u":"a"}');
    assert.equal(created.Name, 'db');
    assert.match(String(created.ARN), /^arn:aws:secretsmanager:us-east-1:000000000000:secret:db-[A-Za-z0-9]{6}$/);

    const value = await aws('get-secret-value', '--secret-id', 'db');
    assert.equal(value.SecretString, '{"u":"a"}');
    assert.equal(value.VersionId, created.VersionId);
    assert.deepEqual(value.VersionStages, ['AWSCURRENT']);
    assert.equal(typeof value.CreatedDate, 'number');
  });

  it('puts, describes, lists and deletes with the CLI, and reports errors as AWS does', async () => {
    await aws('create-secret', '--name', 'app/key', '--secret-string', 'one', '--description', 'the key', '--tags', 'Key=team,Value=core');
    const put = await aws('put-secret-value', '--secret-id', 'app/key', '--secret-string', 'two');
    assert.deepEqual(put.VersionStages, ['AWSCURRENT']);

    const described = await aws('describe-secret', '--secret-id', 'app/key');
    assert.equal(described.Description, 'the key');
    assert.deepEqual(described.Tags, [{ Key: 'team', Value: 'core' }]);
    assert.equal(Object.keys(described.VersionIdsToStages as object).length, 2);

    const listed = await aws('list-secrets', '--filters', 'Key=name,Values=app/');
    assert.deepEqual(
      (listed.SecretList as { Name: string }[]).map((secret) => secret.Name),
      ['app/key'],
    );

    const deleted = await aws('delete-secret', '--secret-id', 'app/key', '--force-delete-without-recovery');
    assert.equal(deleted.Name, 'app/key');

    const missing = await exec('aws', ['secretsmanager', 'get-secret-value', '--secret-id', 'app/key']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /An error occurred \(ResourceNotFoundException\) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret\./);
  });

  it('works through boto3: binary values, versions, paging, errors and passwords', async () => {
    const script = String.raw`
import json, boto3
from botocore.exceptions import ClientError
sm = boto3.client('secretsmanager')
out = {}
created = sm.create_secret(Name='bin', SecretBinary=b'\x00\x01\xfe\xff')
out['arn'] = created['ARN']
out['binary'] = list(sm.get_secret_value(SecretId=created['ARN'])['SecretBinary'])
first = created['VersionId']
second = sm.put_secret_value(SecretId='bin', SecretString='text', VersionStages=['AWSPENDING'])['VersionId']
sm.update_secret_version_stage(SecretId='bin', VersionStage='AWSCURRENT', RemoveFromVersionId=first, MoveToVersionId=second)
versions = sm.list_secret_version_ids(SecretId='bin')['Versions']
out['stages'] = [[v['VersionId'] == first, sorted(v['VersionStages'])] for v in versions]
out['current'] = sm.get_secret_value(SecretId='bin')['SecretString']
for i in range(3):
    sm.create_secret(Name='page%d' % i, SecretString='v')
names = []
for page in sm.get_paginator('list_secrets').paginate(PaginationConfig={'PageSize': 2}):
    names += [s['Name'] for s in page['SecretList']]
out['names'] = sorted(names)
try:
    sm.create_secret(Name='bin', SecretString='again')
except ClientError as e:
    out['error'] = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
out['password'] = len(sm.get_random_password(PasswordLength=50, ExcludePunctuation=True)['RandomPassword'])
deleted = sm.delete_secret(SecretId='bin', RecoveryWindowInDays=7)
out['deletion'] = (deleted['DeletionDate'] - sm.describe_secret(SecretId='bin')['DeletedDate']).days
print(json.dumps(out))
`;
    const outcome = await python(script);
    assert.equal(outcome.code, 0, outcome.stderr);
    const result = JSON.parse(outcome.stdout) as Record<string, unknown>;
    assert.match(String(result.arn), /:secret:bin-[A-Za-z0-9]{6}$/);
    assert.deepEqual(result.binary, [0, 1, 254, 255]);
    assert.deepEqual(result.stages, [
      [true, ['AWSPREVIOUS']],
      [false, ['AWSCURRENT', 'AWSPENDING']],
    ]);
    assert.equal(result.current, 'text');
    assert.deepEqual(result.names, ['bin', 'page0', 'page1', 'page2']);
    assert.deepEqual(result.error, ['ResourceExistsException', 'The operation failed because the secret bin already exists.', 400]);
    assert.equal(result.password, 50);
    assert.equal(result.deletion, 7);
  });
});
