/**
 * Staging labels: each label is on at most one version of a secret; a version without labels is
 * deprecated. Rules from the PutSecretValue and UpdateSecretVersionStage API references
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html,
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UpdateSecretVersionStage.html) and
 * from label sequences recorded against AWS:
 *  - attaching a label to a version takes it off the version that had it;
 *  - moving AWSCURRENT moves AWSPREVIOUS to the version AWSCURRENT left;
 *  - when a new value takes AWSCURRENT, the old current version also drops AWSPENDING (a finished
 *    rotation leaves AWSCURRENT and AWSPENDING on the same version);
 *  - unlabelled versions are removed once a secret has more than 100 versions, but never ones less than
 *    24 hours old (https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_limits.html).
 */
import { invalidParameter, valueNotFoundForVersion } from './errors.js';
import type { SecretRecord, SecretVersion } from './secret-record.js';
import { AWSCURRENT, AWSPENDING, AWSPREVIOUS, DAY_MS, findVersion, versionWithStage } from './secret-record.js';

const VERSIONS_KEPT = 100;

function attach(version: SecretVersion, stage: string): void {
  if (!version.stages.includes(stage)) version.stages = [...version.stages, stage].sort();
}

function detach(version: SecretVersion, stage: string): void {
  version.stages = version.stages.filter((label) => label !== stage);
}

/** Puts `stage` on `target`, taking it off whichever version had it; returns that version. */
function moveLabel(secret: SecretRecord, stage: string, target: SecretVersion): SecretVersion | undefined {
  const holder = versionWithStage(secret, stage);
  if (holder === target) return undefined;
  if (holder) detach(holder, stage);
  attach(target, stage);
  return holder;
}

/** The version AWSCURRENT just left becomes AWSPREVIOUS. */
function markPrevious(secret: SecretRecord, formerCurrent: SecretVersion): void {
  moveLabel(secret, AWSPREVIOUS, formerCurrent);
}

/** Removes the oldest deprecated versions beyond the quota, sparing those created in the last day. */
function pruneDeprecated(secret: SecretRecord, now: number): void {
  while (secret.versions.length > VERSIONS_KEPT) {
    const oldest = secret.versions.find((version) => version.stages.length === 0 && version.createdAt <= now - DAY_MS);
    if (!oldest) return;
    secret.versions = secret.versions.filter((version) => version !== oldest);
  }
}

/**
 * Adds a new version carrying `stages` (AWSCURRENT when none are given). The first version of a secret
 * always gets AWSCURRENT, whatever labels were asked for.
 */
export function addVersion(secret: SecretRecord, version: SecretVersion, stages: string[] | undefined, now: number): void {
  const labels = new Set(stages ?? [AWSCURRENT]);
  if (secret.versions.length === 0) labels.add(AWSCURRENT);
  secret.versions.push(version);
  for (const stage of labels) {
    const formerHolder = moveLabel(secret, stage, version);
    if (stage === AWSCURRENT && formerHolder) {
      detach(formerHolder, AWSPENDING);
      markPrevious(secret, formerHolder);
    }
  }
  pruneDeprecated(secret, now);
}

export interface StageMove {
  stage: string;
  removeFromVersionId?: string;
  moveToVersionId?: string;
}

/**
 * UpdateSecretVersionStage: moves a label to a version, or takes it off one. A label already on another
 * version can only move if RemoveFromVersionId names that version, and AWSCURRENT can move but never
 * simply be removed.
 */
export function updateVersionStage(secret: SecretRecord, { stage, removeFromVersionId, moveToVersionId }: StageMove): void {
  const holder = versionWithStage(secret, stage);
  const target = moveToVersionId === undefined ? undefined : findVersion(secret, moveToVersionId);
  if (moveToVersionId !== undefined && !target) throw valueNotFoundForVersion(moveToVersionId);

  if (removeFromVersionId !== undefined && holder?.id !== removeFromVersionId) {
    throw invalidParameter(
      `When you move staging label ${stage}, if you specify RemoveFromVersionId, it must be set to the version that currently has the staging label ${stage}.`,
    );
  }
  if (target && holder && holder !== target && removeFromVersionId === undefined) {
    throw invalidParameter(
      `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder.id}, so you must explicitly reference that version in RemoveFromVersionId.`,
    );
  }
  if (stage === AWSCURRENT && !target && removeFromVersionId !== undefined) {
    throw invalidParameter(`You can only move staging label ${AWSCURRENT} to a different secret version. It can't be completely removed.`);
  }

  if (!target) {
    if (removeFromVersionId !== undefined && holder) detach(holder, stage);
    return;
  }
  const formerHolder = moveLabel(secret, stage, target);
  if (stage === AWSCURRENT && formerHolder) markPrevious(secret, formerHolder);
}
