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

  describe('runs: a batch kept as one record', () => {
    const records = () => runtime.store.collection(scopedName('logs', ACCOUNT, REGION, 'events'));
    const messagesFromHead = async (startTime?: number): Promise<string[]> => {
      const output = await logs.GetLogEvents?.({ logGroupName: 'g', logStreamName: 's', startFromHead: true, startTime }, ctx);
      return output?.events?.map((event) => event.message ?? '') ?? [];
    };
    const batch = (timestamps: number[], name: string) => timestamps.map((offset, i) => ({ timestamp: T0 + offset, message: `${name}${String(i)}` }));

    it('stores a batch that follows everything in its stream as one record', async () => {
      appendLogEvents(runtime, ACCOUNT, REGION, 'g', 's', batch([0, 1, 2], 'a'));
      appendLogEvents(runtime, ACCOUNT, REGION, 'g', 's', batch([2, 3], 'b'));
      assert.equal(records().count(), 2);
      assert.deepEqual(await messagesFromHead(), ['a0', 'a1', 'a2', 'b0', 'b1']);
      // A start time inside a run reads from the middle of it.
      assert.deepEqual(await messagesFromHead(T0 + 2), ['a2', 'b0', 'b1']);
    });

    it('splits runs back into events before an out-of-order batch lands among them, and keeps time order', async () => {
      appendLogEvents(runtime, ACCOUNT, REGION, 'g', 's', batch([0, 10, 20], 'a'));
      appendLogEvents(runtime, ACCOUNT, REGION, 'g', 's', batch([30, 40], 'b'));
      appendLogEvents(runtime, ACCOUNT, REGION, 'g', 's', batch([5, 25, 35], 'late'));
      // The run before the late batch's first timestamp and every run after it were split: 8 single events.
      assert.equal(records().count(), 8);
      assert.deepEqual(await messagesFromHead(), ['a0', 'late0', 'a1', 'a2', 'late1', 'b0', 'late2', 'b1']);
      // Later in-order batches form runs again.
      appendLogEvents(runtime, ACCOUNT, REGION, 'g', 's', batch([50, 60], 'c'));
      assert.equal(records().count(), 9);
      assert.deepEqual(await messagesFromHead(T0 + 35), ['late2', 'b1', 'c0', 'c1']);
    });

    it('pages backward through the middle of a run', async () => {
      appendLogEvents(runtime, ACCOUNT, REGION, 'g', 's', batch([0, 1, 2, 3, 4], 'e'));
      const newest = await logs.GetLogEvents?.({ logGroupName: 'g', logStreamName: 's', limit: 2 }, ctx);
      assert.deepEqual(newest?.events?.map((event) => event.message), ['e3', 'e4']);
      const before = await logs.GetLogEvents?.({ logGroupName: 'g', logStreamName: 's', limit: 2, nextToken: newest?.nextBackwardToken }, ctx);
      assert.deepEqual(before?.events?.map((event) => event.message), ['e1', 'e2']);
      const after = await logs.GetLogEvents?.({ logGroupName: 'g', logStreamName: 's', nextToken: before?.nextForwardToken }, ctx);
      assert.deepEqual(after?.events?.map((event) => event.message), ['e3', 'e4']);
    });

    it('keeps the unexpired end of a run when retention removes its start', async () => {
      await logs.PutRetentionPolicy?.({ logGroupName: 'g', retentionInDays: 1 }, ctx);
      appendLogEvents(runtime, ACCOUNT, REGION, 'g', 's', [
        { timestamp: clock.now() - 2 * HOUR, message: 'gone' },
        { timestamp: clock.now(), message: 'kept' },
      ]);
      clock.advance(DAY - HOUR);
      appendLogEvents(runtime, ACCOUNT, REGION, 'g', 's', [{ timestamp: clock.now(), message: 'new' }]);
      assert.equal(records().count(), 2);
      assert.deepEqual(await messagesFromHead(), ['kept', 'new']);
      const groups = await logs.DescribeLogGroups?.({}, ctx);
      assert.equal(groups?.logGroups?.[0].storedBytes, 'kept'.length + 'new'.length);
      const streams = await logs.DescribeLogStreams?.({ logGroupName: 'g' }, ctx);
      assert.equal(streams?.logStreams?.[0].firstEventTimestamp, clock.now() - (DAY - HOUR));
    });
  });
});
