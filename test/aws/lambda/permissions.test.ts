import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { AddPermissionCommandInput } from '@aws-sdk/client-lambda';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  GetFunctionCommand,
  GetPolicyCommand,
  LambdaClient,
  PublishVersionCommand,
  RemovePermissionCommand,
} from '@aws-sdk/client-lambda';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';

const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';
const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:target';
const run = promisify(execFile);

type ServiceFailure = Error & { $metadata: { httpStatusCode?: number } };

function rejectsWith(promise: Promise<unknown>, name: string, message: string, status: number): Promise<void> {
  return assert.rejects(promise, (error: ServiceFailure) => {
    assert.equal(error.name, name);
    assert.equal(error.message, message);
    assert.equal(error.$metadata.httpStatusCode, status);
    return true;
  });
}

describe('Lambda resource-based policies', () => {
  const nimbus = useNimbus();
  const lambda = (): LambdaClient => new LambdaClient(clientSettings(nimbus()));

  async function createFunction(): Promise<void> {
    await lambda().send(new CreateFunctionCommand({
      FunctionName: 'target', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE,
      Code: { ZipFile: await zip({ 'index.mjs': 'export const handler = async () => 1;' }) },
    }));
  }

  const add = (input: Omit<AddPermissionCommandInput, 'FunctionName'> & { FunctionName?: string }): Promise<unknown> =>
    lambda().send(new AddPermissionCommand({ FunctionName: 'target', ...input }));

  const statementCases: { title: string; input: Omit<AddPermissionCommandInput, 'FunctionName' | 'StatementId'>; statement: Record<string, unknown> }[] = [
    {
      title: 'a service principal restricted by source ARN and account',
      input: { Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', SourceArn: 'arn:aws:s3:::my-bucket', SourceAccount: '000000000000' },
      statement: {
        Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: ARN,
        Condition: { StringEquals: { 'AWS:SourceAccount': '000000000000' }, ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::my-bucket' } },
      },
    },
    {
      title: 'another account, as its root',
      input: { Action: 'lambda:GetFunction', Principal: '210987654321' },
      statement: { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: 'lambda:GetFunction', Resource: ARN },
    },
    {
      title: 'an IAM role',
      input: { Action: 'lambda:InvokeFunctionUrl', Principal: 'arn:aws:iam::444455556666:role/example', FunctionUrlAuthType: 'AWS_IAM' },
      statement: {
        Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:role/example' }, Action: 'lambda:InvokeFunctionUrl', Resource: ARN,
        Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
      },
    },
    {
      title: 'everyone in an organization',
      input: { Action: 'lambda:InvokeFunction', Principal: '*', PrincipalOrgID: 'o-a1b2c3d4e5' },
      statement: { Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunction', Resource: ARN, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } },
    },
    {
      title: 'an Alexa skill with its event source token',
      input: { Action: 'lambda:InvokeFunction', Principal: 'alexa-connectedhome.amazonaws.com', EventSourceToken: 'amzn1.ask.skill.1' },
      statement: {
        Effect: 'Allow', Principal: { Service: 'alexa-connectedhome.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: ARN,
        Condition: { StringEquals: { 'lambda:EventSourceToken': 'amzn1.ask.skill.1' } },
      },
    },
    {
      title: 'public invocation through a function URL',
      input: { Action: 'lambda:InvokeFunction', Principal: '*', InvokedViaFunctionUrl: true },
      statement: { Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunction', Resource: ARN, Condition: { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } } },
    },
  ];

  for (const c of statementCases) {
    it(`renders a statement for ${c.title}`, async () => {
      await createFunction();
      const added = (await add({ StatementId: 'sid-1', ...c.input })) as { Statement: string; $metadata: { httpStatusCode: number } };
      assert.equal(added.$metadata.httpStatusCode, 201);
      assert.equal(added.Statement, JSON.stringify({ Sid: 'sid-1', ...c.statement }), 'Lambda key order, compact JSON');
      const policy = await lambda().send(new GetPolicyCommand({ FunctionName: 'target' }));
      assert.equal(policy.Policy, JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: [{ Sid: 'sid-1', ...c.statement }] }));
    });
  }

  it('keeps one policy per qualifier, and removing the last statement removes the policy', async () => {
    await createFunction();
    await lambda().send(new PublishVersionCommand({ FunctionName: 'target' }));
    await lambda().send(new CreateAliasCommand({ FunctionName: 'target', Name: 'live', FunctionVersion: '1' }));
    await add({ StatementId: 'same', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com' });
    await add({ StatementId: 'same', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', Qualifier: '1' });
    await add({ FunctionName: 'target:live', StatementId: 'same', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com' });
    await add({ StatementId: 'second', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' });

    const resources = async (qualifier?: string): Promise<string[]> => {
      const { Policy } = await lambda().send(new GetPolicyCommand({ FunctionName: 'target', Qualifier: qualifier }));
      return (JSON.parse(Policy!) as { Statement: { Sid: string; Resource: string }[] }).Statement.map((s) => `${s.Sid} ${s.Resource}`);
    };
    assert.deepEqual(await resources(), [`same ${ARN}`, `second ${ARN}`]);
    assert.deepEqual(await resources('$LATEST'), [`same ${ARN}`, `second ${ARN}`]);
    assert.deepEqual(await resources('1'), [`same ${ARN}:1`]);
    assert.deepEqual(await resources('live'), [`same ${ARN}:live`]);

    const removed = await lambda().send(new RemovePermissionCommand({ FunctionName: 'target', Qualifier: '1', StatementId: 'same' }));
    assert.equal(removed.$metadata.httpStatusCode, 204);
    await rejectsWith(lambda().send(new GetPolicyCommand({ FunctionName: 'target', Qualifier: '1' })), 'ResourceNotFoundException', 'The resource you requested does not exist.', 404);
    assert.deepEqual(await resources('live'), [`same ${ARN}:live`]);
  });

  it("changes the RevisionId of what the policy is attached to, and checks the caller's", async () => {
    await createFunction();
    const before = (await lambda().send(new GetFunctionCommand({ FunctionName: 'target' }))).Configuration!.RevisionId!;
    await rejectsWith(
      add({ StatementId: 'a', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', RevisionId: 'stale' }),
      'PreconditionFailedException',
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      412,
    );
    await add({ StatementId: 'a', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', RevisionId: before });
    const after = (await lambda().send(new GetFunctionCommand({ FunctionName: 'target' }))).Configuration!.RevisionId!;
    assert.notEqual(after, before);
    const policy = await lambda().send(new GetPolicyCommand({ FunctionName: 'target' }));
    assert.equal(policy.RevisionId, after);
    await rejectsWith(
      lambda().send(new RemovePermissionCommand({ FunctionName: 'target', StatementId: 'a', RevisionId: before })),
      'PreconditionFailedException',
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      412,
    );
  });

  const errorCases: { title: string; send: () => Promise<unknown>; name: string; message: string; status: number }[] = [
    {
      title: 'a statement id already in the policy',
      send: () => add({ StatementId: 'existing', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com' }),
      name: 'ResourceConflictException',
      message: 'The statement id (existing) provided already exists. Please provide a new statement id, or remove the existing statement.',
      status: 409,
    },
    {
      title: 'a policy on $LATEST',
      send: () => add({ StatementId: 'new', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', Qualifier: '$LATEST' }),
      name: 'InvalidParameterValueException',
      message: 'We currently do not support adding policies for $LATEST.',
      status: 400,
    },
    {
      title: 'a principal Lambda cannot read',
      send: () => add({ StatementId: 'new', Action: 'lambda:InvokeFunction', Principal: 'someone' }),
      name: 'InvalidParameterValueException',
      message: 'The provided principal was invalid. Please check the principal and try again.',
      status: 400,
    },
    {
      title: 'a version that does not exist',
      send: () => add({ StatementId: 'new', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', Qualifier: '7' }),
      name: 'ResourceNotFoundException',
      message: `Function not found: ${ARN}:7`,
      status: 404,
    },
    {
      title: 'a function that does not exist',
      send: () => add({ FunctionName: 'missing', StatementId: 'new', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com' }),
      name: 'ResourceNotFoundException',
      message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing',
      status: 404,
    },
    {
      title: 'removing a statement id the policy lacks',
      send: () => lambda().send(new RemovePermissionCommand({ FunctionName: 'target', StatementId: 'other' })),
      name: 'ResourceNotFoundException',
      message: 'Statement other is not found in resource policy.',
      status: 404,
    },
    {
      title: 'removing from a version without a policy',
      send: async () => {
        await lambda().send(new PublishVersionCommand({ FunctionName: 'target' }));
        return lambda().send(new RemovePermissionCommand({ FunctionName: 'target', Qualifier: '1', StatementId: 'existing' }));
      },
      name: 'ResourceNotFoundException',
      message: 'No policy is associated with the given resource.',
      status: 404,
    },
  ];
  for (const c of errorCases) {
    it(`rejects ${c.title}`, async () => {
      await createFunction();
      await add({ StatementId: 'existing', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com' });
      await rejectsWith(c.send(), c.name, c.message, c.status);
    });
  }

  it('answers GetPolicy with ResourceNotFoundException before any permission exists', async () => {
    await createFunction();
    await rejectsWith(lambda().send(new GetPolicyCommand({ FunctionName: 'target' })), 'ResourceNotFoundException', 'The resource you requested does not exist.', 404);
  });

  it('refuses a statement that takes the policy past 20 KB', async () => {
    await createFunction();
    const statement = (i: number): Promise<unknown> =>
      add({ StatementId: `statement-${String(i).padStart(3, '0')}`, Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: `arn:aws:sns:us-east-1:000000000000:topic-${'x'.repeat(60)}-${String(i)}` });
    let i = 0;
    for (;;) {
      try {
        await statement(i++);
      } catch (error) {
        const failure = error as ServiceFailure;
        assert.equal(failure.name, 'PolicyLengthExceededException');
        assert.match(failure.message, /^The final policy size \(\d+\) is bigger than the limit \(20480\)\.$/);
        assert.equal(failure.$metadata.httpStatusCode, 400);
        break;
      }
    }
    const { Policy } = await lambda().send(new GetPolicyCommand({ FunctionName: 'target' }));
    assert.ok(Buffer.byteLength(Policy!) <= 20480);
    assert.equal((JSON.parse(Policy!) as { Statement: unknown[] }).Statement.length, i - 1);
  });

  describe('through the AWS CLI and boto3', () => {
    const env = (): NodeJS.ProcessEnv => {
      const { AWS_PROFILE: _profile, ...rest } = process.env;
      return {
        ...rest,
        AWS_ENDPOINT_URL: nimbus().endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_CONFIG_FILE: '/nonexistent/aws-config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
      };
    };
    const exec = async (file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
      try {
        const { stdout, stderr } = await run(file, args, { env: env() });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code: number; stdout: string; stderr: string };
        return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
      }
    };

    it('adds, reads and removes permissions and URL configs with the AWS CLI', async () => {
      await createFunction();
      const created = await exec('aws', ['lambda', 'create-function-url-config', '--function-name', 'target', '--auth-type', 'NONE', '--cors', 'AllowOrigins=https://example.com,MaxAge=60']);
      assert.equal(created.code, 0, created.stderr);
      const config = JSON.parse(created.stdout) as Record<string, unknown>;
      assert.match(String(config.FunctionUrl), /^http:\/\/[a-z0-9]{32}\.lambda-url\.us-east-1\.localhost:\d+\/$/);
      assert.deepEqual(config.Cors, { AllowOrigins: ['https://example.com'], MaxAge: 60 });

      const added = await exec('aws', ['lambda', 'add-permission', '--function-name', 'target', '--statement-id', 'FunctionURLAllowPublicAccess', '--action', 'lambda:InvokeFunctionUrl', '--principal', '*', '--function-url-auth-type', 'NONE']);
      assert.equal(added.code, 0, added.stderr);
      const viaUrl = await exec('aws', ['lambda', 'add-permission', '--function-name', 'target', '--statement-id', 'FunctionURLInvokeAllowPublicAccess', '--action', 'lambda:InvokeFunction', '--principal', '*', '--invoked-via-function-url']);
      assert.equal(viaUrl.code, 0, viaUrl.stderr);
      assert.deepEqual(JSON.parse((JSON.parse(viaUrl.stdout) as { Statement: string }).Statement), {
        Sid: 'FunctionURLInvokeAllowPublicAccess', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunction', Resource: ARN, Condition: { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } },
      });

      const policy = await exec('aws', ['lambda', 'get-policy', '--function-name', 'target', '--query', 'Policy', '--output', 'text']);
      assert.equal(policy.code, 0, policy.stderr);
      assert.deepEqual((JSON.parse(policy.stdout) as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid), ['FunctionURLAllowPublicAccess', 'FunctionURLInvokeAllowPublicAccess']);

      const duplicate = await exec('aws', ['lambda', 'add-permission', '--function-name', 'target', '--statement-id', 'FunctionURLAllowPublicAccess', '--action', 'lambda:InvokeFunctionUrl', '--principal', '*']);
      assert.notEqual(duplicate.code, 0);
      assert.equal(
        duplicate.stderr.trim(),
        'An error occurred (ResourceConflictException) when calling the AddPermission operation: The statement id (FunctionURLAllowPublicAccess) provided already exists. Please provide a new statement id, or remove the existing statement.',
      );
      assert.equal((await exec('aws', ['lambda', 'remove-permission', '--function-name', 'target', '--statement-id', 'FunctionURLAllowPublicAccess'])).code, 0);
      assert.equal((await exec('aws', ['lambda', 'delete-function-url-config', '--function-name', 'target'])).code, 0);
      const gone = await exec('aws', ['lambda', 'get-function-url-config', '--function-name', 'target']);
      assert.equal(gone.stderr.trim(), 'An error occurred (ResourceNotFoundException) when calling the GetFunctionUrlConfig operation: The resource you requested does not exist.');
    });

    it('does the same through boto3', async () => {
      await createFunction();
      const script = `
import boto3, json
from botocore.exceptions import ClientError
client = boto3.client('lambda')
url = client.create_function_url_config(FunctionName='target', AuthType='AWS_IAM')
statement = json.loads(client.add_permission(FunctionName='target', StatementId='xaccount', Action='lambda:InvokeFunctionUrl', Principal='210987654321', FunctionUrlAuthType='AWS_IAM')['Statement'])
policy = client.get_policy(FunctionName='target')
client.remove_permission(FunctionName='target', StatementId='xaccount')
try:
    client.get_policy(FunctionName='target')
    missing = None
except ClientError as error:
    missing = [error.response['Error']['Code'], error.response['Error']['Message'], error.response['ResponseMetadata']['HTTPStatusCode']]
listed = client.list_function_url_configs(FunctionName='target')['FunctionUrlConfigs']
print(json.dumps({'auth': url['AuthType'], 'statement': statement, 'policy': json.loads(policy['Policy']), 'missing': missing, 'listed': [c['FunctionUrl'] for c in listed], 'url': url['FunctionUrl']}))
`;
      const outcome = await exec('python3', ['-c', script]);
      assert.equal(outcome.code, 0, outcome.stderr);
      const result = JSON.parse(outcome.stdout) as { auth: string; statement: unknown; policy: { Statement: unknown[] }; missing: unknown; listed: string[]; url: string };
      assert.equal(result.auth, 'AWS_IAM');
      const expected = {
        Sid: 'xaccount', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: 'lambda:InvokeFunctionUrl', Resource: ARN,
        Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
      };
      assert.deepEqual(result.statement, expected);
      assert.deepEqual(result.policy, { Version: '2012-10-17', Id: 'default', Statement: [expected] });
      assert.deepEqual(result.missing, ['ResourceNotFoundException', 'The resource you requested does not exist.', 404]);
      assert.deepEqual(result.listed, [result.url]);
    });
  });
});
