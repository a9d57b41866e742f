/**
 * Custom domain names, stored once for API Gateway v1 and v2: on AWS both APIs manage the same domain
 * names and mappings (a domain made with `apigateway` is listed by `apigatewayv2`, and a base path mapping
 * is an API mapping), so one record per domain serves both views
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-custom-domains.html).
 *
 * Mappings are keyed by their ApiMappingId; `key` is the base path / API mapping key, '' for none
 * (v1 shows it as `(none)`). Timestamps are epoch milliseconds.
 */
import { randomString } from '../../../shared/ids.js';
import type { RequestContext } from '../../../shared/request-context.js';
import type { Collection } from '../../../store/store.js';
import { scopedName } from '../../../store/store.js';
import type { ServiceRuntime } from '../../service.js';
import type { ApiLocation } from '../api-record.js';
import { badRequest, conflict, notFound } from '../api-record.js';
import { forgetCustomDomains, customDomainIndex } from './host-index.js';

export type DomainEndpointType = 'REGIONAL' | 'EDGE';

export interface MappingRecord {
  id: string;
  apiId: string;
  /** v1 base path mappings may leave the stage out: the next path segment names it. */
  stage?: string;
  key: string;
}

export interface DomainRecord {
  domainName: string;
  createdDate: number;
  endpointType: DomainEndpointType;
  securityPolicy: 'TLS_1_0' | 'TLS_1_2';
  certificateArn?: string;
  certificateName?: string;
  regionalCertificateArn?: string;
  regionalCertificateName?: string;
  /** `d-{10 characters}`, the prefix of the regional (or CloudFront) host name AWS gives the domain. */
  gatewayId: string;
  truststoreUri?: string;
  truststoreVersion?: string;
  tags: Record<string, string>;
  mappings: Record<string, MappingRecord>;
}

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

export const newGatewayId = (): string => `d-${randomString(10, LOWER_ALNUM)}`;
export const newMappingId = (): string => randomString(6, LOWER_ALNUM);

// Route 53 hosted zones of API Gateway's regional endpoints
// (https://docs.aws.amazon.com/general/latest/gr/apigateway.html); CloudFront's zone for edge-optimized names.
const REGIONAL_ZONES: Record<string, string> = {
  'us-east-1': 'Z1UJRXOUMOOFQ8', 'us-east-2': 'ZOJJZC49E0EPZ', 'us-west-1': 'Z2MUQ32089INYE', 'us-west-2': 'Z2OJLYMUO9EFXC',
  'eu-west-1': 'ZLY8HYME6SFDD', 'eu-west-2': 'ZJ5UAJN8Y3Z2Q', 'eu-central-1': 'Z1U9ULNL0V5AJ3', 'ap-southeast-1': 'ZL327KTPIQFUL',
  'ap-southeast-2': 'Z2RPCDW04V8134', 'ap-northeast-1': 'Z1YSHQZHG15GKL',
};
export const EDGE_HOSTED_ZONE = 'Z2FDTNDATAQYW2';

export function regionalHostedZone(region: string): string {
  return REGIONAL_ZONES[region] ?? REGIONAL_ZONES['us-east-1'];
}

/** The host name AWS points the domain at: `d-xxxx.execute-api.{region}.amazonaws.com`, or a CloudFront name for EDGE. */
export function gatewayDomainName(domain: DomainRecord, region: string): string {
  return domain.endpointType === 'EDGE' ? `${domain.gatewayId.slice(2)}.cloudfront.net` : `${domain.gatewayId}.execute-api.${region}.amazonaws.com`;
}

export function domainArn(region: string, domainName: string): string {
  return `arn:aws:apigateway:${region}::/domainnames/${domainName}`;
}

export function domains(runtime: ServiceRuntime, scope: ApiLocation): Collection<DomainRecord> {
  return runtime.store.collection<DomainRecord>(scopedName('apigateway', scope.account, scope.region, 'domain-names'));
}

export function requireDomain(runtime: ServiceRuntime, ctx: RequestContext, domainName: string): DomainRecord {
  const domain = domains(runtime, ctx).get(domainName.toLowerCase());
  if (!domain) throw notFound('Invalid domain name identifier specified');
  return domain;
}

/**
 * Stores a new domain. Host names are one namespace on this machine (a request's Host header does not
 * say which account it is for), so a name another account or region registered is refused too.
 */
export function insertDomain(runtime: ServiceRuntime, ctx: RequestContext, domain: DomainRecord): void {
  // A custom domain is a DNS name with a dot; Nimbus's own host names (localhost, *.localhost, IP literals)
  // would otherwise take every API call the edge receives.
  const name = domain.domainName.toLowerCase();
  if (!name.includes('.') || name.endsWith('.localhost') || /^[\d.]+$/.test(name) || name.includes(':')) throw badRequest(`Invalid domain name: ${domain.domainName}`);
  runtime.store.transaction(() => {
    const key = domain.domainName.toLowerCase();
    if (customDomainIndex(runtime.store).get(key)) throw conflict('The domain name you provided already exists.');
    domains(runtime, ctx).put(key, domain);
    customDomainIndex(runtime.store).put(key, { account: ctx.account, region: ctx.region });
  });
  forgetCustomDomains(runtime.store);
}

/** Runs `change` on the stored domain and writes it back in one transaction. */
export function changeDomain<R>(runtime: ServiceRuntime, ctx: RequestContext, domainName: string, change: (domain: DomainRecord) => R): R {
  return runtime.store.transaction(() => {
    const domain = requireDomain(runtime, ctx, domainName);
    const result = change(domain);
    domains(runtime, ctx).put(domain.domainName.toLowerCase(), domain);
    return result;
  });
}

export function removeDomain(runtime: ServiceRuntime, ctx: RequestContext, domainName: string): void {
  runtime.store.transaction(() => {
    const domain = requireDomain(runtime, ctx, domainName);
    const key = domain.domainName.toLowerCase();
    domains(runtime, ctx).delete(key);
    customDomainIndex(runtime.store).delete(key);
  });
  forgetCustomDomains(runtime.store);
}

/** The domain a Host header names (port ignored), from any account and region. */
export function findDomain(runtime: ServiceRuntime, host: string): DomainRecord | undefined {
  const key = host.replace(/:\d+$/, '').toLowerCase();
  const location = customDomainIndex(runtime.store).get(key);
  return location && domains(runtime, location).get(key);
}

export function requireMapping(domain: DomainRecord, mappingId: string): MappingRecord {
  const mapping = domain.mappings[mappingId];
  if (!mapping) throw notFound('Invalid ApiMapping identifier specified');
  return mapping;
}

/**
 * Checks a new or changed mapping against the domain's others: keys are unique. The empty key `(none)` may
 * sit beside others: it takes what no other mapping's path matches
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html).
 */
export function checkMappingKey(domain: DomainRecord, key: string, exceptId?: string): void {
  const others = Object.values(domain.mappings).filter((mapping) => mapping.id !== exceptId);
  if (others.some((mapping) => mapping.key === key)) throw conflict('Base path already exists for this domain name');
}
