/**
 * What DynamoDB answers before (and in the style of) the model's constraint checks, as an independent suite
 * written against the real service (dynalite's) recorded it: table operations word a missing or mis-sized
 * TableName themselves, tagging operations refuse a malformed ResourceArn as unauthorized, and Coral's
 * validator names map values `.member` and reports every constraint a value breaks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTagsOfResourceCommand,
  QueryCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { cliRunners } from '../../helpers/cli.js';
import { failureOf } from '../../helpers/assertions.js';
import { clientSettings, useNimbus } from '../../helpers/nimbus.js';

const NAME_LENGTH = 'TableName must be at least 3 characters long and at most 255 characters long';
const REQUIRED = "The parameter 'TableName' is required but was not present in the request";
const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/';
const DENIED = 'User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:';

describe('DynamoDB checks before the model constraints', () => {
  const nimbus = useNimbus();
  const ddb = (): DynamoDBClient => new DynamoDBClient(clientSettings(nimbus()));


  const writes = (count: number) => Array.from({ length: count }, (_, i) => ({ PutRequest: { Item: { id: { S: String(i) } } } }));
  const cases: { name: string; send: (client: DynamoDBClient) => Promise<unknown>; error: string; message: string }[] = [
    { name: 'DescribeTable without TableName', send: (c) => c.send(new DescribeTableCommand({} as { TableName: string })), error: 'ValidationException', message: REQUIRED },
    { name: 'CreateTable without TableName', send: (c) => c.send(new CreateTableCommand({} as CreateTableCommandInput)), error: 'ValidationException', message: REQUIRED },
    { name: 'DescribeTable with an empty TableName', send: (c) => c.send(new DescribeTableCommand({ TableName: '' })), error: 'ValidationException', message: NAME_LENGTH },
    { name: 'UpdateTable with a two-character TableName', send: (c) => c.send(new UpdateTableCommand({ TableName: 'a;' })), error: 'ValidationException', message: NAME_LENGTH },
    { name: 'TagResource without ResourceArn', send: (c) => c.send(new TagResourceCommand({} as { ResourceArn: string; Tags: [] })), error: 'ValidationException', message: 'Invalid TableArn' },
    { name: 'ListTagsOfResource with an empty ResourceArn', send: (c) => c.send(new ListTagsOfResourceCommand({ ResourceArn: '' })), error: 'AccessDeniedException', message: `${DENIED}ListTagsOfResource on resource: *` },
    { name: 'UntagResource with no ARN and no keys', send: (c) => c.send(new UntagResourceCommand({ ResourceArn: 'abcd' } as { ResourceArn: string; TagKeys: string[] })), error: 'AccessDeniedException', message: `${DENIED}UntagResource on resource: abcd` },
    { name: 'TagResource on a missing table', send: (c) => c.send(new TagResourceCommand({ ResourceArn: `${ARN}missing`, Tags: [{ Key: 'a', Value: 'b' }] })), error: 'ResourceNotFoundException', message: `Requested resource not found: ResourcArn: ${ARN}missing not found` },
    { name: 'ListTagsOfResource on a missing table', send: (c) => c.send(new ListTagsOfResourceCommand({ ResourceArn: `${ARN}missing` })), error: 'ResourceNotFoundException', message: `Requested resource not found: ResourcArn: ${ARN}missing not found` },
    { name: 'UntagResource on a missing table', send: (c) => c.send(new UntagResourceCommand({ ResourceArn: `${ARN}missing`, TagKeys: ['a'] })), error: 'ResourceNotFoundException', message: 'Requested resource not found' },
    {
      name: 'BatchGetItem with more than 100 keys in one table',
      send: (c) => c.send(new BatchGetItemCommand({ RequestItems: { abc: { Keys: Array.from({ length: 101 }, (_, i) => ({ id: { S: String(i) } })) } } })),
      error: 'ValidationException',
      message: `1 validation error detected: Value '[${Array.from({ length: 101 }, () => '...').join(', ')}]' at 'requestItems.abc.member.keys' failed to satisfy constraint: Member must have length less than or equal to 100`,
    },
    {
      name: 'BatchWriteItem with 26 writes to one table',
      send: (c) => c.send(new BatchWriteItemCommand({ RequestItems: { abc: writes(26) } })),
      error: 'ValidationException',
      message: `1 validation error detected: Value '${JSON.stringify({ abc: writes(26) })}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]`,
    },
    {
      name: 'Query with an index name both short and off-pattern',
      send: (c) => c.send(new QueryCommand({ TableName: 'abc', IndexName: 'a;', KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': { S: 'x' } } })),
      error: 'ValidationException',
      message:
        "2 validation errors detected: Value 'a;' at 'indexName' failed to satisfy constraint: Member must have length greater than or equal to 3; Value 'a;' at 'indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    },
  ];
  for (const { name, send, error, message } of cases) {
    it(name, async () => {
      assert.deepEqual(await failureOf(() => send(ddb())), { name: error, message, status: 400 });
    });
  }

  describe('through the AWS CLI and boto3', () => {
    const { shell, python } = cliRunners(nimbus);

    it('answers a short table name with the AWS CLI', async () => {
      const outcome = await shell('aws dynamodb describe-table --table-name ab');
      assert.equal(outcome.code, 255);
      assert.match(outcome.stderr, /An error occurred \(ValidationException\) when calling the DescribeTable operation: TableName must be at least 3 characters long and at most 255 characters long/);
    });

    it('answers a malformed ResourceArn as AccessDeniedException to boto3', async () => {
      const outcome = await python(`
import boto3, json
try:
    boto3.client('dynamodb').list_tags_of_resource(ResourceArn='abcd')
except Exception as error:
    print(json.dumps({'code': error.response['Error']['Code'], 'message': error.response['Error']['Message'], 'status': error.response['ResponseMetadata']['HTTPStatusCode']}))
`);
      assert.equal(outcome.code, 0, outcome.stderr);
      assert.deepEqual(JSON.parse(outcome.stdout), { code: 'AccessDeniedException', message: `${DENIED}ListTagsOfResource on resource: abcd`, status: 400 });
    });
  });
});
