/**
 * COGNITO_USER_POOLS authorizers of REST APIs: the raw token of the identity source header is verified
 * against one of the authorizer's user pools, then handed to the integration as
 * requestContext.authorizer.claims
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html).
 *
 * Where the keys come from: a pool's tokens are accepted when their `iss` is either AWS's issuer
 * (`https://cognito-idp.{region}.amazonaws.com/{poolId}`, keys fetched from AWS) or a local issuer, an
 * http(s) URL on a loopback host or on Nimbus's own origin whose last path segment is the pool id (keys
 * fetched from `{iss}/.well-known/jwks.json`). A local identity provider, or Nimbus's own Cognito later,
 * issues tokens of the second kind; no other host is ever fetched from.
 */
import type { Authorizer } from '../../../generated/apigateway.js';
import type { ServiceRuntime } from '../../service.js';
import type { GatewayResponse, Invocation } from '../invoke/context.js';
import { gatewayError } from '../invoke/gateway-errors.js';
import { headerOf } from '../invoke/request.js';
import type { JwtClaims } from './jwt.js';
import { JwtError, verifyJwt } from './jwt.js';

export interface UserPool {
  region: string;
  poolId: string;
}

const POOL_ARN = /^arn:aws[a-z-]*:cognito-idp:([a-z0-9-]+):\d{12}:userpool\/([\w-]+_[0-9a-zA-Z]+)$/;

/** The user pool of a provider ARN, `arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}`. */
export function userPoolOf(providerArn: string): UserPool | undefined {
  const match = POOL_ARN.exec(providerArn);
  return match ? { region: match[1], poolId: match[2] } : undefined;
}

export const awsIssuer = (pool: UserPool): string => `https://cognito-idp.${pool.region}.amazonaws.com/${pool.poolId}`;

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === '[::1]';
}

/** The JWKS URI for a token claiming `issuer`, when that issuer belongs to one of `pools`; undefined otherwise. */
export function jwksUriFor(issuer: string, pools: UserPool[], edgeEndpoint: string): string | undefined {
  if (pools.some((pool) => awsIssuer(pool) === issuer)) return `${issuer}/.well-known/jwks.json`;
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return undefined;
  }
  const local = isLoopback(url.hostname) || (edgeEndpoint !== '' && url.origin === new URL(edgeEndpoint).origin);
  const poolId = url.pathname.split('/').at(-1) ?? '';
  const plain = url.search === '' && url.hash === '' && (url.protocol === 'http:' || url.protocol === 'https:');
  return local && plain && pools.some((pool) => pool.poolId === poolId) ? `${issuer}/.well-known/jwks.json` : undefined;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Tue Apr 04 18:39:39 UTC 2023`: how API Gateway writes a token's exp and iat into the claims. */
function claimDate(seconds: number): string {
  const date = new Date(seconds * 1000);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}

/**
 * The claims as REST APIs pass them on: every value a string; exp and iat as dates, lists (cognito:groups)
 * joined with commas, booleans as "true"/"false".
 */
export function eventClaims(claims: JwtClaims): Record<string, string> {
  const converted: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') converted[name] = claimDate(value);
    else if (Array.isArray(value)) converted[name] = value.map(String).join(',');
    else if (value !== null && typeof value === 'object') converted[name] = JSON.stringify(value);
    else converted[name] = String(value);
  }
  return converted;
}

/**
 * Without authorization scopes on the method the token is taken as an ID token (an access token is
 * refused); with scopes, only an access token carrying one of them passes.
 */
function tokenTypeAllows(claims: JwtClaims, scopes: string[] | undefined): boolean {
  if (!scopes || scopes.length === 0) return claims.token_use !== 'access';
  if (claims.token_use !== 'access' || typeof claims.scope !== 'string') return false;
  const granted = claims.scope.split(' ');
  return scopes.some((scope) => granted.includes(scope));
}

function unverifiedIssuer(token: string): string | undefined {
  try {
    const claims: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    const issuer = claims !== null && typeof claims === 'object' ? (claims as { iss?: unknown }).iss : undefined;
    return typeof issuer === 'string' ? issuer : undefined;
  } catch {
    return undefined;
  }
}

/** undefined to go on (with invocation.authorizer.claims set), or the 401 that ends the request. */
export async function authorizeCognito(runtime: ServiceRuntime, invocation: Invocation, authorizer: Authorizer, scopes: string[] | undefined): Promise<GatewayResponse | undefined> {
  const unauthorized = gatewayError('UNAUTHORIZED', 'Unauthorized');
  const header = /^method\.request\.header\.(.+)$/.exec(authorizer.identitySource ?? '')?.[1] ?? 'Authorization';
  // The header holds the token itself: "Bearer <token>" is not a JWT and fails like any other garbage.
  const token = headerOf(invocation.request, header);
  if (!token) return unauthorized;
  const pools = (authorizer.providerARNs ?? []).map(userPoolOf).filter((pool): pool is UserPool => pool !== undefined);
  const issuer = unverifiedIssuer(token);
  const jwksUri = issuer ? jwksUriFor(issuer, pools, runtime.edge.endpoint) : undefined;
  if (!issuer || !jwksUri) return unauthorized;
  let claims: JwtClaims;
  try {
    claims = await verifyJwt(token, { issuer, jwksUri, now: runtime.clock.now() });
  } catch (error) {
    if (error instanceof JwtError) return unauthorized;
    throw error;
  }
  // For these authorizers, the validation expression is matched against the token's aud.
  if (authorizer.identityValidationExpression && !new RegExp(`^(?:${authorizer.identityValidationExpression})$`).test(typeof claims.aud === 'string' ? claims.aud : '')) {
    return unauthorized;
  }
  if (!tokenTypeAllows(claims, scopes)) return unauthorized;
  invocation.authorizer = { claims: eventClaims(claims) };
  return undefined;
}
