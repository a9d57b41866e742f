/** Durability: a BatchWriteItem and a TransactWriteItems acknowledged before `kill -9` are all there after restart. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, QueryCommand, ScanCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { TEST_CREDENTIALS, TEST_REGION } from '../../helpers/nimbus.js';
import type { NimbusProcess } from '../../helpers/process.js';
import { killHard, spawnNimbus } from '../../helpers/process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-dynamodb-restart-'));
const running: NimbusProcess[] = [];

after(async () => {
  for (const nimbus of running) if (nimbus.child.exitCode === null) await killHard(nimbus);
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<{ nimbus: NimbusProcess; ddb: DynamoDBClient }> {
  const nimbus = await spawnNimbus(['--data-dir', dataDir]);
  running.push(nimbus);
  return { nimbus, ddb: new DynamoDBClient({ endpoint: nimbus.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS }) };
}

describe('DynamoDB writes survive kill -9', () => {
  it('keeps a batch write, a transaction and their index entries', async () => {
    const first = await start();
    await first.ddb.send(
      new CreateTableCommand({
        TableName: 'durable',
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'group', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [{ IndexName: 'byGroup', KeySchema: [{ AttributeName: 'group', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const puts = Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { id: { S: `b${i}` }, group: { S: 'batch' } } } }));
    await first.ddb.send(new BatchWriteItemCommand({ RequestItems: { durable: puts } }));
    await first.ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: 'durable', Item: { id: { S: 't1' }, group: { S: 'tx' } } } },
          { Update: { TableName: 'durable', Key: { id: { S: 'b0' } }, UpdateExpression: 'SET #g = :g', ExpressionAttributeNames: { '#g': 'group' }, ExpressionAttributeValues: { ':g': { S: 'tx' } } } },
        ],
      }),
    );
    await killHard(first.nimbus);

    const second = await start();
    const scanned = await second.ddb.send(new ScanCommand({ TableName: 'durable', Select: 'COUNT' }));
    assert.equal(scanned.Count, 26);
    const tx = await second.ddb.send(new QueryCommand({ TableName: 'durable', IndexName: 'byGroup', KeyConditionExpression: '#g = :g', ExpressionAttributeNames: { '#g': 'group' }, ExpressionAttributeValues: { ':g': { S: 'tx' } } }));
    assert.deepEqual(tx.Items!.map((item) => item.id.S).sort(), ['b0', 't1']);
    await killHard(second.nimbus);
  });
});
