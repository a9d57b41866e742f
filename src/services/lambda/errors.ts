/** Lambda's errors, with the `Type` member Lambda puts in every error body. */
import { ServiceError } from '../../shared/errors.js';
import type { FunctionScope } from './function-record.js';
import { functionArn } from './function-record.js';

export function userError(code: string, message: string, status = 400, extra: Record<string, unknown> = {}): ServiceError {
  return new ServiceError(code, message, status, { Type: 'User', ...extra });
}

export function invalidParameter(message: string): ServiceError {
  return userError('InvalidParameterValueException', message);
}

export function functionNotFound(scope: FunctionScope, name: string, qualifier?: string): ServiceError {
  return userError('ResourceNotFoundException', `Function not found: ${functionArn(scope, name, qualifier)}`, 404);
}

export function revisionMismatch(): ServiceError {
  return userError('PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id', 412);
}

export function notInNimbus(what: string): ServiceError {
  return new ServiceError('NotImplemented', `${what} is not implemented in Nimbus yet`, 501);
}
