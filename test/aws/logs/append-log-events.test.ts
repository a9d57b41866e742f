/** appendLogEvents in process: the bus announcement and the lazy removal of expired events. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ServiceRuntime } from '../../../src/services/service.js';
import { appendLogEvents, createProvider } from '../../../src/services/logs/index.js';
import type { LogsApi } from '../../../src/generated/logs.js';
import { ManualClock } from '../../../src/shared/clock.js';
import type { BusEvent } from '../../../src/shared/event-bus.js';
import { EventBus } from '../../../src/shared/event-bus.js';
import type { RequestContext } from '../../../src/shared/request-context.js';
import { SqliteStore } from '../../../src/store/sqlite.js';
import { scopedName } from '../../../src/store/store.js';
import { DAY, HOUR, T0 } from './logs-helpers.js';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const ctx: RequestContext = {
  account: ACCOUNT,
  region: REGION,
  requestId: 'r',
  service: 'logs',
  operation: 'test',
  caller: { accessKeyId: 'test', arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT },
};

describe('appendLogEvents', () => {
  let runtime: ServiceRuntime;
  let clock: ManualClock;
  let logs: Partial<LogsApi>;

  beforeEach(async () => {
    clock = new ManualClock(T0);
    runtime = {
      store: new SqliteStore(undefined),
      clock,
      bus: new EventBus(),
      client: { call: () => Promise.reject(new Error('no other services here')) },
      filesDir: '/nonexistent/logs-test-files',
      edge: { endpoint: 'http://127.0.0.1:0' },
      lifecycle: { onReset: () => undefined, onStop: () => undefined },
    };
    logs = createProvider(runtime);
    await logs.CreateLogGroup?.({ logGroupName: 'g' }, ctx);
    await logs.CreateLogStream?.({ logGroupName: 'g', logStreamName: 's' }, ctx);
  });

  afterEach(() => {
    runtime.store.close();
  });

  it('announces the events it stored on the bus, leaving out rejected ones', async () => {
    const announced = new Promise<BusEvent>((resolve) => runtime.bus.on('logs:events-put', resolve));
    const result = appendLogEvents(runtime, ACCOUNT, REGION, 'g', 's', [
      { timestamp: clock.now() - 20 * DAY, message: 'too old' },
      { timestamp: clock.now(), message: 'a' },
      { timestamp: clock.now(), message: 'b' },
    ]);
    assert.deepEqual(result.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 0 });
    assert.deepEqual(await announced, { topic: 'logs:events-put', account: ACCOUNT, region: REGION, detail: { logGroupName: 'g', logStreamName: 's', count: 2 } });
  });

  it('announces nothing when every event was rejected', async () => {
    let announcements = 0;
    runtime.bus.on('logs:events-put', () => {
      announcements += 1;
    });
    appendLogEvents(runtime, ACCOUNT, REGION, 'g', 's', [{ timestamp: clock.now() + 3 * HOUR, message: 'too new' }]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(announcements, 0);
  });

  it('removes expired events from storage when their stream is written to again', async () => {
    await logs.PutRetentionPolicy?.({ logGroupName: 'g', retentionInDays: 1 }, ctx);
    appendLogEvents(runtime, ACCOUNT, REGION, 'g', 's', [{ timestamp: clock.now(), message: 'expires' }]);
    clock.advance(2 * DAY);
    appendLogEvents(runtime, ACCOUNT, REGION, 'g', 's', [{ timestamp: clock.now(), message: 'stays' }]);

    const events = runtime.store.collection(scopedName('logs', ACCOUNT, REGION, 'events'));
    assert.equal(events.count(), 1);
    const groups = await logs.DescribeLogGroups?.({}, ctx);
    assert.equal(groups?.logGroups?.[0].storedBytes, 'stays'.length);
    const streams = await logs.DescribeLogStreams?.({ logGroupName: 'g' }, ctx);
    assert.equal(streams?.logStreams?.[0].firstEventTimestamp, clock.now());
  });
});
