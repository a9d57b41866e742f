import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { GetLogEventsCommandInput, GetLogEventsCommandOutput, InputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { ManualClock } from '../../../src/index.js';
import { rejectsWith } from '../../helpers/assertions.js';
import { useNimbus } from '../../helpers/nimbus.js';
import { DAY, HOUR, logsClient, MINUTE, T0 } from './logs-helpers.js';

describe('CloudWatch Logs events', () => {
  const clock = new ManualClock(T0);
  const nimbus = useNimbus({ clock });
  const logs = () => logsClient(nimbus());

  const createStream = async (group = 'g', stream = 's'): Promise<void> => {
    await logs().send(new CreateLogGroupCommand({ logGroupName: group }));
    await logs().send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  };
  const put = (logEvents: InputLogEvent[], sequenceToken?: string) =>
    logs().send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's', logEvents, sequenceToken }));
  const get = (input: Partial<GetLogEventsCommandInput> = {}): Promise<GetLogEventsCommandOutput> =>
    logs().send(new GetLogEventsCommand({ logGroupName: 'g', logStreamName: 's', ...input }));
  const messages = (output: GetLogEventsCommandOutput): string[] => output.events?.map((e) => e.message ?? '') ?? [];
  /** Five events a minute apart, the newest a minute ago: e0 .. e4. */
  const putFive = async (): Promise<number> => {
    const first = clock.now() - 5 * MINUTE;
    await put(Array.from({ length: 5 }, (_, i) => ({ timestamp: first + i * MINUTE, message: `e${i}` })));
    return first;
  };

  describe('PutLogEvents', () => {
    it('stores events with their ingestion time and ignores the sequence token', async () => {
      await createStream();
      const first = await put([{ timestamp: clock.now() - MINUTE, message: '🙀 - 参よ - 日本語' }], 'not-a-real-token');
      assert.match(first.nextSequenceToken ?? '', /^\d{56}$/);
      assert.equal(first.rejectedLogEventsInfo, undefined);
      const second = await put([{ timestamp: clock.now(), message: 'second' }], 'stale-token');
      assert.notEqual(second.nextSequenceToken, first.nextSequenceToken);
      const { events } = await get();
      assert.deepEqual(events, [
        { timestamp: clock.now() - MINUTE, message: '🙀 - 参よ - 日本語', ingestionTime: clock.now() },
        { timestamp: clock.now(), message: 'second', ingestionTime: clock.now() },
      ]);
    });

    it('keeps events that share a timestamp in the order they were sent', async () => {
      await createStream();
      const now = clock.now();
      await put([
        { timestamp: now, message: 'one' },
        { timestamp: now, message: 'two' },
      ]);
      await put([{ timestamp: now, message: 'three' }]);
      assert.deepEqual(messages(await get({ startFromHead: true })), ['one', 'two', 'three']);
    });

    it('fails a batch that is not in chronological order', async () => {
      await createStream();
      await rejectsWith(
        put([
          { timestamp: clock.now(), message: 'newer' },
          { timestamp: clock.now() - 2 * DAY, message: 'older' },
        ]),
        'InvalidParameterException',
        'Log events in a single PutLogEvents request must be in chronological order.',
      );
    });

    it('counts the batch as UTF-8 bytes plus 26 per event, up to 1,048,576', async () => {
      await createStream();
      // 'é' is two bytes in UTF-8: two events of 262,131 characters make exactly 1,048,576 bytes.
      const fits = 'é'.repeat(262_131);
      await put([
        { timestamp: clock.now(), message: fits },
        { timestamp: clock.now(), message: fits },
      ]);
      await rejectsWith(
        put([
          { timestamp: clock.now(), message: fits },
          { timestamp: clock.now(), message: `${fits}x` },
        ]),
        'InvalidParameterException',
        'Upload too large: 1048577 bytes exceeds limit of 1048576',
      );
    });

    it('fails a batch whose accepted events span more than 24 hours', async () => {
      await createStream();
      await rejectsWith(
        put([
          { timestamp: clock.now() - DAY - 1, message: 'a' },
          { timestamp: clock.now(), message: 'b' },
        ]),
        'InvalidParameterException',
        'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
      );
      await put([
        { timestamp: clock.now() - DAY, message: 'a' },
        { timestamp: clock.now(), message: 'b' },
      ]);
    });

    it('reports events too old, expired or too new instead of failing, and keeps the rest', async () => {
      await createStream();
      await logs().send(new PutRetentionPolicyCommand({ logGroupName: 'g', retentionInDays: 1 }));
      const now = clock.now();
      const result = await put([
        { timestamp: now - 15 * DAY, message: 'too old and expired' },
        { timestamp: now - 2 * DAY, message: 'expired' },
        { timestamp: now - HOUR, message: 'kept' },
        { timestamp: now + 2 * HOUR, message: 'kept too' },
        { timestamp: now + 2 * HOUR + 1, message: 'too new' },
        { timestamp: now + 3 * HOUR, message: 'too new too' },
      ]);
      assert.deepEqual(result.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 0, expiredLogEventEndIndex: 1, tooNewLogEventStartIndex: 4 });
      assert.deepEqual(messages(await get()), ['kept', 'kept too']);
    });

    it('accepts a call whose events are all rejected', async () => {
      await createStream();
      const result = await put([{ timestamp: clock.now() - 30 * DAY, message: 'ancient' }]);
      assert.deepEqual(result.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 0 });
      assert.match(result.nextSequenceToken ?? '', /^\d{56}$/);
      assert.deepEqual(messages(await get()), []);
    });

    it('answers ResourceNotFoundException for a missing group or stream', async () => {
      await rejectsWith(put([{ timestamp: clock.now(), message: 'x' }]), 'ResourceNotFoundException', 'The specified log group does not exist.');
      await logs().send(new CreateLogGroupCommand({ logGroupName: 'g' }));
      await rejectsWith(put([{ timestamp: clock.now(), message: 'x' }]), 'ResourceNotFoundException', 'The specified log stream does not exist.');
    });
  });

  describe('GetLogEvents', () => {
    it('returns the newest events by default and the oldest with startFromHead, in time order', async () => {
      await createStream();
      await putFive();
      assert.deepEqual(messages(await get({ limit: 2 })), ['e3', 'e4']);
      assert.deepEqual(messages(await get({ limit: 2, startFromHead: true })), ['e0', 'e1']);
    });

    it('pages forward until the same token comes back at the end of the stream', async () => {
      await createStream();
      await putFive();
      const pages: string[][] = [];
      let page = await get({ limit: 2, startFromHead: true });
      let token: string | undefined;
      while (page.nextForwardToken !== token) {
        pages.push(messages(page));
        assert.match(page.nextForwardToken ?? '', /^f\/\d{56}$/);
        assert.match(page.nextBackwardToken ?? '', /^b\/\d{56}$/);
        token = page.nextForwardToken;
        page = await get({ limit: 2, startFromHead: true, nextToken: token });
      }
      assert.deepEqual(pages, [['e0', 'e1'], ['e2', 'e3'], ['e4']]);
      assert.deepEqual(page.events, []);

      // The end-of-stream token picks up events written later.
      await put([{ timestamp: clock.now(), message: 'e5' }]);
      assert.deepEqual(messages(await get({ nextToken: token, startFromHead: true })), ['e5']);
    });

    it('pages backward until the same token comes back at the head of the stream', async () => {
      await createStream();
      await putFive();
      const pages: string[][] = [];
      let page = await get({ limit: 2 });
      let token: string | undefined;
      while (page.nextBackwardToken !== token) {
        pages.push(messages(page));
        token = page.nextBackwardToken;
        page = await get({ limit: 2, nextToken: token });
      }
      assert.deepEqual(pages, [['e3', 'e4'], ['e1', 'e2'], ['e0']]);
      assert.deepEqual(page.events, []);
      // Turning around: forward from a backward page returns what follows it.
      const middle = await get({ limit: 2, nextToken: (await get({ limit: 2 })).nextBackwardToken });
      assert.deepEqual(messages(await get({ nextToken: middle.nextForwardToken, startFromHead: true })), ['e3', 'e4']);
    });

    it('includes startTime and excludes endTime', async () => {
      await createStream();
      const first = await putFive();
      assert.deepEqual(messages(await get({ startTime: first + MINUTE, endTime: first + 3 * MINUTE })), ['e1', 'e2']);
      assert.deepEqual(messages(await get({ startTime: first + MINUTE, endTime: first + 3 * MINUTE + 1, startFromHead: true, limit: 1 })), ['e1']);
    });

    it('gives an empty stream tokens that later return new events', async () => {
      await createStream();
      const empty = await get();
      assert.deepEqual(empty.events, []);
      await putFive();
      assert.deepEqual(messages(await get({ nextToken: empty.nextForwardToken, startFromHead: true })), ['e0', 'e1', 'e2', 'e3', 'e4']);
    });

    it('stops at 1 MB of events', async () => {
      await createStream();
      const big = 'x'.repeat(400_000);
      for (let i = 0; i < 3; i++) await put([{ timestamp: clock.now() + i, message: big }]);
      const page = await get({ startFromHead: true });
      assert.equal(page.events?.length, 2);
      assert.equal((await get({ startFromHead: true, nextToken: page.nextForwardToken })).events?.length, 1);
    });

    for (const nextToken of ['invalid-token', 'f/123', 'x/00000000000000000000000000000000000000000000000000000000', 'b/99999999999999999999999999999999999999999999999999999999']) {
      it(`refuses the token '${nextToken}'`, async () => {
        await createStream();
        await rejectsWith(get({ nextToken }), 'InvalidParameterException', 'The specified nextToken is invalid.');
      });
    }

    it('hides events once they are older than the retention period', async () => {
      await createStream();
      await logs().send(new PutRetentionPolicyCommand({ logGroupName: 'g', retentionInDays: 1 }));
      await put([{ timestamp: clock.now() - HOUR, message: 'old' }]);
      clock.advance(HOUR);
      await put([{ timestamp: clock.now(), message: 'new' }]);
      assert.deepEqual(messages(await get()), ['old', 'new']);
      clock.advance(DAY - 30 * MINUTE);
      assert.deepEqual(messages(await get()), ['new']);
      assert.deepEqual(messages(await get({ startFromHead: true })), ['new']);
    });

    it('answers ResourceNotFoundException for a missing group or stream, by name or ARN', async () => {
      await rejectsWith(get(), 'ResourceNotFoundException', 'The specified log group does not exist.');
      await logs().send(new CreateLogGroupCommand({ logGroupName: 'g' }));
      await rejectsWith(get(), 'ResourceNotFoundException', 'The specified log stream does not exist.');
      await logs().send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }));
      await put([{ timestamp: clock.now(), message: 'by arn' }]);
      const byArn = await logs().send(new GetLogEventsCommand({ logGroupIdentifier: 'arn:aws:logs:us-east-1:000000000000:log-group:g', logStreamName: 's' }));
      assert.deepEqual(messages(byArn), ['by arn']);
    });
  });
});
