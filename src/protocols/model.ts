/**
 * The botocore service-model format (the JSON AWS publishes for every service), as far as Nimbus reads it.
 * Specs under specs/ are these models with documentation trimmed (scripts/gen-specs.ts).
 */
import { readFileSync } from 'node:fs';

export type Protocol = 'json' | 'rest-json' | 'rest-xml' | 'query' | 'ec2' | 'smithy-rpc-v2-cbor';

export interface ServiceMetadata {
  protocol: Protocol;
  protocols?: Protocol[];
  apiVersion: string;
  endpointPrefix: string;
  signingName?: string;
  targetPrefix?: string;
  jsonVersion?: string;
  serviceId?: string;
  xmlNamespace?: string;
  awsQueryCompatible?: Record<string, never>;
}

export interface ShapeRef {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  queryName?: string;
  flattened?: boolean;
  xmlAttribute?: boolean;
  xmlNamespace?: { uri: string; prefix?: string };
  timestampFormat?: TimestampFormat;
  jsonvalue?: boolean;
  idempotencyToken?: boolean;
  hostLabel?: boolean;
  streaming?: boolean;
  eventpayload?: boolean;
  resultWrapper?: string;
}

export type TimestampFormat = 'iso8601' | 'rfc822' | 'unixTimestamp';

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'timestamp' | 'blob';
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  flattened?: boolean;
  locationName?: string;
  timestampFormat?: TimestampFormat;
  payload?: string;
  streaming?: boolean;
  event?: boolean;
  eventstream?: boolean;
  exception?: boolean;
  fault?: boolean;
  sensitive?: boolean;
  union?: boolean;
  document?: boolean;
  xmlNamespace?: { uri: string; prefix?: string };
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
}

export interface Operation {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: ShapeRef & { xmlNamespace?: { uri: string } };
  output?: ShapeRef;
  errors?: ShapeRef[];
  endpoint?: { hostPrefix: string };
  deprecated?: boolean;
}

export interface ServiceModel {
  version?: string;
  metadata: ServiceMetadata;
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

const specsDir = new URL('../../specs/', import.meta.url);
const cache = new Map<string, ServiceModel>();

/** Loads a trimmed model from specs/ once; services load theirs on first use so start-up stays fast. */
export function loadServiceModel(service: string): ServiceModel {
  let model = cache.get(service);
  if (!model) {
    model = JSON.parse(readFileSync(new URL(`${service}.json`, specsDir), 'utf8')) as ServiceModel;
    cache.set(service, model);
  }
  return model;
}

let catalog: Record<string, ServiceMetadata> | undefined;

/** Protocol metadata of every AWS service, so a request to a service Nimbus lacks still gets a fitting error. */
export function loadCatalog(): Record<string, ServiceMetadata> {
  catalog ??= JSON.parse(readFileSync(new URL('catalog.json', specsDir), 'utf8')) as Record<string, ServiceMetadata>;
  return catalog;
}
