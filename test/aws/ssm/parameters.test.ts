import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersCommand,
  LabelParameterVersionCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import type { PutParameterCommandInput } from '@aws-sdk/client-ssm';
import { ManualClock } from '../../../src/shared/clock.js';
import { rejectsWith } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { INVALID_NAME, TAGS_WITH_OVERWRITE, ssmClient } from './support.js';

const START = Date.UTC(2024, 4, 1, 12, 0, 0);
const ACCOUNT = '000000000000';
const arnOf = (name: string): string => `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/${name.replace(/^\//, '')}`;

describe('SSM PutParameter and GetParameter', () => {
  const clock = new ManualClock(START);
  const nimbus = useNimbus({ clock });
  const ssm = (): SSMClient => ssmClient(nimbus());
  const put = (input: PutParameterCommandInput) => ssm().send(new PutParameterCommand(input));

  it('stores a SecureString and returns its value only with decryption', async () => {
    assert.equal((await put({ Name: '/app/db', Value: 's3cret', Type: 'SecureString' })).Version, 1);

    const decrypted = (await ssm().send(new GetParameterCommand({ Name: '/app/db', WithDecryption: true }))).Parameter!;
    assert.deepEqual(decrypted, {
      Name: '/app/db',
      Type: 'SecureString',
      Value: 's3cret',
      Version: 1,
      LastModifiedDate: new Date(START),
      ARN: arnOf('/app/db'),
      DataType: 'text',
    });

    const sealed = (await ssm().send(new GetParameterCommand({ Name: '/app/db' }))).Parameter!.Value!;
    assert.match(sealed, /^AQICAH[A-Za-z0-9+/]+={0,2}$/);
    assert.ok(!Buffer.from(sealed, 'base64').toString('latin1').includes('s3cret'));
    assert.equal((await ssm().send(new GetParameterCommand({ Name: '/app/db', WithDecryption: false }))).Parameter!.Value, sealed);

    const metadata = (await ssm().send(new DescribeParametersCommand({}))).Parameters!;
    assert.equal(metadata[0].KeyId, 'alias/aws/ssm');
  });

  it('records a custom KeyId and refuses a KeyId on other types', async () => {
    await put({ Name: 'key', Value: 'v', Type: 'SecureString', KeyId: 'alias/custom' });
    assert.equal((await ssm().send(new DescribeParametersCommand({}))).Parameters![0].KeyId, 'alias/custom');
    await rejectsWith(put({ Name: 'plain', Value: 'v', Type: 'String', KeyId: 'alias/custom' }), 'ValidationException', 'KeyId is required for SecureString type parameter only.');
  });

  it('returns String and StringList values as stored, with the result tier', async () => {
    const { Version, Tier } = await put({ Name: '/cfg/hosts', Value: 'a,b,c', Type: 'StringList' });
    assert.deepEqual([Version, Tier], [1, 'Standard']);
    await put({ Name: '/cfg/mode', Value: 'blue', Type: 'String', Description: 'deploy colour' });
    const list = await ssm().send(new GetParametersCommand({ Names: ['/cfg/hosts', '/cfg/mode'] }));
    assert.deepEqual(
      list.Parameters!.map((p) => [p.Name, p.Type, p.Value]),
      [
        ['/cfg/hosts', 'StringList', 'a,b,c'],
        ['/cfg/mode', 'String', 'blue'],
      ],
    );
    assert.deepEqual(list.InvalidParameters, []);
  });

  it('applies the overwrite rules', async () => {
    await put({ Name: '/o/p', Value: 'one', Type: 'String', Description: 'kept', AllowedPattern: '[a-z]+' });
    await rejectsWith(
      put({ Name: '/o/p', Value: 'two', Type: 'String' }),
      'ParameterAlreadyExists',
      'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
    );
    await rejectsWith(
      put({ Name: '/o/p', Value: 'two', Overwrite: true, Tags: [{ Key: 'k', Value: 'v' }] }),
      'ValidationException',
      TAGS_WITH_OVERWRITE,
    );
    await rejectsWith(put({ Name: '/o/new', Value: 'x' }), 'ValidationException', 'A parameter type is required when you create a parameter.');

    clock.advance(60_000);
    // Type, Description and AllowedPattern carry over when the overwrite leaves them out.
    assert.equal((await put({ Name: '/o/p', Value: 'two', Overwrite: true })).Version, 2);
    const [meta] = (await ssm().send(new DescribeParametersCommand({}))).Parameters!;
    assert.deepEqual([meta.Type, meta.Description, meta.AllowedPattern, meta.Version, meta.LastModifiedDate], ['String', 'kept', '[a-z]+', 2, new Date(START + 60_000)]);
    await rejectsWith(
      put({ Name: '/o/p', Value: 'THREE', Overwrite: true }),
      'ParameterPatternMismatchException',
      'Parameter value, cannot be validated against allowedPattern: [a-z]+',
    );

    // The type can change on overwrite; a SecureString then gets the default key.
    await put({ Name: '/o/p', Value: 'three', Type: 'SecureString', Overwrite: true });
    assert.equal((await ssm().send(new DescribeParametersCommand({}))).Parameters![0].KeyId, 'alias/aws/ssm');
  });

  it('validates AllowedPattern as a whole-value regular expression', async () => {
    await rejectsWith(
      put({ Name: 'digits', Value: '10000', Type: 'String', AllowedPattern: '\\d{1,4}' }),
      'ParameterPatternMismatchException',
      'Parameter value, cannot be validated against allowedPattern: \\d{1,4}',
    );
    await put({ Name: 'digits', Value: '1000', Type: 'String', AllowedPattern: '\\d{1,4}' });
    await rejectsWith(
      put({ Name: 'broken', Value: 'x', Type: 'String', AllowedPattern: '([a-z' }),
      'InvalidAllowedPatternException',
      "The request doesn't meet the regular expression requirement.",
    );
  });

  it('refuses an empty value', async () => {
    await rejectsWith(
      put({ Name: 'empty', Value: '', Type: 'String' }),
      'ValidationException',
      "1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  describe('names', () => {
    it('treats a one-level name with and without its leading slash as one parameter', async () => {
      await put({ Name: '/single', Value: 'v', Type: 'String' });
      for (const name of ['single', '/single']) {
        const parameter = (await ssm().send(new GetParameterCommand({ Name: name }))).Parameter!;
        assert.deepEqual([parameter.Name, parameter.ARN], ['single', arnOf('single')]);
      }
      await rejectsWith(put({ Name: 'single', Value: 'w', Type: 'String' }), 'ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    });

    const refused: [string, string, string, string][] = [
      ['a path without its leading slash', 'app/db', 'ValidationException', INVALID_NAME],
      ['a space', '/app/my db', 'ValidationException', INVALID_NAME],
      ['an empty level', '/app//db', 'ValidationException', INVALID_NAME],
      ['a trailing slash', '/app/db/', 'ValidationException', INVALID_NAME],
      ['an ARN', arnOf('/app/db'), 'ValidationException', INVALID_NAME],
      ['a path under /aws', '/aws/app/db', 'AccessDeniedException', 'No access to reserved parameter name: aws/app/db.'],
      ['a path under /AWSx', '/AWSx/db', 'AccessDeniedException', 'No access to reserved parameter name: AWSx/db.'],
      ['a path under /ssm', '/Ssm/db', 'ValidationException', INVALID_NAME],
      ['a name starting with aws', 'awsdb', 'ValidationException', 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).'],
      ['a name starting with ssm', '/SSMdb', 'ValidationException', 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).'],
      [
        '16 levels',
        `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`,
        'HierarchyLevelLimitExceededException',
        'A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names in the Amazon Web Services Systems Manager User Guide.',
      ],
    ];
    for (const [what, name, code, message] of refused) {
      it(`refuses ${what}`, async () => {
        await rejectsWith(put({ Name: name, Value: 'v', Type: 'String' }), code, message);
      });
    }

    it('accepts 15 levels and every allowed character', async () => {
      const deep = `/${Array.from({ length: 15 }, (_, i) => `L-${i}.x_y`).join('/')}`;
      await put({ Name: deep, Value: 'v', Type: 'String' });
      assert.equal((await ssm().send(new GetParameterCommand({ Name: deep }))).Parameter!.Name, deep);
    });

    it('reads a parameter by its ARN, with or without a selector', async () => {
      await put({ Name: '/by/arn', Value: 'one', Type: 'String' });
      await put({ Name: '/by/arn', Value: 'two', Type: 'String', Overwrite: true });
      await put({ Name: 'flat', Value: 'f', Type: 'String' });
      assert.equal((await ssm().send(new GetParameterCommand({ Name: arnOf('/by/arn') }))).Parameter!.Value, 'two');
      const first = (await ssm().send(new GetParameterCommand({ Name: `${arnOf('/by/arn')}:1` }))).Parameter!;
      assert.deepEqual([first.Name, first.Value, first.Selector], ['/by/arn', 'one', ':1']);
      assert.equal((await ssm().send(new GetParameterCommand({ Name: arnOf('flat') }))).Parameter!.Value, 'f');
      const elsewhere = 'arn:aws:ssm:us-east-1:111122223333:parameter/by/arn';
      await rejectsWith(ssm().send(new GetParameterCommand({ Name: elsewhere })), 'ParameterNotFound', `Parameter ${elsewhere} not found.`);
    });

    it('keeps parameters apart per account, and records who changed them', async () => {
      const other = new SSMClient(clientSettings(nimbus(), { credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' } }));
      await other.send(new PutParameterCommand({ Name: '/shared/name', Value: 'theirs', Type: 'String' }));
      await rejectsWith(ssm().send(new GetParameterCommand({ Name: '/shared/name' })), 'ParameterNotFound', 'Parameter /shared/name not found.');
      const [meta] = (await other.send(new DescribeParametersCommand({}))).Parameters!;
      assert.deepEqual([meta.ARN, meta.LastModifiedUser], ['arn:aws:ssm:us-east-1:111122223333:parameter/shared/name', 'arn:aws:iam::111122223333:root']);
    });
  });

  describe('selectors', () => {
    it('reads a version by number or label and names what is missing', async () => {
      await put({ Name: '/sel/p', Value: 'v1', Type: 'String' });
      await put({ Name: '/sel/p', Value: 'v2', Type: 'String', Overwrite: true });
      await ssm().send(new LabelParameterVersionCommand({ Name: '/sel/p', ParameterVersion: 1, Labels: ['stable'] }));

      const byLabel = (await ssm().send(new GetParameterCommand({ Name: '/sel/p:stable' }))).Parameter!;
      assert.deepEqual([byLabel.Name, byLabel.Value, byLabel.Version, byLabel.Selector, byLabel.ARN], ['/sel/p', 'v1', 1, ':stable', arnOf('/sel/p')]);
      const byVersion = (await ssm().send(new GetParameterCommand({ Name: '/sel/p:2' }))).Parameter!;
      assert.deepEqual([byVersion.Value, byVersion.Selector], ['v2', ':2']);

      await rejectsWith(
        ssm().send(new GetParameterCommand({ Name: '/sel/p:5' })),
        'ParameterVersionNotFound',
        'Systems Manager could not find version 5 of /sel/p. Verify the version and try again.',
      );
      await rejectsWith(ssm().send(new GetParameterCommand({ Name: '/sel/p:beta' })), 'ParameterNotFound', 'Parameter /sel/p:beta not found.');
      await rejectsWith(ssm().send(new GetParameterCommand({ Name: '/sel/missing' })), 'ParameterNotFound', 'Parameter /sel/missing not found.');
    });

    it('lists unknown names, versions and labels under InvalidParameters', async () => {
      await put({ Name: '/gp/a', Value: 'a', Type: 'SecureString' });
      const result = await ssm().send(new GetParametersCommand({ Names: ['/gp/a', '/gp/a:1', '/gp/a:9', '/gp/a:nolabel', '/gp/none', 'bad/name'], WithDecryption: true }));
      assert.deepEqual(
        result.Parameters!.map((p) => [p.Name, p.Value, p.Selector]),
        [
          ['/gp/a', 'a', undefined],
          ['/gp/a', 'a', ':1'],
        ],
      );
      assert.deepEqual(result.InvalidParameters, ['/gp/a:9', '/gp/a:nolabel', '/gp/none', 'bad/name']);
    });

    it('takes at most 10 names', async () => {
      const names = Array.from({ length: 11 }, (_, i) => `n${i}`);
      await rejectsWith(
        ssm().send(new GetParametersCommand({ Names: names })),
        'ValidationException',
        `1 validation error detected: Value '[${names.join(', ')}]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10`,
      );
    });
  });

  describe('tiers', () => {
    const big = (length: number): string => 'x'.repeat(length);

    it('holds 4 KB in Standard and 8 KB in Advanced', async () => {
      assert.equal((await put({ Name: 'std', Value: big(4096), Type: 'String' })).Tier, 'Standard');
      await rejectsWith(
        put({ Name: 'std2', Value: big(4097), Type: 'String' }),
        'ValidationException',
        'Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html',
      );
      assert.equal((await put({ Name: 'adv', Value: big(8192), Type: 'String', Tier: 'Advanced' })).Tier, 'Advanced');
      await rejectsWith(
        put({ Name: 'adv2', Value: big(8193), Type: 'String', Tier: 'Advanced' }),
        'ValidationException',
        'The specified parameter value is too large. Advanced-tier parameters support a maximum parameter value of 8192 characters.',
      );
    });

    it('lets Intelligent-Tiering pick the tier and never downgrades', async () => {
      assert.equal((await put({ Name: 'it', Value: 'small', Type: 'String', Tier: 'Intelligent-Tiering' })).Tier, 'Standard');
      assert.equal((await put({ Name: 'it', Value: big(5000), Type: 'String', Tier: 'Intelligent-Tiering', Overwrite: true })).Tier, 'Advanced');
      assert.equal((await put({ Name: 'it', Value: 'small again', Type: 'String', Tier: 'Intelligent-Tiering', Overwrite: true })).Tier, 'Advanced');
      assert.equal((await put({ Name: 'it', Value: 'no tier given', Overwrite: true })).Tier, 'Advanced');
      await rejectsWith(
        put({ Name: 'it', Value: 'x', Tier: 'Standard', Overwrite: true }),
        'ValidationException',
        "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter. Be aware that standard parameters have a value limit of 4096 characters.",
      );
    });

    it('records parameter policies on advanced parameters only', async () => {
      const policy = { Type: 'Expiration', Version: '1.0', Attributes: { Timestamp: '2030-01-01T00:00:00.000Z' } };
      await put({ Name: '/pol/a', Value: 'v', Type: 'String', Tier: 'Advanced', Policies: JSON.stringify([policy]) });
      const [meta] = (await ssm().send(new DescribeParametersCommand({}))).Parameters!;
      assert.deepEqual(meta.Policies, [{ PolicyText: JSON.stringify(policy), PolicyType: 'Expiration', PolicyStatus: 'Pending' }]);
      assert.equal((await put({ Name: '/pol/it', Value: 'v', Type: 'String', Tier: 'Intelligent-Tiering', Policies: JSON.stringify([policy]) })).Tier, 'Advanced');

      await rejectsWith(
        put({ Name: '/pol/std', Value: 'v', Type: 'String', Policies: JSON.stringify([policy]) }),
        'ValidationException',
        'Parameter policies are supported only for parameters in the advanced-parameter tier. Upgrade the parameter to the advanced-parameter tier, and try again.',
      );
      await rejectsWith(
        put({ Name: '/pol/bad', Value: 'v', Type: 'String', Tier: 'Advanced', Policies: '[{"Type":"Rotate"}]' }),
        'InvalidPolicyTypeException',
        "The policy type isn't supported. Parameter Store supports the following policy types: Expiration, ExpirationNotification, and NoChangeNotification.",
      );
      await rejectsWith(
        put({ Name: '/pol/bad', Value: 'v', Type: 'String', Tier: 'Advanced', Policies: 'not json' }),
        'InvalidPolicyAttributeException',
        'A policy attribute or its value is invalid.',
      );
    });
  });

  it('records DataType text and aws:ec2:image and refuses others', async () => {
    await put({ Name: 'ami', Value: 'ami-0123456789abcdef0', Type: 'String', DataType: 'aws:ec2:image' });
    assert.equal((await ssm().send(new GetParameterCommand({ Name: 'ami' }))).Parameter!.DataType, 'aws:ec2:image');
    await rejectsWith(
      put({ Name: 'img', Value: 'x', Type: 'String', DataType: 'AWS:EC2:IMAGE' }),
      'ValidationException',
      'The following data type is not supported: AWS:EC2:IMAGE (Data type names are all lowercase.)',
    );
  });

  describe('versions', () => {
    it('keeps the 100 newest versions, dropping the oldest unlabelled one', async () => {
      for (let i = 1; i <= 101; i++) await put({ Name: 'many', Value: `v${i}`, Type: 'String', Overwrite: true });
      const history = await ssm().send(new GetParameterHistoryCommand({ Name: 'many', MaxResults: 50 }));
      assert.equal(history.Parameters![0].Version, 2);
      assert.equal((await ssm().send(new GetParameterCommand({ Name: 'many' }))).Parameter!.Version, 101);
      await rejectsWith(ssm().send(new GetParameterCommand({ Name: 'many:1' })), 'ParameterVersionNotFound', 'Systems Manager could not find version 1 of many. Verify the version and try again.');

      await ssm().send(new LabelParameterVersionCommand({ Name: 'many', ParameterVersion: 2, Labels: ['pinned'] }));
      await rejectsWith(
        put({ Name: 'many', Value: 'v102', Overwrite: true }),
        'ParameterMaxVersionLimitExceeded',
        "You attempted to create a new version of many by calling the PutParameter API with the overwrite flag. Version 2, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.",
      );
    });
  });

  describe('deleting', () => {
    it('deletes one parameter and reports a missing one', async () => {
      await put({ Name: '/del/a', Value: 'a', Type: 'String' });
      await ssm().send(new DeleteParameterCommand({ Name: '/del/a' }));
      await rejectsWith(ssm().send(new GetParameterCommand({ Name: '/del/a' })), 'ParameterNotFound', 'Parameter /del/a not found.');
      await rejectsWith(ssm().send(new DeleteParameterCommand({ Name: '/del/a' })), 'ParameterNotFound', 'Parameter /del/a not found.');
    });

    it('deletes in batches, listing names it could not delete', async () => {
      await put({ Name: '/del/b', Value: 'b', Type: 'String' });
      await put({ Name: 'c', Value: 'c', Type: 'String' });
      const result = await ssm().send(new DeleteParametersCommand({ Names: ['/del/b', '/c', '/del/none', 'bad/name'] }));
      assert.deepEqual(result.DeletedParameters, ['/del/b', '/c']);
      assert.deepEqual(result.InvalidParameters, ['/del/none', 'bad/name']);
      assert.deepEqual((await ssm().send(new DescribeParametersCommand({}))).Parameters, []);
    });
  });
});
