/**
 * The DynamoDB wire format through two more independent clients: the AWS CLI (botocore, v1) and boto3,
 * each run as a child process against the started Nimbus.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cliRunners, jsonDocuments } from '../../helpers/cli.js';
import { useNimbus } from '../../helpers/nimbus.js';

describe('DynamoDB through the AWS CLI and boto3', () => {
  const nimbus = useNimbus();
  const { shell, python } = cliRunners(nimbus);

  it('creates a table, writes and queries with the AWS CLI, and reports errors', async () => {
    const outcome = await shell(
      [
        'aws dynamodb create-table --table-name music --attribute-definitions AttributeName=artist,AttributeType=S AttributeName=song,AttributeType=S --key-schema AttributeName=artist,KeyType=HASH AttributeName=song,KeyType=RANGE --billing-mode PAY_PER_REQUEST',
        `aws dynamodb put-item --table-name music --item '{"artist":{"S":"Ada"},"song":{"S":"B"},"bytes":{"B":"AAH/"}}'`,
        `aws dynamodb put-item --table-name music --item '{"artist":{"S":"Ada"},"song":{"S":"A"}}'`,
        `aws dynamodb query --table-name music --key-condition-expression 'artist = :a' --expression-attribute-values '{":a":{"S":"Ada"}}'`,
      ].join(' && '),
    );
    assert.equal(outcome.code, 0, outcome.stderr);
    const [created, queried] = jsonDocuments(outcome.stdout);
    assert.equal((created.TableDescription as Record<string, unknown>).TableStatus, 'CREATING');
    // CLI v1 sends a blob argument's text as the bytes (base64-encoding it itself), so it reads back base64("AAH/").
    assert.deepEqual(queried.Items, [{ artist: { S: 'Ada' }, song: { S: 'A' } }, { artist: { S: 'Ada' }, song: { S: 'B' }, bytes: { B: Buffer.from('AAH/').toString('base64') } }]);
    assert.equal(queried.Count, 2);

    const failed = await shell(`aws dynamodb put-item --table-name music --item '{"artist":{"S":"Ada"},"song":{"S":"A"}}' --condition-expression 'attribute_not_exists(artist)'`);
    assert.equal(failed.code, 255);
    assert.match(failed.stderr, /An error occurred \(ConditionalCheckFailedException\) when calling the PutItem operation: The conditional request failed/);
  });

  it('runs a transaction and reads cancellation reasons with boto3', async () => {
    const outcome = await python(`
import boto3, json
ddb = boto3.client('dynamodb')
ddb.create_table(TableName='stock', AttributeDefinitions=[{'AttributeName': 'sku', 'AttributeType': 'N'}], KeySchema=[{'AttributeName': 'sku', 'KeyType': 'HASH'}], BillingMode='PAY_PER_REQUEST')
ddb.transact_write_items(TransactItems=[{'Put': {'TableName': 'stock', 'Item': {'sku': {'N': '1'}, 'qty': {'N': '5'}}}}])
try:
    ddb.transact_write_items(TransactItems=[{'Update': {'TableName': 'stock', 'Key': {'sku': {'N': '1'}}, 'UpdateExpression': 'SET qty = qty - :n', 'ConditionExpression': 'qty >= :n', 'ExpressionAttributeValues': {':n': {'N': '9'}}}}])
except ddb.exceptions.TransactionCanceledException as error:
    print(json.dumps({'code': error.response['Error']['Code'], 'reasons': error.response['CancellationReasons']}))
table = boto3.resource('dynamodb').Table('stock')
print(json.dumps({'qty': int(table.get_item(Key={'sku': 1})['Item']['qty'])}))
`);
    assert.equal(outcome.code, 0, outcome.stderr);
    const [cancelled, item] = outcome.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(cancelled, { code: 'TransactionCanceledException', reasons: [{ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }] });
    assert.deepEqual(item, { qty: 5 });
  });

  it('runs PartiQL with the AWS CLI and boto3, and reports item collection metrics to boto3', async () => {
    const cli = await shell(
      [
        'aws dynamodb create-table --table-name notes --attribute-definitions AttributeName=owner,AttributeType=S AttributeName=id,AttributeType=N AttributeName=at,AttributeType=N --key-schema AttributeName=owner,KeyType=HASH AttributeName=id,KeyType=RANGE --local-secondary-indexes \'[{"IndexName":"byAt","KeySchema":[{"AttributeName":"owner","KeyType":"HASH"},{"AttributeName":"at","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}]\' --billing-mode PAY_PER_REQUEST',
        `aws dynamodb execute-statement --statement "INSERT INTO notes VALUE {'owner': ?, 'id': 1, 'at': 5, 'text': 'hi'}" --parameters '[{"S":"ada"}]'`,
        `aws dynamodb execute-statement --statement "SELECT id, text FROM notes WHERE owner = ? AND at IS NOT MISSING" --parameters '[{"S":"ada"}]'`,
      ].join(' && '),
    );
    assert.equal(cli.code, 0, cli.stderr);
    const [, inserted, selected] = jsonDocuments(cli.stdout);
    assert.deepEqual(inserted, { Items: [] });
    assert.deepEqual(selected, { Items: [{ id: { N: '1' }, text: { S: 'hi' } }] });

    const boto = await python(`
import boto3, json
ddb = boto3.client('dynamodb')
try:
    ddb.execute_statement(Statement="INSERT INTO notes VALUE {'owner': 'ada', 'id': 1}")
except ddb.exceptions.DuplicateItemException as error:
    print(json.dumps({'code': error.response['Error']['Code'], 'message': error.response['Error']['Message']}))
updated = ddb.execute_statement(Statement="UPDATE notes SET text = ? WHERE owner = 'ada' AND id = 1 RETURNING MODIFIED NEW *", Parameters=[{'S': 'hello'}])
print(json.dumps(updated['Items']))
put = ddb.put_item(TableName='notes', Item={'owner': {'S': 'ada'}, 'id': {'N': '2'}, 'at': {'N': '7'}}, ReturnItemCollectionMetrics='SIZE')
print(json.dumps(put['ItemCollectionMetrics']))
`);
    assert.equal(boto.code, 0, boto.stderr);
    const [duplicate, returned, metrics] = boto.stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown);
    assert.deepEqual(duplicate, { code: 'DuplicateItemException', message: 'Duplicate primary key exists in table' });
    assert.deepEqual(returned, [{ text: { S: 'hello' } }]);
    assert.deepEqual(metrics, { ItemCollectionKey: { owner: { S: 'ada' } }, SizeEstimateRangeGB: [0, 1] });
  });
});
