/**
 * Secret names, ARNs and how a SecretId (a name, a full ARN or a partial ARN) designates a secret.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot.html#ARN_secretnamehyphen
 */
import { formatArn, parseArn } from '../../shared/arn.js';
import { randomString } from '../../shared/ids.js';
import type { RequestContext } from '../../shared/request-context.js';
import { invalidName } from './errors.js';

// "The secret name can contain ASCII letters, numbers, and the following characters: /_+=.@-"
const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]+$/;

/** The "-" and six random characters AWS appends to a name in the ARN. */
const ARN_SUFFIX = /-[A-Za-z0-9]{6}$/;
const ARN_SUFFIX_LENGTH = 7;

export function assertValidName(name: string): void {
  if (!NAME_PATTERN.test(name)) throw invalidName();
}

/** A fresh ARN: each secret created under a name gets a new random suffix, so old ARNs never resolve to it. */
export function newSecretArn(ctx: RequestContext, name: string): string {
  return formatArn({ service: 'secretsmanager', region: ctx.region, account: ctx.account, resource: `secret:${name}-${randomString(ARN_SUFFIX_LENGTH - 1)}` });
}

/** What a SecretId names: the secret's name and, for a full ARN, the exact ARN the secret must have. */
export interface SecretReference {
  name: string;
  arn?: string;
}

/**
 * Reads a SecretId. A partial ARN (the full one without its suffix) names the secret too; like AWS, an
 * ARN whose name part ends in "-" and six characters is taken as a full ARN. An ARN of another account,
 * Region or service designates nothing here.
 */
export function parseSecretId(secretId: string, ctx: RequestContext): SecretReference | undefined {
  if (!secretId.startsWith('arn:')) {
    assertValidName(secretId);
    return { name: secretId };
  }
  const arn = parseArn(secretId);
  if (!arn || arn.service !== 'secretsmanager' || arn.region !== ctx.region || arn.account !== ctx.account || !arn.resource.startsWith('secret:')) {
    return undefined;
  }
  const named = arn.resource.slice('secret:'.length);
  if (ARN_SUFFIX.test(named)) return { name: named.slice(0, -ARN_SUFFIX_LENGTH), arn: secretId };
  return { name: named };
}

/** The ARN to report for a secret that does not exist (ForceDeleteWithoutRecovery answers as if it did). */
export function arnForMissingSecret(secretId: string, ctx: RequestContext): string {
  if (secretId.startsWith('arn:')) return secretId;
  return formatArn({ service: 'secretsmanager', region: ctx.region, account: ctx.account, resource: `secret:${secretId}` });
}

export function nameForMissingSecret(secretId: string, ctx: RequestContext): string {
  return parseSecretId(secretId, ctx)?.name ?? secretId;
}
