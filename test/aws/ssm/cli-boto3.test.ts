/**
 * The wire format through two more independent clients: the AWS CLI (botocore, v1) and boto3, each run as
 * a child process against the started Nimbus.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cliRunners, jsonDocuments } from '../../helpers/cli.js';
import { useNimbus } from '../../helpers/nimbus.js';
import { INVALID_PATH, TAGS_WITH_OVERWRITE } from './support.js';

describe('SSM through the AWS CLI and boto3', () => {
  const nimbus = useNimbus();
  const { shell, python } = cliRunners(nimbus);

  it('runs the acceptance example with the AWS CLI exactly as written', async () => {
    const outcome = await shell('aws ssm put-parameter --name /app/db --value x --type SecureString && aws ssm get-parameter --name /app/db --with-decryption');
    assert.equal(outcome.code, 0, outcome.stderr);
    // The CLI prints the PutParameter result, then the GetParameter result.
    const [put, get] = jsonDocuments(outcome.stdout);
    assert.deepEqual(put, { Version: 1, Tier: 'Standard' });
    const parameter = get.Parameter as Record<string, unknown>;
    assert.deepEqual(
      [parameter.Name, parameter.Type, parameter.Value, parameter.Version, parameter.ARN, parameter.DataType],
      ['/app/db', 'SecureString', 'x', 1, 'arn:aws:ssm:us-east-1:000000000000:parameter/app/db', 'text'],
    );
    assert.equal(typeof parameter.LastModifiedDate, 'number');
  });

  it('shows AWS errors through the CLI', async () => {
    await shell('aws ssm put-parameter --name /app/db --value x --type SecureString');
    const again = await shell('aws ssm put-parameter --name /app/db --value y --type SecureString');
    assert.notEqual(again.code, 0);
    assert.equal(
      again.stderr.trim(),
      'An error occurred (ParameterAlreadyExists) when calling the PutParameter operation: The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
    );
    const missing = await shell('aws ssm get-parameter --name /app/missing');
    assert.equal(missing.stderr.trim(), 'An error occurred (ParameterNotFound) when calling the GetParameter operation: Parameter /app/missing not found.');
  });

  it('lets the CLI follow NextToken through a hierarchy', async () => {
    const puts = Array.from({ length: 12 }, (_, i) => `aws ssm put-parameter --name /svc/p${String(i).padStart(2, '0')} --value v${i} --type String >/dev/null`);
    assert.equal((await shell(puts.join(' && '))).code, 0);
    const listed = await shell("aws ssm get-parameters-by-path --path /svc --query 'Parameters[].Name' --output json");
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      JSON.parse(listed.stdout),
      Array.from({ length: 12 }, (_, i) => `/svc/p${String(i).padStart(2, '0')}`),
    );
  });

  it('serves boto3: versions, labels, selectors, history and describe', async () => {
    const outcome = await python(`
import json, boto3
ssm = boto3.client('ssm')
ssm.put_parameter(Name='/py/conf', Value='one', Type='String', Tags=[{'Key': 'owner', 'Value': 'py'}])
second = ssm.put_parameter(Name='/py/conf', Value='two', Overwrite=True)
labelled = ssm.label_parameter_version(Name='/py/conf', ParameterVersion=1, Labels=['first', '9bad'])
by_label = ssm.get_parameter(Name='/py/conf:first')['Parameter']
secret = ssm.put_parameter(Name='/py/secret', Value='hush', Type='SecureString', KeyId='alias/py')
history = ssm.get_parameter_history(Name='/py/conf')['Parameters']
pages = ssm.get_paginator('describe_parameters').paginate(ParameterFilters=[{'Key': 'Path', 'Values': ['/py']}])
described = [p for page in pages for p in page['Parameters']]
print(json.dumps({
  'second': [second['Version'], second['Tier']],
  'labelled': [labelled['ParameterVersion'], labelled['InvalidLabels']],
  'by_label': [by_label['Value'], by_label['Version'], by_label['Selector']],
  'secret_plain': ssm.get_parameter(Name='/py/secret', WithDecryption=True)['Parameter']['Value'],
  'secret_sealed': ssm.get_parameter(Name='/py/secret')['Parameter']['Value'][:6],
  'history': [[h['Version'], h['Value'], h['Labels']] for h in history],
  'described': [[d['Name'], d['Type'], d.get('KeyId'), d['LastModifiedDate'].year > 2000] for d in described],
  'tags': ssm.list_tags_for_resource(ResourceType='Parameter', ResourceId='/py/conf')['TagList'],
}))
`);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.deepEqual(JSON.parse(outcome.stdout), {
      second: [2, 'Standard'],
      labelled: [1, ['9bad']],
      by_label: ['one', 1, ':first'],
      secret_plain: 'hush',
      secret_sealed: 'AQICAH',
      history: [
        [1, 'one', ['first']],
        [2, 'two', []],
      ],
      described: [
        ['/py/conf', 'String', null, true],
        ['/py/secret', 'SecureString', 'alias/py', true],
      ],
      tags: [{ Key: 'owner', Value: 'py' }],
    });
  });

  it('gives boto3 the error code, message and status', async () => {
    const outcome = await python(`
import json, boto3
from botocore.exceptions import ClientError
ssm = boto3.client('ssm')
ssm.put_parameter(Name='/py/v', Value='1', Type='String')
errors = []
for call in [
  lambda: ssm.get_parameter(Name='/py/v:3'),
  lambda: ssm.put_parameter(Name='/py/v', Value='2', Overwrite=True, Tags=[{'Key': 'k', 'Value': 'v'}]),
  lambda: ssm.get_parameters_by_path(Path='py'),
]:
  try:
    call()
    errors.append(None)
  except ClientError as e:
    errors.append([e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']])
print(json.dumps(errors))
`);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.deepEqual(JSON.parse(outcome.stdout), [
      ['ParameterVersionNotFound', 'Systems Manager could not find version 3 of /py/v. Verify the version and try again.', 400],
      ['ValidationException', TAGS_WITH_OVERWRITE, 400],
      ['ValidationException', INVALID_PATH, 400],
    ]);
  });
});
