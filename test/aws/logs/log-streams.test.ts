import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogStreamCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
  paginateDescribeLogStreams,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { DescribeLogStreamsCommandInput } from '@aws-sdk/client-cloudwatch-logs';
import { ManualClock } from '../../../src/index.js';
import { rejectsWith } from '../../helpers/assertions.js';
import { useNimbus } from '../../helpers/nimbus.js';
import { logsClient, MINUTE, T0 } from './logs-helpers.js';

const GROUP_ARN = 'arn:aws:logs:us-east-1:000000000000:log-group:g';

describe('CloudWatch Logs log streams', () => {
  const clock = new ManualClock(T0);
  const nimbus = useNimbus({ clock });
  const logs = () => logsClient(nimbus());

  const streamNames = async (input: Omit<DescribeLogStreamsCommandInput, 'logGroupName'>): Promise<string[]> => {
    const { logStreams } = await logs().send(new DescribeLogStreamsCommand({ logGroupName: 'g', ...input }));
    return logStreams?.map((s) => s.logStreamName ?? '') ?? [];
  };

  it('describes a new stream with storedBytes 0 and no event statistics', async () => {
    await logs().send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await logs().send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: '2025/01/15/[$LATEST]abc' }));
    const { logStreams } = await logs().send(new DescribeLogStreamsCommand({ logGroupName: 'g' }));
    assert.deepEqual(logStreams, [
      { logStreamName: '2025/01/15/[$LATEST]abc', creationTime: clock.now(), arn: `${GROUP_ARN}:log-stream:2025/01/15/[$LATEST]abc`, storedBytes: 0 },
    ]);
  });

  it('tracks first and last event, ingestion time and the upload sequence token', async () => {
    await logs().send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await logs().send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }));
    const now = clock.now();
    const put = await logs().send(
      new PutLogEventsCommand({
        logGroupName: 'g',
        logStreamName: 's',
        logEvents: [
          { timestamp: now - 5 * MINUTE, message: 'first' },
          { timestamp: now - MINUTE, message: 'last' },
        ],
      }),
    );
    clock.advance(MINUTE);
    await logs().send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: now - 10 * MINUTE, message: 'older' }] }));
    const [stream] = (await logs().send(new DescribeLogStreamsCommand({ logGroupName: 'g' }))).logStreams ?? [];
    assert.equal(stream.firstEventTimestamp, now - 10 * MINUTE);
    assert.equal(stream.lastEventTimestamp, now - MINUTE);
    assert.equal(stream.lastIngestionTime, now + MINUTE);
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- AWS deprecated it for streams: always 0, which is what is checked.
    assert.equal(stream.storedBytes, 0);
    assert.match(stream.uploadSequenceToken ?? '', /^\d{56}$/);
    assert.notEqual(stream.uploadSequenceToken, put.nextSequenceToken);
    // The group counts the UTF-8 bytes of its messages.
    assert.equal((await logs().send(new DescribeLogGroupsCommand({}))).logGroups?.[0].storedBytes, 'first'.length + 'last'.length + 'older'.length);
  });

  it('refuses duplicates and answers for missing groups and streams', async () => {
    await rejectsWith(logs().send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
    await logs().send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await logs().send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }));
    await rejectsWith(logs().send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' })), 'ResourceAlreadyExistsException', 'The specified log stream already exists');
    await rejectsWith(logs().send(new DeleteLogStreamCommand({ logGroupName: 'g', logStreamName: 'nope' })), 'ResourceNotFoundException', 'The specified log stream does not exist.');
    await rejectsWith(logs().send(new DescribeLogStreamsCommand({ logGroupName: 'nope' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
  });

  it('deletes a stream with its events and gives back its bytes to the group', async () => {
    await logs().send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    for (const name of ['a', 'b']) {
      await logs().send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: name }));
      await logs().send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: name, logEvents: [{ timestamp: clock.now(), message: `hello ${name}` }] }));
    }
    await logs().send(new DeleteLogStreamCommand({ logGroupName: 'g', logStreamName: 'a' }));
    assert.deepEqual(await streamNames({}), ['b']);
    assert.equal((await logs().send(new DescribeLogGroupsCommand({}))).logGroups?.[0].storedBytes, 'hello b'.length);
    // A stream created again under the same name starts empty.
    await logs().send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 'a' }));
    assert.deepEqual((await logs().send(new GetLogEventsCommand({ logGroupName: 'g', logStreamName: 'a' }))).events, []);
  });

  describe('listing', () => {
    const setUp = async (): Promise<void> => {
      await logs().send(new CreateLogGroupCommand({ logGroupName: 'g' }));
      // Created in one order, written in another: LastEventTime order is b, c, a; d has no events.
      const lastEvents: Record<string, number | undefined> = { a: 30, b: 10, c: 20, d: undefined };
      for (const [name, minutesAgo] of Object.entries(lastEvents)) {
        await logs().send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: name }));
        if (minutesAgo !== undefined) {
          await logs().send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: name, logEvents: [{ timestamp: clock.now() - (40 - minutesAgo) * MINUTE, message: name }] }));
        }
      }
    };

    const cases: { title: string; input: Omit<DescribeLogStreamsCommandInput, 'logGroupName'>; expected: string[] }[] = [
      { title: 'by name', input: {}, expected: ['a', 'b', 'c', 'd'] },
      { title: 'by name, descending', input: { descending: true }, expected: ['d', 'c', 'b', 'a'] },
      { title: 'by name prefix', input: { logStreamNamePrefix: 'c' }, expected: ['c'] },
      { title: 'by last event time', input: { orderBy: 'LastEventTime' }, expected: ['d', 'b', 'c', 'a'] },
      { title: 'by last event time, descending', input: { orderBy: 'LastEventTime', descending: true }, expected: ['a', 'c', 'b', 'd'] },
    ];
    for (const { title, input, expected } of cases) {
      it(`orders ${title}`, async () => {
        await setUp();
        assert.deepEqual(await streamNames(input), expected);
        const paged: string[] = [];
        for await (const page of paginateDescribeLogStreams({ client: logs(), pageSize: 1 }, { logGroupName: 'g', ...input })) {
          paged.push(...(page.logStreams?.map((s) => s.logStreamName ?? '') ?? []));
        }
        assert.deepEqual(paged, expected);
      });
    }

    it('refuses a name prefix with LastEventTime ordering', async () => {
      await setUp();
      await rejectsWith(
        logs().send(new DescribeLogStreamsCommand({ logGroupName: 'g', orderBy: 'LastEventTime', logStreamNamePrefix: 'a' })),
        'InvalidParameterException',
        'Cannot order by LastEventTime with a logStreamNamePrefix.',
      );
    });

    it('takes the group by identifier, name or ARN, but not both name and identifier', async () => {
      await setUp();
      const { logStreams } = await logs().send(new DescribeLogStreamsCommand({ logGroupIdentifier: GROUP_ARN, limit: 1 }));
      assert.deepEqual(logStreams?.map((s) => s.logStreamName), ['a']);
      assert.equal((await logs().send(new DescribeLogStreamsCommand({ logGroupIdentifier: 'g' }))).logStreams?.length, 4);
      await rejectsWith(
        logs().send(new DescribeLogStreamsCommand({ logGroupName: 'g', logGroupIdentifier: 'g' })),
        'ValidationException',
        'LogGroup name and LogGroup ARN are mutually exclusive parameters.',
      );
    });
  });
});
