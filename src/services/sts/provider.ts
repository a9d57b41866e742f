/**
 * AWS STS: caller identity and temporary credentials. Credentials issued here are recorded, so a
 * request signed with them is mapped by the edge to the account and principal they were issued for.
 *
 * Known limitations: session policies, tags and MFA parameters are accepted and ignored (Nimbus does
 * not evaluate IAM policies); AssumeRoleWithSAML, DecodeAuthorizationMessage and GetDelegatedAccessToken
 * answer NotImplemented; web identity tokens are decoded, not verified.
 */
import type {
  AssumeRoleRequest,
  AssumeRoleResponse,
  AssumeRoleWithWebIdentityRequest,
  AssumeRoleWithWebIdentityResponse,
  Credentials,
  GetAccessKeyInfoRequest,
  GetAccessKeyInfoResponse,
  GetCallerIdentityResponse,
  GetFederationTokenRequest,
  GetFederationTokenResponse,
  GetSessionTokenRequest,
  GetSessionTokenResponse,
  StsApi,
} from '../../generated/sts.js';
import { parseArn } from '../../shared/arn.js';
import { ServiceError } from '../../shared/errors.js';
import { DEFAULT_ACCOUNT, randomString, stableId, temporaryAccessKeyId } from '../../shared/ids.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { Collection } from '../../store/store.js';
import type { ResolvedCredential, ServiceRuntime } from '../service.js';

/** What the edge needs to know about an issued access key. */
interface Session extends ResolvedCredential {
  expiresAt: number;
  /** Kept so services that verify SigV4 signatures (API Gateway's AWS_IAM methods) can; absent in older records. */
  secretAccessKey?: string;
}

// Credentials are global in AWS (not per region), so sessions live in one collection for all accounts.
const SESSIONS = 'sts/global/-/sessions';

const HOUR = 3600;

function sessions(runtime: ServiceRuntime): Collection<Session> {
  return runtime.store.collection<Session>(SESSIONS);
}

function roleFromArn(roleArn: string): { account: string; roleName: string } {
  const arn = parseArn(roleArn);
  const resource = arn?.resource ?? '';
  if (!arn || arn.service !== 'iam' || !resource.startsWith('role/')) {
    throw new ServiceError('ValidationError', `${roleArn} is invalid`, 400);
  }
  return { account: /^\d{12}$/.test(arn.account) ? arn.account : DEFAULT_ACCOUNT, roleName: resource.split('/').at(-1) ?? resource };
}

/** Decodes a JWT's payload without verifying it (Nimbus has no identity provider to check it against). */
function jwtSubject(token: string): string {
  const payload = token.split('.')[1];
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown };
    if (typeof claims.sub === 'string') return claims.sub;
  } catch {
    // Fall through to the error below.
  }
  throw new ServiceError('InvalidIdentityTokenException', "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)", 400);
}

export function createStsProvider(runtime: ServiceRuntime): Partial<StsApi> {
  const issue = (identity: ResolvedCredential, durationSeconds: number): Credentials => {
    const accessKeyId = temporaryAccessKeyId();
    const expiresAt = runtime.clock.now() + durationSeconds * 1000;
    const secretAccessKey = randomString(40);
    sessions(runtime).put(accessKeyId, { ...identity, expiresAt, secretAccessKey });
    return {
      AccessKeyId: accessKeyId,
      SecretAccessKey: secretAccessKey,
      SessionToken: Buffer.from(`nimbus-session:${accessKeyId}:${randomString(64)}`).toString('base64'),
      Expiration: new Date(expiresAt),
    };
  };

  const assumedRole = (roleArn: string, sessionName: string): { identity: ResolvedCredential; user: { AssumedRoleId: string; Arn: string } } => {
    const { account, roleName } = roleFromArn(roleArn);
    // AWS gives each role a stable id (AROA...); derived from the ARN, it stays stable across restarts.
    const roleId = `AROA${stableId(roleArn, 17)}`;
    const arn = `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`;
    const userId = `${roleId}:${sessionName}`;
    return { identity: { account, arn, userId }, user: { AssumedRoleId: userId, Arn: arn } };
  };

  return {
    GetCallerIdentity(_input: Record<string, never>, ctx: RequestContext): GetCallerIdentityResponse {
      return { UserId: ctx.caller.userId, Account: ctx.account, Arn: ctx.caller.arn };
    },

    AssumeRole(input: AssumeRoleRequest): AssumeRoleResponse {
      const { identity, user } = assumedRole(input.RoleArn, input.RoleSessionName);
      return { Credentials: issue(identity, input.DurationSeconds ?? HOUR), AssumedRoleUser: user, PackedPolicySize: 0 };
    },

    AssumeRoleWithWebIdentity(input: AssumeRoleWithWebIdentityRequest): AssumeRoleWithWebIdentityResponse {
      const subject = jwtSubject(input.WebIdentityToken);
      const { identity, user } = assumedRole(input.RoleArn, input.RoleSessionName);
      return {
        Credentials: issue(identity, input.DurationSeconds ?? HOUR),
        AssumedRoleUser: user,
        SubjectFromWebIdentityToken: subject,
        Provider: input.ProviderId,
        PackedPolicySize: 0,
      };
    },

    GetSessionToken(input: GetSessionTokenRequest, ctx: RequestContext): GetSessionTokenResponse {
      if (ctx.caller.arn.includes(':assumed-role/')) {
        throw new ServiceError('AccessDenied', 'Cannot call GetSessionToken with session credentials', 403);
      }
      const identity = { account: ctx.account, arn: ctx.caller.arn, userId: ctx.caller.userId };
      return { Credentials: issue(identity, input.DurationSeconds ?? 12 * HOUR) };
    },

    GetFederationToken(input: GetFederationTokenRequest, ctx: RequestContext): GetFederationTokenResponse {
      const arn = `arn:aws:sts::${ctx.account}:federated-user/${input.Name}`;
      const userId = `${ctx.account}:${input.Name}`;
      return {
        Credentials: issue({ account: ctx.account, arn, userId }, input.DurationSeconds ?? 12 * HOUR),
        FederatedUser: { FederatedUserId: userId, Arn: arn },
        PackedPolicySize: 0,
      };
    },

    GetAccessKeyInfo(input: GetAccessKeyInfoRequest, ctx: RequestContext): GetAccessKeyInfoResponse {
      const session = sessions(runtime).get(input.AccessKeyId);
      if (session) return { Account: session.account };
      return { Account: /^\d{12}$/.test(input.AccessKeyId) ? input.AccessKeyId : ctx.account };
    },
  };
}

/** The secret of an STS-issued key, to verify what it signed; undefined for keys STS did not issue. */
export function stsSecretAccessKey(runtime: ServiceRuntime, accessKeyId: string): string | undefined {
  return sessions(runtime).get(accessKeyId)?.secretAccessKey;
}

/** The identity an STS-issued key stands for; an expired key is refused as AWS refuses it. */
export function resolveStsCredential(runtime: ServiceRuntime, accessKeyId: string): ResolvedCredential | undefined {
  const session = sessions(runtime).get(accessKeyId);
  if (!session) return undefined;
  if (session.expiresAt <= runtime.clock.now()) {
    throw new ServiceError('ExpiredTokenException', 'The security token included in the request is expired', 400);
  }
  return { account: session.account, arn: session.arn, userId: session.userId };
}
