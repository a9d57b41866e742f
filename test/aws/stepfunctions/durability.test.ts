import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { startNimbus } from '../../../src/index.js';
import type { Nimbus } from '../../../src/index.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { ROLE, definition, historyTypes, settle, sfnClient, untilEvent } from './sfn-helpers.js';

const HOUR = 3_600_000;

describe('Step Functions executions survive a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-sfn-'));
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const running: Nimbus[] = [];
  const start = async (): Promise<Nimbus> => {
    const nimbus = await startNimbus({ ephemeral: false, dataDir, clock });
    running.push(nimbus);
    return nimbus;
  };
  after(async () => {
    for (const nimbus of running) await nimbus.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('continues a Wait after a restart, firing at its original time once the clock gets there', async () => {
    const sfn = sfnClient(await start());
    const machine = await sfn.send(new CreateStateMachineCommand({
      name: 'patient', roleArn: ROLE,
      definition: definition({ Before: { Type: 'Pass', Result: 'set', ResultPath: '$.step', Next: 'Nap' }, Nap: { Type: 'Wait', Seconds: 3600, Next: 'After' }, After: { Type: 'Pass', End: true } }),
    }));
    const later = (await sfn.send(new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn, name: 'fires-after-restart', input: '{"n":1}' }))).executionArn ?? '';
    await untilEvent(sfn, later, 'WaitStateEntered');
    for (const nimbus of running.splice(0)) await nimbus.stop();

    // Half the wait passes while Nimbus is down: nothing is due yet.
    clock.advance(HOUR / 2);
    const second = await start();
    const again = sfnClient(second);
    assert.equal((await again.send(new DescribeExecutionCommand({ executionArn: later }))).status, 'RUNNING');
    clock.advance(HOUR / 2 - 1000);
    assert.equal((await settle(again, later, 3)).status, 'RUNNING');
    clock.advance(1000);
    const done = await settle(again, later);
    assert.equal(done.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(done.output ?? ''), { n: 1, step: 'set' });
    assert.deepEqual(await historyTypes(again, later), ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'WaitStateEntered', 'WaitStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    for (const nimbus of running.splice(0)) await nimbus.stop();
  });

  it('runs an execution whose Wait fell due while Nimbus was stopped as soon as it is back', async () => {
    const sfn = sfnClient(await start());
    const machine = await sfn.send(new CreateStateMachineCommand({ name: 'sleeper', roleArn: ROLE, definition: definition({ Nap: { Type: 'Wait', Seconds: 60, End: true } }) }));
    const executionArn = (await sfn.send(new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn }))).executionArn ?? '';
    await untilEvent(sfn, executionArn, 'WaitStateEntered');
    for (const nimbus of running.splice(0)) await nimbus.stop();
    clock.advance(HOUR);
    const second = await start();
    const done = await settle(sfnClient(second), executionArn);
    assert.equal(done.status, 'SUCCEEDED');
  });

  it('keeps a Distributed Map\'s child executions across a restart, and finishes them', async () => {
    const sfn = sfnClient(await start());
    const machine = await sfn.send(new CreateStateMachineCommand({
      name: 'fan-out', roleArn: ROLE,
      definition: definition({
        Spread: {
          Type: 'Map', ItemsPath: '$.items', End: true,
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 60, End: true } } },
        },
      }),
    }));
    const executionArn = (await sfn.send(new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn, input: '{"items":[1,2]}' }))).executionArn ?? '';
    await untilEvent(sfn, executionArn, 'MapRunStarted');
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const mapRunArn = history.events?.find((event) => event.type === 'MapRunStarted')?.mapRunStartedEventDetails?.mapRunArn ?? '';
    const children = (await sfn.send(new ListExecutionsCommand({ mapRunArn }))).executions ?? [];
    assert.deepEqual(children.map((child) => child.status), ['RUNNING', 'RUNNING']);
    for (const nimbus of running.splice(0)) await nimbus.stop();

    clock.advance(HOUR);
    const again = sfnClient(await start());
    assert.equal((await settle(again, executionArn)).status, 'SUCCEEDED');
    const after = (await again.send(new ListExecutionsCommand({ mapRunArn }))).executions ?? [];
    assert.deepEqual(after.map((child) => [child.executionArn, child.status]).sort(), children.map((child) => [child.executionArn, 'SUCCEEDED']).sort());
    assert.deepEqual(await historyTypes(again, children[0].executionArn ?? ''), ['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'ExecutionSucceeded']);
    for (const nimbus of running.splice(0)) await nimbus.stop();
  });
});
