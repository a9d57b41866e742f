import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import {
  BatchExecuteStatementCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import type { AttributeValue, ExecuteStatementCommandOutput } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ExecuteStatementCommand as DocumentExecuteStatementCommand } from '@aws-sdk/lib-dynamodb';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

async function rejects(promise: Promise<unknown>, name: string, message: string): Promise<void> {
  await assert.rejects(promise, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, name);
    assert.equal(error.message, message);
    assert.equal(error.$metadata?.httpStatusCode, 400);
    return true;
  });
}

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
          { Statement: `UPDATE people SET n = 1 WHERE id = 'zz'` },
        ],
      }),
    );
    assert.deepEqual(batch.Responses, [
      { TableName: 'people' },
      { Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } },
      { Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' } },
    ]);
    const reads = await ddb().send(
      new BatchExecuteStatementCommand({
        Statements: [{ Statement: `SELECT * FROM people WHERE id = 'a'` }, { Statement: `SELECT * FROM people WHERE id = 'b'` }, { Statement: `SELECT * FROM people` }],
      }),
    );
    assert.deepEqual(reads.Responses, [
      { TableName: 'people', Item: { id: { S: 'a' } } },
      { TableName: 'people' },
      { Error: { Code: 'ValidationError', Message: 'Where clause does not contain a mandatory equality on all key attributes' } },
    ]);
    await assert.rejects(
      ddb().send(new BatchExecuteStatementCommand({ Statements: [{ Statement: `SELECT * FROM people WHERE id = 'a'` }, { Statement: `DELETE FROM people WHERE id = 'a'` }] })),
      { name: 'ValidationException', message: 'The entire batch must consist of either read statements or write statements, you cannot mix both in one batch.' },
    );
    const error = await ddb()
      .send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `INSERT INTO people VALUE {'id': 'b'}` }, { Statement: `INSERT INTO people VALUE {'id': 'a'}` }] }))
      .catch((e: unknown) => e);
    assert.ok(error instanceof TransactionCanceledException);
    assert.deepEqual(error.CancellationReasons, [{ Code: 'None' }, { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' }]);
    assert.deepEqual((await run(`SELECT id FROM people WHERE id = 'b'`)).Items, []);
  });

});

describe('DynamoDB PartiQL reads and writes', () => {
  const nimbus = useNimbus();
  const ddb = (): DynamoDBClient => new DynamoDBClient(clientSettings(nimbus()));
  const run = (Statement: string, options: { Parameters?: AttributeValue[]; Limit?: number; NextToken?: string; ConsistentRead?: boolean } = {}): Promise<ExecuteStatementCommandOutput> =>
    ddb().send(new ExecuteStatementCommand({ Statement, ...options }));
  const ids = (output: ExecuteStatementCommandOutput): string[] => (output.Items ?? []).map((item) => `${item.customer.S!}/${item.n.N!}`);

  const order = (customer: string, n: number, extra: Record<string, AttributeValue> = {}): Record<string, AttributeValue> => ({
    customer: { S: customer },
    n: { N: String(n) },
    ...extra,
  });

  beforeEach(async () => {
    await ddb().send(
      new CreateTableCommand({
        TableName: 'orders',
        AttributeDefinitions: [
          { AttributeName: 'customer', AttributeType: 'S' },
          { AttributeName: 'n', AttributeType: 'N' },
          { AttributeName: 'state', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'customer', KeyType: 'HASH' },
          { AttributeName: 'n', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [{ IndexName: 'byState', KeySchema: [{ AttributeName: 'state', KeyType: 'HASH' }, { AttributeName: 'n', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const items = [
      order('c1', 1, { state: { S: 'open' }, total: { N: '10' }, tags: { SS: ['gift', 'rush'] }, address: { M: { city: { S: 'Paris' }, lines: { L: [{ S: '1 rue' }, { S: 'bis' }] } } } }),
      order('c1', 2, { state: { S: 'closed' }, total: { N: '25' }, note: { S: 'leave at door' } }),
      order('c1', 3, { state: { S: 'open' }, total: { N: '40' }, address: { M: { city: { S: 'Lyon' }, lines: { L: [{ S: '9 place' }] } } } }),
      order('c2', 1, { state: { S: 'open' }, total: { N: '5' }, tags: { SS: ['rush'] } }),
      order('c3', 7, { total: { N: '99' } }),
    ];
    await ddb().send(new BatchWriteItemCommand({ RequestItems: { orders: items.map((Item) => ({ PutRequest: { Item } })) } }));
  });

  it('selects with WHERE on key and non-key attributes', async () => {
    const cases: [string, AttributeValue[], string[]][] = [
      [`SELECT * FROM orders WHERE customer = 'c1'`, [], ['c1/1', 'c1/2', 'c1/3']],
      [`SELECT * FROM orders WHERE customer = ? AND n >= ?`, [{ S: 'c1' }, { N: '2' }], ['c1/2', 'c1/3']],
      [`SELECT * FROM orders WHERE customer = 'c1' AND n BETWEEN 2 AND 3 AND total > 30`, [], ['c1/3']],
      [`SELECT * FROM orders WHERE customer IN ['c2', 'c1'] AND state = 'open'`, [], ['c2/1', 'c1/1', 'c1/3']],
      [`SELECT * FROM orders WHERE total < 20`, [], ['c1/1', 'c2/1']],
      [`SELECT * FROM orders WHERE customer = {'c': 1}`, [], []],
      [`SELECT * FROM orders WHERE customer = 'c1' OR total = 99`, [], ['c1/1', 'c1/2', 'c1/3', 'c3/7']],
      [`SELECT * FROM orders WHERE begins_with(note, 'leave')`, [], ['c1/2']],
      [`SELECT * FROM orders WHERE contains(tags, 'rush') AND NOT contains(tags, 'gift')`, [], ['c2/1']],
      [`SELECT * FROM orders WHERE state IS MISSING`, [], ['c3/7']],
      [`SELECT * FROM orders WHERE customer = 'c1' AND note IS NOT MISSING`, [], ['c1/2']],
      [`SELECT * FROM orders WHERE size(tags) = 2`, [], ['c1/1']],
      [`SELECT * FROM orders WHERE address.city = 'Lyon'`, [], ['c1/3']],
      [`SELECT * FROM orders WHERE address.lines[1] = 'bis'`, [], ['c1/1']],
      [`SELECT * FROM orders WHERE "customer" = 'c1' AND attribute_type(total, 'N') AND state IN ['closed']`, [], ['c1/2']],
      [`SELECT * FROM orders WHERE customer = 'c1' ORDER BY n DESC`, [], ['c1/3', 'c1/2', 'c1/1']],
      [`SELECT * FROM "orders"."byState" WHERE state = 'open'`, [], ['c1/1', 'c2/1', 'c1/3']],
      [`SELECT * FROM "orders"."byState" WHERE state = 'open' AND n > 1`, [], ['c1/3']],
    ];
    for (const [statement, Parameters, expected] of cases) {
      assert.deepEqual(ids(await run(statement, Parameters.length > 0 ? { Parameters } : {})), expected, statement);
    }
  });

  it('projects attributes, nested paths and list elements', async () => {
    const output = await run(`SELECT n, address.city, address.lines[0], missing FROM orders WHERE customer = 'c1' AND n = 1`);
    // A nested value comes back as a top-level attribute named by the path's last dotted step.
    assert.deepEqual(output.Items, [{ n: { N: '1' }, city: { S: 'Paris' }, 'lines[0]': { S: '1 rue' } }]);
  });

  it('pages with Limit and NextToken, across the partitions IN pins too', async () => {
    const pages = async (statement: string, Limit: number): Promise<string[][]> => {
      const seen: string[][] = [];
      let NextToken: string | undefined;
      do {
        const output = await run(statement, { Limit, ...(NextToken ? { NextToken } : {}) });
        seen.push(ids(output));
        NextToken = output.NextToken;
      } while (NextToken !== undefined && seen.length < 10);
      return seen;
    };
    assert.deepEqual(await pages(`SELECT * FROM orders WHERE customer = 'c1'`, 2), [['c1/1', 'c1/2'], ['c1/3']]);
    // A page goes on into the next pinned partition; stopping at Limit leaves a token even when nothing follows.
    assert.deepEqual(await pages(`SELECT * FROM orders WHERE customer IN ['c1', 'c2']`, 2), [['c1/1', 'c1/2'], ['c1/3', 'c2/1'], []]);
    // Limit counts evaluated items, not matches, as DynamoDB's does.
    assert.deepEqual(await pages(`SELECT * FROM orders WHERE customer = 'c1' AND total > 20`, 2), [['c1/2'], ['c1/3']]);
    await rejects(run(`SELECT * FROM orders`, { NextToken: 'not-a-token' }), 'ValidationException', 'Invalid NextToken');
  });

  it('answers DynamoDB errors for bad selects', async () => {
    const cases: [string, { ConsistentRead?: boolean }, string, string][] = [
      [`SELECT * FROM missing_table`, {}, 'ResourceNotFoundException', 'Requested resource not found'],
      [`SELECT * FROM "orders"."nope"`, {}, 'ValidationException', 'The table does not have the specified index: nope'],
      [`SELECT * FROM "orders"."byState" WHERE state = 'open'`, { ConsistentRead: true }, 'ValidationException', 'Strongly consistent read is not supported on Global Secondary Indexes'],
      [`SELECT * FROM orders ORDER BY n`, {}, 'ValidationException', 'Must have WHERE clause in the statement when using ORDER BY clause.'],
      [`SELECT * FROM orders WHERE total > 1 ORDER BY n`, {}, 'ValidationException', 'Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.'],
      [`SELECT * FROM orders WHERE customer = 'c1' ORDER BY total`, {}, 'ValidationException', 'Variable reference total in ORDER BY clause must be part of the primary key'],
      [`SELECT * FROM orders WHERE`, {}, 'ValidationException', "Statement wasn't well formed, can't be processed: unexpected end of statement"],
      [`DROP TABLE orders`, {}, 'ValidationException', "Statement wasn't well formed, can't be processed: Expected data manipulation"],
    ];
    for (const [statement, options, name, message] of cases) await rejects(run(statement, options), name, message);
  });

  it('updates with SET, REMOVE and set functions, returning the images asked for', async () => {
    const key = `WHERE customer = 'c1' AND n = 1`;
    assert.deepEqual((await run(`UPDATE orders SET total = total + 5 ${key} RETURNING MODIFIED OLD *`)).Items, [{ total: { N: '10' } }]);
    assert.deepEqual((await run(`UPDATE orders SET total = total - 1 ${key} RETURNING MODIFIED NEW *`)).Items, [{ total: { N: '14' } }]);
    assert.deepEqual((await run(`UPDATE orders SET tags = set_add(tags, <<'fragile'>>) REMOVE address ${key}`)).Items, []);
    const all = await run(`UPDATE orders SET tags = set_delete(tags, <<'gift', 'rush'>>), address.city = 'Nice' ${key} RETURNING ALL NEW *`).catch((e: unknown) => e);
    // address was removed, so its nested path cannot be set: DynamoDB's UpdateItem rule applies.
    assert.ok(all instanceof Error && all.name === 'ValidationException');
    const updated = await run(`UPDATE orders SET tags = set_delete(tags, <<'gift', 'rush'>>), lines = list_append(if_not_exists(lines, []), ['x']) ${key} RETURNING ALL NEW *`);
    assert.deepEqual(updated.Items, [{ customer: { S: 'c1' }, n: { N: '1' }, state: { S: 'open' }, total: { N: '14' }, tags: { SS: ['fragile'] }, lines: { L: [{ S: 'x' }] } }]);
    const old = await run(`UPDATE orders SET state = 'closed' ${key} AND state = 'open' RETURNING ALL OLD *`);
    assert.equal(old.Items?.[0].state.S, 'open');
    await rejects(run(`UPDATE orders SET total = 1 WHERE customer = 'c9' AND n = 1`), 'ConditionalCheckFailedException', 'The conditional request failed');
    await rejects(run(`UPDATE orders SET total = 1 ${key} AND state = 'open'`), 'ConditionalCheckFailedException', 'The conditional request failed');
    await rejects(run(`UPDATE orders SET total = 1 WHERE customer = 'c1'`), 'ValidationException', 'Where clause does not contain a mandatory equality on all key attributes');
    await rejects(run(`UPDATE orders SET total = 1 WHERE customer = 'c1' AND n IN [1, 2]`), 'ValidationException', 'Multiple conditions on same key n. Only single item Update/Insert/Delete are supported');
  });

  it('deletes with RETURNING ALL OLD and inserts with DuplicateItemException', async () => {
    const deleted = await run(`DELETE FROM orders WHERE customer = 'c2' AND n = 1 RETURNING ALL OLD *`);
    assert.deepEqual(deleted.Items, [{ customer: { S: 'c2' }, n: { N: '1' }, state: { S: 'open' }, total: { N: '5' }, tags: { SS: ['rush'] } }]);
    assert.deepEqual((await run(`SELECT * FROM orders WHERE customer = 'c2'`)).Items, []);
    await run(`INSERT INTO orders VALUE {'customer': 'c2', 'n': 1, 'total': ?}`, { Parameters: [{ N: '6' }] });
    await rejects(run(`INSERT INTO orders VALUE {'customer': 'c2', 'n': 1}`), 'DuplicateItemException', 'Duplicate primary key exists in table');
    await rejects(run(`INSERT INTO orders VALUE {'customer': 'c2'}`), 'ValidationException', 'One or more parameter values were invalid: Missing the key n in the item');
    await rejects(run(`DELETE FROM orders WHERE customer = 'c2' AND n = 1 AND total = 1`), 'ConditionalCheckFailedException', 'The conditional request failed');
  });

  it('returns consumed capacity for reads and writes', async () => {
    const read = await ddb().send(new ExecuteStatementCommand({ Statement: `SELECT * FROM orders WHERE customer = 'c1'`, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(read.ConsumedCapacity, { TableName: 'orders', CapacityUnits: 0.5, ReadCapacityUnits: 0.5 });
    const consistent = await ddb().send(new ExecuteStatementCommand({ Statement: `SELECT * FROM orders WHERE customer = 'c1'`, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal(consistent.ConsumedCapacity?.CapacityUnits, 1);
    const index = await ddb().send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "orders"."byState" WHERE state = 'open'`, ReturnConsumedCapacity: 'INDEXES' }));
    assert.deepEqual(index.ConsumedCapacity, { TableName: 'orders', CapacityUnits: 0.5, ReadCapacityUnits: 0.5, Table: { CapacityUnits: 0, ReadCapacityUnits: 0 }, GlobalSecondaryIndexes: { byState: { CapacityUnits: 0.5, ReadCapacityUnits: 0.5 } } });
    const write = await ddb().send(new ExecuteStatementCommand({ Statement: `UPDATE orders SET total = 1 WHERE customer = 'c3' AND n = 7`, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(write.ConsumedCapacity, { TableName: 'orders', CapacityUnits: 1, WriteCapacityUnits: 1 });
  });

  it('takes native values through the DocumentClient', async () => {
    const documents = DynamoDBDocumentClient.from(ddb());
    await documents.send(new DocumentExecuteStatementCommand({ Statement: `INSERT INTO orders VALUE {'customer': ?, 'n': ?, 'meta': ?}`, Parameters: ['c9', 1, { vip: true, codes: [1, 2] }] }));
    const output = await documents.send(new DocumentExecuteStatementCommand({ Statement: `SELECT meta.vip, meta.codes[1] FROM orders WHERE customer = ? AND n = ?`, Parameters: ['c9', 1] }));
    assert.deepEqual(output.Items, [{ vip: true, 'codes[1]': 2 }]);
  });

  it('runs read transactions and condition checks with EXISTS', async () => {
    const reads = await ddb().send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `SELECT total FROM orders WHERE customer = 'c1' AND n = 2` },
          { Statement: `SELECT * FROM orders WHERE customer = 'c9' AND n = 1` },
        ],
      }),
    );
    assert.deepEqual(reads.Responses, [{ Item: { total: { N: '25' } } }, {}]);
    await rejects(
      ddb().send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `SELECT * FROM orders WHERE customer = 'c1'` }] })),
      'ValidationException',
      'Select statements within ExecuteTransaction must specify the primary key in the where clause.',
    );
    await rejects(
      ddb().send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `SELECT * FROM orders WHERE customer = 'c1' AND n = 1` }, { Statement: `DELETE FROM orders WHERE customer = 'c1' AND n = 1` }] })),
      'ValidationException',
      'Unsupported operation in transaction.',
    );
    const check = (total: number) =>
      ddb().send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `EXISTS(SELECT * FROM orders WHERE customer = 'c1' AND n = 2 AND total = ${String(total)})` },
            { Statement: `UPDATE orders SET checked = true WHERE customer = 'c1' AND n = 3` },
          ],
        }),
      );
    const cancelled = await check(1).catch((e: unknown) => e);
    assert.ok(cancelled instanceof TransactionCanceledException);
    assert.deepEqual(cancelled.CancellationReasons, [{ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }, { Code: 'None' }]);
    await check(25);
    assert.deepEqual((await run(`SELECT checked FROM orders WHERE customer = 'c1' AND n = 3`)).Items, [{ checked: { BOOL: true } }]);
    await rejects(run(`EXISTS(SELECT * FROM orders WHERE customer = 'c1' AND n = 2)`), 'ValidationException', 'EXISTS can only be used in ExecuteTransaction write requests.');
  });
});
