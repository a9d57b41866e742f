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
  const cases: { name: string; send: (client: DynamoDBClient) => Promise<unknown>; error: string; message: string | RegExp }[] = [
    { name: 'DescribeTable without TableName', send: (c) => c.send(new DescribeTableCommand({} as { TableName: string })), error: 'ValidationException', message: REQUIRED },
    { name: 'CreateTable without TableName', send: (c) => c.send(new CreateTableCommand({} as CreateTableCommandInput)), error: 'ValidationException', message: REQUIRED },
    { name: 'DescribeTable with an empty TableName', send: (c) => c.send(new DescribeTableCommand({ TableName: '' })), error: 'ValidationException', message: NAME_LENGTH },
    { name: 'UpdateTable with a two-character TableName', send: (c) => c.send(new UpdateTableCommand({ TableName: 'a;' })), error: 'ValidationException', message: NAME_LENGTH },
    { name: 'TagResource without ResourceArn', send: (c) => c.send(new TagResourceCommand({} as { ResourceArn: string; Tags: [] })), error: 'ValidationException', message: 'Invalid TableArn' },
    { name: 'ListTagsOfResource with an empty ResourceArn', send: (c) => c.send(new ListTagsOfResourceCommand({ ResourceArn: '' })), error: 'AccessDeniedException', message: `${DENIED}ListTagsOfResource on resource: *` },
    {
      name: 'UntagResource with a string that is not an ARN and no keys: the model first',
      send: (c) => c.send(new UntagResourceCommand({ ResourceArn: 'abcd' } as { ResourceArn: string; TagKeys: string[] })),
      error: 'ValidationException',
      message: "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
    },
    {
      name: 'UntagResource with an ARN of another service and no keys',
      send: (c) => c.send(new UntagResourceCommand({ ResourceArn: 'arn:aws:sqs:us-east-1:000000000000:q' } as { ResourceArn: string; TagKeys: string[] })),
      error: 'AccessDeniedException',
      message: `${DENIED}UntagResource on resource: arn:aws:sqs:us-east-1:000000000000:q`,
    },
    { name: 'TagResource on a missing table', send: (c) => c.send(new TagResourceCommand({ ResourceArn: `${ARN}missing`, Tags: [{ Key: 'a', Value: 'b' }] })), error: 'ResourceNotFoundException', message: `Requested resource not found: ResourceArn: ${ARN}missing not found` },
    { name: 'ListTagsOfResource on a missing table', send: (c) => c.send(new ListTagsOfResourceCommand({ ResourceArn: `${ARN}missing` })), error: 'ResourceNotFoundException', message: `Requested resource not found: ResourceArn: ${ARN}missing not found` },
    { name: 'UntagResource on a missing table', send: (c) => c.send(new UntagResourceCommand({ ResourceArn: `${ARN}missing`, TagKeys: ['a'] })), error: 'ResourceNotFoundException', message: `Requested resource not found: ResourceArn: ${ARN}missing not found` },
    {
      name: 'BatchGetItem with more than 100 keys in one table',
      send: (c) => c.send(new BatchGetItemCommand({ RequestItems: { abc: { Keys: Array.from({ length: 101 }, (_, i) => ({ id: { S: String(i) } })) } } })),
      error: 'ValidationException',
      message: "1 validation error detected: Value at 'RequestItems.abc.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100",
    },
    {
      name: 'BatchGetItem with an empty RequestItems',
      send: (c) => c.send(new BatchGetItemCommand({ RequestItems: {} })),
      error: 'ValidationException',
      message: 'The requestItems parameter is required for BatchGetItem',
    },
    {
      name: 'BatchWriteItem with an empty RequestItems',
      send: (c) => c.send(new BatchWriteItemCommand({ RequestItems: {} })),
      error: 'ValidationException',
      message: 'The requestItems parameter is required for BatchWriteItem',
    },
    {
      name: 'BatchWriteItem with 26 writes to one table',
      send: (c) => c.send(new BatchWriteItemCommand({ RequestItems: { abc: writes(26) } })),
      error: 'ValidationException',
      // The writes are printed as Java prints them, every member of every shape named (null where absent).
      message: new RegExp(
        String.raw`^1 validation error detected: Value '\{abc=\[WriteRequest\(putRequest=PutRequest\(item=\{id=AttributeValue\(s=0, n=null, b=null, sS=null, .+\), deleteRequest=null\)\]\}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$`,
      ),
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
      const failure = await failureOf(() => send(ddb()));
      assert.deepEqual({ name: failure.name, status: failure.status }, { name: error, status: 400 });
      if (typeof message === 'string') assert.equal(failure.message, message);
      else assert.match(failure.message, message);
    });
  }

  describe('through the AWS CLI and boto3', () => {
    const { shell, python } = cliRunners(nimbus);

    it('answers a short table name with the AWS CLI', async () => {
      const outcome = await shell('aws dynamodb describe-table --table-name ab');
      assert.equal(outcome.code, 255);
      assert.match(outcome.stderr, /An error occurred \(ValidationException\) when calling the DescribeTable operation: TableName must be at least 3 characters long and at most 255 characters long/);
    });

    it('answers a ResourceArn that is not an ARN as ValidationException to boto3', async () => {
      const outcome = await python(`
import boto3, json
try:
    boto3.client('dynamodb').list_tags_of_resource(ResourceArn='abcd')
except Exception as error:
    print(json.dumps({'code': error.response['Error']['Code'], 'message': error.response['Error']['Message'], 'status': error.response['ResponseMetadata']['HTTPStatusCode']}))
`);
      assert.equal(outcome.code, 0, outcome.stderr);
      assert.deepEqual(JSON.parse(outcome.stdout), { code: 'ValidationException', message: "One or more parameter values were invalid: ARNs must start with 'arn:': abcd", status: 400 });
    });
  });
});
