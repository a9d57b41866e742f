/**
 * The one error this engine throws. Every message is the text DynamoDB puts in
 * the `ValidationException` it answers with, so the provider can forward
 * `error.message` unchanged. A failed condition is not an error here: the
 * evaluators return `false` and the provider answers
 * ConditionalCheckFailedException itself.
 */
export class DynamoDbValidationError extends Error {
  readonly code = 'ValidationException';

  constructor(message: string) {
    super(message);
    this.name = 'DynamoDbValidationError';
  }
}

export function validationError(message: string): DynamoDbValidationError {
  return new DynamoDbValidationError(message);
}

/**
 * DynamoDB's expression engine renders a reason followed by `key: value`
 * details as "reason; key1: value1, key2: value2", and a bare reason as
 * "reason;" (hence "The expression can not be empty;").
 */
export function withDetails(reason: string, details: readonly (readonly [string, string | number])[] = []): string {
  return `${reason};${details.map(([key, value], index) => `${index === 0 ? '' : ','} ${key}: ${value}`).join('')}`;
}
