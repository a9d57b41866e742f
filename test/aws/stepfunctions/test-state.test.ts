import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient, TestStateCommand } from '@aws-sdk/client-sfn';
import type { TestStateCommandInput, TestStateCommandOutput } from '@aws-sdk/client-sfn';
import { rejection } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';
import { ACCOUNT, ROLE } from './sfn-helpers.js';

const TASK_ARN = 'arn:aws:states:::lambda:invoke';

type Expected = Partial<Omit<TestStateCommandOutput, '$metadata'>>;

describe('TestState', () => {
  const nimbus = useNimbus();
  // TestState's endpoint has the host prefix "sync-" (like StartSyncExecution), which a local endpoint cannot resolve.
  const client = (): SFNClient => new SFNClient({ ...clientSettings(nimbus()), disableHostPrefix: true });
  const test = (input: Omit<TestStateCommandInput, 'definition'> & { definition: unknown }): Promise<TestStateCommandOutput> =>
    client().send(new TestStateCommand({ roleArn: ROLE, ...input, definition: JSON.stringify(input.definition) }));
  const strip = ({ $metadata: _metadata, ...rest }: TestStateCommandOutput): Expected => rest;

  const cases: [string, Omit<TestStateCommandInput, 'definition'> & { definition: unknown }, Expected][] = [
    [
      'Pass with Parameters and ResultPath, DEBUG shows every stage',
      { definition: { Type: 'Pass', InputPath: '$.order', Parameters: { 'id.$': '$.id', fixed: 1 }, ResultPath: '$.shaped', Next: 'Ship' }, input: '{"order":{"id":7}}', inspectionLevel: 'DEBUG' },
      {
        status: 'SUCCEEDED', nextState: 'Ship', output: '{"order":{"id":7},"shaped":{"id":7,"fixed":1}}',
        inspectionData: { input: '{"order":{"id":7}}', afterInputPath: '{"id":7}', afterParameters: '{"id":7,"fixed":1}', result: '{"id":7,"fixed":1}', afterResultPath: '{"order":{"id":7},"shaped":{"id":7,"fixed":1}}' },
      },
    ],
    [
      'INFO returns no inspection data',
      { definition: { Type: 'Pass', Result: 'x', End: true }, inspectionLevel: 'INFO' },
      { status: 'SUCCEEDED', output: '"x"' },
    ],
    [
      'Choice names the matched next state',
      { definition: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 5, Next: 'Big' }], Default: 'Small' }, input: '{"n":9}' },
      { status: 'SUCCEEDED', nextState: 'Big', output: '{"n":9}' },
    ],
    [
      'Fail reports its error and cause',
      { definition: { Type: 'Fail', Error: 'Nope', Cause: 'because' } },
      { status: 'FAILED', error: 'Nope', cause: 'because' },
    ],
    [
      'a mocked Task result goes through ResultSelector and ResultPath',
      { definition: { Type: 'Task', Resource: TASK_ARN, Parameters: { FunctionName: 'f' }, ResultSelector: { 'v.$': '$.Payload.v' }, ResultPath: '$.r', End: true }, input: '{"a":1}', mock: { result: '{"Payload":{"v":42}}' }, inspectionLevel: 'TRACE' },
      {
        status: 'SUCCEEDED', output: '{"a":1,"r":{"v":42}}',
        inspectionData: { input: '{"a":1}', afterInputPath: '{"a":1}', afterParameters: '{"FunctionName":"f"}', result: '{"Payload":{"v":42}}', afterResultSelector: '{"v":42}', afterResultPath: '{"a":1,"r":{"v":42}}' },
      },
    ],
    [
      'a mocked error that a Catcher takes is CAUGHT_ERROR',
      { definition: { Type: 'Task', Resource: TASK_ARN, Catch: [{ ErrorEquals: ['Other'], Next: 'X' }, { ErrorEquals: ['States.ALL'], ResultPath: '$.err', Next: 'Recover' }], End: true }, input: '{}', mock: { errorOutput: { error: 'Broken', cause: 'it broke' } }, inspectionLevel: 'DEBUG' },
      {
        status: 'CAUGHT_ERROR', nextState: 'Recover', error: 'Broken', cause: 'it broke', output: '{"err":{"Error":"Broken","Cause":"it broke"}}',
        inspectionData: { input: '{}', afterInputPath: '{}', afterParameters: '{}', errorDetails: { catchIndex: 1 } },
      },
    ],
    [
      'a mocked error a Retrier takes is RETRIABLE',
      { definition: { Type: 'Task', Resource: TASK_ARN, Retry: [{ ErrorEquals: ['Broken'], IntervalSeconds: 3, MaxAttempts: 2 }], End: true }, mock: { errorOutput: { error: 'Broken', cause: 'again' } }, inspectionLevel: 'DEBUG' },
      { status: 'RETRIABLE', error: 'Broken', cause: 'again', inspectionData: { input: '{}', afterInputPath: '{}', afterParameters: '{}', errorDetails: { retryIndex: 0, retryBackoffIntervalSeconds: 3 } } },
    ],
    [
      'a mocked error nothing handles is FAILED',
      { definition: { Type: 'Task', Resource: TASK_ARN, End: true }, mock: { errorOutput: { error: 'Broken' } } },
      { status: 'FAILED', error: 'Broken' },
    ],
    [
      'JSONata: Arguments, Output and Assign, with variables in scope',
      { definition: { QueryLanguage: 'JSONata', Type: 'Pass', Output: '{% $states.input.n + $base %}', Assign: { seen: '{% $states.input.n %}' }, End: true }, input: '{"n":2}', variables: '{"base":40}', inspectionLevel: 'DEBUG' },
      { status: 'SUCCEEDED', output: '42', inspectionData: { input: '{"n":2}', result: '{"n":2}', variables: '{"base":40,"seen":2}' } },
    ],
    [
      'a state of a whole machine, chosen by stateName',
      { definition: { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Result: 'b', Next: 'A' } } }, stateName: 'B' },
      { status: 'SUCCEEDED', output: '"b"', nextState: 'A' },
    ],
    [
      'a Wait state is not waited for',
      { definition: { Type: 'Wait', Seconds: 3600, Next: 'After' } },
      { status: 'SUCCEEDED', output: '{}', nextState: 'After' },
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(name, async () => {
      assert.deepEqual(strip(await test(input)), expected);
    });
  }

  it('really invokes a Lambda function Nimbus serves', async () => {
    await new LambdaClient(clientSettings(nimbus())).send(new CreateFunctionCommand({
      FunctionName: 'doubler', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: `arn:aws:iam::${ACCOUNT}:role/lambda-role`,
      Code: { ZipFile: await zip({ 'index.mjs': 'export const handler = async (event) => ({ doubled: event.n * 2 });' }) },
    }));
    const result = await test({ definition: { Type: 'Task', Resource: TASK_ARN, Parameters: { FunctionName: 'doubler', 'Payload.$': '$' }, OutputPath: '$.Payload', End: true }, input: '{"n":21}' });
    assert.deepEqual(strip(result), { status: 'SUCCEEDED', output: '{"doubled":42}' });
  });

  it('reports the error of an integration call that fails', async () => {
    const result = await test({ definition: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 'missing', Key: { id: { S: 'a' } } }, End: true } });
    assert.equal(result.status, 'FAILED');
    assert.equal(result.error, 'DynamoDB.ResourceNotFoundException');
  });

  const errors: [string, TestStateCommandInput, string, string][] = [
    ['definition is not JSON', { definition: '{nope', roleArn: ROLE }, 'InvalidDefinition', 'Invalid State Machine Definition: '],
    ['state fails validation', { definition: JSON.stringify({ Type: 'Pass', Next: 'A', End: true }), roleArn: ROLE }, 'InvalidDefinition', 'Invalid State Machine Definition: '],
    ['input is not JSON', { definition: JSON.stringify({ Type: 'Pass', End: true }), roleArn: ROLE, input: '{' }, 'InvalidExecutionInput', 'Invalid State Input: '],
    ['.waitForTaskToken without a mock', { definition: JSON.stringify({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'f', Payload: { 't.$': '$$.Task.Token' } }, End: true }), roleArn: ROLE }, 'ValidationException', 'TestState only supports Activity tasks and the .sync or .waitForTaskToken service integration patterns when a mock is specified.'],
    ['Parallel', { definition: JSON.stringify({ Type: 'Parallel', Branches: [{ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }], End: true }), roleArn: ROLE }, 'ValidationException', "Nimbus's TestState does not run Parallel states."],
    ['a mock with both result and errorOutput', { definition: JSON.stringify({ Type: 'Pass', End: true }), roleArn: ROLE, mock: { result: '1', errorOutput: { error: 'E' } } }, 'ValidationException', 'Exactly one of result or errorOutput must be specified in the mock.'],
    ['stateName not in the machine', { definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }), stateName: 'Z', roleArn: ROLE }, 'ValidationException', "State 'Z' is not defined in the state machine definition."],
  ];
  for (const [name, input, code, message] of errors) {
    it(`refuses: ${name}`, async () => {
      const error = await rejection(client().send(new TestStateCommand(input)));
      assert.equal(error.name, code);
      assert.ok(error.message.startsWith(message), error.message);
      assert.equal(error.$metadata.httpStatusCode, 400);
    });
  }
});
