import { createHash, randomBytes, randomUUID } from 'node:crypto';

export const DEFAULT_ACCOUNT = '000000000000';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCESS_KEY = 'test';

export function requestId(): string {
  return randomUUID();
}

/** DynamoDB's request ids are 52 upper-case letters and digits, not UUIDs. */
export function dynamoDbRequestId(): string {
  return randomString(52, UPPER_ALNUM);
}

/** Random bytes drawn a block at a time: one call into the system's generator per many hot-path ids. */
const randomPool = { bytes: Buffer.alloc(0), offset: 0 };

/** `count` random bytes from the pool (a view: read it before the next draw). */
function pooledBytes(count: number): Buffer {
  if (randomPool.offset + count > randomPool.bytes.length) {
    randomPool.bytes = randomBytes(Math.max(4096, count));
    randomPool.offset = 0;
  }
  const bytes = randomPool.bytes.subarray(randomPool.offset, randomPool.offset + count);
  randomPool.offset += count;
  return bytes;
}

/** `length` random lowercase hex digits (X-Ray trace ids and the like). */
export function randomHex(length: number): string {
  return pooledBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);
}

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A random string over `alphabet` (uniform: rejects bytes past the largest multiple of its length). */
export function randomString(length: number, alphabet: string = ALNUM): string {
  let out = '';
  const limit = 256 - (256 % alphabet.length);
  while (out.length < length) {
    for (const byte of pooledBytes(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Temporary access key ids start with ASIA, like AWS's; 20 characters in all. */
export function temporaryAccessKeyId(): string {
  return `ASIA${randomString(16, UPPER_ALNUM)}`;
}

export function upperAlnum(length: number): string {
  return randomString(length, UPPER_ALNUM);
}

/** An upper-case alphanumeric id derived from `seed`: the same seed always gives the same id. */
export function stableId(seed: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; out.length < length; i++) out += UPPER_ALNUM[digest[i % digest.length] % UPPER_ALNUM.length];
  return out;
}
