/**
 * The Parameter Store record model and its rules: what a new version looks like, tiers and their value
 * limits, allowed patterns, policies, the 100-version history, and labels.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html
 */
import { randomBytes } from 'node:crypto';
import type { ParameterTier, ParameterType, PutParameterRequest, Tag } from '../../generated/ssm.js';
import { ServiceError } from '../../shared/errors.js';

export type StoredTier = Exclude<ParameterTier, 'Intelligent-Tiering'>;

export interface StoredPolicy {
  text: string;
  type: string;
}

export interface ParameterVersion {
  version: number;
  type: ParameterType;
  value: string;
  /** What a SecureString reads as without decryption (see `sealedValue`). */
  ciphertext?: string;
  keyId?: string;
  description?: string;
  allowedPattern?: string;
  tier: StoredTier;
  policies: StoredPolicy[];
  dataType: string;
  labels: string[];
  lastModifiedAt: number;
  lastModifiedUser: string;
}

export interface ParameterRecord {
  name: string;
  /** Oldest first; never more than MAX_VERSIONS. */
  versions: ParameterVersion[];
  tags: Tag[];
}

export const MAX_VERSIONS = 100;
export const MAX_LABELS_PER_VERSION = 10;
export const DEFAULT_KEY_ID = 'alias/aws/ssm';
const STANDARD_VALUE_LIMIT = 4096;
const ADVANCED_VALUE_LIMIT = 8192;
/** The service-side ceiling checked before tiers (seen as "Member must have length less than or equal to 32768"). */
const VALUE_LENGTH_LIMIT = 32768;
const DATA_TYPES = ['text', 'aws:ec2:image', 'aws:ssm:integration'];
const POLICY_TYPES = ['Expiration', 'ExpirationNotification', 'NoChangeNotification'];
/** The first bytes of every AWS KMS ciphertext blob ("AQICAH..." in base64). */
const KMS_BLOB_HEADER = Buffer.from([0x01, 0x02, 0x02, 0x00, 0x78]);

export function latest(record: ParameterRecord): ParameterVersion {
  return record.versions[record.versions.length - 1];
}

export function findVersion(record: ParameterRecord, version: number): ParameterVersion | undefined {
  return record.versions.find((v) => v.version === version);
}

export function versionNotFound(name: string, version: number | string): ServiceError {
  return new ServiceError('ParameterVersionNotFound', `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`);
}

export function parameterNotFound(name: string): ServiceError {
  return new ServiceError('ParameterNotFound', `Parameter ${name} not found.`);
}

/**
 * A stand-in for the KMS ciphertext AWS returns when a SecureString is read without decryption: the blob
 * header, then random bytes as long as an envelope around the value would be. Fixed per version once
 * written, it reveals nothing of the value (Nimbus keeps the plaintext; there is no KMS here).
 */
function sealedValue(value: string): string {
  return Buffer.concat([KMS_BLOB_HEADER, randomBytes(64 + Buffer.byteLength(value))]).toString('base64');
}

function validationError(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

function checkValueLength(value: string): void {
  // PSParameterValue is sensitive, so AWS's constraint messages leave the value out.
  if (value.length === 0) throw validationError("1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1");
  if (value.length > VALUE_LENGTH_LIMIT) {
    throw validationError(`1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length less than or equal to ${VALUE_LENGTH_LIMIT}`);
  }
}

/** AllowedPattern is a Java regular expression the whole value must match (String.matches). */
function checkAllowedPattern(pattern: string, value: string): void {
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    throw new ServiceError('InvalidAllowedPatternException', "The request doesn't meet the regular expression requirement.");
  }
  if (!regex.test(value)) {
    // The message AWS's user guide shows for a mismatch (sysman-paramstore-cli.html).
    throw new ServiceError('ParameterPatternMismatchException', `Parameter value, cannot be validated against allowedPattern: ${pattern}`);
  }
}

/** Parses PutParameter's Policies: a JSON array of {Type, Version, Attributes} policies. */
function parsePolicies(text: string): StoredPolicy[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.some((p) => typeof p !== 'object' || p === null || Array.isArray(p))) {
    throw new ServiceError('InvalidPolicyAttributeException', 'A policy attribute or its value is invalid.');
  }
  const policies = (parsed as Record<string, unknown>[]).map((policy) => {
    const type = policy.Type;
    if (typeof type !== 'string' || !POLICY_TYPES.includes(type)) {
      throw new ServiceError(
        'InvalidPolicyTypeException',
        "The policy type isn't supported. Parameter Store supports the following policy types: Expiration, ExpirationNotification, and NoChangeNotification.",
      );
    }
    return { text: JSON.stringify(policy), type };
  });
  if (new Set(policies.map((p) => p.type)).size !== policies.length) {
    throw new ServiceError(
      'IncompatiblePolicyException',
      "There is a conflict in the policies specified for this parameter. You can't, for example, specify two Expiration policies for a parameter. Review your policies, and try again.",
    );
  }
  return policies;
}

/**
 * The tier a version lands in. Without Tier a new parameter takes the default tier (Standard) and an
 * existing one keeps its own; Intelligent-Tiering picks Advanced only when the request needs it
 * (ps-default-tier.html). An advanced parameter never goes back to Standard.
 */
function resolveTier(requested: ParameterTier | undefined, previous: ParameterVersion | undefined, value: string, policies: StoredPolicy[]): StoredTier {
  const wasAdvanced = previous?.tier === 'Advanced';
  let tier: StoredTier;
  if (requested === 'Intelligent-Tiering') {
    tier = wasAdvanced || value.length > STANDARD_VALUE_LIMIT || policies.length > 0 ? 'Advanced' : 'Standard';
  } else {
    tier = requested ?? previous?.tier ?? 'Standard';
  }
  if (tier === 'Standard' && wasAdvanced) {
    throw validationError(
      "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter. Be aware that standard parameters have a value limit of 4096 characters.",
    );
  }
  if (tier === 'Standard' && value.length > STANDARD_VALUE_LIMIT) {
    throw validationError(
      'Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html',
    );
  }
  if (value.length > ADVANCED_VALUE_LIMIT) {
    throw validationError('The specified parameter value is too large. Advanced-tier parameters support a maximum parameter value of 8192 characters.');
  }
  if (tier === 'Standard' && policies.length > 0) {
    // Parameter policies need the advanced tier (parameter-store-policies.html); the wording is Nimbus's.
    throw validationError('Parameter policies are supported only for parameters in the advanced-parameter tier. Upgrade the parameter to the advanced-parameter tier, and try again.');
  }
  return tier;
}

/**
 * The version a PutParameter request creates: Type, KeyId, Description, AllowedPattern, DataType, Tier and
 * Policies the request leaves out carry over from the current version when overwriting.
 */
export function buildVersion(input: PutParameterRequest, previous: ParameterVersion | undefined, modifiedAt: number, modifiedUser: string): ParameterVersion {
  checkValueLength(input.Value);
  const type = input.Type ?? previous?.type;
  if (!type) throw validationError('A parameter type is required when you create a parameter.');
  if (input.KeyId !== undefined && type !== 'SecureString') throw validationError('KeyId is required for SecureString type parameter only.');
  const dataType = input.DataType ?? previous?.dataType ?? 'text';
  if (!DATA_TYPES.includes(dataType)) throw validationError(`The following data type is not supported: ${dataType} (Data type names are all lowercase.)`);
  const allowedPattern = input.AllowedPattern ?? previous?.allowedPattern;
  if (allowedPattern) checkAllowedPattern(allowedPattern, input.Value);
  const policies = input.Policies !== undefined ? parsePolicies(input.Policies) : (previous?.policies ?? []);
  const tier = resolveTier(input.Tier, previous, input.Value, policies);
  const secure = type === 'SecureString';
  return {
    version: (previous?.version ?? 0) + 1,
    type,
    value: input.Value,
    ciphertext: secure ? sealedValue(input.Value) : undefined,
    keyId: secure ? (input.KeyId ?? (previous?.type === 'SecureString' ? previous.keyId : undefined) ?? DEFAULT_KEY_ID) : undefined,
    description: (input.Description ?? previous?.description) || undefined,
    allowedPattern: allowedPattern || undefined,
    tier,
    policies,
    dataType,
    labels: [],
    lastModifiedAt: modifiedAt,
    lastModifiedUser: modifiedUser,
  };
}

/**
 * Adds a version, keeping at most MAX_VERSIONS: the oldest goes, unless it carries a label
 * (ParameterMaxVersionLimitExceeded's documentation gives the message).
 */
export function appendVersion(record: ParameterRecord, version: ParameterVersion): ParameterRecord {
  let versions = record.versions;
  if (versions.length >= MAX_VERSIONS) {
    const oldest = versions[0];
    if (oldest.labels.length > 0) {
      throw new ServiceError(
        'ParameterMaxVersionLimitExceeded',
        `You attempted to create a new version of ${record.name} by calling the PutParameter API with the overwrite flag. Version ${oldest.version}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.`,
      );
    }
    versions = versions.slice(1);
  }
  return { ...record, versions: [...versions, version] };
}

/**
 * Label rules from LabelParameterVersion's documentation: letters, digits, `.`, `-`, `_`; not starting
 * with a digit, "aws" or "ssm" (any case). Length is the model's (1-100).
 */
export function isValidLabel(label: string): boolean {
  return /^[a-zA-Z0-9_.-]+$/.test(label) && !/^[0-9]/.test(label) && !/^(aws|ssm)/i.test(label);
}

/** Attaches labels to one version, moving any that sit on another version of the parameter. */
export function attachLabels(record: ParameterRecord, target: ParameterVersion, labels: string[]): ParameterRecord {
  const adding = [...new Set(labels)].filter((label) => !target.labels.includes(label));
  if (target.labels.length + adding.length > MAX_LABELS_PER_VERSION) {
    throw new ServiceError('ParameterVersionLabelLimitExceeded', 'A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.');
  }
  const versions = record.versions.map((v) =>
    v.version === target.version ? { ...v, labels: [...v.labels, ...adding] } : { ...v, labels: v.labels.filter((label) => !adding.includes(label)) },
  );
  return { ...record, versions };
}

export function detachLabels(record: ParameterRecord, target: ParameterVersion, labels: string[]): ParameterRecord {
  const versions = record.versions.map((v) => (v.version === target.version ? { ...v, labels: v.labels.filter((label) => !labels.includes(label)) } : v));
  return { ...record, versions };
}
