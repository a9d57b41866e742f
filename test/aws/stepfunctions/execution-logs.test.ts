import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import type { LogLevel } from '@aws-sdk/client-sfn';
import { rejection } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { ACCOUNT, ROLE, definition, settle, sfnClient } from './sfn-helpers.js';

interface LoggedEvent {
  id: string;
  type: string;
  details: Record<string, unknown>;
  previous_event_id: string;
  execution_arn: string;
}

describe('Step Functions execution logs in CloudWatch Logs', () => {
  const nimbus = useNimbus();
  const logs = (): CloudWatchLogsClient => new CloudWatchLogsClient(clientSettings(nimbus()));

  async function logged(group: string, count: number): Promise<LoggedEvent[]> {
    for (let i = 0; i < 200; i++) {
      const found = await logs().send(new FilterLogEventsCommand({ logGroupName: group }));
      const events = (found.events ?? []).map((event) => JSON.parse(event.message ?? '') as LoggedEvent);
      if (events.length >= count) return events;
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error(`${group} never held ${String(count)} events`);
  }

  async function machine(sfn: SFNClient, name: string, source: string, type: 'STANDARD' | 'EXPRESS', level: LogLevel, includeExecutionData: boolean): Promise<string> {
    await logs().send(new CreateLogGroupCommand({ logGroupName: `/sfn/${name}` }));
    const created = await sfn.send(new CreateStateMachineCommand({
      name, definition: source, roleArn: ROLE, type,
      loggingConfiguration: { level, includeExecutionData, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/sfn/${name}:*` } }] },
    }));
    return created.stateMachineArn ?? '';
  }

  it('logs every event of an Express execution at level ALL, with its data', async () => {
    const sfn = new SFNClient({ ...clientSettings(nimbus()), disableHostPrefix: true });
    const arn = await machine(sfn, 'express-all', definition({ Only: { Type: 'Pass', End: true } }), 'EXPRESS', 'ALL', true);
    const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{"k":1}' }));
    const events = await logged('/sfn/express-all', 4);
    assert.deepEqual(events.map((event) => [event.id, event.type, event.previous_event_id]), [['1', 'ExecutionStarted', '0'], ['2', 'PassStateEntered', '0'], ['3', 'PassStateExited', '2'], ['4', 'ExecutionSucceeded', '3']]);
    assert.equal(events[0].execution_arn, result.executionArn);
    assert.equal(events[0].details.input, '{"k":1}');
    // Express executions live on only in the logs.
    const describe = await rejection(sfn.send(new DescribeExecutionCommand({ executionArn: result.executionArn })));
    assert.equal(describe.name, 'ExecutionDoesNotExist');
  });

  it('logs only failures at level ERROR, without execution data', async () => {
    const sfn = sfnClient(nimbus());
    const arn = await machine(sfn, 'standard-error', definition({ Step: { Type: 'Pass', Next: 'Boom' }, Boom: { Type: 'Fail', Error: 'Bad', Cause: 'worse' } }), 'STANDARD', 'ERROR', false);
    const executionArn = (await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"secret":1}' }))).executionArn ?? '';
    assert.equal((await settle(sfn, executionArn)).status, 'FAILED');
    const events = await logged('/sfn/standard-error', 1);
    assert.deepEqual(events.map((event) => [event.type, event.details]), [['ExecutionFailed', { error: 'Bad', cause: 'worse' }]]);
  });
});
