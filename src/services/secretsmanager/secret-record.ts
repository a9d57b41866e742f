/**
 * The stored form of a secret and its versions (plain JSON: epoch milliseconds, blobs as base64), and the
 * views AWS reports of it. One record holds the secret with all its versions, so every change to labels
 * and values is a single write.
 */
import type { ReplicationStatusType, SecretListEntry, SecretVersionsListEntry, Tag } from '../../generated/secretsmanager.js';
import { bothValueKinds } from './errors.js';

export const AWSCURRENT = 'AWSCURRENT';
export const AWSPREVIOUS = 'AWSPREVIOUS';
export const AWSPENDING = 'AWSPENDING';

/** ListSecretVersionIds reports this in KmsKeyIds for versions encrypted with aws/secretsmanager. */
const DEFAULT_ENCRYPTION_KEY = 'DefaultEncryptionKey';

export interface StoredTag {
  Key: string;
  Value: string;
}

/** A value exactly one of whose members is set. */
export interface SecretValue {
  secretString?: string;
  /** base64 */
  secretBinary?: string;
}

export interface SecretVersion extends SecretValue {
  id: string;
  /** Sorted; empty for a deprecated version. */
  stages: string[];
  createdAt: number;
  kmsKeyId?: string;
  /** Midnight (UTC) of the day the version was last read. */
  lastAccessedAt?: number;
}

export interface ReplicaRegion {
  region: string;
  kmsKeyId?: string;
}

export interface SecretRecord {
  name: string;
  arn: string;
  description?: string;
  kmsKeyId?: string;
  type?: string;
  /** Absent until the secret is first tagged; an empty list once every tag is removed, as AWS reports. */
  tags?: StoredTag[];
  createdAt: number;
  lastChangedAt: number;
  /** Midnight (UTC) of the day the value was last read. */
  lastAccessedAt?: number;
  /** When DeleteSecret was called: SecretListEntry's DeletedDate is "the date and time the deletion of the secret occurred". */
  deletedAt?: number;
  /** When the recovery window ends and the secret is gone for good. */
  deletionDate?: number;
  resourcePolicy?: string;
  replicaRegions?: ReplicaRegion[];
  /** In creation order. */
  versions: SecretVersion[];
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * AWS records access dates without the time of day: "LastAccessedDate ... truncated to midnight".
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html
 */
export function accessDay(now: number): number {
  return now - (now % DAY_MS);
}

/** The value a request carries, if any; SecretString and SecretBinary together are refused. */
export function valueFromInput(input: { SecretString?: string; SecretBinary?: Uint8Array }): SecretValue | undefined {
  if (input.SecretString !== undefined && input.SecretBinary !== undefined) throw bothValueKinds();
  if (input.SecretString !== undefined) return { secretString: input.SecretString };
  if (input.SecretBinary !== undefined) return { secretBinary: Buffer.from(input.SecretBinary).toString('base64') };
  return undefined;
}

export function sameValue(version: SecretVersion, value: SecretValue): boolean {
  return version.secretString === value.secretString && version.secretBinary === value.secretBinary;
}

export function valueOutput(version: SecretVersion): { SecretString?: string; SecretBinary?: Buffer } {
  if (version.secretBinary !== undefined) return { SecretBinary: Buffer.from(version.secretBinary, 'base64') };
  return { SecretString: version.secretString };
}

export function isMarkedForDeletion(secret: SecretRecord): boolean {
  return secret.deletionDate !== undefined;
}

export function findVersion(secret: SecretRecord, versionId: string): SecretVersion | undefined {
  return secret.versions.find((version) => version.id === versionId);
}

export function versionWithStage(secret: SecretRecord, stage: string): SecretVersion | undefined {
  return secret.versions.find((version) => version.stages.includes(stage));
}

export function tagsOutput(secret: SecretRecord): Tag[] | undefined {
  return secret.tags?.map((tag) => ({ Key: tag.Key, Value: tag.Value }));
}

/** Labelled versions only: deprecated ones never appear in VersionIdsToStages. */
function versionsToStages(secret: SecretRecord): Record<string, string[]> | undefined {
  const labelled = secret.versions.filter((version) => version.stages.length > 0);
  if (labelled.length === 0) return undefined;
  return Object.fromEntries(labelled.map((version) => [version.id, [...version.stages]]));
}

export function replicationStatus(secret: SecretRecord): ReplicationStatusType[] | undefined {
  // Nimbus does not copy secrets between Regions, so each requested replica honestly reports a failure.
  return secret.replicaRegions?.map((replica) => ({
    Region: replica.region,
    KmsKeyId: replica.kmsKeyId,
    Status: 'Failed',
    StatusMessage: 'Replication to other Regions is not supported by Nimbus.',
  }));
}

/** What DescribeSecret and ListSecrets share; fields AWS omits when unset stay undefined. */
export function secretSummary(secret: SecretRecord, region: string): SecretListEntry {
  return {
    ARN: secret.arn,
    Name: secret.name,
    Type: secret.type,
    Description: secret.description || undefined,
    KmsKeyId: secret.kmsKeyId,
    LastChangedDate: new Date(secret.lastChangedAt),
    LastAccessedDate: secret.lastAccessedAt === undefined ? undefined : new Date(secret.lastAccessedAt),
    DeletedDate: secret.deletedAt === undefined ? undefined : new Date(secret.deletedAt),
    Tags: tagsOutput(secret),
    SecretVersionsToStages: versionsToStages(secret),
    CreatedDate: new Date(secret.createdAt),
    PrimaryRegion: secret.replicaRegions ? region : undefined,
  };
}

export function versionListEntry(version: SecretVersion): SecretVersionsListEntry {
  return {
    VersionId: version.id,
    VersionStages: version.stages.length > 0 ? [...version.stages] : undefined,
    LastAccessedDate: version.lastAccessedAt === undefined ? undefined : new Date(version.lastAccessedAt),
    CreatedDate: new Date(version.createdAt),
    KmsKeyIds: [version.kmsKeyId ?? DEFAULT_ENCRYPTION_KEY],
  };
}
