import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { passesFilters, parsePattern } from '../../../src/services/lambda/event-sources/filter-criteria.js';
import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import type { CreateEventSourceMappingCommandInput } from '@aws-sdk/client-lambda';
import type { Nimbus } from '../../../src/index.js';
import { startNimbus } from '../../../src/index.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';
import { zip } from '../../helpers/zip.js';

const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

/**
 * Appends each event it receives to $OUT. A batch holding key "bad" fails: by throwing, or (REPORT=1)
 * by reporting that record once as a batch item failure.
 */
const HANDLER = `
import { appendFileSync } from 'node:fs';
let reported = false;
export const handler = async (event) => {
  appendFileSync(process.env.OUT, JSON.stringify(event) + '\\n');
  const bad = event.Records.find((r) => r.dynamodb.Keys.pk.S === 'bad');
  if (!bad) return { batchItemFailures: [] };
  if (process.env.REPORT !== '1') throw new Error('bad record');
  if (reported) return { batchItemFailures: [] };
  reported = true;
  return { batchItemFailures: [{ itemIdentifier: bad.dynamodb.SequenceNumber }] };
};
`;

interface DeliveredEvent {
  Records: { eventName: string; eventSourceARN: string; eventSource: string; dynamodb: { Keys: { pk: { S: string } }; NewImage?: unknown; SequenceNumber: string } }[];
}

describe('Lambda event source mappings for DynamoDB streams', () => {
  const clock = new ManualClock();
  const nimbus = useNimbus({ clock });
  const lambda = (): LambdaClient => new LambdaClient(clientSettings(nimbus()));
  const ddb = (): DynamoDBClient => new DynamoDBClient(clientSettings(nimbus()));
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-esm-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  let counter = 0;
  /** A function that records what it receives, and a table with a stream. */
  async function setup(options: { report?: boolean } = {}): Promise<{ functionName: string; table: string; streamArn: string; out: string }> {
    counter += 1;
    const functionName = `consumer-${String(counter)}`;
    const out = join(dir, `${functionName}.jsonl`);
    await lambda().send(
      new CreateFunctionCommand({
        FunctionName: functionName,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: ROLE,
        Timeout: 30,
        Code: { ZipFile: await zip({ 'index.mjs': HANDLER }) },
        Environment: { Variables: { OUT: out, REPORT: options.report ? '1' : '0' } },
      }),
    );
    const table = `table-${String(counter)}`;
    const created = await ddb().send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    return { functionName, table, streamArn: created.TableDescription!.LatestStreamArn!, out };
  }

  const put = async (table: string, ...keys: string[]): Promise<void> => {
    for (const key of keys) await ddb().send(new PutItemCommand({ TableName: table, Item: { pk: { S: key }, kind: { S: key === 'skip' ? 'drop' : 'keep' } } }));
  };

  const delivered = (out: string): string[][] =>
    existsSync(out)
      ? readFileSync(out, 'utf8')
          .trim()
          .split('\n')
          .map((line) => (JSON.parse(line) as DeliveredEvent).Records.map((r) => r.dynamodb.Keys.pk.S))
      : [];

  /** Moves the poller's clock on until the function has received `count` batches (invocations run in real processes). */
  async function untilDelivered(out: string, count: number): Promise<string[][]> {
    for (let step = 0; step < 2400 && delivered(out).length < count; step++) {
      clock.advance(1000);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return delivered(out);
  }

  const mapping = (streamArn: string, functionName: string, extra: Partial<CreateEventSourceMappingCommandInput> = {}) =>
    lambda().send(new CreateEventSourceMappingCommand({ EventSourceArn: streamArn, FunctionName: functionName, StartingPosition: 'TRIM_HORIZON', ...extra }));

  it('creates, reads, lists, updates and deletes a mapping', async () => {
    const { functionName, streamArn } = await setup();
    const created = await mapping(streamArn, functionName, { Enabled: false });
    assert.match(created.UUID!, /^[0-9a-f-]{36}$/);
    assert.equal(created.State, 'Creating');
    assert.equal(created.BatchSize, 100);
    assert.equal(created.MaximumRetryAttempts, -1);
    assert.equal(created.MaximumBatchingWindowInSeconds, 0);
    assert.equal(created.BisectBatchOnFunctionError, false);
    assert.equal(created.StartingPosition, 'TRIM_HORIZON');
    assert.equal(created.EventSourceArn, streamArn);
    assert.equal(created.FunctionArn, `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`);
    assert.equal(created.EventSourceMappingArn, `arn:aws:lambda:us-east-1:000000000000:event-source-mapping:${created.UUID!}`);

    const got = await lambda().send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
    assert.equal(got.State, 'Disabled');
    assert.equal(got.LastProcessingResult, 'No records processed');

    const listed = await lambda().send(new ListEventSourceMappingsCommand({ FunctionName: functionName }));
    assert.deepEqual(
      listed.EventSourceMappings!.map((m) => m.UUID),
      [created.UUID],
    );
    assert.deepEqual((await lambda().send(new ListEventSourceMappingsCommand({ FunctionName: 'other' }))).EventSourceMappings, []);

    const updated = await lambda().send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, BatchSize: 5, FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] } }));
    assert.equal(updated.State, 'Updating');
    assert.equal(updated.BatchSize, 5);
    assert.deepEqual(updated.FilterCriteria, { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] });

    const deleted = await lambda().send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
    assert.equal(deleted.State, 'Deleting');
    await assert.rejects(lambda().send(new GetEventSourceMappingCommand({ UUID: created.UUID })), (error: Error & { $metadata: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'ResourceNotFoundException');
      assert.equal(error.message, 'The resource you requested does not exist.');
      assert.equal(error.$metadata.httpStatusCode, 404);
      return true;
    });
  });

  it('refuses a missing starting position, an unknown stream, a bad filter and a duplicate', async () => {
    const { functionName, streamArn } = await setup();
    const cases: { input: Partial<CreateEventSourceMappingCommandInput>; name: string; message: string | RegExp }[] = [
      { input: { StartingPosition: undefined }, name: 'InvalidParameterValueException', message: /startingPosition/ },
      { input: { EventSourceArn: `${streamArn.replace(/\/stream\/.*/, '')}x/stream/2020-01-01T00:00:00.000` }, name: 'InvalidParameterValueException', message: /^Stream not found: / },
      { input: { FilterCriteria: { Filters: [{ Pattern: '{"eventName":"INSERT"' }] } }, name: 'InvalidParameterValueException', message: 'Invalid filter pattern definition.' },
      { input: { FunctionName: 'missing' }, name: 'ResourceNotFoundException', message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing' },
    ];
    for (const { input, name, message } of cases) {
      await assert.rejects(mapping(streamArn, functionName, { Enabled: false, ...input }), (error: Error) => {
        assert.equal(error.name, name);
        if (typeof message === 'string') assert.equal(error.message, message);
        else assert.match(error.message, message);
        return true;
      });
    }
    const first = await mapping(streamArn, functionName, { Enabled: false });
    await assert.rejects(mapping(streamArn, functionName, { Enabled: false }), (error: Error & { $metadata: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'ResourceConflictException');
      assert.match(error.message, new RegExp(`existing mapping with UUID ${first.UUID!}$`));
      assert.equal(error.$metadata.httpStatusCode, 409);
      return true;
    });
  });

  it('delivers batches in order with the aws:dynamodb event, then new records', async () => {
    const { functionName, table, streamArn, out } = await setup();
    await put(table, 'a', 'b', 'c');
    await mapping(streamArn, functionName, { BatchSize: 2 });
    assert.deepEqual(await untilDelivered(out, 2), [['a', 'b'], ['c']]);
    const event = JSON.parse(readFileSync(out, 'utf8').split('\n')[0]) as DeliveredEvent;
    const record = event.Records[0];
    assert.equal(record.eventName, 'INSERT');
    assert.equal(record.eventSource, 'aws:dynamodb');
    assert.equal(record.eventSourceARN, streamArn);
    assert.deepEqual(record.dynamodb.NewImage, { pk: { S: 'a' }, kind: { S: 'keep' } });
    await put(table, 'd');
    assert.deepEqual(await untilDelivered(out, 3), [['a', 'b'], ['c'], ['d']]);
  });

  it('retries a failing batch MaximumRetryAttempts times, bisecting it, then moves on', async () => {
    const { functionName, table, streamArn, out } = await setup();
    await put(table, 'x', 'bad');
    await mapping(streamArn, functionName, { MaximumRetryAttempts: 1, BisectBatchOnFunctionError: true });
    assert.deepEqual(await untilDelivered(out, 4), [['x', 'bad'], ['x'], ['bad'], ['bad']]);
    await put(table, 'later');
    assert.deepEqual((await untilDelivered(out, 5)).slice(4), [['later']]);
  });

  it('retries from the first failed record with ReportBatchItemFailures', async () => {
    const { functionName, table, streamArn, out } = await setup({ report: true });
    await put(table, 'a', 'bad', 'c');
    await mapping(streamArn, functionName, { FunctionResponseTypes: ['ReportBatchItemFailures'] });
    assert.deepEqual(await untilDelivered(out, 2), [['a', 'bad', 'c'], ['bad', 'c']]);
  });

  it('delivers only the records the filter criteria match', async () => {
    const { functionName, table, streamArn, out } = await setup();
    await put(table, 'one', 'skip', 'two');
    await mapping(streamArn, functionName, {
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: [{ prefix: 'ke' }] } } } }) }] },
    });
    assert.deepEqual(await untilDelivered(out, 1), [['one', 'two']]);
  });
});

describe('Event filter patterns', () => {
  const record = { eventName: 'MODIFY', dynamodb: { Keys: { pk: { S: 'order-7' } }, NewImage: { total: { N: '12' }, tags: { SS: ['a', 'b'] } } }, size: 12 };
  const cases: { pattern: unknown; matches: boolean }[] = [
    { pattern: { eventName: ['MODIFY'] }, matches: true },
    { pattern: { eventName: ['INSERT', 'REMOVE'] }, matches: false },
    { pattern: { dynamodb: { Keys: { pk: { S: [{ prefix: 'order-' }] } } } }, matches: true },
    { pattern: { dynamodb: { Keys: { pk: { S: [{ prefix: 'user-' }] } } } }, matches: false },
    { pattern: { size: [{ numeric: ['>', 10, '<=', 12] }] }, matches: true },
    { pattern: { size: [{ numeric: ['<', 10] }] }, matches: false },
    { pattern: { dynamodb: { OldImage: [{ exists: false }] } }, matches: true },
    { pattern: { dynamodb: { OldImage: [{ exists: true }] } }, matches: false },
    { pattern: { eventName: [{ 'anything-but': ['REMOVE'] }] }, matches: true },
    { pattern: { eventName: [{ 'anything-but': 'MODIFY' }] }, matches: false },
    { pattern: { dynamodb: { NewImage: { tags: { SS: ['b'] } } } }, matches: true },
  ];
  for (const { pattern, matches } of cases) {
    it(`${matches ? 'matches' : 'rejects'} ${JSON.stringify(pattern)}`, () => {
      assert.equal(passesFilters([parsePattern(JSON.stringify(pattern))], record), matches);
    });
  }

  it('refuses patterns outside the grammar', () => {
    for (const text of ['[]', '{"a":"b"}', '{"a":[{"suffix":"x"}]}', '{"a":[{"numeric":[">"]}]}', 'nope']) {
      assert.throws(() => parsePattern(text), { name: 'InvalidParameterValueException', message: 'Invalid filter pattern definition.' }, text);
    }
  });
});

describe('Event source mappings survive a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-esm-restart-'));
  const out = join(dataDir, 'received.jsonl');
  let current: Nimbus | undefined;
  const settings = () => clientSettings(current!);
  after(async () => {
    await current?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const received = (): string[][] =>
    existsSync(out)
      ? readFileSync(out, 'utf8')
          .trim()
          .split('\n')
          .map((line) => (JSON.parse(line) as DeliveredEvent).Records.map((r) => r.dynamodb.Keys.pk.S))
      : [];

  async function until(clock: ManualClock, done: () => boolean | Promise<boolean>): Promise<void> {
    for (let step = 0; step < 2400 && !(await done()); step++) {
      clock.advance(1000);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('resumes polling after the last processed record when Lambda loads again', async () => {
    let clock = new ManualClock();
    current = await startNimbus({ ephemeral: false, dataDir, clock });
    const lambda = new LambdaClient(settings());
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'durable', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Timeout: 30, Code: { ZipFile: await zip({ 'index.mjs': HANDLER }) }, Environment: { Variables: { OUT: out } } }));
    const table = await new DynamoDBClient(settings()).send(
      new CreateTableCommand({ TableName: 'durable', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }),
    );
    const created = await lambda.send(new CreateEventSourceMappingCommand({ EventSourceArn: table.TableDescription!.LatestStreamArn, FunctionName: 'durable', StartingPosition: 'TRIM_HORIZON', BatchSize: 2, MaximumBatchingWindowInSeconds: 30 }));
    await new DynamoDBClient(settings()).send(new PutItemCommand({ TableName: 'durable', Item: { pk: { S: 'a' } } }));
    await new DynamoDBClient(settings()).send(new PutItemCommand({ TableName: 'durable', Item: { pk: { S: 'b' } } }));
    await until(clock, async () => (await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).LastProcessingResult === 'OK');
    assert.deepEqual(received(), [['a', 'b']]);
    // The batching window holds "c" back until Nimbus has stopped.
    await new DynamoDBClient(settings()).send(new PutItemCommand({ TableName: 'durable', Item: { pk: { S: 'c' } } }));
    await current.stop();

    clock = new ManualClock();
    current = await startNimbus({ ephemeral: false, dataDir, clock });
    await new LambdaClient(settings()).send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
    await until(clock, () => received().length >= 2);
    assert.deepEqual(received(), [['a', 'b'], ['c']]);
  });
});
