import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import type { HistoryEvent } from '../../../src/engines/asl/index.js';
import { historyKey, unpackHistory } from '../../../src/services/stepfunctions/records.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { rejection } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { ACCOUNT, PASS_DEFINITION, ROLE, definition, historyTypes, settle, sfnClient, untilEvent } from './sfn-helpers.js';

const START = Date.UTC(2026, 0, 1, 12, 0, 0);

async function machine(sfn: SFNClient, name: string, source: string, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): Promise<string> {
  const created = await sfn.send(new CreateStateMachineCommand({ name, definition: source, roleArn: ROLE, type }));
  return created.stateMachineArn ?? '';
}

describe('Step Functions executions through @aws-sdk/client-sfn', () => {
  const clock = new ManualClock(START);
  const nimbus = useNimbus({ clock });

  it('runs Pass, Choice, Parallel and Map states to SUCCEEDED with their output and history', async () => {
    const sfn = sfnClient(nimbus());
    const arn = await machine(sfn, 'flow', definition({
      Start: { Type: 'Pass', Parameters: { 'items.$': '$.items', 'kind.$': '$.kind' }, Next: 'Route' },
      Route: { Type: 'Choice', Choices: [{ Variable: '$.kind', StringEquals: 'big', Next: 'Both' }], Default: 'Small' },
      Small: { Type: 'Fail', Error: 'Small', Cause: 'too small' },
      Both: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Double', States: { Double: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'Each', States: { Each: { Type: 'Pass', Parameters: { 'v.$': 'States.MathAdd($, $)' }, End: true } } }, End: true } } },
          { StartAt: 'Count', States: { Count: { Type: 'Pass', Parameters: { 'n.$': 'States.ArrayLength($.items)' }, End: true } } },
        ],
        End: true,
      },
    }));
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run-1', input: JSON.stringify({ items: [1, 2, 3], kind: 'big' }) }));
    assert.equal(started.executionArn, `arn:aws:states:us-east-1:${ACCOUNT}:execution:flow:run-1`);
    const done = await settle(sfn, started.executionArn ?? '');
    assert.equal(done.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(done.output ?? ''), [[{ v: 2 }, { v: 4 }, { v: 6 }], { n: 3 }]);
    assert.equal(done.input, JSON.stringify({ items: [1, 2, 3], kind: 'big' }));
    assert.ok(done.stopDate instanceof Date);
    const types = await historyTypes(sfn, started.executionArn ?? '');
    assert.equal(types[0], 'ExecutionStarted');
    assert.equal(types.at(-1), 'ExecutionSucceeded');
    for (const type of ['PassStateEntered', 'ChoiceStateExited', 'ParallelStateStarted', 'MapStateStarted', 'MapIterationSucceeded', 'ParallelStateSucceeded']) assert.ok(types.includes(type), type);

    const failed = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ items: [], kind: 'tiny' }) }));
    const failure = await settle(sfn, failed.executionArn ?? '');
    assert.equal(failure.status, 'FAILED');
    assert.equal(failure.error, 'Small');
    assert.equal(failure.cause, 'too small');
  });

  it('runs JSONata states through the jsonata package, with the Step Functions functions', async () => {
    const sfn = sfnClient(nimbus());
    const arn = await machine(sfn, 'jsonata', definition({
      Compute: { Type: 'Pass', Assign: { total: '{% $sum($states.input.prices) %}' }, Output: { parts: '{% $partition($states.input.prices, 2) %}', hashed: "{% $hash('abc', 'SHA-256') %}" }, Next: 'Use' },
      Use: { Type: 'Pass', Output: { total: '{% $total %}', parts: '{% $states.input.parts %}', hashed: '{% $states.input.hashed %}' }, End: true },
    }, { QueryLanguage: 'JSONata' }));
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ prices: [1, 2, 3] }) }));
    const done = await settle(sfn, started.executionArn ?? '');
    assert.equal(done.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(done.output ?? ''), { total: 6, parts: [[1, 2], [3]], hashed: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' });
  });

  it('holds a Wait state until the clock passes its time, then completes', async () => {
    const sfn = sfnClient(nimbus());
    const arn = await machine(sfn, 'waiter', definition({ Nap: { Type: 'Wait', Seconds: 3600, Next: 'Done' }, Done: { Type: 'Pass', Result: 'woke', End: true } }));
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'nap' }));
    const executionArn = started.executionArn ?? '';
    await untilEvent(sfn, executionArn, 'WaitStateEntered');
    clock.advance(3599_000);
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, 'RUNNING');
    clock.advance(1000);
    const done = await settle(sfn, executionArn);
    assert.equal(done.status, 'SUCCEEDED');
    assert.equal(done.output, '"woke"');
    assert.deepEqual(await historyTypes(sfn, executionArn), ['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  });

  it('stops a running execution, lists executions by status and pages history', async () => {
    const sfn = sfnClient(nimbus());
    const arn = await machine(sfn, 'stoppable', definition({ Nap: { Type: 'Wait', Seconds: 60, End: true } }));
    const quick = await machine(sfn, 'quick', PASS_DEFINITION);
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'a' }));
    clock.advance(1000);
    const second = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'b' }));
    await untilEvent(sfn, first.executionArn ?? '', 'WaitStateEntered');
    await untilEvent(sfn, second.executionArn ?? '', 'WaitStateEntered');
    const stopped = await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn, error: 'Manual', cause: 'operator' }));
    assert.ok(stopped.stopDate instanceof Date);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
    assert.equal(described.status, 'ABORTED');
    assert.equal(described.error, 'Manual');
    assert.equal(described.cause, 'operator');
    assert.equal((await historyTypes(sfn, first.executionArn ?? '')).at(-1), 'ExecutionAborted');

    const all = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }));
    assert.deepEqual(all.executions?.map((execution) => [execution.name, execution.status]), [['b', 'RUNNING'], ['a', 'ABORTED']]);
    const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'RUNNING' }));
    assert.deepEqual(running.executions?.map((execution) => execution.name), ['b']);
    const paged = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 1 }));
    assert.equal(paged.executions?.length, 1);
    const rest = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 1, nextToken: paged.nextToken }));
    assert.deepEqual(rest.executions?.map((execution) => execution.name), ['a']);

    const run = await sfn.send(new StartExecutionCommand({ stateMachineArn: quick, name: 'q', input: '{"x":1}' }));
    await settle(sfn, run.executionArn ?? '');
    const reversed = await sfn.send(new GetExecutionHistoryCommand({ executionArn: run.executionArn, reverseOrder: true, maxResults: 2 }));
    assert.deepEqual(reversed.events?.map((event) => [event.id, event.type]), [[4, 'ExecutionSucceeded'], [3, 'PassStateExited']]);
    const older = await sfn.send(new GetExecutionHistoryCommand({ executionArn: run.executionArn, reverseOrder: true, maxResults: 2, nextToken: reversed.nextToken }));
    assert.deepEqual(older.events?.map((event) => [event.id, event.previousEventId, event.type]), [[2, 0, 'PassStateEntered'], [1, 0, 'ExecutionStarted']]);
    assert.equal(older.nextToken, undefined);
    assert.equal(older.events?.[1]?.executionStartedEventDetails?.input, '{"x":1}');
    assert.equal(older.events?.[1]?.executionStartedEventDetails?.roleArn, ROLE);
    assert.ok(older.events?.[1]?.timestamp instanceof Date);

    const forExecution = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: run.executionArn }));
    assert.equal(forExecution.definition, PASS_DEFINITION);
    assert.equal(forExecution.name, 'quick');
  });

  it('stops an execution right after it was started', async () => {
    const sfn = sfnClient(nimbus());
    const arn = await machine(sfn, 'hasty', definition({ Nap: { Type: 'Wait', Seconds: 60, End: true } }));
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await sfn.send(new StopExecutionCommand({ executionArn: started.executionArn }));
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }))).status, 'ABORTED');
    assert.deepEqual(await historyTypes(sfn, started.executionArn ?? ''), ['ExecutionStarted', 'WaitStateEntered', 'WaitStateAborted', 'ExecutionAborted']);
  });

  it('returns the same execution for a repeated name and input, and rejects other input', async () => {
    const sfn = sfnClient(nimbus());
    const arn = await machine(sfn, 'idem', definition({ Nap: { Type: 'Wait', Seconds: 60, End: true } }));
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'once', input: '{"a":1}' }));
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'once', input: '{"a":1}' }));
    assert.equal(again.executionArn, first.executionArn);
    assert.equal(again.startDate?.getTime(), first.startDate?.getTime());
    const conflict = await rejection(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'once', input: '{"a":2}' })));
    assert.equal(conflict.name, 'ExecutionAlreadyExists');
    assert.equal(conflict.message, `Execution Already Exists: '${first.executionArn ?? ''}'`);
  });

  const startErrors: { title: string; input: (arn: string) => { stateMachineArn: string; name?: string; input?: string }; code: string; message: (arn: string) => string | RegExp }[] = [
    { title: 'input that is not JSON', input: (arn) => ({ stateMachineArn: arn, input: '{nope' }), code: 'InvalidExecutionInput', message: () => /^Invalid Execution Input: Expected property name or '\}' in JSON at position 1/ },
    { title: 'an invalid name', input: (arn) => ({ stateMachineArn: arn, name: 'a b' }), code: 'InvalidName', message: () => "Invalid Name: 'a b'" },
    { title: 'an unknown state machine', input: (arn) => ({ stateMachineArn: `${arn}-gone` }), code: 'StateMachineDoesNotExist', message: (arn) => `State Machine Does Not Exist: '${arn}-gone'` },
    { title: 'an ARN of the wrong type', input: () => ({ stateMachineArn: `arn:aws:states:us-east-1:${ACCOUNT}:activity:x` }), code: 'InvalidArn', message: () => "Invalid Arn: 'Resource type not valid in this context: activity'" },
  ];
  for (const testCase of startErrors) {
    it(`StartExecution rejects ${testCase.title}`, async () => {
      const sfn = sfnClient(nimbus());
      const arn = await machine(sfn, 'errs', PASS_DEFINITION);
      const error = await rejection(sfn.send(new StartExecutionCommand(testCase.input(arn))));
      assert.equal(error.name, testCase.code);
      const expected = testCase.message(arn);
      if (typeof expected === 'string') assert.equal(error.message, expected);
      else assert.match(error.message, expected);
      assert.equal(error.$metadata.httpStatusCode, 400);
    });
  }

  it('answers ExecutionDoesNotExist for an unknown execution', async () => {
    const executionArn = `arn:aws:states:us-east-1:${ACCOUNT}:execution:none:none`;
    const error = await rejection(sfnClient(nimbus()).send(new DescribeExecutionCommand({ executionArn })));
    assert.equal(error.name, 'ExecutionDoesNotExist');
    assert.equal(error.message, `Execution Does Not Exist: '${executionArn}'`);
  });

  it('runs an Express machine synchronously and keeps no execution record', async () => {
    // StartSyncExecution's endpoint has the host prefix "sync-", which a local endpoint cannot resolve.
    const sfn = new SFNClient({ ...clientSettings(nimbus()), disableHostPrefix: true });
    const express = await machine(sfn, 'fast', definition({ Add: { Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($.a, $.b)' }, End: true } }), 'EXPRESS');
    const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: express, name: 'sync-1', input: '{"a":2,"b":3}' }));
    assert.equal(result.status, 'SUCCEEDED');
    assert.equal(result.output, '{"sum":5}');
    assert.equal(result.executionArn, `arn:aws:states:us-east-1:${ACCOUNT}:express:fast:sync-1`);
    assert.equal(result.input, '{"a":2,"b":3}');
    const failing = await machine(sfn, 'fails', definition({ Boom: { Type: 'Fail', Error: 'Boom', Cause: 'on purpose' } }), 'EXPRESS');
    const failed = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: failing }));
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.error, 'Boom');
    assert.equal(failed.cause, 'on purpose');
    const notKept = await rejection(sfn.send(new DescribeExecutionCommand({ executionArn: result.executionArn })));
    assert.equal(notKept.name, 'ExecutionDoesNotExist');
    const list = await rejection(sfn.send(new ListExecutionsCommand({ stateMachineArn: express })));
    assert.equal(list.name, 'StateMachineTypeNotSupported');

    // Started asynchronously, an Express execution is not kept either.
    const detached = await sfn.send(new StartExecutionCommand({ stateMachineArn: express, name: 'async-1', input: '{"a":1,"b":1}' }));
    assert.equal(detached.executionArn, `arn:aws:states:us-east-1:${ACCOUNT}:express:fast:async-1`);
    const hidden = await rejection(sfn.send(new DescribeExecutionCommand({ executionArn: detached.executionArn })));
    assert.equal(hidden.name, 'ExecutionDoesNotExist');

    const standard = await machine(sfn, 'slow', PASS_DEFINITION);
    const wrongType = await rejection(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: standard })));
    assert.equal(wrongType.name, 'StateMachineTypeNotSupported');
    assert.equal(wrongType.message, 'This operation is not supported by this type of state machine');
  });

  it('reads the history of an execution stored before history was kept in chunks', async () => {
    const sfn = sfnClient(nimbus());
    const stateMachineArn = await machine(sfn, 'legacy', PASS_DEFINITION);
    const executionArn = (await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"n":1}' }))).executionArn ?? '';
    await settle(sfn, executionArn);
    const expected = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
    // Rewrite the stored history in the earlier layout: one record per event, under the same keys.
    const store = nimbus().store;
    const chunks = store.collection<HistoryEvent[]>('stepfunctions/global/-/history-chunks');
    const legacy = store.collection<HistoryEvent>('stepfunctions/global/-/history');
    for (const [key, chunk] of chunks.list({ prefix: `${executionArn}/` })) {
      for (const event of unpackHistory(chunk)) legacy.put(historyKey(executionArn, event.id), event);
      chunks.delete(key);
    }
    const events = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
    assert.deepEqual(events, expected);
    const reversed = (await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 2 }))).events ?? [];
    assert.deepEqual(reversed.map((event) => event.type), ['ExecutionSucceeded', 'PassStateExited']);
  });
});
