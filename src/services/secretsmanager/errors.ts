/**
 * The errors Secrets Manager answers with, worded as AWS words them. Messages come from AWS responses
 * recorded against the real service where one was available; each constructor names its case.
 */
import { ServiceError } from '../../shared/errors.js';

export function secretNotFound(): ServiceError {
  return new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
}

export function valueNotFoundForStage(stage: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for staging label: ${stage}`);
}

export function valueNotFoundForVersion(versionId: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`);
}

export function stageNotOnVersion(): ServiceError {
  return new ServiceError('InvalidRequestException', 'You provided a VersionStage that is not associated to the provided VersionId.');
}

/** Any operation on a secret in its recovery window except Describe, Restore and reads of metadata. */
export function markedForDeletion(): ServiceError {
  return new ServiceError('InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.");
}

/** DeleteSecret (without ForceDeleteWithoutRecovery) on a secret already in its recovery window. */
export function alreadyMarkedDeleted(): ServiceError {
  return new ServiceError('InvalidRequestException', "You tried to perform the operation on a secret that's currently marked deleted.");
}

export function nameScheduledForDeletion(): ServiceError {
  return new ServiceError('InvalidRequestException', "You can't create this secret because a secret with this name is already scheduled for deletion.");
}

export function secretExists(name: string): ServiceError {
  return new ServiceError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
}

/** A ClientRequestToken reused for a different value: versions are immutable. */
export function tokenInUse(token: string, arn: string): ServiceError {
  return new ServiceError('ResourceExistsException', `You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${arn}.`);
}

/** The SDKs and the CLI always generate a token; only hand-made requests can lack one. */
export function missingClientRequestToken(): ServiceError {
  return new ServiceError('InvalidRequestException', 'You must provide a ClientRequestToken value. We recommend a UUID-type value.');
}

export function bothValueKinds(): ServiceError {
  return new ServiceError('InvalidParameterException', "You can't specify both a binary secret value and a string secret value in the same secret.");
}

export function invalidName(): ServiceError {
  return new ServiceError('ValidationException', 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!', 400);
}

export function invalidParameter(message: string): ServiceError {
  return new ServiceError('InvalidParameterException', message);
}

export function invalidRequest(message: string): ServiceError {
  return new ServiceError('InvalidRequestException', message);
}
