import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateStateMachineCommand,
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { ManualClock } from '../../../src/shared/clock.js';
import { rejection } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';
import { ACCOUNT, ROLE, definition, historyTypes, settle, sfnClient, untilEvent } from './sfn-helpers.js';

const LAMBDA_ROLE = `arn:aws:iam::${ACCOUNT}:role/lambda-role`;
const FUNCTION_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:worker`;

// Fails its first `failTimes` calls (the counter lives as long as the warm environment), then doubles n.
const WORKER = `
let calls = 0;
export const handler = async (event) => {
  calls++;
  if (event.always) { const error = new Error('always broken'); error.name = 'BrokenError'; throw error; }
  if (calls <= (event.failTimes ?? 0)) { const error = new Error('flaky ' + calls); error.name = 'FlakyError'; throw error; }
  return { doubled: (event.n ?? 0) * 2, calls };
};
`;

async function machine(sfn: SFNClient, name: string, source: string): Promise<string> {
  return (await sfn.send(new CreateStateMachineCommand({ name, definition: source, roleArn: ROLE }))).stateMachineArn ?? '';
}

async function run(sfn: SFNClient, stateMachineArn: string, input: unknown): Promise<string> {
  return (await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }))).executionArn ?? '';
}

describe('Step Functions task integrations', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const nimbus = useNimbus({ clock });

  async function createWorker(): Promise<void> {
    await new LambdaClient(clientSettings(nimbus())).send(new CreateFunctionCommand({
      FunctionName: 'worker', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: LAMBDA_ROLE, Code: { ZipFile: await zip({ 'index.mjs': WORKER }) },
    }));
  }

  it('invokes a Lambda function by ARN and through lambda:invoke', async () => {
    await createWorker();
    const sfn = sfnClient(nimbus());
    const arn = await machine(sfn, 'lambdas', definition({
      Direct: { Type: 'Task', Resource: FUNCTION_ARN, ResultPath: '$.direct', Next: 'Optimized' },
      Optimized: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'worker', 'Payload.$': '$' }, ResultSelector: { 'payload.$': '$.Payload', 'status.$': '$.StatusCode', 'version.$': '$.ExecutedVersion' }, End: true },
    }));
    const executionArn = await run(sfn, arn, { n: 21 });
    const done = await settle(sfn, executionArn);
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    assert.deepEqual(JSON.parse(done.output ?? ''), { payload: { doubled: 42, calls: 2 }, status: 200, version: '$LATEST' });
    const types = await historyTypes(sfn, executionArn);
    assert.deepEqual(types.slice(0, 6), ['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited']);
    assert.deepEqual(types.slice(6, 11), ['TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited']);
  });

  it('retries a failing function and catches an error it keeps raising, named by the errorType', async () => {
    await createWorker();
    const sfn = sfnClient(nimbus());
    const arn = await machine(sfn, 'resilient', definition({
      Flaky: { Type: 'Task', Resource: FUNCTION_ARN, Retry: [{ ErrorEquals: ['FlakyError'], IntervalSeconds: 1, MaxAttempts: 2 }], ResultPath: '$.flaky', Next: 'Broken' },
      Broken: { Type: 'Task', Resource: FUNCTION_ARN, Parameters: { always: true }, Catch: [{ ErrorEquals: ['BrokenError'], ResultPath: '$.caught', Next: 'Handled' }], End: true },
      Handled: { Type: 'Pass', End: true },
    }));
    const executionArn = await run(sfn, arn, { n: 1, failTimes: 1 });
    await untilEvent(sfn, executionArn, 'LambdaFunctionFailed');
    clock.advance(1000);
    const done = await settle(sfn, executionArn);
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    const output = JSON.parse(done.output ?? '') as { flaky: unknown; caught: { Error: string; Cause: string } };
    assert.deepEqual(output.flaky, { doubled: 2, calls: 2 });
    assert.equal(output.caught.Error, 'BrokenError');
    const cause = JSON.parse(output.caught.Cause) as { errorType: string; errorMessage: string };
    assert.equal(cause.errorType, 'BrokenError');
    assert.equal(cause.errorMessage, 'always broken');
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const failedEvent = history.events?.find((event) => event.type === 'LambdaFunctionFailed');
    assert.equal(failedEvent?.lambdaFunctionFailedEventDetails?.error, 'FlakyError');
  });

  it('fails a task on a missing function with the Lambda.<code> error', async () => {
    const sfn = sfnClient(nimbus());
    const arn = await machine(sfn, 'missing', definition({ Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'nope' }, End: true } }));
    const done = await settle(sfn, await run(sfn, arn, {}));
    assert.equal(done.status, 'FAILED');
    assert.equal(done.error, 'Lambda.ResourceNotFoundException');
    assert.match(done.cause ?? '', /^Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope/);
  });

  it('waits for a task token and continues with SendTaskSuccess; answers TaskDoesNotExist and InvalidToken afterwards', async () => {
    await createWorker();
    const sfn = sfnClient(nimbus());
    const arn = await machine(sfn, 'callback', definition({
      Ask: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'worker', Payload: { 'token.$': '$$.Task.Token', n: 1 } }, HeartbeatSeconds: 600, End: true },
    }));
    const executionArn = await run(sfn, arn, {});
    await untilEvent(sfn, executionArn, 'TaskStarted');
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const scheduled = history.events?.find((event) => event.type === 'TaskScheduled');
    const parameters = JSON.parse(scheduled?.taskScheduledEventDetails?.parameters ?? '{}') as { Payload: { token: string } };
    const token = parameters.Payload.token;
    assert.match(token, /^AQ/);
    // The invocation returning does not end the task: only the callback does.
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    assert.equal((await settle(sfn, executionArn, 5)).status, 'RUNNING');
    const invalid = await rejection(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: 'not json' })));
    assert.equal(invalid.name, 'InvalidOutput');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
    const done = await settle(sfn, executionArn);
    assert.equal(done.status, 'SUCCEEDED');
    assert.equal(done.output, '{"approved":true}');

    const expired = await rejection(sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Late' })));
    assert.equal(expired.name, 'TaskDoesNotExist');
    assert.equal(expired.message, "Task Timed Out: 'Provided task does not exist anymore'");
    const bogus = await rejection(sfn.send(new SendTaskSuccessCommand({ taskToken: 'bogus', output: '{}' })));
    assert.equal(bogus.name, 'InvalidToken');
    assert.equal(bogus.message, "Invalid Token: 'bogus'");
  });

  it('fails a callback task with SendTaskFailure', async () => {
    await createWorker();
    const sfn = sfnClient(nimbus());
    const arn = await machine(sfn, 'rejected', definition({
      Ask: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'worker', Payload: { 'token.$': '$$.Task.Token' } }, End: true },
    }));
    const executionArn = await run(sfn, arn, {});
    await untilEvent(sfn, executionArn, 'TaskStarted');
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const parameters = JSON.parse(history.events?.find((event) => event.type === 'TaskScheduled')?.taskScheduledEventDetails?.parameters ?? '{}') as { Payload: { token: string } };
    await sfn.send(new SendTaskFailureCommand({ taskToken: parameters.Payload.token, error: 'Denied', cause: 'reviewer said no' }));
    const done = await settle(sfn, executionArn);
    assert.equal(done.status, 'FAILED');
    assert.equal(done.error, 'Denied');
    assert.equal(done.cause, 'reviewer said no');
  });

  it('runs a nested workflow with startExecution.sync and .sync:2', async () => {
    const sfn = sfnClient(nimbus());
    const child = await machine(sfn, 'child', definition({ Add: { Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($.a, $.b)' }, End: true } }));
    const parent = await machine(sfn, 'parent', definition({
      Text: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: child, Input: { 'a.$': '$.a', b: 1 } }, ResultSelector: { 'output.$': '$.Output', 'status.$': '$.Status' }, ResultPath: '$.text', Next: 'Json' },
      Json: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: child, Input: { a: 10, b: 5 } }, ResultSelector: { 'output.$': '$.Output' }, ResultPath: '$.json', Next: 'FireAndForget' },
      FireAndForget: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution', Parameters: { StateMachineArn: child, Name: 'detached' }, ResultSelector: { 'arn.$': '$.ExecutionArn' }, ResultPath: '$.started', End: true },
    }));
    const done = await settle(sfn, await run(sfn, parent, { a: 2 }));
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    assert.deepEqual(JSON.parse(done.output ?? ''), {
      a: 2,
      text: { output: '{"sum":3}', status: 'SUCCEEDED' },
      json: { output: { sum: 15 } },
      started: { arn: `arn:aws:states:us-east-1:${ACCOUNT}:execution:child:detached` },
    });
  });

  it('writes and reads DynamoDB items through the optimized integration', async () => {
    await new DynamoDBClient(clientSettings(nimbus())).send(new CreateTableCommand({
      TableName: 'orders', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    }));
    const sfn = sfnClient(nimbus());
    const arn = await machine(sfn, 'ddb', definition({
      Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'orders', Item: { id: { 'S.$': '$.id' }, total: { N: '12' } } }, ResultPath: null, Next: 'Get' },
      Get: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 'orders', Key: { id: { 'S.$': '$.id' } } }, ResultSelector: { 'item.$': '$.Item' }, Next: 'Missing' },
      Missing: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 'absent', Key: { id: { S: 'x' } } }, Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Done' }], End: true },
      Done: { Type: 'Pass', End: true },
    }));
    const done = await settle(sfn, await run(sfn, arn, { id: 'o-1' }));
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    const output = JSON.parse(done.output ?? '') as { item: unknown; error: { Error: string; Cause: string } };
    assert.deepEqual(output.item, { id: { S: 'o-1' }, total: { N: '12' } });
    assert.equal(output.error.Error, 'DynamoDB.ResourceNotFoundException');
    const stored = await new DynamoDBClient(clientSettings(nimbus())).send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: 'o-1' } } }));
    assert.deepEqual(stored.Item, { id: { S: 'o-1' }, total: { N: '12' } });
  });

  it('fails a task for a service Nimbus does not serve with its NotImplemented message', async () => {
    const sfn = sfnClient(nimbus());
    const arn = await machine(sfn, 'sqs', definition({ Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/q', MessageBody: 'hi' }, End: true } }));
    const done = await settle(sfn, await run(sfn, arn, {}));
    assert.equal(done.status, 'FAILED');
    assert.equal(done.error, 'SQS.NotImplemented');
    assert.match(done.cause ?? '', /not implemented in Nimbus yet/);
  });
});
