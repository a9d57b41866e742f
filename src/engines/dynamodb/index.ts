/**
 * DynamoDB's data model and expression language, as a pure engine for the
 * DynamoDB provider: no I/O, no dependencies. Every failure is a
 * `DynamoDbValidationError` whose message is DynamoDB's ValidationException
 * text; a condition that does not hold is `false`, for the provider to answer
 * ConditionalCheckFailedException.
 *
 * Layout:
 * - values: attribute-value (types), number-value (exact decimals),
 *   compare-values (ordering, equality), validate-attribute-value (incoming
 *   values and items), item-size, key-schema, key-encoding (sortable keys);
 * - expressions: expression-lexer, expression-parser and expression-syntax
 *   (grammar), expression-walk (checks in reading order), reserved-words,
 *   expression-attributes (#name / :value), operator-checks, document-path;
 *   condition-expression, update-expression, projection-expression,
 *   key-condition; request-expressions ties them together per request;
 * - legacy parameters: legacy-conditions (Expected, filters, KeyConditions,
 *   AttributesToGet) and legacy-updates (AttributeUpdates).
 */
export type { AttributeMap, AttributeType, AttributeValue, BinaryValue, Item, ScalarKeyValue } from './attribute-value.js';
export { base64Of, bytesOf, typeOf } from './attribute-value.js';
export { DynamoDbValidationError } from './validation-error.js';
export { canonicalNumber, compareNumbers } from './number-value.js';
export { compareBinary, compareScalars, compareStrings, valuesEqual } from './compare-values.js';
export { normalizeAttributeValue, normalizeItem } from './validate-attribute-value.js';
export { MAX_ITEM_SIZE, attributeValueSize, itemSize } from './item-size.js';
export type { IndexKeySchema, KeyAttribute, KeySchema, KeyType } from './key-schema.js';
export {
  checkIndexKeyWrites,
  checkKeyNotUpdated,
  checkKeyPathsScalar,
  extractKey,
  keyAttributes,
  validateIndexKeys,
  validateItemKey,
  validateKey,
} from './key-schema.js';
export { encodeKeyValue } from './key-encoding.js';
export type { DocumentPath, PathElement } from './document-path.js';
export { valueAtPath } from './document-path.js';
export type { Condition, ConditionOperand } from './condition-expression.js';
export { evaluateCondition } from './condition-expression.js';
export type { CompiledUpdate, UpdateAction } from './update-expression.js';
export { applyUpdate, updatePaths, updatedAttributes, updateWriteTypes } from './update-expression.js';
export type { CompiledProjection } from './projection-expression.js';
export { applyProjection } from './projection-expression.js';
export type { KeyConditionPlan, SortKeyCondition, SortKeyOperator } from './key-condition.js';
export { checkKeyConditionShape, matchesSortKey, planKeyCondition, planKeyConditions } from './key-condition.js';
export type { CompiledExpressions, ExpressionOperation, ExpressionRequest } from './request-expressions.js';
export { checkExpressionParameters, checkParameterMixing, compileRequestExpressions } from './request-expressions.js';
export type { ComparisonOperator, ConditionInput, ExpectedInput, LegacyConditions } from './legacy-conditions.js';
export {
  checkQueryFilterKeys,
  compileAttributesToGet,
  compileExpected,
  compileLegacyFilter,
  evaluateLegacyConditions,
} from './legacy-conditions.js';
export type { AttributeUpdate, AttributeValueUpdateInput } from './legacy-updates.js';
export { applyAttributeUpdates, attributeUpdateWriteTypes, attributeUpdatesResult, compileAttributeUpdates } from './legacy-updates.js';
