/**
 * The wire format through two more independent clients: the AWS CLI (botocore, v1) and boto3, each run as
 * a child process against the started Nimbus.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../../src/index.js';
import { cliRunners, jsonDocuments } from '../../helpers/cli.js';
import { useNimbus } from '../../helpers/nimbus.js';
import { T0 } from './logs-helpers.js';

describe('CloudWatch Logs through the AWS CLI and boto3', () => {
  const nimbus = useNimbus({ clock: new ManualClock(T0) });
  const { shell, python } = cliRunners(nimbus);

  it('runs the acceptance example with the AWS CLI exactly as written', async () => {
    const outcome = await shell(
      [
        'aws logs create-log-group --log-group-name g',
        'aws logs create-log-stream --log-group-name g --log-stream-name s',
        `aws logs put-log-events --log-group-name g --log-stream-name s --log-events timestamp=${T0 - 2000},message="ERROR disk full" timestamp=${T0 - 1000},message="INFO all good"`,
        'aws logs filter-log-events --log-group-name g --filter-pattern ERROR',
      ].join(' && '),
    );
    assert.equal(outcome.code, 0, outcome.stderr);
    const [put, filtered] = jsonDocuments(outcome.stdout);
    assert.match(String(put.nextSequenceToken), /^\d{56}$/);
    const events = filtered.events as Record<string, unknown>[];
    assert.deepEqual(
      events.map(({ logStreamName, timestamp, message, ingestionTime }) => ({ logStreamName, timestamp, message, ingestionTime })),
      [{ logStreamName: 's', timestamp: T0 - 2000, message: 'ERROR disk full', ingestionTime: T0 }],
    );
    assert.match(String(events[0].eventId), /^\d{56}$/);
    assert.deepEqual(filtered.searchedLogStreams, []);

    const got = await shell('aws logs get-log-events --log-group-name g --log-stream-name s');
    assert.equal(got.code, 0, got.stderr);
    const [page] = jsonDocuments(got.stdout);
    assert.deepEqual(page.events, [
      { timestamp: T0 - 2000, message: 'ERROR disk full', ingestionTime: T0 },
      { timestamp: T0 - 1000, message: 'INFO all good', ingestionTime: T0 },
    ]);
    assert.match(String(page.nextForwardToken), /^f\/\d{56}$/);
    assert.match(String(page.nextBackwardToken), /^b\/\d{56}$/);
  });

  it('pages FilterLogEvents and describes groups and streams through the CLI', async () => {
    const events = JSON.stringify(Array.from({ length: 4 }, (_, i) => ({ timestamp: T0 - 4000 + i * 1000, message: `{"level":"${i % 2 ? 'INFO' : 'ERROR'}","n":${i}}` })));
    const setUp = await shell(
      [
        'aws logs create-log-group --log-group-name /app/api',
        'aws logs create-log-stream --log-group-name /app/api --log-stream-name web',
        `aws logs put-log-events --log-group-name /app/api --log-stream-name web --log-events '${events}'`,
      ].join(' && '),
    );
    assert.equal(setUp.code, 0, setUp.stderr);

    // The CLI follows nextToken itself: one call per event, one merged result.
    const filtered = await shell(`aws logs filter-log-events --log-group-name /app/api --filter-pattern '{ $.level = "ERROR" }' --page-size 1`);
    assert.equal(filtered.code, 0, filtered.stderr);
    const [result] = jsonDocuments(filtered.stdout);
    assert.deepEqual(
      (result.events as { message: string }[]).map((e) => e.message),
      ['{"level":"ERROR","n":0}', '{"level":"ERROR","n":2}'],
    );
    assert.equal(result.nextToken, undefined);

    const described = await shell('aws logs describe-log-groups --log-group-name-prefix /app && aws logs describe-log-streams --log-group-name /app/api');
    assert.equal(described.code, 0, described.stderr);
    const [groups, streams] = jsonDocuments(described.stdout);
    const [group] = groups.logGroups as Record<string, unknown>[];
    assert.equal(group.arn, 'arn:aws:logs:us-east-1:000000000000:log-group:/app/api:*');
    assert.equal(group.logGroupArn, 'arn:aws:logs:us-east-1:000000000000:log-group:/app/api');
    const [stream] = streams.logStreams as Record<string, unknown>[];
    assert.deepEqual([stream.logStreamName, stream.firstEventTimestamp, stream.lastEventTimestamp, stream.storedBytes], ['web', T0 - 4000, T0 - 1000, 0]);
  });

  it('reports AWS errors through the CLI', async () => {
    const missing = await shell('aws logs get-log-events --log-group-name nope --log-stream-name s');
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /An error occurred \(ResourceNotFoundException\) when calling the GetLogEvents operation: The specified log group does not exist\./);

    const badPattern = await shell(`aws logs create-log-group --log-group-name g && aws logs filter-log-events --log-group-name g --filter-pattern '{ $.level = '`);
    assert.notEqual(badPattern.code, 0);
    assert.match(badPattern.stderr, /\(InvalidParameterException\) when calling the FilterLogEvents operation: If a filter pattern starts with '\{' it must end with '\}'/);
  });

  it('works through boto3, JSON patterns, paginators and error codes included', async () => {
    const outcome = await python(`
import json, boto3
from botocore.exceptions import ClientError
logs = boto3.client('logs')
logs.create_log_group(logGroupName='/svc/orders', tags={'team': 'shop'})
logs.create_log_stream(logGroupName='/svc/orders', logStreamName='a')
logs.create_log_stream(logGroupName='/svc/orders', logStreamName='b')
logs.put_log_events(logGroupName='/svc/orders', logStreamName='a', logEvents=[
    {'timestamp': ${T0 - 3000}, 'message': json.dumps({'level': 'ERROR', 'order': 1})},
    {'timestamp': ${T0 - 1000}, 'message': json.dumps({'level': 'INFO', 'order': 3})}])
put = logs.put_log_events(logGroupName='/svc/orders', logStreamName='b', logEvents=[
    {'timestamp': ${T0 - 2000}, 'message': json.dumps({'level': 'ERROR', 'order': 2})}])
errors = [e['message'] for page in logs.get_paginator('filter_log_events').paginate(
    logGroupName='/svc/orders', filterPattern='{ $.level = "ERROR" }', PaginationConfig={'PageSize': 1}) for e in page['events']]
head = logs.get_log_events(logGroupName='/svc/orders', logStreamName='a', startFromHead=True, limit=1)
rest = logs.get_log_events(logGroupName='/svc/orders', logStreamName='a', startFromHead=True, nextToken=head['nextForwardToken'])
end = logs.get_log_events(logGroupName='/svc/orders', logStreamName='a', startFromHead=True, nextToken=rest['nextForwardToken'])
def error_of(call):
    try:
        call()
    except ClientError as error:
        return [error.response['Error']['Code'], error.response['Error']['Message'], error.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps({
    'token': put['nextSequenceToken'],
    'errors': errors,
    'head': [e['message'] for e in head['events']],
    'rest': [e['message'] for e in rest['events']],
    'endSameToken': end['nextForwardToken'] == rest['nextForwardToken'] and end['events'] == [],
    'tags': logs.list_tags_log_group(logGroupName='/svc/orders')['tags'],
    'streams': [s['logStreamName'] for s in logs.describe_log_streams(logGroupName='/svc/orders', orderBy='LastEventTime', descending=True)['logStreams']],
    'outOfOrder': error_of(lambda: logs.put_log_events(logGroupName='/svc/orders', logStreamName='a', logEvents=[
        {'timestamp': ${T0}, 'message': 'x'}, {'timestamp': ${T0 - 1}, 'message': 'y'}])),
    'retention': error_of(lambda: logs.put_retention_policy(logGroupName='/svc/orders', retentionInDays=2)),
    'duplicate': error_of(lambda: logs.create_log_group(logGroupName='/svc/orders')),
}))
`);
    assert.equal(outcome.code, 0, outcome.stderr);
    const result = JSON.parse(outcome.stdout) as Record<string, unknown>;
    assert.match(String(result.token), /^\d{56}$/);
    assert.deepEqual(result.errors, ['{"level": "ERROR", "order": 1}', '{"level": "ERROR", "order": 2}']);
    assert.deepEqual(result.head, ['{"level": "ERROR", "order": 1}']);
    assert.deepEqual(result.rest, ['{"level": "INFO", "order": 3}']);
    assert.equal(result.endSameToken, true);
    assert.deepEqual(result.tags, { team: 'shop' });
    assert.deepEqual(result.streams, ['a', 'b']);
    assert.deepEqual(result.outOfOrder, ['InvalidParameterException', 'Log events in a single PutLogEvents request must be in chronological order.', 400]);
    assert.equal((result.retention as unknown[])[0], 'InvalidParameterException');
    assert.deepEqual(result.duplicate, ['ResourceAlreadyExistsException', 'The specified log group already exists', 400]);
  });
});
