/**
 * Lambda accepts a function as a name, a partial ARN (`123456789012:function:name`) or a full ARN, each
 * optionally with a `:qualifier` (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html).
 */
import { ServiceError } from '../../shared/errors.js';
import type { FunctionScope } from './function-record.js';

export interface FunctionReference {
  name: string;
  qualifier?: string;
}

const FULL = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_.]+)(?::([a-zA-Z0-9$_-]+))?$/;
const PARTIAL = /^(\d{12}):function:([a-zA-Z0-9-_.]+)(?::([a-zA-Z0-9$_-]+))?$/;
const NAME = /^([a-zA-Z0-9-_]+)(?::([a-zA-Z0-9$_-]+))?$/;

function mismatch(what: string): ServiceError {
  return new ServiceError('AccessDeniedException', `The ${what} of the function ARN does not match the account and region of the request`, 403);
}

/** Reads a function reference; an explicit Qualifier must agree with one in the ARN. */
export function parseFunctionReference(scope: FunctionScope, reference: string, qualifier?: string): FunctionReference {
  let name: string;
  let embedded: string | undefined;
  const full = FULL.exec(reference);
  const partial = PARTIAL.exec(reference);
  const plain = NAME.exec(reference);
  if (full) {
    if (full[1] !== scope.region) throw mismatch('region');
    if (full[2] !== scope.account) throw mismatch('account');
    [, , , name, embedded] = full;
  } else if (partial) {
    if (partial[1] !== scope.account) throw mismatch('account');
    [, , name, embedded] = partial;
  } else if (plain) {
    [, name, embedded] = plain;
  } else {
    throw new ServiceError('ValidationException', `1 validation error detected: Value '${reference}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`, 400);
  }
  if (embedded !== undefined && qualifier !== undefined && embedded !== qualifier) {
    throw new ServiceError('InvalidParameterValueException', 'The derived qualifier from the function name does not match the specified qualifier.', 400, { Type: 'User' });
  }
  return { name, qualifier: qualifier ?? embedded };
}
