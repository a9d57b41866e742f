import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { BatchExecuteStatementCommand, CreateTableCommand, DynamoDBClient, ExecuteStatementCommand, ExecuteTransactionCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

describe('DynamoDB PartiQL', () => {
  const nimbus = useNimbus();
  const ddb = (): DynamoDBClient => new DynamoDBClient(clientSettings(nimbus()));
  const run = (Statement: string, Parameters?: { S?: string; N?: string }[]) => ddb().send(new ExecuteStatementCommand({ Statement, Parameters: Parameters as never }));

  beforeEach(async () => {
    await ddb().send(
      new CreateTableCommand({
        TableName: 'people',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });

  it('inserts, selects, updates and deletes with parameters', async () => {
    await run(`INSERT INTO "people" VALUE {'id': ?, 'name': 'Ada', 'age': 36, 'langs': <<'en', 'fr'>>}`, [{ S: 'p1' }]);
    await run(`INSERT INTO people VALUE {'id': 'p2', 'name': 'Bob', 'age': 20}`);
    await assert.rejects(run(`INSERT INTO people VALUE {'id': 'p2'}`), { name: 'DuplicateItemException', message: 'Duplicate primary key exists in table' });

    const older = await run(`SELECT name, age FROM people WHERE age > ?`, [{ N: '30' }]);
    assert.deepEqual(older.Items, [{ name: { S: 'Ada' }, age: { N: '36' } }]);

    await run(`UPDATE people SET age = age + 1 SET nick = 'b' WHERE id = 'p2'`);
    const bob = await run(`SELECT * FROM "people" WHERE "id" = 'p2'`);
    assert.deepEqual(bob.Items, [{ id: { S: 'p2' }, name: { S: 'Bob' }, age: { N: '21' }, nick: { S: 'b' } }]);
    await assert.rejects(run(`UPDATE people SET age = 1 WHERE id = 'nobody'`), { name: 'ConditionalCheckFailedException' });
    await assert.rejects(run(`DELETE FROM people WHERE name = 'Ada'`), {
      name: 'ValidationException',
      message: 'Where clause does not contain a mandatory equality on all key attributes',
    });

    await run(`DELETE FROM people WHERE id = ?`, [{ S: 'p1' }]);
    const left = await run(`SELECT id FROM people`);
    assert.deepEqual(left.Items, [{ id: { S: 'p2' } }]);
  });

  it('runs batches with per-statement errors and transactions all-or-nothing', async () => {
    const batch = await ddb().send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `INSERT INTO people VALUE {'id': 'a'}` },
          { Statement: `INSERT INTO people VALUE {'id': 'a'}` },
          { Statement: `SELECT * FROM people WHERE id = 'a'` },
        ],
      }),
    );
    assert.deepEqual(batch.Responses, [
      { TableName: 'people' },
      { Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } },
      { TableName: 'people', Item: { id: { S: 'a' } } },
    ]);
    const error = await ddb()
      .send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `INSERT INTO people VALUE {'id': 'b'}` }, { Statement: `INSERT INTO people VALUE {'id': 'a'}` }] }))
      .catch((e: unknown) => e);
    assert.ok(error instanceof TransactionCanceledException);
    assert.deepEqual(error.CancellationReasons, [{ Code: 'None' }, { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' }]);
    assert.deepEqual((await run(`SELECT id FROM people WHERE id = 'b'`)).Items, []);
  });
});
