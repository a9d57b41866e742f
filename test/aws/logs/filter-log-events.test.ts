import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  paginateFilterLogEvents,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { FilterLogEventsCommandInput, FilterLogEventsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { ManualClock } from '../../../src/index.js';
import { rejectsWith } from '../../helpers/assertions.js';
import { useNimbus } from '../../helpers/nimbus.js';
import { DAY, HOUR, logsClient, MINUTE, T0 } from './logs-helpers.js';

describe('CloudWatch Logs FilterLogEvents', () => {
  const clock = new ManualClock(T0);
  const nimbus = useNimbus({ clock });
  const logs = () => logsClient(nimbus());

  /** Writes `messages` to `stream`, one a second starting `startMinutesAgo` minutes ago. */
  const write = async (stream: string, startMinutesAgo: number, messages: string[]): Promise<void> => {
    await logs().send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: stream }));
    const start = clock.now() - startMinutesAgo * MINUTE;
    await logs().send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: stream, logEvents: messages.map((message, i) => ({ timestamp: start + i * 1000, message })) }));
  };
  const filter = (input: Omit<FilterLogEventsCommandInput, 'logGroupName'> = {}): Promise<FilterLogEventsCommandOutput> =>
    logs().send(new FilterLogEventsCommand({ logGroupName: 'g', ...input }));
  const messages = (output: FilterLogEventsCommandOutput): string[] => output.events?.map((e) => e.message ?? '') ?? [];

  const ALL = [
    'ERROR api failed',
    'INFO second ok',
    'INFO api ok',
    '{"level":"INFO","latency":12}',
    '{"level":"ERROR","latency":250}',
    '127.0.0.1 frank GET 404',
    '10.0.0.1 alice GET 500',
  ];
  const seed = async (): Promise<void> => {
    await logs().send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await write('api/1', 10, ['ERROR api failed', 'INFO api ok', '{"level":"ERROR","latency":250}']);
    await write('api/2', 10, ['INFO second ok', '{"level":"INFO","latency":12}']);
    await write('worker', 5, ['127.0.0.1 frank GET 404', '10.0.0.1 alice GET 500']);
  };

  it('interleaves the streams by timestamp and describes each event', async () => {
    await seed();
    const output = await filter();
    assert.deepEqual(messages(output), ALL);
    const [first] = output.events ?? [];
    assert.equal(first.logStreamName, 'api/1');
    assert.equal(first.timestamp, clock.now() - 10 * MINUTE);
    assert.equal(first.ingestionTime, clock.now());
    assert.match(first.eventId ?? '', /^\d{56}$/);
    assert.equal(new Set(output.events?.map((e) => e.eventId)).size, 7);
    // Deprecated by AWS in 2020: always an empty list.
    assert.deepEqual(output.searchedLogStreams, []);
    assert.equal(output.nextToken, undefined);
  });

  const patterns: { pattern: string; expected: string[] }[] = [
    { pattern: 'ERROR', expected: ['ERROR api failed', '{"level":"ERROR","latency":250}'] },
    { pattern: '{ $.level = "ERROR" }', expected: ['{"level":"ERROR","latency":250}'] },
    { pattern: '{ $.latency > 100 }', expected: ['{"level":"ERROR","latency":250}'] },
    { pattern: '"api ok"', expected: ['INFO api ok'] },
    { pattern: '[ip, user, method, status = 5*]', expected: ['10.0.0.1 alice GET 500'] },
    { pattern: '', expected: ALL },
  ];
  for (const { pattern, expected } of patterns) {
    it(`matches the pattern '${pattern}'`, async () => {
      await seed();
      const output = await filter({ filterPattern: pattern });
      assert.deepEqual(messages(output), expected);
    });
  }

  it('refuses an invalid pattern with the engine message', async () => {
    await seed();
    await rejectsWith(filter({ filterPattern: '{ $.level = "ERROR"' }), 'InvalidParameterException', "If a filter pattern starts with '{' it must end with '}'");
  });

  it('limits the search to named streams or to a name prefix', async () => {
    await seed();
    assert.deepEqual(messages(await filter({ logStreamNames: ['api/2', 'missing'] })), ['INFO second ok', '{"level":"INFO","latency":12}']);
    assert.deepEqual(messages(await filter({ logStreamNamePrefix: 'api/', filterPattern: 'INFO' })), [
      'INFO second ok',
      'INFO api ok',
      '{"level":"INFO","latency":12}',
    ]);
    await rejectsWith(
      filter({ logStreamNames: ['api/1'], logStreamNamePrefix: 'api' }),
      'InvalidParameterException',
      'logStreamNames and logStreamNamePrefix are mutually exclusive parameters.',
    );
  });

  it('includes both ends of the time range', async () => {
    await seed();
    const start = clock.now() - 10 * MINUTE;
    assert.deepEqual(messages(await filter({ startTime: start + 1000, endTime: start + 2000 })), ['INFO api ok', '{"level":"INFO","latency":12}', '{"level":"ERROR","latency":250}']);
  });

  it('pages with nextToken without an empty last page', async () => {
    await seed();
    const pages: string[][] = [];
    for await (const page of paginateFilterLogEvents({ client: logs(), pageSize: 1 }, { logGroupName: 'g', filterPattern: 'ERROR' })) {
      pages.push(messages(page));
    }
    assert.deepEqual(pages, [['ERROR api failed'], ['{"level":"ERROR","latency":250}']]);

    const all: string[] = [];
    for await (const page of paginateFilterLogEvents({ client: logs(), pageSize: 3 }, { logGroupName: 'g' })) all.push(...messages(page));
    assert.deepEqual(all, ALL);
  });

  it('refuses an unknown nextToken', async () => {
    await seed();
    await rejectsWith(filter({ nextToken: 'not-a-token' }), 'InvalidParameterException', 'The specified nextToken is invalid.');
  });

  it('leaves out events older than the retention period', async () => {
    await seed();
    await logs().send(new PutRetentionPolicyCommand({ logGroupName: 'g', retentionInDays: 1 }));
    clock.advance(DAY - 7 * MINUTE);
    assert.deepEqual(messages(await filter()), ['127.0.0.1 frank GET 404', '10.0.0.1 alice GET 500']);
    clock.advance(HOUR);
    assert.deepEqual(messages(await filter()), []);
  });

  it('answers ResourceNotFoundException for a missing group', async () => {
    await rejectsWith(filter(), 'ResourceNotFoundException', 'The specified log group does not exist.');
  });
});
