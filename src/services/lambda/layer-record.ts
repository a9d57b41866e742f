/**
 * Layers: numbered versions of a zip (libraries, a custom runtime, data) that functions add to their
 * execution environment, and the rules a function's layer list must follow
 * (https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/adding-layers.html).
 */
import type { GetLayerVersionResponse, LayerVersionsListItem } from '../../generated/lambda.js';
import { formatArn } from '../../shared/arn.js';
import type { ServiceError } from '../../shared/errors.js';
import type { RequestContext } from '../../shared/request-context.js';
import { scopedName } from '../../store/store.js';
import type { Collection, Store } from '../../store/store.js';
import { MAX_UNZIPPED_BYTES } from './code.js';
import { invalidParameter, userError } from './errors.js';
import type { FunctionLayer, FunctionScope } from './function-record.js';
import { lambdaTimestamp } from './function-record.js';

/** A function references at most five layers (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). */
const MAX_FUNCTION_LAYERS = 5;

export interface LayerStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: '*' | { AWS: string };
  Action: string;
  Resource: string;
  Condition?: { StringEquals: { 'aws:PrincipalOrgID': string } };
}

export interface LayerPolicy {
  revisionId: string;
  statements: LayerStatement[];
}

export interface LayerVersionRecord {
  layerName: string;
  version: number;
  description: string;
  compatibleRuntimes: string[];
  compatibleArchitectures: string[];
  licenseInfo?: string;
  codeSha256: string;
  codeSize: number;
  unzippedSize: number;
  /** Epoch milliseconds. */
  createdDate: number;
  policy?: LayerPolicy;
}

/** The last version number a layer name has had: Lambda never reuses one, even after every version is deleted. */
interface LayerCounter {
  latestVersion: number;
}

/** Where a layer lives: layers of other accounts are reachable by ARN when their policy allows it. */
export interface LayerLocation {
  scope: FunctionScope;
  name: string;
}

function versionKey(name: string, version: number): string {
  return `${name}\u0000${String(version).padStart(10, '0')}`;
}

export class LayerStore {
  private readonly versionsCollection: Collection<LayerVersionRecord>;
  private readonly counters: Collection<LayerCounter>;

  constructor(
    private readonly store: Store,
    scope: FunctionScope,
  ) {
    this.versionsCollection = store.collection<LayerVersionRecord>(scopedName('lambda', scope.account, scope.region, 'layer-versions'));
    this.counters = store.collection<LayerCounter>(scopedName('lambda', scope.account, scope.region, 'layer-counters'));
  }

  /** Stores a new version of a layer under the next number and returns that number. */
  publish(record: Omit<LayerVersionRecord, 'version'>): LayerVersionRecord {
    return this.store.transaction(() => {
      const version = (this.counters.get(record.layerName)?.latestVersion ?? 0) + 1;
      const published = { ...record, version };
      this.counters.put(record.layerName, { latestVersion: version });
      this.versionsCollection.put(versionKey(record.layerName, version), published);
      return published;
    });
  }

  get(name: string, version: number): LayerVersionRecord | undefined {
    return this.versionsCollection.get(versionKey(name, version));
  }

  put(record: LayerVersionRecord): void {
    this.versionsCollection.put(versionKey(record.layerName, record.version), record);
  }

  delete(name: string, version: number): void {
    this.versionsCollection.delete(versionKey(name, version));
  }

  /** A layer's versions, oldest first. */
  versions(name: string): LayerVersionRecord[] {
    return this.versionsCollection.list({ prefix: `${name}\u0000` }).map(([, record]) => record);
  }

  /** Every version of every layer, by name then version. */
  all(): LayerVersionRecord[] {
    return this.versionsCollection.list().map(([, record]) => record);
  }
}

export function layerArn(scope: FunctionScope, name: string): string {
  return formatArn({ service: 'lambda', region: scope.region, account: scope.account, resource: `layer:${name}` });
}

export function layerVersionArn(scope: FunctionScope, name: string, version: number): string {
  return `${layerArn(scope, name)}:${String(version)}`;
}

const LAYER_ARN = /^arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):(\d{12}):layer:([a-zA-Z0-9-_]+)$/;
const LAYER_VERSION_ARN = /^arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):(\d{12}):layer:([a-zA-Z0-9-_]+):(\d+)$/;

/** A LayerName parameter: a plain name (the caller's account and region) or a layer ARN. */
export function parseLayerName(ctx: RequestContext, layerName: string): LayerLocation {
  const arn = LAYER_ARN.exec(layerName);
  return arn ? { scope: { region: arn[1], account: arn[2] }, name: arn[3] } : { scope: { account: ctx.account, region: ctx.region }, name: layerName };
}

/** A layer version ARN; undefined for the model's other form, AWS-managed `awslayer` ARNs, which Nimbus has none of. */
export function parseLayerVersionArn(arn: string): (LayerLocation & { version: number }) | undefined {
  const match = LAYER_VERSION_ARN.exec(arn);
  return match ? { scope: { region: match[1], account: match[2] }, name: match[3], version: Number(match[4]) } : undefined;
}

export function checkVersionNumber(version: number): void {
  if (version < 1) throw invalidParameter('Layer Version Cannot be less than 1');
}

/** GetLayerVersion and DeleteLayerVersion's answer for a layer version that is not there. */
export function layerVersionNotFound(): ServiceError {
  return userError('ResourceNotFoundException', 'The resource you requested does not exist.', 404);
}

/** The layer permission operations name the version they looked for. */
export function layerVersionMissing(arn: string): ServiceError {
  return userError('ResourceNotFoundException', `Layer version ${arn} does not exist.`, 404);
}

export function accessDenied(ctx: RequestContext, action: string, resource: string): ServiceError {
  return userError('AccessDeniedException', `User: ${ctx.caller.arn} is not authorized to perform: ${action} on resource: ${resource} because no resource-based policy allows the ${action} action`, 403);
}

/** Whether a layer version's policy lets another account use it. Organizations are not modelled, so org-scoped grants never match. */
export function policyAllows(policy: LayerPolicy | undefined, account: string): boolean {
  return (policy?.statements ?? []).some((statement) => {
    if (statement.Condition) return false;
    return statement.Principal === '*' || statement.Principal.AWS === `arn:aws:iam::${account}:root`;
  });
}

/** An AddLayerVersionPermission statement as Lambda writes it: an account id becomes its root ARN. */
export function layerStatement(input: { sid: string; action: string; principal: string; organizationId?: string; resource: string }): LayerStatement {
  const principal = input.principal === '*' ? '*' : { AWS: /^\d{12}$/.test(input.principal) ? `arn:aws:iam::${input.principal}:root` : input.principal };
  const statement: LayerStatement = { Sid: input.sid, Effect: 'Allow', Principal: principal, Action: input.action, Resource: input.resource };
  if (input.organizationId) statement.Condition = { StringEquals: { 'aws:PrincipalOrgID': input.organizationId } };
  return statement;
}

export function policyDocument(policy: LayerPolicy): string {
  return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: policy.statements });
}

export function layerVersionView(scope: FunctionScope, record: LayerVersionRecord, location: string): GetLayerVersionResponse {
  return {
    Content: { Location: location, CodeSha256: record.codeSha256, CodeSize: record.codeSize },
    LayerArn: layerArn(scope, record.layerName),
    LayerVersionArn: layerVersionArn(scope, record.layerName, record.version),
    Description: record.description,
    CreatedDate: lambdaTimestamp(record.createdDate),
    Version: record.version,
    CompatibleRuntimes: record.compatibleRuntimes as GetLayerVersionResponse['CompatibleRuntimes'],
    LicenseInfo: record.licenseInfo,
    CompatibleArchitectures: record.compatibleArchitectures as GetLayerVersionResponse['CompatibleArchitectures'],
  };
}

export function layerVersionListItem(scope: FunctionScope, record: LayerVersionRecord): LayerVersionsListItem {
  const { Content: _content, LayerArn: _layerArn, ...item } = layerVersionView(scope, record, '');
  return item;
}

/** Whether a version matches ListLayers/ListLayerVersions' CompatibleRuntime and CompatibleArchitecture filters. */
export function matchesFilters(record: LayerVersionRecord, runtime: string | undefined, architecture: string | undefined): boolean {
  return (runtime === undefined || record.compatibleRuntimes.includes(runtime)) && (architecture === undefined || record.compatibleArchitectures.includes(architecture));
}

/**
 * A function's Layers parameter checked as Lambda checks it (count, region, one version per layer, each
 * version existing and usable by the caller) and resolved to what the function keeps of each layer.
 */
export function resolveFunctionLayers(store: Store, ctx: RequestContext, arns: string[]): FunctionLayer[] {
  if (arns.length > MAX_FUNCTION_LAYERS) throw invalidParameter(`Cannot reference more than ${String(MAX_FUNCTION_LAYERS)} layers.`);
  const parsed = arns.map((arn) => {
    const location = parseLayerVersionArn(arn);
    if (!location) throw invalidParameter(`Layer version ${arn} does not exist.`);
    return { arn, ...location };
  });
  if (parsed.some((layer) => layer.scope.region !== ctx.region)) {
    throw invalidParameter(`Layers are not in the same region as the function. Layers are expected to be in region ${ctx.region}.`);
  }
  parsed.forEach((layer, index) => {
    const earlier = parsed.slice(0, index).find((other) => other.scope.account === layer.scope.account && other.name === layer.name);
    if (earlier) {
      throw invalidParameter(`Two different versions of the same layer are not allowed to be referenced in the same function. ${earlier.arn} and ${layer.arn} are versions of the same layer.`);
    }
  });
  return parsed.map((layer) => {
    const record = new LayerStore(store, layer.scope).get(layer.name, layer.version);
    if (!record) throw invalidParameter(`Layer version ${layer.arn} does not exist.`);
    if (layer.scope.account !== ctx.account && !policyAllows(record.policy, ctx.account)) throw accessDenied(ctx, 'lambda:GetLayerVersion', layer.arn);
    return { arn: layer.arn, codeSha256: record.codeSha256, codeSize: record.codeSize, unzippedSize: record.unzippedSize };
  });
}

/** The function's code and all its layers, unzipped, must fit in 250 MB. */
export function checkCombinedSize(codeUnzippedSize: number, layers: FunctionLayer[]): void {
  const total = layers.reduce((sum, layer) => sum + layer.unzippedSize, codeUnzippedSize);
  if (total > MAX_UNZIPPED_BYTES) {
    throw invalidParameter(`Function code combined with layers exceeds the maximum allowed size of ${String(MAX_UNZIPPED_BYTES)} bytes. The actual size is ${String(total)} bytes.`);
  }
}
