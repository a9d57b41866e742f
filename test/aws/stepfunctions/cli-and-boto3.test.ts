/**
 * The Step Functions wire format through two more independent clients: the AWS CLI (botocore, v1) and
 * boto3, each run as a child process against the started Nimbus.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cliRunners, jsonDocuments } from '../../helpers/cli.js';
import { useNimbus } from '../../helpers/nimbus.js';
import { ACCOUNT, ROLE, definition } from './sfn-helpers.js';

const DEFINITION = definition({ Greet: { Type: 'Pass', Parameters: { 'message.$': "States.Format('hello {}', $.who)" }, End: true } });

describe('Step Functions through the AWS CLI and boto3', () => {
  const nimbus = useNimbus();
  const { exec, shell, python } = cliRunners(nimbus);

  it('creates a state machine, runs an execution and reads its history with the AWS CLI', async () => {
    const machineArn = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:greeter`;
    const executionArn = `arn:aws:states:us-east-1:${ACCOUNT}:execution:greeter:cli-run`;
    // The definition holds quotes of both kinds, so it goes in as one argument with no shell in between.
    const create = await exec('aws', ['stepfunctions', 'create-state-machine', '--name', 'greeter', '--role-arn', ROLE, '--definition', DEFINITION]);
    assert.equal(create.code, 0, create.stderr);
    const [created] = jsonDocuments(create.stdout);
    const outcome = await shell(
      [
        `aws stepfunctions start-execution --state-machine-arn ${machineArn} --name cli-run --input '{"who":"cli"}'`,
        // A bounded poll: each CLI call is a process start, no sleeps.
        `for i in $(seq 1 20); do s=$(aws stepfunctions describe-execution --execution-arn ${executionArn} --query status --output text); [ "$s" != RUNNING ] && break; done`,
        `aws stepfunctions describe-execution --execution-arn ${executionArn}`,
        `aws stepfunctions get-execution-history --execution-arn ${executionArn} --reverse-order --max-items 1`,
      ].join(' && '),
    );
    assert.equal(outcome.code, 0, outcome.stderr);
    const [started, described, history] = jsonDocuments(outcome.stdout);
    assert.equal(created.stateMachineArn, machineArn);
    assert.equal(started.executionArn, executionArn);
    assert.equal(described.status, 'SUCCEEDED');
    assert.equal(described.output, '{"message":"hello cli"}');
    // CLI v1 prints timestamps as the wire sent them: epoch seconds.
    assert.equal(typeof described.startDate, 'number');
    assert.deepEqual((history.events as { type: string; id: number }[]).map((event) => [event.id, event.type]), [[4, 'ExecutionSucceeded']]);

    const missing = await shell(`aws stepfunctions describe-state-machine --state-machine-arn ${machineArn}-x`);
    assert.equal(missing.code, 255);
    assert.match(missing.stderr, new RegExp(`An error occurred \\(StateMachineDoesNotExist\\) when calling the DescribeStateMachine operation: State Machine Does Not Exist: '${machineArn}-x'`));
  });

  it('runs an Express machine synchronously and reports InvalidDefinition with boto3', async () => {
    const outcome = await python(`
import boto3, json
from botocore.config import Config
# StartSyncExecution carries the host prefix "sync-", which a local endpoint cannot resolve.
sfn = boto3.client('stepfunctions', config=Config(inject_host_prefix=False))
arn = sfn.create_state_machine(name='fast', roleArn='${ROLE}', type='EXPRESS', definition='''${DEFINITION}''')['stateMachineArn']
result = sfn.start_sync_execution(stateMachineArn=arn, input=json.dumps({'who': 'boto3'}))
print(json.dumps({'status': result['status'], 'output': result['output']}))
try:
    sfn.create_state_machine(name='broken', roleArn='${ROLE}', definition=json.dumps({'StartAt': 'Missing', 'States': {'A': {'Type': 'Succeed'}}}))
except sfn.exceptions.InvalidDefinition as error:
    print(json.dumps({'code': error.response['Error']['Code'], 'message': error.response['Error']['Message']}))
`);
    assert.equal(outcome.code, 0, outcome.stderr);
    const [sync, invalid] = outcome.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(sync, { status: 'SUCCEEDED', output: '{"message":"hello boto3"}' });
    assert.equal(invalid.code, 'InvalidDefinition');
    assert.match(String(invalid.message), /^Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'StartAt' target: Missing at \/StartAt/);
  });

  it('tests a state with the AWS CLI, and redrives and describes a Map Run with boto3', async () => {
    // TestState's host prefix "sync-" cannot resolve locally: botocore's AWS_DISABLE_HOST_PREFIX_INJECTION turns it off.
    const tested = await shell(`AWS_DISABLE_HOST_PREFIX_INJECTION=true aws stepfunctions test-state --role-arn ${ROLE} --inspection-level DEBUG --input '{"n":1}' --definition '{"Type":"Pass","Result":2,"ResultPath":"$.m","Next":"After"}'`);
    assert.equal(tested.code, 0, tested.stderr);
    const [result] = jsonDocuments(tested.stdout);
    assert.deepEqual([result.status, result.nextState, result.output], ['SUCCEEDED', 'After', '{"n":1,"m":2}']);
    assert.equal((result.inspectionData as Record<string, unknown>).afterResultPath, '{"n":1,"m":2}');

    const outcome = await python(`
import boto3, json
sfn = boto3.client('stepfunctions')
spread = {'StartAt': 'Spread', 'States': {'Spread': {'Type': 'Map', 'End': True, 'ItemProcessor': {
    'ProcessorConfig': {'Mode': 'DISTRIBUTED', 'ExecutionType': 'STANDARD'}, 'StartAt': 'Echo', 'States': {'Echo': {'Type': 'Pass', 'End': True}}}}}}
arn = sfn.create_state_machine(name='spread', roleArn='${ROLE}', definition=json.dumps(spread))['stateMachineArn']
run = sfn.start_execution(stateMachineArn=arn, input='[1,2,3]')['executionArn']
for _ in range(200):
    if sfn.describe_execution(executionArn=run)['status'] != 'RUNNING':
        break
described = sfn.describe_execution(executionArn=run)
map_run = sfn.list_map_runs(executionArn=run)['mapRuns'][0]['mapRunArn']
counts = sfn.describe_map_run(mapRunArn=map_run)['itemCounts']
print(json.dumps({'status': described['status'], 'redriveStatus': described['redriveStatus'], 'succeeded': counts['succeeded'], 'total': counts['total']}))
try:
    sfn.redrive_execution(executionArn=run)
except sfn.exceptions.ExecutionNotRedrivable as error:
    print(json.dumps({'code': error.response['Error']['Code'], 'message': error.response['Error']['Message']}))
`);
    assert.equal(outcome.code, 0, outcome.stderr);
    const [mapRun, refused] = outcome.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(mapRun, { status: 'SUCCEEDED', redriveStatus: 'NOT_REDRIVABLE', succeeded: 3, total: 3 });
    assert.deepEqual(refused, { code: 'ExecutionNotRedrivable', message: 'Execution is SUCCEEDED and cannot be redriven.' });
  });

  it('lists a Map Run\'s child executions with the AWS CLI, and describes one and its history with boto3', async () => {
    const outcome = await python(`
import boto3, json
sfn = boto3.client('stepfunctions')
spread = {'StartAt': 'Spread', 'States': {'Spread': {'Type': 'Map', 'Label': 'fan', 'End': True, 'ItemBatcher': {'MaxItemsPerBatch': 2}, 'ItemProcessor': {
    'ProcessorConfig': {'Mode': 'DISTRIBUTED', 'ExecutionType': 'STANDARD'}, 'StartAt': 'Echo', 'States': {'Echo': {'Type': 'Pass', 'End': True}}}}}}
arn = sfn.create_state_machine(name='children', roleArn='${ROLE}', definition=json.dumps(spread))['stateMachineArn']
run = sfn.start_execution(stateMachineArn=arn, input='[1,2,3]')['executionArn']
for _ in range(200):
    if sfn.describe_execution(executionArn=run)['status'] != 'RUNNING':
        break
print(sfn.list_map_runs(executionArn=run)['mapRuns'][0]['mapRunArn'])
`);
    assert.equal(outcome.code, 0, outcome.stderr);
    const mapRunArn = outcome.stdout.trim();
    const listed = await exec('aws', ['stepfunctions', 'list-executions', '--map-run-arn', mapRunArn]);
    assert.equal(listed.code, 0, listed.stderr);
    const [listing] = jsonDocuments(listed.stdout);
    const children = listing.executions as Record<string, unknown>[];
    assert.deepEqual(children.map((child) => [child.status, child.mapRunArn, child.stateMachineArn]), [
      ['SUCCEEDED', mapRunArn, `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:children/fan`], ['SUCCEEDED', mapRunArn, `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:children/fan`],
    ]);
    assert.deepEqual(children.map((child) => child.itemCount).sort(), [1, 2]);

    const described = await python(`
import boto3, json
sfn = boto3.client('stepfunctions')
for child in ${JSON.stringify(children.map((child) => child.executionArn))}:
    d = sfn.describe_execution(executionArn=child)
    h = sfn.get_execution_history(executionArn=child)['events']
    print(json.dumps({'input': d['input'], 'output': d['output'], 'mapRunArn': d['mapRunArn'], 'types': [e['type'] for e in h]}))
`);
    assert.equal(described.code, 0, described.stderr);
    const details = described.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>).sort((a, b) => String(a.input).localeCompare(String(b.input)));
    assert.deepEqual(details, [
      { input: '{"Items":[1,2]}', output: '{"Items":[1,2]}', mapRunArn, types: ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded'] },
      { input: '{"Items":[3]}', output: '{"Items":[3]}', mapRunArn, types: ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded'] },
    ]);
  });
});
