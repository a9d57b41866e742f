/**
 * Invocations through a custom domain name: the Host header (port ignored) names a registered domain,
 * and the longest base path / API mapping key that prefixes the request path, whole segments only,
 * picks the API and stage; the mapping with an empty key takes everything else
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html). The rest of the
 * path is what the API routes. A v1 mapping without a stage takes the stage from the next path segment.
 */
import type { ServiceRuntime } from '../../service.js';
import type { InvocationAddress } from '../invoke/route.js';
import { forgetCustomDomains } from './host-index.js';
import type { MappingRecord } from './records.js';
import { findDomain } from './records.js';

function matchingMapping(mappings: MappingRecord[], pathname: string): { mapping: MappingRecord; rest: string } | undefined {
  let best: MappingRecord | undefined;
  for (const mapping of mappings) {
    const prefix = `/${mapping.key}`;
    const fits = mapping.key === '' || pathname === prefix || pathname.startsWith(`${prefix}/`);
    if (fits && (!best || mapping.key.length > best.key.length)) best = mapping;
  }
  if (!best) return undefined;
  const rest = best.key === '' ? pathname : pathname.slice(best.key.length + 1);
  return { mapping: best, rest: rest === '' ? '/' : rest };
}

/** The API, stage and path a request to a custom domain addresses, or undefined when no mapping takes it. */
export function customDomainAddress(runtime: ServiceRuntime, host: string, pathname: string): InvocationAddress | undefined {
  const domain = findDomain(runtime, host);
  if (!domain) {
    // The edge's cached names were stale (state was reset meanwhile): refresh them for the next request.
    forgetCustomDomains(runtime.store);
    return undefined;
  }
  const found = matchingMapping(Object.values(domain.mappings), pathname);
  if (!found) return undefined;
  const { mapping, rest } = found;
  if (mapping.stage !== undefined) return { apiId: mapping.apiId, stage: mapping.stage, path: rest, tail: rest, mapping: { stage: mapping.stage, key: mapping.key } };
  const [, stage = '', ...after] = rest.split('/');
  let stageName: string;
  try {
    stageName = decodeURIComponent(stage);
  } catch {
    // A stage segment with broken percent-encoding names no stage.
    return undefined;
  }
  return { apiId: mapping.apiId, stage: stageName, path: `/${after.join('/')}` };
}
