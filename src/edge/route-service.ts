/**
 * Which AWS service a request is for, in the order LocalStack found reliable: the SigV4 signing name,
 * then X-Amz-Target, then the query protocol's Action, then the host name. A signing name that several
 * services share (dynamodb and dynamodbstreams) is narrowed by the same later checks.
 */
import type { ServiceMetadata } from '../protocols/model.js';
import { codecFor } from '../protocols/index.js';
import { loadCatalog, loadServiceModel } from '../protocols/model.js';
import type { WireRequest } from '../protocols/wire.js';
import { formParams, header } from '../protocols/wire.js';
import { isServed } from '../services/registry.js';
import type { RequestCredential } from './credentials.js';

interface CatalogIndex {
  bySigningName: Map<string, string[]>;
  byTargetPrefix: Map<string, string>;
  byEndpointPrefix: Map<string, string[]>;
  metadata: Record<string, ServiceMetadata>;
}

let index: CatalogIndex | undefined;

function push(map: Map<string, string[]>, key: string, service: string): void {
  const list = map.get(key) ?? [];
  list.push(service);
  map.set(key, list);
}

function catalogIndex(): CatalogIndex {
  if (index) return index;
  const metadata = loadCatalog();
  const built: CatalogIndex = { bySigningName: new Map(), byTargetPrefix: new Map(), byEndpointPrefix: new Map(), metadata };
  // Served services first, so a shared key prefers what Nimbus can answer.
  const names = Object.keys(metadata).sort((a, b) => Number(isServed(b)) - Number(isServed(a)));
  for (const name of names) {
    const meta = metadata[name];
    push(built.bySigningName, meta.signingName ?? meta.endpointPrefix, name);
    push(built.byEndpointPrefix, meta.endpointPrefix, name);
    if (meta.targetPrefix && !built.byTargetPrefix.has(meta.targetPrefix)) built.byTargetPrefix.set(meta.targetPrefix, name);
  }
  index = built;
  return built;
}

export function serviceMetadata(service: string): ServiceMetadata | undefined {
  return catalogIndex().metadata[service];
}

export interface ServiceMatch {
  service: string;
  served: boolean;
}

function match(service: string | undefined): ServiceMatch | undefined {
  return service ? { service, served: isServed(service) } : undefined;
}

function byTarget(request: WireRequest, candidates?: string[]): string | undefined {
  const target = header(request, 'x-amz-target');
  if (!target) return undefined;
  const prefix = target.slice(0, target.lastIndexOf('.'));
  const service = catalogIndex().byTargetPrefix.get(prefix);
  return service && (!candidates || candidates.includes(service)) ? service : undefined;
}

/** `sqs.us-east-1.localhost.localstack.cloud` or `bucket.s3.localhost`: an endpoint prefix among the host's labels. */
function byHost(request: WireRequest): string | undefined {
  const labels = request.host.split(':')[0].split('.');
  for (const label of labels.slice(0, -1)) {
    const services = catalogIndex().byEndpointPrefix.get(label);
    if (services) return services[0];
  }
  return undefined;
}

export function identifyService(request: WireRequest, credential: RequestCredential | undefined): ServiceMatch | undefined {
  const catalog = catalogIndex();
  const candidates = credential?.signingName ? catalog.bySigningName.get(credential.signingName) : undefined;
  if (candidates?.length === 1) return match(candidates[0]);
  if (candidates && candidates.length > 1) {
    // REST services that share a signing name (apigateway and apigatewayv2) are told apart by their routes.
    const narrowed = byTarget(request, candidates) ?? (isQueryRequest(request) ? candidates.find((c) => catalog.metadata[c].protocol === 'query') : undefined) ?? byRestRoute(request, candidates);
    return match(narrowed ?? candidates[0]);
  }
  const targeted = byTarget(request);
  if (targeted) return match(targeted);
  return match(byQueryVersion(request)) ?? match(byHost(request)) ?? match(byRestRoute(request));
}

/**
 * An unsigned request to a REST service (a curl, a browser) is recognised by its route: the served REST
 * services' URI templates are tried in turn. Only served services are tried, so no unknown model loads.
 */
function byRestRoute(request: WireRequest, names?: string[]): string | undefined {
  const { metadata } = catalogIndex();
  for (const name of names ?? Object.keys(metadata)) {
    if (!isServed(name) || !metadata[name].protocol.startsWith('rest-')) continue;
    if (codecFor(metadata[name]).resolveOperation(loadServiceModel(name), request)) return name;
  }
  return undefined;
}

function isQueryRequest(request: WireRequest): boolean {
  return formParams(request).has('Action');
}

/** Unsigned query requests (AssumeRoleWithWebIdentity) name only Action and Version: the API version tells the service. */
function byQueryVersion(request: WireRequest): string | undefined {
  const version = formParams(request).get('Version');
  if (!version || !isQueryRequest(request)) return undefined;
  const { metadata } = catalogIndex();
  const services = Object.keys(metadata).filter((name) => metadata[name].protocol === 'query' && metadata[name].apiVersion === version);
  return services.find(isServed) ?? services[0];
}
