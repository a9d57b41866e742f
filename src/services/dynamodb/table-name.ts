/**
 * The table-name rules the single-item operations (GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan)
 * enforce themselves. Their TableName member also accepts an ARN, so the model allows 1 to 1024 characters
 * of anything, yet DynamoDB answers a name that breaks the naming rules with a ValidationException in
 * Coral's constraint wording, not with ResourceNotFoundException (ScyllaDB's Alternator suite,
 * test_item_operations_improper_named_table, checked against DynamoDB; the wording was recorded by
 * dynalite's suite). https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
 */
import { ServiceError } from '../../shared/errors.js';

const NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;
const MIN_LENGTH = 3;
const MAX_LENGTH = 255;

/** Coral's constraint failures for a table name, in the order DynamoDB lists them; empty when valid. */
function nameViolations(name: string): string[] {
  const violations: string[] = [];
  const failed = (constraint: string): string => `Value '${name}' at 'tableName' failed to satisfy constraint: Member must ${constraint}`;
  if (!NAME_PATTERN.test(name)) violations.push(failed('satisfy regular expression pattern: [a-zA-Z0-9_.-]+'));
  if (name.length < MIN_LENGTH) violations.push(failed(`have length greater than or equal to ${MIN_LENGTH}`));
  if (name.length > MAX_LENGTH) violations.push(failed(`have length less than or equal to ${MAX_LENGTH}`));
  return violations;
}

/**
 * The ValidationException for a TableName (not an ARN) that cannot name a table, or undefined when it can.
 * Only asked once no table was found, so a request naming an existing table pays nothing for it.
 */
export function invalidTableName(name: string): ServiceError | undefined {
  if (name.startsWith('arn:')) return undefined;
  const violations = nameViolations(name);
  if (violations.length === 0) return undefined;
  const count = violations.length === 1 ? '1 validation error' : `${violations.length} validation errors`;
  return new ServiceError('ValidationException', `${count} detected: ${violations.join('; ')}`, 400);
}
