import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadServiceModel } from './model.js';
import { validateInput } from './validate.js';

// Coral's validator as DynamoDB answers it (see coralValidationStyle in coral.ts); the expected messages
// are the ones dynalite's suite recorded against the real service.
describe('validateInput: DynamoDB (Coral) style', () => {
  const dynamodb = loadServiceModel('dynamodb');
  const cases: { name: string; shape: string; input: Record<string, unknown>; errors: string[] }[] = [
    {
      name: 'a map value is named .member',
      shape: 'BatchGetItemInput',
      input: { RequestItems: { abc: {} } },
      errors: ["Value null at 'requestItems.abc.member.keys' failed to satisfy constraint: Member must not be null"],
    },
    {
      name: 'a map value breaking its own constraints is reported at the map with every constraint',
      shape: 'BatchWriteItemInput',
      input: { RequestItems: { abc: [] } },
      errors: ["Value '{abc=[]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]"],
    },
    {
      name: 'structures are printed as Java prints them, every member named',
      shape: 'CreateTableInput',
      input: {
        TableName: 'abc',
        AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'b', KeyType: 'RANGE' }, { AttributeName: 'c', KeyType: 'RANGE' }],
      },
      errors: [
        "Value '[KeySchemaElement(attributeName=a, keyType=HASH), KeySchemaElement(attributeName=b, keyType=RANGE), KeySchemaElement(attributeName=c, keyType=RANGE)]' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2",
      ],
    },
    {
      name: "CreateTable's name is held to a table name's limits, not an ARN's",
      shape: 'CreateTableInput',
      input: { TableName: 'ab', AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }] },
      errors: ["Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"],
    },
    {
      name: "Query's Limit is left to the service, Scan's is not",
      shape: 'ScanInput',
      input: { TableName: 'abc', Limit: 0 },
      errors: ["Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"],
    },
    {
      name: 'list members are still validated after the list fails its length',
      shape: 'BatchExecuteStatementInput',
      input: { Statements: [...Array.from({ length: 25 }, () => ({ Statement: 'SELECT * FROM t' })), {}] },
      errors: [
        `Value '[${[...Array.from({ length: 25 }, () => 'SELECT * FROM t'), 'null'].map((statement) => `BatchStatementRequest(statement=${statement}, parameters=null, consistentRead=null, returnValuesOnConditionCheckFailure=null)`).join(', ')}]' at 'statements' failed to satisfy constraint: Member must have length less than or equal to 25`,
        "Value null at 'statements.26.member.statement' failed to satisfy constraint: Member must not be null",
      ],
    },
    {
      name: 'a value breaking two constraints gets an error for each',
      shape: 'QueryInput',
      input: { TableName: 'abc', IndexName: 'a;' },
      errors: [
        "Value 'a;' at 'indexName' failed to satisfy constraint: Member must have length greater than or equal to 3",
        "Value 'a;' at 'indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
      ],
    },
    {
      name: "enum value sets in DynamoDB's order",
      shape: 'QueryInput',
      input: { TableName: 'abc', Select: 'hi' },
      errors: ["Value 'hi' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"],
    },
    {
      name: 'attribute types in B, N, S order',
      shape: 'CreateTableInput',
      input: { TableName: 'abc', AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'SS' }], KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' },
      errors: ["Value 'SS' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]"],
    },
    {
      name: 'CreateTable still requires AttributeDefinitions and KeySchema',
      shape: 'CreateTableInput',
      input: { TableName: 'abc' },
      errors: [
        "Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null",
        "Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
      ],
    },
    {
      name: 'at most 10 errors, in the order found',
      shape: 'CreateTableInput',
      input: { TableName: 'abc', AttributeDefinitions: [], KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], LocalSecondaryIndexes: [{}, {}, {}, {}] },
      errors: [1, 2, 3, 4]
        .flatMap((n) => ['indexName', 'keySchema', 'projection'].map((member) => `Value null at 'localSecondaryIndexes.${n}.member.${member}' failed to satisfy constraint: Member must not be null`))
        .slice(0, 10),
    },
  ];
  for (const { name, shape, input, errors } of cases) {
    it(name, () => {
      const prefix = `${errors.length} validation error${errors.length === 1 ? '' : 's'} detected: `;
      assert.equal(validateInput(dynamodb, shape, input), prefix + errors.join('; '));
    });
  }
});
