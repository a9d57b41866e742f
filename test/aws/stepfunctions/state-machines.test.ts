import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteStateMachineAliasCommand,
  DeleteStateMachineCommand,
  DeleteStateMachineVersionCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  ListStateMachineAliasesCommand,
  ListStateMachinesCommand,
  ListStateMachineVersionsCommand,
  ListTagsForResourceCommand,
  PublishStateMachineVersionCommand,
  StartExecutionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { useNimbus } from '../../helpers/nimbus.js';
import { rejection } from '../../helpers/assertions.js';
import { ACCOUNT, PASS_DEFINITION, ROLE, definition, settle, sfnClient } from './sfn-helpers.js';

const ARN = (name: string): string => `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:${name}`;

describe('Step Functions state machines through @aws-sdk/client-sfn', () => {
  const nimbus = useNimbus();

  it('creates, describes, updates, lists and deletes a state machine', async () => {
    const sfn = sfnClient(nimbus());
    const created = await sfn.send(new CreateStateMachineCommand({
      name: 'orders', definition: PASS_DEFINITION, roleArn: ROLE, type: 'STANDARD', tags: [{ key: 'team', value: 'a' }],
      loggingConfiguration: { level: 'ALL', includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:sfn:*` } }] },
    }));
    assert.equal(created.stateMachineArn, ARN('orders'));
    assert.ok(created.creationDate instanceof Date);

    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: ARN('orders') }));
    assert.equal(described.name, 'orders');
    assert.equal(described.status, 'ACTIVE');
    assert.equal(described.type, 'STANDARD');
    assert.equal(described.definition, PASS_DEFINITION);
    assert.equal(described.roleArn, ROLE);
    assert.equal(described.loggingConfiguration?.level, 'ALL');
    assert.equal(described.loggingConfiguration?.includeExecutionData, true);
    assert.deepEqual(described.tracingConfiguration, { enabled: false });

    const newDefinition = definition({ Only: { Type: 'Succeed' } });
    const updated = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: ARN('orders'), definition: newDefinition }));
    assert.ok(updated.updateDate instanceof Date);
    assert.notEqual(updated.revisionId, described.revisionId);
    assert.equal((await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: ARN('orders') }))).definition, newDefinition);

    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: ARN('orders') }));
    const gone = await rejection(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: ARN('orders') })));
    assert.equal(gone.name, 'StateMachineDoesNotExist');
    assert.equal(gone.message, `State Machine Does Not Exist: '${ARN('orders')}'`);
    assert.equal(gone.$metadata.httpStatusCode, 400);
    // Deleting again succeeds, as AWS's delete is idempotent.
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: ARN('orders') }));
  });

  it('is idempotent for an identical create and rejects a different definition under the same name', async () => {
    const sfn = sfnClient(nimbus());
    const first = await sfn.send(new CreateStateMachineCommand({ name: 'same', definition: PASS_DEFINITION, roleArn: ROLE }));
    const again = await sfn.send(new CreateStateMachineCommand({ name: 'same', definition: PASS_DEFINITION, roleArn: ROLE }));
    assert.equal(again.stateMachineArn, first.stateMachineArn);
    assert.equal(again.creationDate?.getTime(), first.creationDate?.getTime());
    const conflict = await rejection(sfn.send(new CreateStateMachineCommand({ name: 'same', definition: definition({ X: { Type: 'Succeed' } }), roleArn: ROLE })));
    assert.equal(conflict.name, 'StateMachineAlreadyExists');
    assert.equal(conflict.message, `State Machine Already Exists: '${ARN('same')}'`);
  });

  const invalidCases: { title: string; input: { name: string; definition: string; roleArn: string }; code: string; message: string }[] = [
    {
      title: 'a missing Next target',
      input: { name: 'bad', roleArn: ROLE, definition: definition({ A: { Type: 'Pass', Next: 'Nowhere' } }) },
      code: 'InvalidDefinition',
      message: "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: Nowhere at /States/A/Next, MISSING_END_STATE: Workflow has no terminal state at /States'",
    },
    { title: 'a name with a space', input: { name: 'has space', roleArn: ROLE, definition: PASS_DEFINITION }, code: 'InvalidName', message: "Invalid Name: 'has space'" },
    { title: 'a name with a slash', input: { name: 'a/b', roleArn: ROLE, definition: PASS_DEFINITION }, code: 'InvalidName', message: "Invalid Name: 'a/b'" },
    { title: 'a role that is not an IAM role ARN', input: { name: 'ok', roleArn: 'not-an-arn', definition: PASS_DEFINITION }, code: 'InvalidArn', message: "Invalid Arn: 'Invalid ARN prefix: not-an-arn'" },
  ];
  for (const testCase of invalidCases) {
    it(`rejects ${testCase.title}`, async () => {
      const error = await rejection(sfnClient(nimbus()).send(new CreateStateMachineCommand(testCase.input)));
      assert.equal(error.name, testCase.code);
      assert.equal(error.message, testCase.message);
      assert.equal(error.$metadata.httpStatusCode, 400);
    });
  }

  it('rejects logging without a destination and an update with nothing to change', async () => {
    const sfn = sfnClient(nimbus());
    const logging = await rejection(sfn.send(new CreateStateMachineCommand({ name: 'logs', definition: PASS_DEFINITION, roleArn: ROLE, loggingConfiguration: { level: 'ERROR' } })));
    assert.equal(logging.name, 'InvalidLoggingConfiguration');
    await sfn.send(new CreateStateMachineCommand({ name: 'logs', definition: PASS_DEFINITION, roleArn: ROLE }));
    const empty = await rejection(sfn.send(new UpdateStateMachineCommand({ stateMachineArn: ARN('logs') })));
    assert.equal(empty.name, 'MissingRequiredParameter');
    assert.equal(empty.message, 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified');
  });

  it('validates definitions without creating anything', async () => {
    const sfn = sfnClient(nimbus());
    const ok = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: PASS_DEFINITION }));
    assert.equal(ok.result, 'OK');
    assert.deepEqual(ok.diagnostics, []);
    const bad = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: definition({ A: { Type: 'Pass', Next: 'B' } }) }));
    assert.equal(bad.result, 'FAIL');
    assert.deepEqual(bad.diagnostics, [
      { severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET', message: "Missing 'Next' target: B", location: '/States/A/Next' },
      { severity: 'ERROR', code: 'MISSING_END_STATE', message: 'Workflow has no terminal state', location: '/States' },
    ]);
  });

  it('lists state machines in pages', async () => {
    const sfn = sfnClient(nimbus());
    for (const name of ['m1', 'm2', 'm3']) await sfn.send(new CreateStateMachineCommand({ name, definition: PASS_DEFINITION, roleArn: ROLE, type: name === 'm2' ? 'EXPRESS' : 'STANDARD' }));
    const first = await sfn.send(new ListStateMachinesCommand({ maxResults: 2 }));
    assert.deepEqual(first.stateMachines?.map((machine) => [machine.name, machine.type]), [['m1', 'STANDARD'], ['m2', 'EXPRESS']]);
    assert.ok(first.nextToken);
    const second = await sfn.send(new ListStateMachinesCommand({ maxResults: 2, nextToken: first.nextToken }));
    assert.deepEqual(second.stateMachines?.map((machine) => machine.name), ['m3']);
    assert.equal(second.nextToken, undefined);
    const badToken = await rejection(sfn.send(new ListStateMachinesCommand({ nextToken: 'garbage' })));
    assert.equal(badToken.name, 'InvalidToken');
  });

  it('tags and untags a state machine', async () => {
    const sfn = sfnClient(nimbus());
    await sfn.send(new CreateStateMachineCommand({ name: 'tagged', definition: PASS_DEFINITION, roleArn: ROLE, tags: [{ key: 'a', value: '1' }] }));
    await sfn.send(new TagResourceCommand({ resourceArn: ARN('tagged'), tags: [{ key: 'b', value: '2' }, { key: 'a', value: '3' }] }));
    assert.deepEqual((await sfn.send(new ListTagsForResourceCommand({ resourceArn: ARN('tagged') }))).tags, [{ key: 'a', value: '3' }, { key: 'b', value: '2' }]);
    await sfn.send(new UntagResourceCommand({ resourceArn: ARN('tagged'), tagKeys: ['a'] }));
    assert.deepEqual((await sfn.send(new ListTagsForResourceCommand({ resourceArn: ARN('tagged') }))).tags, [{ key: 'b', value: '2' }]);
    const missing = await rejection(sfn.send(new ListTagsForResourceCommand({ resourceArn: ARN('nope') })));
    assert.equal(missing.name, 'ResourceNotFound');
    assert.equal(missing.message, `Resource not found: '${ARN('nope')}'`);
  });
});

describe('Step Functions state machine versions and aliases', () => {
  const nimbus = useNimbus();

  it('publishes numbered versions, runs them directly and through an alias, and deletes them', async () => {
    const sfn = sfnClient(nimbus());
    const v1Definition = definition({ Say: { Type: 'Pass', Result: 'one', End: true } });
    const created = await sfn.send(new CreateStateMachineCommand({ name: 'versioned', definition: v1Definition, roleArn: ROLE, publish: true, versionDescription: 'first' }));
    assert.equal(created.stateMachineVersionArn, `${ARN('versioned')}:1`);
    const updated = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: ARN('versioned'), definition: definition({ Say: { Type: 'Pass', Result: 'two', End: true } }), publish: true }));
    assert.equal(updated.stateMachineVersionArn, `${ARN('versioned')}:2`);
    // The current revision already has version 2, so publishing again returns it.
    const again = await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: ARN('versioned') }));
    assert.equal(again.stateMachineVersionArn, `${ARN('versioned')}:2`);
    const conflict = await rejection(sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: ARN('versioned'), revisionId: 'stale' })));
    assert.equal(conflict.name, 'ConflictException');

    const versions = await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: ARN('versioned') }));
    assert.deepEqual(versions.stateMachineVersions?.map((version) => version.stateMachineVersionArn), [`${ARN('versioned')}:2`, `${ARN('versioned')}:1`]);
    const first = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${ARN('versioned')}:1` }));
    assert.equal(first.definition, v1Definition);
    assert.equal(first.stateMachineArn, `${ARN('versioned')}:1`);
    assert.equal(first.description, 'first');

    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${ARN('versioned')}:1` }));
    assert.equal(started.executionArn?.startsWith(`arn:aws:states:us-east-1:${ACCOUNT}:execution:versioned:`), true);
    const done = await settle(sfn, started.executionArn ?? '');
    assert.equal(done.output, '"one"');
    assert.equal(done.stateMachineVersionArn, `${ARN('versioned')}:1`);

    // An alias routes executions to versions by weight.
    const alias = await sfn.send(new CreateStateMachineAliasCommand({
      name: 'live', description: 'production', routingConfiguration: [{ stateMachineVersionArn: `${ARN('versioned')}:1`, weight: 100 }, { stateMachineVersionArn: `${ARN('versioned')}:2`, weight: 0 }],
    }));
    assert.equal(alias.stateMachineAliasArn, `${ARN('versioned')}:live`);
    const viaAlias = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${ARN('versioned')}:live` }));
    const aliased = await settle(sfn, viaAlias.executionArn ?? '');
    assert.equal(aliased.output, '"one"');
    assert.equal(aliased.stateMachineAliasArn, `${ARN('versioned')}:live`);
    assert.equal(aliased.stateMachineVersionArn, `${ARN('versioned')}:1`);
    await sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: alias.stateMachineAliasArn, routingConfiguration: [{ stateMachineVersionArn: `${ARN('versioned')}:2`, weight: 100 }] }));
    const describedAlias = await sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: alias.stateMachineAliasArn }));
    assert.deepEqual(describedAlias.routingConfiguration, [{ stateMachineVersionArn: `${ARN('versioned')}:2`, weight: 100 }]);
    assert.equal(describedAlias.description, 'production');
    assert.deepEqual((await sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: ARN('versioned') }))).stateMachineAliases?.map((item) => item.stateMachineAliasArn), [`${ARN('versioned')}:live`]);
    const badWeights = await rejection(sfn.send(new CreateStateMachineAliasCommand({ name: 'half', routingConfiguration: [{ stateMachineVersionArn: `${ARN('versioned')}:1`, weight: 50 }] })));
    assert.equal(badWeights.name, 'ValidationException');
    assert.equal(badWeights.message, 'Sum of routing configuration weights must be equal to 100.');
    await sfn.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn: alias.stateMachineAliasArn }));
    const noAlias = await rejection(sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: alias.stateMachineAliasArn })));
    assert.equal(noAlias.name, 'ResourceNotFound');

    await sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${ARN('versioned')}:1` }));
    const gone = await rejection(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${ARN('versioned')}:1` })));
    assert.equal(gone.name, 'StateMachineDoesNotExist');
    assert.equal(gone.message, `State Machine Does Not Exist: '${ARN('versioned')}:1'`);
  });
});
