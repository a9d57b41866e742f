/**
 * JSON Web Token verification against an issuer's key set (JWKS), as API Gateway does for Cognito user
 * pool authorizers (REST APIs) and JWT authorizers (HTTP APIs): the signature by the key named in the
 * header's `kid`, then `iss`, `exp`, `nbf`, `iat`, and `aud` (or `client_id` when there is no `aud`)
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html).
 * Signatures: RS256/RS384/RS512 (what Cognito and most OIDC providers use) and ES256/ES384/ES512.
 */
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { createPublicKey, verify } from 'node:crypto';

export type JwtClaims = Record<string, unknown>;

/** Why a token was refused; `reason` is short and stable (tests and www-authenticate descriptions use it). */
export class JwtError extends Error {
  readonly reason: string;

  constructor(reason: string, detail?: string) {
    super(detail ? `${reason}: ${detail}` : reason);
    this.name = 'JwtError';
    this.reason = reason;
  }
}

export interface VerifyOptions {
  /** The exact `iss` a token must carry. */
  issuer: string;
  /** When given and non-empty, `aud` (or `client_id` when there is no `aud`) must be one of them. */
  audiences?: string[];
  /** Where the keys are; `${issuer}/.well-known/jwks.json` when omitted. */
  jwksUri?: string;
  /** Epoch milliseconds (the caller's clock, so tests can move time). */
  now: number;
}

interface Algorithm {
  hash: string;
  kty: 'RSA' | 'EC';
  curve?: string;
}

const ALGORITHMS: Record<string, Algorithm> = {
  RS256: { hash: 'sha256', kty: 'RSA' },
  RS384: { hash: 'sha384', kty: 'RSA' },
  RS512: { hash: 'sha512', kty: 'RSA' },
  ES256: { hash: 'sha256', kty: 'EC', curve: 'P-256' },
  ES384: { hash: 'sha384', kty: 'EC', curve: 'P-384' },
  ES512: { hash: 'sha512', kty: 'EC', curve: 'P-521' },
};

interface VerificationKey {
  key: KeyObject;
  kty: string;
  curve?: string;
  /** The JWK's `alg` when it names one: a token must then use exactly that algorithm. */
  alg?: string;
}

interface KeySet {
  keys: Map<string, VerificationKey>;
  fetchedAt: number;
}

interface JwksEntry {
  set?: KeySet;
  inFlight?: Promise<KeySet>;
  /** Refetches caused by unknown key ids in the current window, so a stream of made-up kids cannot flood the issuer. */
  windowStart: number;
  refreshes: number;
}

// A key set is reused for an hour; an unknown kid refetches it sooner (key rotation), at most
// MAX_REFRESHES times a minute per URI.
const KEY_SET_MAX_AGE = 3_600_000;
const REFRESH_WINDOW = 60_000;
const MAX_REFRESHES = 5;
const FETCH_TIMEOUT = 5_000;

const jwksCache = new Map<string, JwksEntry>();

function decodeSegment(segment: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Falls through to the error below.
  }
  throw new JwtError('malformed token', `the ${what} is not a base64url JSON object`);
}

function toVerificationKey(jwk: JsonWebKey): VerificationKey | undefined {
  if (jwk.use !== undefined && jwk.use !== 'sig') return undefined;
  try {
    return { key: createPublicKey({ key: jwk, format: 'jwk' }), kty: String(jwk.kty), curve: jwk.crv, alg: typeof jwk.alg === 'string' ? jwk.alg : undefined };
  } catch {
    // A key Node cannot import (an unsupported kty, a private key's shape gone wrong) simply is not usable.
    return undefined;
  }
}

async function fetchKeySet(uri: string, now: number): Promise<KeySet> {
  let body: unknown;
  try {
    const response = await fetch(uri, { signal: AbortSignal.timeout(FETCH_TIMEOUT), headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (error) {
    throw new JwtError('jwks unavailable', `${uri}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const listed = body !== null && typeof body === 'object' ? (body as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(listed)) throw new JwtError('jwks unavailable', `${uri} has no "keys" array`);
  const keys = new Map<string, VerificationKey>();
  for (const jwk of listed as JsonWebKey[]) {
    const kid = jwk !== null && typeof jwk === 'object' ? jwk.kid : undefined;
    const key = typeof kid === 'string' ? toVerificationKey(jwk) : undefined;
    if (key && typeof kid === 'string') keys.set(kid, key);
  }
  return { keys, fetchedAt: now };
}

/** One fetch at a time per URI: concurrent verifications share it. */
function refresh(uri: string, entry: JwksEntry, now: number): Promise<KeySet> {
  entry.inFlight ??= fetchKeySet(uri, now).then((set) => {
    entry.set = set;
    return set;
  }).finally(() => {
    entry.inFlight = undefined;
  });
  return entry.inFlight;
}

async function keyFor(uri: string, kid: string, now: number): Promise<VerificationKey> {
  let entry = jwksCache.get(uri);
  if (!entry) {
    entry = { windowStart: now, refreshes: 0 };
    jwksCache.set(uri, entry);
  }
  const fresh = entry.set && now - entry.set.fetchedAt < KEY_SET_MAX_AGE ? entry.set : undefined;
  const known = fresh?.keys.get(kid);
  if (known) return known;
  if (fresh) {
    // A kid the cached set lacks: the issuer may have rotated its keys since, so look again (bounded).
    if (now - entry.windowStart >= REFRESH_WINDOW) {
      entry.windowStart = now;
      entry.refreshes = 0;
    }
    if (entry.refreshes >= MAX_REFRESHES) throw new JwtError('unknown kid', kid);
    entry.refreshes += 1;
  }
  const key = (await refresh(uri, entry, now)).keys.get(kid);
  if (!key) throw new JwtError('unknown kid', kid);
  return key;
}

/** A NumericDate claim (seconds) as epoch milliseconds; undefined when absent. */
function numericDate(claims: JwtClaims, name: string): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new JwtError('malformed token', `${name} is not a number`);
  return value * 1000;
}

function checkAudience(claims: JwtClaims, audiences: string[] | undefined): void {
  if (!audiences || audiences.length === 0) return;
  // client_id counts only when aud is absent: Cognito access tokens carry client_id and no aud.
  const presented = claims.aud !== undefined ? [claims.aud].flat() : claims.client_id !== undefined ? [claims.client_id] : [];
  if (!presented.some((audience) => typeof audience === 'string' && audiences.includes(audience))) {
    throw new JwtError('invalid audience', 'the token does not have a valid audience');
  }
}

/** The token's claims when it is genuine and valid now; a JwtError otherwise. */
export async function verifyJwt(token: string, options: VerifyOptions): Promise<JwtClaims> {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part)) || parts[2] === '') {
    throw new JwtError('malformed token', 'a JWT has three base64url parts separated by dots');
  }
  const header = decodeSegment(parts[0], 'header');
  const claims = decodeSegment(parts[1], 'payload');
  const alg = typeof header.alg === 'string' ? header.alg : '';
  const algorithm = ALGORITHMS[alg];
  if (!algorithm) throw new JwtError('unsupported algorithm', alg || 'none');
  if (typeof header.kid !== 'string' || header.kid === '') throw new JwtError('malformed token', 'the header has no kid');
  // The issuer is checked before any key is fetched, so a token cannot make Nimbus fetch from anywhere.
  if (claims.iss !== options.issuer) throw new JwtError('invalid issuer', `expected ${options.issuer}`);
  const key = await keyFor(options.jwksUri ?? `${options.issuer.replace(/\/$/, '')}/.well-known/jwks.json`, header.kid, options.now);
  if (key.kty !== algorithm.kty || (algorithm.curve !== undefined && key.curve !== algorithm.curve) || (key.alg !== undefined && key.alg !== alg)) {
    throw new JwtError('invalid signature', `key ${header.kid} cannot verify ${alg}`);
  }
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2], 'base64url');
  const genuine = algorithm.kty === 'EC'
    ? verify(algorithm.hash, signed, { key: key.key, dsaEncoding: 'ieee-p1363' }, signature)
    : verify(algorithm.hash, signed, key.key, signature);
  if (!genuine) throw new JwtError('invalid signature');
  const expires = numericDate(claims, 'exp');
  if (expires === undefined) throw new JwtError('malformed token', 'the token has no exp');
  if (expires <= options.now) throw new JwtError('token expired');
  const notBefore = numericDate(claims, 'nbf');
  if (notBefore !== undefined && notBefore > options.now) throw new JwtError('token not yet valid');
  const issuedAt = numericDate(claims, 'iat');
  if (issuedAt !== undefined && issuedAt > options.now) throw new JwtError('token not yet valid', 'iat is in the future');
  checkAudience(claims, options.audiences);
  return claims;
}
