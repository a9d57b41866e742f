/**
 * AWS_IAM methods: the request must be SigV4-signed for `execute-api` in the API's region
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html), and the signer becomes
 * requestContext.identity.
 *
 * Which secret a signature is checked with: Nimbus keeps the secret of the temporary keys its STS
 * issued (Lambda functions' role credentials among them), and the documented default pair `test`/`test`
 * has a known secret, so those signatures are recomputed and compared. Any other access key (Nimbus
 * accepts any key) has a secret Nimbus cannot know: its signature is checked for everything but the
 * value itself (scope service and region, date, time window, signed host).
 */
import { ServiceError } from '../../../shared/errors.js';
import { DEFAULT_ACCOUNT } from '../../../shared/ids.js';
import type { ServiceRuntime } from '../../service.js';
import { resolveStsCredential, stsSecretAccessKey } from '../../sts/provider.js';
import type { GatewayResponse, Invocation } from '../invoke/context.js';
import { gatewayError } from '../invoke/gateway-errors.js';
import type { SignedRequest } from './sigv4.js';
import { parseSignature, verifySignature } from './sigv4.js';

const DEFAULT_KEY = { accessKeyId: 'test', secretAccessKey: 'test' };

export type Caller = NonNullable<Invocation['caller']>;

/** The identity behind a key, as the edge maps it: STS sessions, 12-digit keys as that account's root, else the default account. */
function callerOf(runtime: ServiceRuntime, accessKey: string): Caller & { temporary: boolean } {
  const session = resolveStsCredential(runtime, accessKey);
  if (session) return { accessKey, accountId: session.account, caller: session.userId, user: session.userId, userArn: session.arn, temporary: true };
  const account = /^\d{12}$/.test(accessKey) ? accessKey : DEFAULT_ACCOUNT;
  return { accessKey, accountId: account, caller: account, user: account, userArn: `arn:aws:iam::${account}:root`, temporary: false };
}

/**
 * Checks a request's SigV4 signature for `execute-api` in `region`: the signer, or the gateway error
 * that refuses the request (REST, HTTP and WebSocket APIs word it each their own way).
 */
export function verifyIamRequest(runtime: ServiceRuntime, signed: SignedRequest, region: string): { caller: Caller } | { refusal: GatewayResponse } {
  const parsed = parseSignature(signed);
  if (parsed.kind === 'unsigned') return { refusal: gatewayError('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token') };
  if (parsed.kind === 'incomplete') return { refusal: gatewayError('MISSING_AUTHENTICATION_TOKEN', parsed.message, { errorType: 'IncompleteSignatureException' }) };
  const { signature } = parsed;
  let caller: ReturnType<typeof callerOf>;
  try {
    caller = callerOf(runtime, signature.accessKeyId);
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'ExpiredTokenException') return { refusal: gatewayError('EXPIRED_TOKEN', error.message, { errorType: 'ExpiredTokenException' }) };
    throw error;
  }
  // Temporary keys are only valid with their session token.
  if (caller.temporary && !signature.securityToken) {
    return { refusal: gatewayError('INVALID_SIGNATURE', 'The security token included in the request is invalid.', { errorType: 'UnrecognizedClientException' }) };
  }
  const secret = caller.temporary ? stsSecretAccessKey(runtime, signature.accessKeyId)
    : signature.accessKeyId === DEFAULT_KEY.accessKeyId ? DEFAULT_KEY.secretAccessKey : undefined;
  const problem = verifySignature(signed, signature, { region, service: 'execute-api', now: runtime.clock.now(), secret });
  if (problem) return { refusal: gatewayError('INVALID_SIGNATURE', problem.message, { errorType: 'InvalidSignatureException' }) };
  return { caller: { accessKey: caller.accessKey, accountId: caller.accountId, caller: caller.caller, user: caller.user, userArn: caller.userArn } };
}

/** undefined to go on (with invocation.caller set), or the 403 that ends the request. */
export function authenticateIam(runtime: ServiceRuntime, invocation: Invocation, rawUrl: string): GatewayResponse | undefined {
  const { request } = invocation;
  const queryAt = rawUrl.indexOf('?');
  const verdict = verifyIamRequest(runtime, {
    method: request.httpMethod, rawPath: queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt), rawQuery: request.rawQuery,
    headers: request.multiValueHeaders, body: request.body,
  }, invocation.location.region);
  if ('refusal' in verdict) return verdict.refusal;
  invocation.caller = verdict.caller;
  return undefined;
}
