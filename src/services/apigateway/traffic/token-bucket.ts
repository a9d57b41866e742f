/**
 * Token buckets, API Gateway's throttling algorithm: a bucket holds at most `burstLimit` tokens, refills
 * at `rateLimit` tokens per second and each request takes one; an empty bucket means 429
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html).
 * Time comes from the runtime's clock, so tests move it instead of waiting. Buckets live in memory:
 * a restart refills them, which is what a quiet second does anyway.
 */
import type { ServiceRuntime } from '../../service.js';

export interface Limits {
  rateLimit: number;
  burstLimit: number;
}

interface Bucket extends Limits {
  tokens: number;
  updatedAt: number;
}

const registries = new WeakMap<ServiceRuntime, Map<string, Bucket>>();

function bucketsOf(runtime: ServiceRuntime): Map<string, Bucket> {
  let buckets = registries.get(runtime);
  if (!buckets) {
    const created = new Map<string, Bucket>();
    runtime.lifecycle.onReset(() => {
      created.clear();
    });
    registries.set(runtime, created);
    buckets = created;
  }
  return buckets;
}

/** The bucket named `key` with `limits` (a change of limits starts a full bucket), refilled up to now. */
function bucketAt(runtime: ServiceRuntime, key: string, limits: Limits, now: number): Bucket {
  const buckets = bucketsOf(runtime);
  const existing = buckets.get(key);
  if (!existing || existing.rateLimit !== limits.rateLimit || existing.burstLimit !== limits.burstLimit) {
    const fresh = { ...limits, tokens: limits.burstLimit, updatedAt: now };
    buckets.set(key, fresh);
    return fresh;
  }
  existing.tokens = Math.min(existing.burstLimit, existing.tokens + (Math.max(0, now - existing.updatedAt) / 1000) * existing.rateLimit);
  existing.updatedAt = now;
  return existing;
}

/**
 * Takes one token from each named bucket, or none when any of them is empty (a throttled request
 * spends nothing); returns the key of the first empty bucket, or undefined when the request may pass.
 */
export function takeTokens(runtime: ServiceRuntime, requests: { key: string; limits: Limits }[]): string | undefined {
  const now = runtime.clock.now();
  const buckets = requests.map((request) => ({ key: request.key, bucket: bucketAt(runtime, request.key, request.limits, now) }));
  const empty = buckets.find(({ bucket }) => bucket.tokens < 1);
  if (empty) return empty.key;
  for (const { bucket } of buckets) bucket.tokens -= 1;
  return undefined;
}
