import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateActivityCommand,
  CreateStateMachineCommand,
  DeleteActivityCommand,
  DescribeActivityCommand,
  GetActivityTaskCommand,
  GetExecutionHistoryCommand,
  ListActivitiesCommand,
  ListTagsForResourceCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  TagResourceCommand,
} from '@aws-sdk/client-sfn';
import { ManualClock } from '../../../src/shared/clock.js';
import { useNimbus } from '../../helpers/nimbus.js';
import { rejection } from '../../helpers/assertions.js';
import { ACCOUNT, ROLE, definition, settle, sfnClient, untilEvent } from './sfn-helpers.js';

const ACTIVITY_ARN = `arn:aws:states:us-east-1:${ACCOUNT}:activity:approve`;

describe('Step Functions activities', () => {
  const nimbus = useNimbus({ clock: new ManualClock(Date.UTC(2026, 0, 1)) });

  it('creates, describes, lists, tags and deletes activities', async () => {
    const sfn = sfnClient(nimbus());
    const created = await sfn.send(new CreateActivityCommand({ name: 'approve', tags: [{ key: 'team', value: 'ops' }] }));
    assert.equal(created.activityArn, ACTIVITY_ARN);
    const again = await sfn.send(new CreateActivityCommand({ name: 'approve' }));
    assert.equal(again.creationDate?.getTime(), created.creationDate?.getTime());
    const described = await sfn.send(new DescribeActivityCommand({ activityArn: ACTIVITY_ARN }));
    assert.equal(described.name, 'approve');
    await sfn.send(new TagResourceCommand({ resourceArn: ACTIVITY_ARN, tags: [{ key: 'tier', value: '1' }] }));
    assert.deepEqual((await sfn.send(new ListTagsForResourceCommand({ resourceArn: ACTIVITY_ARN }))).tags, [{ key: 'team', value: 'ops' }, { key: 'tier', value: '1' }]);
    assert.deepEqual((await sfn.send(new ListActivitiesCommand({}))).activities?.map((activity) => activity.name), ['approve']);
    await sfn.send(new DeleteActivityCommand({ activityArn: ACTIVITY_ARN }));
    const gone = await rejection(sfn.send(new DescribeActivityCommand({ activityArn: ACTIVITY_ARN })));
    assert.equal(gone.name, 'ActivityDoesNotExist');
    assert.equal(gone.message, `Activity Does Not Exist: '${ACTIVITY_ARN}'`);
  });

  it('hands an activity task to a polling worker and continues with its result', async () => {
    const sfn = sfnClient(nimbus());
    await sfn.send(new CreateActivityCommand({ name: 'approve' }));
    const machine = await sfn.send(new CreateStateMachineCommand({
      name: 'approval', roleArn: ROLE, definition: definition({ Approve: { Type: 'Task', Resource: ACTIVITY_ARN, Parameters: { 'order.$': '$.order' }, End: true } }),
    }));
    // The worker may poll before or after the task is scheduled: either way it gets it.
    const polled = sfn.send(new GetActivityTaskCommand({ activityArn: ACTIVITY_ARN, workerName: 'worker-1' }));
    const executionArn = (await sfn.send(new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn, input: '{"order":7}' }))).executionArn ?? '';
    const task = await polled;
    assert.equal(task.input, '{"order":7}');
    assert.match(task.taskToken ?? '', /^AQ/);
    await untilEvent(sfn, executionArn, 'ActivityStarted');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"approved":true}' }));
    const done = await settle(sfn, executionArn);
    assert.equal(done.status, 'SUCCEEDED');
    assert.equal(done.output, '{"approved":true}');
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    assert.deepEqual(history.events?.map((event) => event.type), ['ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    assert.equal(history.events?.[3]?.activityStartedEventDetails?.workerName, 'worker-1');
    assert.equal(history.events?.[2]?.activityScheduledEventDetails?.resource, ACTIVITY_ARN);
  });

  it('fails to schedule a task for an activity that does not exist', async () => {
    const sfn = sfnClient(nimbus());
    const machine = await sfn.send(new CreateStateMachineCommand({ name: 'orphan', roleArn: ROLE, definition: definition({ Work: { Type: 'Task', Resource: `${ACTIVITY_ARN}-missing`, End: true } }) }));
    const executionArn = (await sfn.send(new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn }))).executionArn ?? '';
    const done = await settle(sfn, executionArn);
    assert.equal(done.status, 'FAILED');
    assert.equal(done.error, 'States.Runtime');
    assert.equal(done.cause, `Activity Does Not Exist: '${ACTIVITY_ARN}-missing'`);
  });
});
