/** Request ids in each service's own format, as SDKs report them ($metadata.requestId) and errors carry them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DynamoDBClient, DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { clientSettings, useNimbus } from '../helpers/nimbus.js';

describe('request ids', () => {
  const nimbus = useNimbus();

  it('are 52 upper-case letters and digits for DynamoDB, on answers and errors', async () => {
    const dynamodb = new DynamoDBClient(clientSettings(nimbus()));
    const listed = await dynamodb.send(new ListTablesCommand({}));
    assert.match(listed.$metadata.requestId ?? '', /^[0-9A-Z]{52}$/);
    const failure = await dynamodb.send(new DescribeTableCommand({ TableName: 'missing' })).then(
      () => assert.fail('DescribeTable of a missing table succeeded'),
      (error: unknown) => error as { name: string; $metadata: { requestId?: string } },
    );
    assert.equal(failure.name, 'ResourceNotFoundException');
    assert.match(failure.$metadata.requestId ?? '', /^[0-9A-Z]{52}$/);
  });

  it('are UUIDs for other services', async () => {
    const sts = new STSClient(clientSettings(nimbus()));
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    assert.match(identity.$metadata.requestId ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
