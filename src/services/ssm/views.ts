/** Stored parameters as the API returns them: Parameter, ParameterMetadata and ParameterHistory. */
import type { Parameter, ParameterHistory, ParameterInlinePolicy, ParameterMetadata } from '../../generated/ssm.js';
import type { RequestContext } from '../../shared/request-context.js';
import { parameterArn, storageKey } from './names.js';
import type { ParameterRecord, ParameterVersion } from './parameters.js';
import { latest } from './parameters.js';

/** A SecureString's plaintext only comes back when decryption was asked for; otherwise its stand-in ciphertext. */
function valueOf(version: ParameterVersion, withDecryption: boolean): string {
  return version.type === 'SecureString' && !withDecryption ? version.ciphertext! : version.value;
}

function policiesOf(version: ParameterVersion): ParameterInlinePolicy[] {
  // Nimbus records policies but does not act on them, so they stay Pending.
  return version.policies.map((policy) => ({ PolicyText: policy.text, PolicyType: policy.type, PolicyStatus: 'Pending' }));
}

export function toParameter(ctx: RequestContext, record: ParameterRecord, version: ParameterVersion, withDecryption: boolean, selector?: string): Parameter {
  return {
    Name: record.name,
    Type: version.type,
    Value: valueOf(version, withDecryption),
    Version: version.version,
    Selector: selector === undefined ? undefined : `:${selector}`,
    LastModifiedDate: new Date(version.lastModifiedAt),
    ARN: parameterArn(ctx, storageKey(record.name)),
    DataType: version.dataType,
  };
}

export function toMetadata(ctx: RequestContext, record: ParameterRecord): ParameterMetadata {
  const version = latest(record);
  return {
    Name: record.name,
    ARN: parameterArn(ctx, storageKey(record.name)),
    Type: version.type,
    KeyId: version.keyId,
    LastModifiedDate: new Date(version.lastModifiedAt),
    LastModifiedUser: version.lastModifiedUser,
    Description: version.description,
    AllowedPattern: version.allowedPattern,
    Version: version.version,
    Tier: version.tier,
    Policies: policiesOf(version),
    DataType: version.dataType,
  };
}

export function toHistory(record: ParameterRecord, version: ParameterVersion, withDecryption: boolean): ParameterHistory {
  return {
    Name: record.name,
    Type: version.type,
    KeyId: version.keyId,
    LastModifiedDate: new Date(version.lastModifiedAt),
    LastModifiedUser: version.lastModifiedUser,
    Description: version.description,
    Value: valueOf(version, withDecryption),
    AllowedPattern: version.allowedPattern,
    Version: version.version,
    Labels: version.labels,
    Tier: version.tier,
    Policies: policiesOf(version),
    DataType: version.dataType,
  };
}
