/** Shared pieces of the Step Functions tests: a client, small definitions and a bounded poll for an execution's end. */
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import type { Nimbus } from '../../../src/index.js';
import { clientSettings } from '../../helpers/nimbus.js';

export const ROLE = 'arn:aws:iam::000000000000:role/sfn-role';
export const ACCOUNT = '000000000000';

export function sfnClient(nimbus: Nimbus): SFNClient {
  return new SFNClient(clientSettings(nimbus));
}

export function definition(states: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ StartAt: Object.keys(states)[0], States: states, ...extra });
}

export const PASS_DEFINITION = definition({ Hello: { Type: 'Pass', Result: { greeting: 'hi' }, ResultPath: '$.out', End: true } });

/** Lets the driver run: each poll is a request plus a turn of the event loop, bounded, never a timed sleep. */
export async function settle(sfn: SFNClient, executionArn: string, polls = 200): Promise<DescribeExecutionCommandOutput> {
  let described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  for (let i = 0; described.status === 'RUNNING' && i < polls; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  }
  return described;
}

export async function historyTypes(sfn: SFNClient, executionArn: string): Promise<string[]> {
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return (history.events ?? []).map((event) => event.type ?? '');
}

/** Polls until the execution's history holds an event of `type`, a bounded number of times. */
export async function untilEvent(sfn: SFNClient, executionArn: string, type: string, polls = 200): Promise<void> {
  for (let i = 0; i < polls; i++) {
    if ((await historyTypes(sfn, executionArn)).includes(type)) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`${executionArn} never logged ${type}`);
}
