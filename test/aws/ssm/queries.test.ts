import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DescribeParametersCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  LabelParameterVersionCommand,
  PutParameterCommand,
  paginateDescribeParameters,
  paginateGetParametersByPath,
} from '@aws-sdk/client-ssm';
import type { DescribeParametersCommandInput, GetParametersByPathCommandInput, PutParameterCommandInput, SSMClient } from '@aws-sdk/client-ssm';
import { ManualClock } from '../../../src/shared/clock.js';
import { rejectsWith } from '../../helpers/assertions.js';
import { useNimbus } from '../../helpers/nimbus.js';
import { INVALID_PATH, ssmClient } from './support.js';

const START = Date.UTC(2024, 4, 1, 12, 0, 0);

/** A small tree: a root-level name, /app/{db,url,flags}, /app/db/replica, /app/svc/api/key, /other/x. */
const TREE: PutParameterCommandInput[] = [
  { Name: 'rootlevel', Value: 'r', Type: 'String' },
  { Name: '/app/db', Value: 'pw', Type: 'SecureString' },
  { Name: '/app/url', Value: 'https://example.test', Type: 'String', Tags: [{ Key: 'team', Value: 'core' }] },
  { Name: '/app/flags', Value: 'a,b', Type: 'StringList', Tier: 'Advanced' },
  { Name: '/app/db/replica', Value: 'pw2', Type: 'SecureString', KeyId: 'alias/other' },
  { Name: '/app/svc/api/key', Value: 'k', Type: 'String', DataType: 'text', Tags: [{ Key: 'team', Value: 'edge' }] },
  { Name: '/other/x', Value: 'x', Type: 'String' },
];

describe('SSM queries', () => {
  const clock = new ManualClock(START);
  const nimbus = useNimbus({ clock });
  const ssm = (): SSMClient => ssmClient(nimbus());
  const plant = async (): Promise<void> => {
    for (const input of TREE) await ssm().send(new PutParameterCommand(input));
  };
  const byPath = async (input: GetParametersByPathCommandInput): Promise<string[]> => {
    const names: string[] = [];
    for await (const page of paginateGetParametersByPath({ client: ssm() }, input)) names.push(...page.Parameters!.map((p) => p.Name!));
    return names;
  };
  const describeNames = async (input: DescribeParametersCommandInput): Promise<string[]> => {
    const names: string[] = [];
    for await (const page of paginateDescribeParameters({ client: ssm() }, input)) names.push(...page.Parameters!.map((p) => p.Name!));
    return names;
  };

  describe('GetParametersByPath', () => {
    const cases: [string, GetParametersByPathCommandInput, string[]][] = [
      ['one level', { Path: '/app' }, ['/app/db', '/app/flags', '/app/url']],
      ['one level, trailing slash', { Path: '/app/' }, ['/app/db', '/app/flags', '/app/url']],
      ['recursively', { Path: '/app', Recursive: true }, ['/app/db', '/app/db/replica', '/app/flags', '/app/svc/api/key', '/app/url']],
      ['the root, one level', { Path: '/' }, ['rootlevel']],
      ['a parameter name as the path', { Path: '/app/url' }, []],
      ['Type filter', { Path: '/app', Recursive: true, ParameterFilters: [{ Key: 'Type', Values: ['SecureString'] }] }, ['/app/db', '/app/db/replica']],
      ['KeyId filter', { Path: '/app', Recursive: true, ParameterFilters: [{ Key: 'KeyId', Values: ['alias/other'] }] }, ['/app/db/replica']],
      ['KeyId prefix', { Path: '/app', Recursive: true, ParameterFilters: [{ Key: 'KeyId', Option: 'BeginsWith', Values: ['alias/aws'] }] }, ['/app/db']],
    ];
    for (const [what, input, expected] of cases) {
      it(`lists ${what}`, async () => {
        await plant();
        assert.deepEqual(await byPath(input), expected);
      });
    }

    it('decrypts SecureStrings on request only', async () => {
      await plant();
      const plain = await ssm().send(new GetParametersByPathCommand({ Path: '/app/db', WithDecryption: true }));
      assert.deepEqual(plain.Parameters!.map((p) => p.Value), ['pw2']);
      const sealed = await ssm().send(new GetParametersByPathCommand({ Path: '/app/db' }));
      assert.match(sealed.Parameters![0].Value!, /^AQICAH/);
    });

    it('pages with MaxResults and NextToken', async () => {
      await plant();
      const first = await ssm().send(new GetParametersByPathCommand({ Path: '/app', Recursive: true, MaxResults: 2 }));
      assert.deepEqual(first.Parameters!.map((p) => p.Name), ['/app/db', '/app/db/replica']);
      assert.ok(first.NextToken);
      const second = await ssm().send(new GetParametersByPathCommand({ Path: '/app', Recursive: true, MaxResults: 2, NextToken: first.NextToken }));
      assert.deepEqual(second.Parameters!.map((p) => p.Name), ['/app/flags', '/app/svc/api/key']);
      const third = await ssm().send(new GetParametersByPathCommand({ Path: '/app', Recursive: true, MaxResults: 2, NextToken: second.NextToken }));
      assert.deepEqual(third.Parameters!.map((p) => p.Name), ['/app/url']);
      assert.equal(third.NextToken, undefined);
    });

    it('returns the labelled version for a Label filter', async () => {
      await plant();
      await ssm().send(new PutParameterCommand({ Name: '/app/url', Value: 'https://v2.example.test', Overwrite: true }));
      await ssm().send(new LabelParameterVersionCommand({ Name: '/app/url', ParameterVersion: 1, Labels: ['live'] }));
      const result = await ssm().send(new GetParametersByPathCommand({ Path: '/app', ParameterFilters: [{ Key: 'Label', Values: ['live'] }] }));
      assert.deepEqual(
        result.Parameters!.map((p) => [p.Name, p.Version, p.Value]),
        [['/app/url', 1, 'https://example.test']],
      );
    });

    const errors: [string, GetParametersByPathCommandInput, string, string][] = [
      ['a path without a leading slash', { Path: 'app' }, 'ValidationException', INVALID_PATH],
      ['an empty level', { Path: '/app//db' }, 'ValidationException', INVALID_PATH],
      ['a special character', { Path: '/app/#' }, 'ValidationException', INVALID_PATH],
      ['a Name filter', { Path: '/app', ParameterFilters: [{ Key: 'Name', Values: ['x'] }] }, 'InvalidFilterKey', 'The following filter key is not valid: Name. Valid filter keys include: [Type, KeyId].'],
      ['a tag filter', { Path: '/app', ParameterFilters: [{ Key: 'tag:team' }] }, 'InvalidFilterKey', 'The following filter key is not valid: tag:team. Valid filter keys include: [Type, KeyId].'],
      [
        'a Label filter option other than Equals',
        { Path: '/app', ParameterFilters: [{ Key: 'Label', Option: 'BeginsWith', Values: ['x'] }] },
        'InvalidFilterOption',
        'The following filter option is not valid: BeginsWith. Valid options include: [Equals].',
      ],
      ['a foreign NextToken', { Path: '/app', NextToken: 'not-a-token' }, 'InvalidNextToken', "The specified token isn't valid."],
      [
        'MaxResults over 10',
        { Path: '/app', MaxResults: 11 },
        'ValidationException',
        "1 validation error detected: Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10",
      ],
    ];
    for (const [what, input, code, message] of errors) {
      it(`refuses ${what}`, async () => {
        await rejectsWith(ssm().send(new GetParametersByPathCommand(input)), code, message);
      });
    }
  });

  describe('DescribeParameters', () => {
    const cases: [string, DescribeParametersCommandInput, string[]][] = [
      ['everything', {}, ['/app/db', '/app/db/replica', '/app/flags', '/app/svc/api/key', '/app/url', '/other/x', 'rootlevel']],
      ['Name Equals, with or without slash', { ParameterFilters: [{ Key: 'Name', Values: ['rootlevel', '/other/x'] }] }, ['/other/x', 'rootlevel']],
      ['Name BeginsWith', { ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/app/d'] }] }, ['/app/db', '/app/db/replica']],
      ['Name Contains', { ParameterFilters: [{ Key: 'Name', Option: 'Contains', Values: ['api'] }] }, ['/app/svc/api/key']],
      ['Path OneLevel', { ParameterFilters: [{ Key: 'Path', Values: ['/app'] }] }, ['/app/db', '/app/flags', '/app/url']],
      ['Path Recursive', { ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/app/db/'] }] }, ['/app/db/replica']],
      ['Path / one level', { ParameterFilters: [{ Key: 'Path', Values: ['/'] }] }, ['rootlevel']],
      ['Type', { ParameterFilters: [{ Key: 'Type', Values: ['StringList', 'SecureString'] }] }, ['/app/db', '/app/db/replica', '/app/flags']],
      ['KeyId', { ParameterFilters: [{ Key: 'KeyId', Values: ['alias/aws/ssm'] }] }, ['/app/db']],
      ['Tier', { ParameterFilters: [{ Key: 'Tier', Values: ['Advanced'] }] }, ['/app/flags']],
      ['DataType', { ParameterFilters: [{ Key: 'DataType', Values: ['text'] }, { Key: 'Path', Values: ['/other'] }] }, ['/other/x']],
      ['tag presence', { ParameterFilters: [{ Key: 'tag:team' }] }, ['/app/svc/api/key', '/app/url']],
      ['tag value', { ParameterFilters: [{ Key: 'tag:team', Values: ['edge'] }] }, ['/app/svc/api/key']],
      ['legacy Name filter (a prefix)', { Filters: [{ Key: 'Name', Values: ['/app/s'] }] }, ['/app/svc/api/key']],
      ['legacy Type filter', { Filters: [{ Key: 'Type', Values: ['StringList'] }] }, ['/app/flags']],
      ['shared parameters', { Shared: true }, []],
    ];
    for (const [what, input, expected] of cases) {
      it(`filters by ${what}`, async () => {
        await plant();
        assert.deepEqual(await describeNames(input), expected);
      });
    }

    it('describes a parameter as AWS does', async () => {
      await ssm().send(new PutParameterCommand({ Name: '/d/p', Value: 'v', Type: 'String', Description: 'about', AllowedPattern: '.+' }));
      const { Parameters } = await ssm().send(new DescribeParametersCommand({}));
      assert.deepEqual(Parameters, [
        {
          Name: '/d/p',
          ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/d/p',
          Type: 'String',
          LastModifiedDate: new Date(START),
          LastModifiedUser: 'arn:aws:iam::000000000000:root',
          Description: 'about',
          AllowedPattern: '.+',
          Version: 1,
          Tier: 'Standard',
          Policies: [],
          DataType: 'text',
        },
      ]);
    });

    it('pages with MaxResults and NextToken', async () => {
      await plant();
      const first = await ssm().send(new DescribeParametersCommand({ MaxResults: 5 }));
      assert.equal(first.Parameters!.length, 5);
      const second = await ssm().send(new DescribeParametersCommand({ MaxResults: 5, NextToken: first.NextToken }));
      assert.deepEqual(second.Parameters!.map((p) => p.Name), ['/other/x', 'rootlevel']);
      assert.equal(second.NextToken, undefined);
    });

    const errors: [string, DescribeParametersCommandInput, string, string][] = [
      [
        'Filters with ParameterFilters',
        { Filters: [{ Key: 'Name', Values: ['a'] }], ParameterFilters: [{ Key: 'Name', Values: ['a'] }] },
        'ValidationException',
        'You can use either Filters or ParameterFilters in a single request.',
      ],
      ['a Label filter', { ParameterFilters: [{ Key: 'Label', Values: ['x'] }] }, 'InvalidFilterKey', 'The following filter key is not valid: Label. Valid filter keys include: [Path, Name, Type, KeyId, Tier].'],
      ['a filter without values', { ParameterFilters: [{ Key: 'Name' }] }, 'InvalidFilterValue', 'The following filter values are missing : null for filter key Name.'],
      [
        'a duplicated filter',
        { ParameterFilters: [{ Key: 'Name', Values: ['a'] }, { Key: 'Name', Values: ['b'] }] },
        'InvalidFilterKey',
        'The following filter is duplicated in the request: Name. A request can contain only one occurrence of a specific filter.',
      ],
      [
        'a Path option other than Recursive or OneLevel',
        { ParameterFilters: [{ Key: 'Path', Option: 'Equals', Values: ['/app'] }] },
        'InvalidFilterOption',
        'The following filter option is not valid: Equals. Valid options include: [Recursive, OneLevel].',
      ],
      ['a malformed Path value', { ParameterFilters: [{ Key: 'Path', Values: ['app'] }] }, 'ValidationException', INVALID_PATH],
      [
        'a Path under /aws',
        { ParameterFilters: [{ Key: 'Path', Values: ['/aws/service'] }] },
        'ValidationException',
        'Filters for common parameters can\'t be prefixed with "aws" or "ssm" (case-insensitive). When using global parameters, please specify within a global namespace.',
      ],
      [
        'an unknown option',
        { ParameterFilters: [{ Key: 'Type', Option: 'Like', Values: ['String'] }] },
        'InvalidFilterOption',
        'The following filter option is not valid: Like. Valid options include: [BeginsWith, Equals].',
      ],
      [
        'an unknown Tier',
        { ParameterFilters: [{ Key: 'Tier', Values: ['Premium'] }] },
        'InvalidFilterValue',
        'The following filter value is not valid: Premium. Valid values include: [Standard, Advanced, Intelligent-Tiering]',
      ],
      [
        'an unknown Type',
        { ParameterFilters: [{ Key: 'Type', Values: ['Secret'] }] },
        'InvalidFilterValue',
        'The following filter value is not valid: Secret. Valid values include: [String, StringList, SecureString]',
      ],
      [
        'an unknown filter key',
        { ParameterFilters: [{ Key: 'Owner', Values: ['me'] }] },
        'ValidationException',
        "1 validation error detected: Value 'Owner' at 'parameterFilters.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType",
      ],
    ];
    for (const [what, input, code, message] of errors) {
      it(`refuses ${what}`, async () => {
        await rejectsWith(ssm().send(new DescribeParametersCommand(input)), code, message);
      });
    }
  });

  describe('GetParameterHistory', () => {
    it('lists every version with its labels, oldest first, in pages', async () => {
      for (let i = 1; i <= 3; i++) {
        await ssm().send(new PutParameterCommand({ Name: '/h/p', Value: `v${i}`, Type: 'SecureString', Description: `d${i}`, Overwrite: true }));
        clock.advance(1000);
      }
      await ssm().send(new LabelParameterVersionCommand({ Name: '/h/p', ParameterVersion: 2, Labels: ['prod', 'blue'] }));

      const first = await ssm().send(new GetParameterHistoryCommand({ Name: '/h/p', WithDecryption: true, MaxResults: 2 }));
      assert.deepEqual(
        first.Parameters!.map((p) => [p.Version, p.Value, p.Description, p.Labels, p.LastModifiedDate]),
        [
          [1, 'v1', 'd1', [], new Date(START)],
          [2, 'v2', 'd2', ['prod', 'blue'], new Date(START + 1000)],
        ],
      );
      const second = await ssm().send(new GetParameterHistoryCommand({ Name: '/h/p', WithDecryption: true, MaxResults: 2, NextToken: first.NextToken }));
      assert.deepEqual(second.Parameters!.map((p) => p.Version), [3]);
      assert.equal(second.NextToken, undefined);

      const [entry] = (await ssm().send(new GetParameterHistoryCommand({ Name: 'arn:aws:ssm:us-east-1:000000000000:parameter/h/p', MaxResults: 1 }))).Parameters!;
      assert.deepEqual(
        { ...entry, Value: entry.Value!.slice(0, 6) },
        {
          Name: '/h/p',
          Type: 'SecureString',
          KeyId: 'alias/aws/ssm',
          LastModifiedDate: new Date(START),
          LastModifiedUser: 'arn:aws:iam::000000000000:root',
          Description: 'd1',
          Value: 'AQICAH',
          Version: 1,
          Labels: [],
          Tier: 'Standard',
          Policies: [],
          DataType: 'text',
        },
      );
    });

    it('names a missing parameter and refuses a foreign token', async () => {
      await rejectsWith(ssm().send(new GetParameterHistoryCommand({ Name: '/h/none' })), 'ParameterNotFound', 'Parameter /h/none not found.');
      await ssm().send(new PutParameterCommand({ Name: '/h/p', Value: 'v', Type: 'String' }));
      await rejectsWith(ssm().send(new GetParameterHistoryCommand({ Name: '/h/p', NextToken: 'garbage' })), 'InvalidNextToken', "The specified token isn't valid.");
    });
  });
});
