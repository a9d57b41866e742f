/**
 * AWS Secrets Manager: secrets with versioned values, staging labels, tags, resource policies and
 * deletion with a recovery window.
 *
 * Known limitations:
 *  - values are stored as given, not encrypted; KmsKeyId is recorded and reported but no KMS key is used
 *    or checked, and no DecryptionFailure/EncryptionFailure can occur;
 *  - resource policies are stored and syntax-checked, never evaluated (nor is BlockPublicPolicy);
 *    ValidateResourcePolicy only checks syntax;
 *  - a secret is only reachable from its own account and Region (no cross-account access by ARN);
 *  - replication is not supported: AddReplicaRegions is accepted and each replica reports Status
 *    "Failed"; ReplicateSecretToRegions, RemoveRegionsFromReplication and StopReplicationToReplica, and
 *    rotation (RotateSecret, CancelRotateSecret) answer NotImplemented;
 *  - the quotas on tags per secret, labels per version and versions per secret are not enforced;
 *  - search filters follow recorded AWS behaviour where it was observed; how "all" combines several
 *    words (all must match here) and how "!" treats secrets with several tags are inferred.
 */
import type {
  APIErrorType,
  BatchGetSecretValueRequest,
  BatchGetSecretValueResponse,
  CreateSecretRequest,
  CreateSecretResponse,
  DeleteResourcePolicyRequest,
  DeleteResourcePolicyResponse,
  DeleteSecretRequest,
  DeleteSecretResponse,
  DescribeSecretRequest,
  DescribeSecretResponse,
  GetRandomPasswordRequest,
  GetRandomPasswordResponse,
  GetResourcePolicyRequest,
  GetResourcePolicyResponse,
  GetSecretValueRequest,
  GetSecretValueResponse,
  ListSecretVersionIdsRequest,
  ListSecretVersionIdsResponse,
  ListSecretsRequest,
  ListSecretsResponse,
  PutResourcePolicyRequest,
  PutResourcePolicyResponse,
  PutSecretValueRequest,
  PutSecretValueResponse,
  RestoreSecretRequest,
  RestoreSecretResponse,
  SecretValueEntry,
  SecretsmanagerApi,
  SortByType,
  TagResourceRequest,
  UntagResourceRequest,
  UpdateSecretRequest,
  UpdateSecretResponse,
  UpdateSecretVersionStageRequest,
  UpdateSecretVersionStageResponse,
  ValidateResourcePolicyRequest,
  ValidateResourcePolicyResponse,
} from '../../generated/secretsmanager.js';
import { isServiceError } from '../../shared/errors.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ServiceRuntime } from '../service.js';
import { mergeTags } from '../shared/tags.js';
import {
  alreadyMarkedDeleted,
  invalidParameter,
  invalidRequest,
  missingClientRequestToken,
  nameScheduledForDeletion,
  secretExists,
  secretNotFound,
  stageNotOnVersion,
  tokenInUse,
  valueNotFoundForStage,
  valueNotFoundForVersion,
} from './errors.js';
import { checkFilters, matchesFilters } from './filters.js';
import { paginate } from './pagination.js';
import { randomPassword } from './random-password.js';
import { assertPolicySyntax } from './resource-policy.js';
import { arnForMissingSecret, assertValidName, nameForMissingSecret, newSecretArn } from './secret-id.js';
import type { SecretRecord, SecretValue, SecretVersion } from './secret-record.js';
import {
  AWSCURRENT,
  DAY_MS,
  accessDay,
  findVersion,
  isMarkedForDeletion,
  replicationStatus,
  sameValue,
  secretSummary,
  valueFromInput,
  valueOutput,
  versionListEntry,
  versionWithStage,
} from './secret-record.js';
import type { SecretStore } from './secret-store.js';
import { secretStore } from './secret-store.js';
import { addVersion, updateVersionStage } from './staging-labels.js';

// DeleteSecret: "The number of days from 7 to 30 ... by default Secrets Manager uses a 30 day recovery window."
const MIN_RECOVERY_DAYS = 7;
const MAX_RECOVERY_DAYS = 30;
const DEFAULT_RECOVERY_DAYS = 30;
const LIST_SECRETS_PAGE = 100;
const LIST_VERSIONS_PAGE = 100;
const BATCH_PAGE = 20;

function newVersion(id: string, value: SecretValue, kmsKeyId: string | undefined, now: number): SecretVersion {
  return { id, stages: [], createdAt: now, kmsKeyId, ...value };
}

/** The version GetSecretValue returns: by id (optionally checked against a label), else by label. */
function selectVersion(secret: SecretRecord, versionId: string | undefined, versionStage: string | undefined): SecretVersion {
  if (versionId !== undefined) {
    const version = findVersion(secret, versionId);
    if (!version) throw valueNotFoundForVersion(versionId);
    if (versionStage !== undefined && !version.stages.includes(versionStage)) throw stageNotOnVersion();
    return version;
  }
  const stage = versionStage ?? AWSCURRENT;
  const version = versionWithStage(secret, stage);
  if (!version) throw valueNotFoundForStage(stage);
  return version;
}

const SORT_KEYS: Record<SortByType, (secret: SecretRecord) => number | string> = {
  'created-date': (secret) => secret.createdAt,
  'last-accessed-date': (secret) => secret.lastAccessedAt ?? 0,
  'last-changed-date': (secret) => secret.lastChangedAt,
  name: (secret) => secret.name,
};

function sortSecrets(secrets: SecretRecord[], sortBy: SortByType, descending: boolean): SecretRecord[] {
  const key = SORT_KEYS[sortBy];
  const compare = (a: SecretRecord, b: SecretRecord): number => {
    const [x, y] = [key(a), key(b)];
    if (x !== y) return x < y ? -1 : 1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  };
  return secrets.sort((a, b) => (descending ? compare(b, a) : compare(a, b)));
}

export function createSecretsManagerProvider(runtime: ServiceRuntime): Partial<SecretsmanagerApi> {
  const now = (): number => runtime.clock.now();
  const secrets = (ctx: RequestContext): SecretStore => secretStore(runtime, ctx);

  /** Reads a value as GetSecretValue does, recording the day of access on the secret and the version. */
  const readValue = (store: SecretStore, secretId: string, versionId?: string, versionStage?: string): SecretValueEntry => {
    const secret = store.requireActive(secretId);
    const version = selectVersion(secret, versionId, versionStage);
    const today = accessDay(now());
    if (secret.lastAccessedAt !== today || version.lastAccessedAt !== today) {
      secret.lastAccessedAt = today;
      version.lastAccessedAt = today;
      store.save(secret);
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.id,
      ...valueOutput(version),
      VersionStages: [...version.stages],
      CreatedDate: new Date(version.createdAt),
    };
  };

  /** A retried request (same ClientRequestToken) with the same value is answered again; with another value it fails. */
  const retriedVersion = (secret: SecretRecord, token: string, value: SecretValue): SecretVersion | undefined => {
    const version = findVersion(secret, token);
    if (version && !sameValue(version, value)) throw tokenInUse(token, secret.arn);
    return version;
  };

  return {
    CreateSecret(input: CreateSecretRequest, ctx: RequestContext): CreateSecretResponse {
      assertValidName(input.Name);
      const value = valueFromInput(input);
      const token = input.ClientRequestToken;
      if (value && token === undefined) throw missingClientRequestToken();
      const store = secrets(ctx);

      const existing = store.byName(input.Name);
      if (existing) {
        if (isMarkedForDeletion(existing)) throw nameScheduledForDeletion();
        const retried = value && token !== undefined ? retriedVersion(existing, token, value) : undefined;
        if (retried) return { ARN: existing.arn, Name: existing.name, VersionId: retried.id, ReplicationStatus: replicationStatus(existing) };
        throw secretExists(input.Name);
      }
      if (input.AddReplicaRegions?.some((replica) => replica.Region === undefined || replica.Region === ctx.region)) throw invalidParameter('Invalid replica region.');

      const time = now();
      const secret: SecretRecord = {
        name: input.Name,
        arn: newSecretArn(ctx, input.Name),
        description: input.Description,
        kmsKeyId: input.KmsKeyId,
        type: input.Type,
        tags: input.Tags ? mergeTags(undefined, input.Tags) : undefined,
        createdAt: time,
        lastChangedAt: time,
        replicaRegions: input.AddReplicaRegions?.map((replica) => ({ region: replica.Region!, kmsKeyId: replica.KmsKeyId })),
        versions: [],
      };
      if (value && token !== undefined) addVersion(secret, newVersion(token, value, secret.kmsKeyId, time), undefined, time);
      store.save(secret);
      return { ARN: secret.arn, Name: secret.name, VersionId: value ? token : undefined, ReplicationStatus: replicationStatus(secret) };
    },

    GetSecretValue(input: GetSecretValueRequest, ctx: RequestContext): GetSecretValueResponse {
      return readValue(secrets(ctx), input.SecretId, input.VersionId, input.VersionStage);
    },

    BatchGetSecretValue(input: BatchGetSecretValueRequest, ctx: RequestContext): BatchGetSecretValueResponse {
      if ((input.SecretIdList === undefined) === (input.Filters === undefined)) {
        throw invalidParameter("Either 'SecretIdList' or 'Filters' must be provided, but not both.");
      }
      if (input.MaxResults !== undefined && input.Filters === undefined) {
        throw invalidParameter("'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.");
      }
      const store = secrets(ctx);
      let secretIds = input.SecretIdList ?? [];
      let nextToken: string | undefined;
      if (input.Filters) {
        const filters = checkFilters(input.Filters);
        const matching = store.all().filter((secret) => !isMarkedForDeletion(secret) && matchesFilters(secret, ctx.region, filters));
        const page = paginate(sortSecrets(matching, 'created-date', false), input.MaxResults ?? BATCH_PAGE, input.NextToken);
        secretIds = page.items.map((secret) => secret.arn);
        nextToken = page.nextToken;
      }

      const values: SecretValueEntry[] = [];
      const errors: APIErrorType[] = [];
      for (const secretId of secretIds) {
        try {
          values.push(readValue(store, secretId));
        } catch (error) {
          if (!isServiceError(error)) throw error;
          errors.push({ SecretId: secretId, ErrorCode: error.code, Message: error.message });
        }
      }
      return { SecretValues: values, Errors: errors, NextToken: nextToken };
    },

    PutSecretValue(input: PutSecretValueRequest, ctx: RequestContext): PutSecretValueResponse {
      const token = input.ClientRequestToken;
      if (token === undefined) throw missingClientRequestToken();
      const value = valueFromInput(input);
      if (!value) throw invalidRequest('You must provide either SecretString or SecretBinary.');
      const store = secrets(ctx);
      const secret = store.requireActive(input.SecretId);

      const retried = retriedVersion(secret, token, value);
      const version = retried ?? newVersion(token, value, secret.kmsKeyId, now());
      if (!retried) {
        addVersion(secret, version, input.VersionStages, now());
        secret.lastChangedAt = now();
        store.save(secret);
      }
      return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: [...version.stages] };
    },

    UpdateSecret(input: UpdateSecretRequest, ctx: RequestContext): UpdateSecretResponse {
      const value = valueFromInput(input);
      const token = input.ClientRequestToken;
      if (value && token === undefined) throw missingClientRequestToken();
      const store = secrets(ctx);
      const secret = store.requireActive(input.SecretId);

      if (value && token !== undefined) {
        const retried = retriedVersion(secret, token, value);
        if (retried) return { ARN: secret.arn, Name: secret.name, VersionId: retried.id };
      }
      if (input.Description !== undefined) secret.description = input.Description;
      if (input.KmsKeyId !== undefined) secret.kmsKeyId = input.KmsKeyId;
      if (input.Type !== undefined) secret.type = input.Type;
      const time = now();
      if (value && token !== undefined) addVersion(secret, newVersion(token, value, secret.kmsKeyId, time), undefined, time);
      secret.lastChangedAt = time;
      store.save(secret);
      return { ARN: secret.arn, Name: secret.name, VersionId: value ? token : undefined };
    },

    UpdateSecretVersionStage(input: UpdateSecretVersionStageRequest, ctx: RequestContext): UpdateSecretVersionStageResponse {
      const store = secrets(ctx);
      const secret = store.requireActive(input.SecretId);
      updateVersionStage(secret, { stage: input.VersionStage, removeFromVersionId: input.RemoveFromVersionId, moveToVersionId: input.MoveToVersionId });
      secret.lastChangedAt = now();
      store.save(secret);
      return { ARN: secret.arn, Name: secret.name };
    },

    DescribeSecret(input: DescribeSecretRequest, ctx: RequestContext): DescribeSecretResponse {
      const secret = secrets(ctx).require(input.SecretId);
      const { SecretVersionsToStages, ...summary } = secretSummary(secret, ctx.region);
      return { ...summary, VersionIdsToStages: SecretVersionsToStages, ReplicationStatus: replicationStatus(secret) };
    },

    ListSecrets(input: ListSecretsRequest, ctx: RequestContext): ListSecretsResponse {
      const filters = checkFilters(input.Filters);
      const matching = secrets(ctx)
        .all()
        .filter((secret) => (input.IncludePlannedDeletion === true || !isMarkedForDeletion(secret)) && matchesFilters(secret, ctx.region, filters));
      const sorted = sortSecrets(matching, input.SortBy ?? 'created-date', input.SortOrder === 'desc');
      const page = paginate(sorted, input.MaxResults ?? LIST_SECRETS_PAGE, input.NextToken);
      return { SecretList: page.items.map((secret) => secretSummary(secret, ctx.region)), NextToken: page.nextToken };
    },

    ListSecretVersionIds(input: ListSecretVersionIdsRequest, ctx: RequestContext): ListSecretVersionIdsResponse {
      const secret = secrets(ctx).require(input.SecretId);
      const versions = secret.versions.filter((version) => input.IncludeDeprecated === true || version.stages.length > 0);
      const page = paginate(versions, input.MaxResults ?? LIST_VERSIONS_PAGE, input.NextToken);
      return { Versions: page.items.map(versionListEntry), NextToken: page.nextToken, ARN: secret.arn, Name: secret.name };
    },

    DeleteSecret(input: DeleteSecretRequest, ctx: RequestContext): DeleteSecretResponse {
      const days = input.RecoveryWindowInDays;
      if (days !== undefined && (days < MIN_RECOVERY_DAYS || days > MAX_RECOVERY_DAYS)) {
        throw invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
      }
      const force = input.ForceDeleteWithoutRecovery === true;
      if (days !== undefined && force) throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");

      const store = secrets(ctx);
      const secret = store.find(input.SecretId);
      const time = now();
      if (!secret) {
        // "If you forcibly delete an already deleted or nonexistent secret, the operation does not return
        // ResourceNotFoundException", so that retries succeed.
        // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html
        if (force) return { ARN: arnForMissingSecret(input.SecretId, ctx), Name: nameForMissingSecret(input.SecretId, ctx), DeletionDate: new Date(time) };
        throw secretNotFound();
      }
      if (force) {
        store.remove(secret.name);
        return { ARN: secret.arn, Name: secret.name, DeletionDate: new Date(time) };
      }
      if (isMarkedForDeletion(secret)) throw alreadyMarkedDeleted();
      secret.deletedAt = time;
      secret.deletionDate = time + (days ?? DEFAULT_RECOVERY_DAYS) * DAY_MS;
      secret.lastChangedAt = time;
      store.save(secret);
      return { ARN: secret.arn, Name: secret.name, DeletionDate: new Date(secret.deletionDate) };
    },

    RestoreSecret(input: RestoreSecretRequest, ctx: RequestContext): RestoreSecretResponse {
      const store = secrets(ctx);
      const secret = store.require(input.SecretId);
      if (isMarkedForDeletion(secret)) {
        delete secret.deletedAt;
        delete secret.deletionDate;
        secret.lastChangedAt = now();
        store.save(secret);
      }
      return { ARN: secret.arn, Name: secret.name };
    },

    GetRandomPassword(input: GetRandomPasswordRequest): GetRandomPasswordResponse {
      return { RandomPassword: randomPassword(input) };
    },

    TagResource(input: TagResourceRequest, ctx: RequestContext): Record<string, never> {
      const store = secrets(ctx);
      const secret = store.requireActive(input.SecretId);
      secret.tags = mergeTags(secret.tags, input.Tags);
      secret.lastChangedAt = now();
      store.save(secret);
      return {};
    },

    UntagResource(input: UntagResourceRequest, ctx: RequestContext): Record<string, never> {
      const store = secrets(ctx);
      const secret = store.requireActive(input.SecretId);
      const removed = new Set(input.TagKeys);
      secret.tags = (secret.tags ?? []).filter((tag) => !removed.has(tag.Key));
      secret.lastChangedAt = now();
      store.save(secret);
      return {};
    },

    PutResourcePolicy(input: PutResourcePolicyRequest, ctx: RequestContext): PutResourcePolicyResponse {
      const store = secrets(ctx);
      const secret = store.requireActive(input.SecretId);
      assertPolicySyntax(input.ResourcePolicy);
      secret.resourcePolicy = input.ResourcePolicy;
      secret.lastChangedAt = now();
      store.save(secret);
      return { ARN: secret.arn, Name: secret.name };
    },

    GetResourcePolicy(input: GetResourcePolicyRequest, ctx: RequestContext): GetResourcePolicyResponse {
      const secret = secrets(ctx).require(input.SecretId);
      return { ARN: secret.arn, Name: secret.name, ResourcePolicy: secret.resourcePolicy };
    },

    DeleteResourcePolicy(input: DeleteResourcePolicyRequest, ctx: RequestContext): DeleteResourcePolicyResponse {
      const store = secrets(ctx);
      const secret = store.requireActive(input.SecretId);
      if (secret.resourcePolicy !== undefined) {
        delete secret.resourcePolicy;
        secret.lastChangedAt = now();
        store.save(secret);
      }
      return { ARN: secret.arn, Name: secret.name };
    },

    ValidateResourcePolicy(input: ValidateResourcePolicyRequest, ctx: RequestContext): ValidateResourcePolicyResponse {
      if (input.SecretId !== undefined) secrets(ctx).require(input.SecretId);
      assertPolicySyntax(input.ResourcePolicy);
      return { PolicyValidationPassed: true, ValidationErrors: [] };
    },
  };
}
