/**
 * Custom domain names through API Gateway v2: Create/Get/Update/DeleteDomainName, GetDomainNames, and
 * Create/Get/Update/DeleteApiMapping, GetApiMappings
 * (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/domainnames.html). The records are the
 * ones `apigateway` (v1) manages (../apigateway/domains/records.ts): AWS shares domain names and their
 * mappings between both APIs, and so does Nimbus. An API mapping may name an HTTP or REST API (WebSocket APIs: not through custom domains yet).
 */
import type {
  ApiMapping, Apigatewayv2Api, CreateApiMappingRequest, CreateDomainNameRequest, DeleteApiMappingRequest, DeleteDomainNameRequest, DomainName,
  DomainNameConfiguration, GetApiMappingRequest, GetApiMappingsRequest, GetDomainNameRequest, GetDomainNamesRequest, UpdateApiMappingRequest,
  UpdateDomainNameRequest,
} from '../../generated/apigatewayv2.js';
import type { RequestContext } from '../../shared/request-context.js';
import { apis as restApis } from '../apigateway/api-record.js';
import { forgetCustomDomains } from '../apigateway/domains/host-index.js';
import type { DomainRecord, MappingRecord } from '../apigateway/domains/records.js';
import {
  EDGE_HOSTED_ZONE, changeDomain, checkMappingKey, domainArn, domains, gatewayDomainName, insertDomain, newGatewayId, newMappingId, regionalHostedZone, removeDomain,
  requireDomain, requireMapping,
} from '../apigateway/domains/records.js';
import type { ServiceRuntime } from '../service.js';
import { badRequest, notFound } from './api-store.js';
import { paginate } from './pagination.js';
import { v2Apis } from './records.js';

type Ops = Pick<Apigatewayv2Api, 'CreateDomainName' | 'GetDomainName' | 'GetDomainNames' | 'UpdateDomainName' | 'DeleteDomainName'
  | 'CreateApiMapping' | 'GetApiMapping' | 'GetApiMappings' | 'UpdateApiMapping' | 'DeleteApiMapping'>;

function configurationView(domain: DomainRecord, region: string): DomainNameConfiguration {
  const edge = domain.endpointType === 'EDGE';
  return {
    ApiGatewayDomainName: gatewayDomainName(domain, region),
    CertificateArn: edge ? domain.certificateArn : domain.regionalCertificateArn,
    CertificateName: edge ? domain.certificateName : domain.regionalCertificateName,
    DomainNameStatus: 'AVAILABLE',
    EndpointType: domain.endpointType,
    HostedZoneId: edge ? EDGE_HOSTED_ZONE : regionalHostedZone(region),
    SecurityPolicy: domain.securityPolicy,
  };
}

export function domainNameViewV2(domain: DomainRecord, region: string): DomainName {
  return {
    // The only selection expression API Gateway supports for API mappings.
    ApiMappingSelectionExpression: '$request.basepath',
    DomainName: domain.domainName,
    DomainNameArn: domainArn(region, domain.domainName),
    DomainNameConfigurations: [configurationView(domain, region)],
    MutualTlsAuthentication: domain.truststoreUri ? { TruststoreUri: domain.truststoreUri, TruststoreVersion: domain.truststoreVersion, TruststoreWarnings: [] } : undefined,
    Tags: { ...domain.tags },
  };
}

/** Applies the (single) configuration of a Create/UpdateDomainName request: one endpoint and its certificate. */
function configure(domain: DomainRecord, configurations: DomainNameConfiguration[] | undefined): void {
  if (configurations === undefined) return;
  if (configurations.length !== 1) throw badRequest('Exactly one domain name configuration must be specified');
  const [configuration] = configurations;
  domain.endpointType = configuration.EndpointType === 'EDGE' ? 'EDGE' : 'REGIONAL';
  if (domain.endpointType === 'EDGE') {
    domain.certificateArn = configuration.CertificateArn ?? domain.certificateArn;
    domain.certificateName = configuration.CertificateName ?? domain.certificateName;
  } else {
    domain.regionalCertificateArn = configuration.CertificateArn ?? domain.regionalCertificateArn;
    domain.regionalCertificateName = configuration.CertificateName ?? domain.regionalCertificateName;
  }
  if (configuration.SecurityPolicy) domain.securityPolicy = configuration.SecurityPolicy;
  const certificate = domain.endpointType === 'EDGE' ? domain.certificateArn : domain.regionalCertificateArn;
  if (!certificate) throw badRequest('CertificateArn is required in the domain name configuration');
}

function mappingView(mapping: MappingRecord): ApiMapping {
  return { ApiId: mapping.apiId, ApiMappingId: mapping.id, ApiMappingKey: mapping.key, Stage: mapping.stage ?? '' };
}

/** The API (HTTP or REST) and its stage must exist in the caller's account and region. */
function checkTarget(runtime: ServiceRuntime, ctx: RequestContext, apiId: string, stage: string): void {
  const v2 = v2Apis(runtime, ctx).get(apiId);
  const rest = v2 ? undefined : restApis(runtime, ctx).get(apiId);
  if (!v2 && !rest) throw notFound(`Invalid API identifier specified ${ctx.account}:${apiId}`);
  // Refused rather than stored and never served: Nimbus routes custom domains to REST and HTTP APIs only.
  if (v2?.api.ProtocolType === 'WEBSOCKET') throw badRequest('Nimbus does not serve WebSocket APIs through custom domain names yet: map a REST or HTTP API.');
  const stages = v2 ? v2.stages : rest?.stages ?? {};
  if (!Object.hasOwn(stages, stage)) throw badRequest(`Invalid stage identifier specified ${stage}`);
}

/** API mapping keys may have several levels (`orders/v1`); AWS's message names the characters a level may hold. */
function mappingKey(key: string | undefined): string {
  const given = key ?? '';
  if (given !== '' && !/^[A-Za-z0-9$\-_.+!*'()]+(\/[A-Za-z0-9$\-_.+!*'()]+)*$/.test(given)) throw badRequest("An ApiMapping key may contain only letters, numbers and one of $-_.+!*'()");
  return given;
}

export function domainNameOperations(runtime: ServiceRuntime): Ops {
  runtime.lifecycle.onReset(() => {
    forgetCustomDomains(runtime.store);
  });
  return {
    CreateDomainName(input: CreateDomainNameRequest, ctx) {
      const domain: DomainRecord = {
        domainName: input.DomainName,
        createdDate: runtime.clock.now(),
        endpointType: 'REGIONAL',
        securityPolicy: 'TLS_1_2',
        gatewayId: newGatewayId(),
        truststoreUri: input.MutualTlsAuthentication?.TruststoreUri,
        truststoreVersion: input.MutualTlsAuthentication?.TruststoreVersion,
        tags: input.Tags ?? {},
        mappings: {},
      };
      configure(domain, input.DomainNameConfigurations ?? []);
      insertDomain(runtime, ctx, domain);
      return domainNameViewV2(domain, ctx.region);
    },
    GetDomainName(input: GetDomainNameRequest, ctx) {
      return domainNameViewV2(requireDomain(runtime, ctx, input.DomainName), ctx.region);
    },
    GetDomainNames(input: GetDomainNamesRequest, ctx) {
      const all = domains(runtime, ctx).list().map(([, domain]) => domain);
      const listing = paginate(all, (domain) => domain.domainName, input.NextToken, input.MaxResults);
      return { Items: listing.Items.map((domain) => domainNameViewV2(domain, ctx.region)), NextToken: listing.NextToken };
    },
    UpdateDomainName(input: UpdateDomainNameRequest, ctx) {
      return changeDomain(runtime, ctx, input.DomainName, (domain) => {
        configure(domain, input.DomainNameConfigurations);
        if (input.MutualTlsAuthentication) {
          domain.truststoreUri = input.MutualTlsAuthentication.TruststoreUri;
          domain.truststoreVersion = input.MutualTlsAuthentication.TruststoreVersion;
        }
        return domainNameViewV2(domain, ctx.region);
      });
    },
    DeleteDomainName(input: DeleteDomainNameRequest, ctx) {
      removeDomain(runtime, ctx, input.DomainName);
      return {};
    },
    CreateApiMapping(input: CreateApiMappingRequest, ctx) {
      return changeDomain(runtime, ctx, input.DomainName, (domain) => {
        const key = mappingKey(input.ApiMappingKey);
        checkTarget(runtime, ctx, input.ApiId, input.Stage);
        checkMappingKey(domain, key);
        const mapping: MappingRecord = { id: newMappingId(), apiId: input.ApiId, stage: input.Stage, key };
        domain.mappings[mapping.id] = mapping;
        return mappingView(mapping);
      });
    },
    GetApiMapping(input: GetApiMappingRequest, ctx) {
      return mappingView(requireMapping(requireDomain(runtime, ctx, input.DomainName), input.ApiMappingId));
    },
    GetApiMappings(input: GetApiMappingsRequest, ctx) {
      const domain = requireDomain(runtime, ctx, input.DomainName);
      const listing = paginate(Object.values(domain.mappings), (mapping) => mapping.id, input.NextToken, input.MaxResults);
      return { Items: listing.Items.map(mappingView), NextToken: listing.NextToken };
    },
    UpdateApiMapping(input: UpdateApiMappingRequest, ctx) {
      return changeDomain(runtime, ctx, input.DomainName, (domain) => {
        const mapping = requireMapping(domain, input.ApiMappingId);
        mapping.apiId = input.ApiId;
        if (input.Stage !== undefined) mapping.stage = input.Stage;
        if (input.ApiMappingKey !== undefined) mapping.key = mappingKey(input.ApiMappingKey);
        if (mapping.stage === undefined) throw badRequest('Stage is required');
        checkTarget(runtime, ctx, mapping.apiId, mapping.stage);
        checkMappingKey(domain, mapping.key, mapping.id);
        return mappingView(mapping);
      });
    },
    DeleteApiMapping(input: DeleteApiMappingRequest, ctx) {
      return changeDomain(runtime, ctx, input.DomainName, (domain) => {
        requireMapping(domain, input.ApiMappingId);
        domain.mappings = Object.fromEntries(Object.entries(domain.mappings).filter(([id]) => id !== input.ApiMappingId));
        return {};
      });
    },
  };
}
