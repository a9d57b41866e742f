/**
 * Signature Version 4 verification of a request as API Gateway checks it for AWS_IAM methods: the
 * Authorization header (or presigned query), the credential scope, the time window and the signature
 * recomputed from the canonical request
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
 * Pure: the caller supplies the time and, when it knows it, the key's secret.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedRequest {
  method: string;
  /** The path exactly as sent, percent-encoding intact. */
  rawPath: string;
  rawQuery: string;
  /** Every header value, names in any case. */
  headers: Record<string, string[]>;
  body: Buffer;
}

export interface Signature {
  accessKeyId: string;
  /** X-Amz-Date, e.g. 20260115T120000Z. */
  amzDate: string;
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** Presigned URLs carry the signature in the query and say how long it lasts. */
  presigned?: { expiresSeconds: number };
  securityToken?: string;
}

export type ParsedSignature = { kind: 'unsigned' } | { kind: 'incomplete'; message: string } | { kind: 'signed'; signature: Signature };

/** A scope, a date, the time window or the signature itself is wrong: API Gateway's INVALID_SIGNATURE. */
export interface SignatureProblem {
  message: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
// API Gateway accepts a signature dated up to five minutes either side of its clock.
const SKEW_MS = 5 * 60_000;

function headerValues(request: SignedRequest, name: string): string[] {
  const wanted = name.toLowerCase();
  return Object.entries(request.headers).filter(([candidate]) => candidate.toLowerCase() === wanted).flatMap(([, values]) => values);
}

const firstHeader = (request: SignedRequest, name: string): string | undefined => headerValues(request, name)[0];

function queryPairs(rawQuery: string): [string, string][] {
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  return rawQuery.split('&').filter((part) => part !== '').map((part) => {
    const at = part.indexOf('=');
    return at < 0 ? [decode(part), ''] : [decode(part.slice(0, at)), decode(part.slice(at + 1))];
  });
}

/** What signs the request, read without judging it yet; `incomplete` lists what a SigV4 header lacks, in AWS's words. */
export function parseSignature(request: SignedRequest): ParsedSignature {
  const authorization = firstHeader(request, 'authorization');
  const query = new Map(queryPairs(request.rawQuery));
  if (authorization === undefined) {
    if (!query.has('X-Amz-Signature')) return { kind: 'unsigned' };
    const credential = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/.exec(query.get('X-Amz-Credential') ?? '');
    const amzDate = query.get('X-Amz-Date') ?? '';
    if (query.get('X-Amz-Algorithm') !== ALGORITHM || !credential || !amzDate || !query.get('X-Amz-SignedHeaders')) {
      return { kind: 'incomplete', message: 'AWS query-string parameters must include \'X-Amz-Algorithm\', \'X-Amz-Credential\', \'X-Amz-Signature\', \'X-Amz-Date\', \'X-Amz-SignedHeaders\', and \'X-Amz-Expires\'. Re-examine the query-string parameters.' };
    }
    return {
      kind: 'signed',
      signature: {
        accessKeyId: credential[1], scopeDate: credential[2], region: credential[3], service: credential[4], amzDate,
        signedHeaders: (query.get('X-Amz-SignedHeaders') ?? '').split(';'), signature: query.get('X-Amz-Signature') ?? '',
        presigned: { expiresSeconds: Number(query.get('X-Amz-Expires') ?? '900') }, securityToken: query.get('X-Amz-Security-Token'),
      },
    };
  }
  const parameters = new Map<string, string>();
  for (const match of authorization.replace(/^\S+\s*/, '').matchAll(/([A-Za-z]+)=([^,\s]*)/g)) parameters.set(match[1], match[2]);
  const amzDate = firstHeader(request, 'x-amz-date') ?? firstHeader(request, 'date');
  const missing = [
    parameters.has('Credential') ? '' : "Authorization header requires 'Credential' parameter. ",
    parameters.has('Signature') ? '' : "Authorization header requires 'Signature' parameter. ",
    parameters.has('SignedHeaders') ? '' : "Authorization header requires 'SignedHeaders' parameter. ",
    amzDate ? '' : "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ",
  ].join('');
  if (missing || !authorization.startsWith(`${ALGORITHM} `)) {
    return { kind: 'incomplete', message: `${missing || `Unsupported authorization type. `}Authorization=${authorization}` };
  }
  const credential = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/.exec(parameters.get('Credential') ?? '');
  if (!credential) {
    return { kind: 'incomplete', message: `Credential should be scoped to a valid region. Authorization=${authorization}` };
  }
  return {
    kind: 'signed',
    signature: {
      accessKeyId: credential[1], scopeDate: credential[2], region: credential[3], service: credential[4], amzDate: amzDate ?? '',
      signedHeaders: (parameters.get('SignedHeaders') ?? '').split(';'), signature: parameters.get('Signature') ?? '',
      securityToken: firstHeader(request, 'x-amz-security-token'),
    },
  };
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The path normalized (no empty, `.` or `..` segments) and each segment encoded once more, as SDKs sign it. */
function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `/${segments.map(uriEncode).join('/')}${trailing}`;
}

function canonicalQuery(rawQuery: string, presigned: boolean): string {
  return queryPairs(rawQuery)
    .filter(([name]) => !(presigned && name === 'X-Amz-Signature'))
    .map(([name, value]) => [uriEncode(name), uriEncode(value)])
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

export function canonicalRequest(request: SignedRequest, signature: Signature): string {
  const headers = signature.signedHeaders.map((name) => `${name}:${headerValues(request, name).map((value) => value.trim().replace(/\s+/g, ' ')).join(',')}\n`).join('');
  // The body received is what is hashed, whatever x-amz-content-sha256 claims, unless it says the payload is unsigned.
  const payloadHash = firstHeader(request, 'x-amz-content-sha256') === 'UNSIGNED-PAYLOAD' ? 'UNSIGNED-PAYLOAD' : sha256(request.body);
  return [
    request.method.toUpperCase(), canonicalUri(request.rawPath), canonicalQuery(request.rawQuery, signature.presigned !== undefined),
    headers, signature.signedHeaders.join(';'), payloadHash,
  ].join('\n');
}

export function stringToSign(signature: Signature, canonical: string): string {
  return [ALGORITHM, signature.amzDate, `${signature.scopeDate}/${signature.region}/${signature.service}/aws4_request`, sha256(canonical)].join('\n');
}

export function signatureOf(secret: string, signature: Signature, toSign: string): string {
  const key = [signature.scopeDate, signature.region, signature.service, 'aws4_request'].reduce<Buffer | string>((current, part) => hmac(current, part), `AWS4${secret}`);
  return createHmac('sha256', key).update(toSign).digest('hex');
}

/** `20260115T120000Z` as epoch milliseconds; NaN when it is not one. */
function amzTime(amzDate: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (match) return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6]));
  return Date.parse(amzDate);
}

const formatAmz = (epochMillis: number): string => new Date(epochMillis).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

export interface VerifyExpectations {
  region: string;
  service: string;
  now: number;
  /** The key's secret; without it everything but the signature value itself is checked. */
  secret?: string;
}

/** undefined when the signature holds; otherwise what is wrong, in API Gateway's words. */
export function verifySignature(request: SignedRequest, signature: Signature, expected: VerifyExpectations): SignatureProblem | undefined {
  if (signature.service !== expected.service) return { message: `Credential should be scoped to correct service: '${expected.service}'. ` };
  if (signature.region !== expected.region) return { message: `Credential should be scoped to a valid region, not '${signature.region}'. ` };
  const signedAt = amzTime(signature.amzDate);
  if (Number.isNaN(signedAt)) return { message: `Invalid date format: ${signature.amzDate}` };
  const dated = formatAmz(signedAt);
  if (!dated.startsWith(signature.scopeDate)) {
    return { message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${signature.scopeDate}' != '${dated.slice(0, 8)}', from '${signature.amzDate}'.` };
  }
  if (signature.presigned) {
    if (signedAt + signature.presigned.expiresSeconds * 1000 < expected.now) {
      return { message: `Signature expired: ${dated} is now earlier than ${formatAmz(expected.now - signature.presigned.expiresSeconds * 1000)}` };
    }
  } else if (signedAt < expected.now - SKEW_MS) {
    return { message: `Signature expired: ${dated} is now earlier than ${formatAmz(expected.now - SKEW_MS)} (${formatAmz(expected.now)} - 5 min.)` };
  }
  if (signedAt > expected.now + SKEW_MS) {
    return { message: `Signature not yet current: ${dated} is still later than ${formatAmz(expected.now + SKEW_MS)} (${formatAmz(expected.now)} + 5 min.)` };
  }
  if (!signature.signedHeaders.includes('host')) return { message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization." };
  if (expected.secret === undefined) return undefined;
  const canonical = canonicalRequest(request, signature);
  const toSign = stringToSign(signature, canonical);
  const computed = Buffer.from(signatureOf(expected.secret, signature, toSign));
  const given = Buffer.from(signature.signature);
  if (computed.length === given.length && timingSafeEqual(computed, given)) return undefined;
  return {
    message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'
      + `\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${toSign}'\n`,
  };
}
