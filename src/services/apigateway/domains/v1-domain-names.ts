/**
 * REST API (v1) custom domain names: Create/Get/Update/DeleteDomainName and GetDomainNames
 * (https://docs.aws.amazon.com/apigateway/latest/api/API_CreateDomainName.html). Nimbus serves every
 * domain at once (`domainNameStatus: AVAILABLE`); certificates are ARNs or names kept as given, since there
 * is no TLS on Nimbus's plain-HTTP edge.
 */
import type {
  ApigatewayApi, CreateDomainNameRequest, DeleteDomainNameRequest, DomainName, GetDomainNameRequest, GetDomainNamesRequest, UpdateDomainNameRequest,
} from '../../../generated/apigateway.js';
import type { ServiceRuntime } from '../../service.js';
import { badRequest } from '../api-record.js';
import type { PatchRule } from '../patch.js';
import { applyPatch, stringField } from '../patch.js';
import { page } from '../rest-apis.js';
import type { DomainEndpointType, DomainRecord } from './records.js';
import {
  EDGE_HOSTED_ZONE, changeDomain, domainArn, domains, gatewayDomainName, insertDomain, newGatewayId, regionalHostedZone, removeDomain, requireDomain,
} from './records.js';
import { forgetCustomDomains } from './host-index.js';

type Ops = Pick<ApigatewayApi, 'CreateDomainName' | 'GetDomainName' | 'GetDomainNames' | 'UpdateDomainName' | 'DeleteDomainName'>;

export function domainNameView(domain: DomainRecord, region: string): DomainName {
  const edge = domain.endpointType === 'EDGE';
  return {
    domainName: domain.domainName,
    domainNameArn: domainArn(region, domain.domainName),
    certificateArn: domain.certificateArn,
    certificateName: domain.certificateName,
    certificateUploadDate: edge && domain.certificateName ? new Date(domain.createdDate) : undefined,
    regionalDomainName: edge ? undefined : gatewayDomainName(domain, region),
    regionalHostedZoneId: edge ? undefined : regionalHostedZone(region),
    regionalCertificateArn: domain.regionalCertificateArn,
    regionalCertificateName: domain.regionalCertificateName,
    distributionDomainName: edge ? gatewayDomainName(domain, region) : undefined,
    distributionHostedZoneId: edge ? EDGE_HOSTED_ZONE : undefined,
    endpointConfiguration: { types: [domain.endpointType] },
    domainNameStatus: 'AVAILABLE',
    securityPolicy: domain.securityPolicy,
    tags: Object.keys(domain.tags).length > 0 ? { ...domain.tags } : undefined,
    mutualTlsAuthentication: domain.truststoreUri ? { truststoreUri: domain.truststoreUri, truststoreVersion: domain.truststoreVersion, truststoreWarnings: [] } : undefined,
  };
}

/** One endpoint type, as AWS accepts for domain names (EDGE unless stated). */
function endpointTypeOf(types: string[] | undefined): DomainEndpointType {
  const wanted = types ?? ['EDGE'];
  if (wanted.length !== 1) throw badRequest('Only one endpoint type may be specified for a domain name');
  if (wanted[0] === 'PRIVATE') throw badRequest('Private custom domain names are not supported by Nimbus');
  return wanted[0] === 'REGIONAL' ? 'REGIONAL' : 'EDGE';
}

/** An edge-optimized name needs an edge certificate, a regional one a regional certificate. */
function checkCertificate(domain: DomainRecord): void {
  if (domain.endpointType === 'EDGE' && !domain.certificateArn && !domain.certificateName) {
    throw badRequest('A certificate is required for an EDGE domain name: specify certificateArn or certificateName');
  }
  if (domain.endpointType === 'REGIONAL' && !domain.regionalCertificateArn && !domain.regionalCertificateName) {
    throw badRequest('A regional certificate is required for a REGIONAL domain name: specify regionalCertificateArn or regionalCertificateName');
  }
}

const RULES: PatchRule<DomainRecord>[] = [
  stringField('/certificateArn', (domain, value) => { domain.certificateArn = value; }),
  stringField('/certificateName', (domain, value) => { domain.certificateName = value; }),
  stringField('/regionalCertificateArn', (domain, value) => { domain.regionalCertificateArn = value; }),
  stringField('/regionalCertificateName', (domain, value) => { domain.regionalCertificateName = value; }),
  {
    path: '/securityPolicy',
    apply(domain, _op, value) {
      if (value !== 'TLS_1_0' && value !== 'TLS_1_2') throw badRequest(`Invalid security policy: ${value ?? ''}`);
      domain.securityPolicy = value;
    },
  },
  {
    // `op=replace,path=/endpointConfiguration/types/EDGE,value=REGIONAL` moves the name to another endpoint type.
    path: '/endpointConfiguration/types/',
    apply(domain, _op, value) {
      domain.endpointType = endpointTypeOf([value ?? '']);
    },
  },
  stringField('/mutualTlsAuthentication/truststoreUri', (domain, value) => { domain.truststoreUri = value; }),
  stringField('/mutualTlsAuthentication/truststoreVersion', (domain, value) => { domain.truststoreVersion = value; }),
];

export function v1DomainNameOperations(runtime: ServiceRuntime): Ops {
  runtime.lifecycle.onReset(() => {
    forgetCustomDomains(runtime.store);
  });
  return {
    CreateDomainName(input: CreateDomainNameRequest, ctx) {
      const domain: DomainRecord = {
        domainName: input.domainName,
        createdDate: runtime.clock.now(),
        endpointType: endpointTypeOf(input.endpointConfiguration?.types),
        securityPolicy: input.securityPolicy === 'TLS_1_0' ? 'TLS_1_0' : 'TLS_1_2',
        certificateArn: input.certificateArn,
        certificateName: input.certificateName,
        regionalCertificateArn: input.regionalCertificateArn,
        regionalCertificateName: input.regionalCertificateName,
        gatewayId: newGatewayId(),
        truststoreUri: input.mutualTlsAuthentication?.truststoreUri,
        truststoreVersion: input.mutualTlsAuthentication?.truststoreVersion,
        tags: input.tags ?? {},
        mappings: {},
      };
      checkCertificate(domain);
      // Mutual TLS needs a regional domain name (https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html).
      if (domain.truststoreUri && domain.endpointType !== 'REGIONAL') throw badRequest('Mutual TLS authentication is only supported for REGIONAL domain names');
      insertDomain(runtime, ctx, domain);
      return domainNameView(domain, ctx.region);
    },
    GetDomainName(input: GetDomainNameRequest, ctx) {
      return domainNameView(requireDomain(runtime, ctx, input.domainName), ctx.region);
    },
    GetDomainNames(input: GetDomainNamesRequest, ctx) {
      const all = domains(runtime, ctx).list().map(([, domain]) => domain);
      const result = page(all, (domain) => domain.domainName, input.position, input.limit);
      return { items: result.items.map((domain) => domainNameView(domain, ctx.region)), position: result.position };
    },
    UpdateDomainName(input: UpdateDomainNameRequest, ctx) {
      return changeDomain(runtime, ctx, input.domainName, (domain) => {
        applyPatch(domain, input.patchOperations, RULES);
        checkCertificate(domain);
        return domainNameView(domain, ctx.region);
      });
    },
    DeleteDomainName(input: DeleteDomainNameRequest, ctx) {
      removeDomain(runtime, ctx, input.domainName);
      return {};
    },
  };
}
