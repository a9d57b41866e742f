/**
 * Layers: publish, read, list and delete layer versions, and the resource policy that shares a version
 * with other accounts (https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/permissions-layer-cross-account.html).
 */
import type {
  AddLayerVersionPermissionRequest,
  AddLayerVersionPermissionResponse,
  DeleteLayerVersionRequest,
  GetLayerVersionByArnRequest,
  GetLayerVersionPolicyRequest,
  GetLayerVersionPolicyResponse,
  GetLayerVersionRequest,
  GetLayerVersionResponse,
  LambdaApi,
  LayersListItem,
  ListLayersRequest,
  ListLayersResponse,
  ListLayerVersionsRequest,
  ListLayerVersionsResponse,
  PublishLayerVersionRequest,
  PublishLayerVersionResponse,
  RemoveLayerVersionPermissionRequest,
} from '../../../generated/lambda.js';
import type { ServiceError } from '../../../shared/errors.js';
import type { RequestContext } from '../../../shared/request-context.js';
import { newRevisionId } from '../function-record.js';
import type { FunctionScope } from '../function-record.js';
import { invalidParameter, userError } from '../errors.js';
import type { LambdaService } from '../lambda-service.js';
import type { LayerVersionRecord } from '../layer-record.js';
import {
  accessDenied,
  checkVersionNumber,
  layerArn,
  layerStatement,
  LayerStore,
  layerVersionArn,
  layerVersionListItem,
  layerVersionMissing,
  layerVersionNotFound,
  layerVersionView,
  matchesFilters,
  parseLayerName,
  parseLayerVersionArn,
  policyAllows,
  policyDocument,
} from '../layer-record.js';

const DEFAULT_PAGE = 50;

function policyRevisionMismatch(): ServiceError {
  return userError('PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id', 412);
}

export function layerOperations(service: LambdaService): Partial<LambdaApi> {
  const layers = (scope: FunctionScope): LayerStore => new LayerStore(service.runtime.store, scope);
  // Layer content downloads the way function code does (edge-routes.ts): both live in the code store.
  const contentLocation = (record: LayerVersionRecord): string => `${service.runtime.edge.endpoint}/_nimbus/lambda/code/${encodeURIComponent(record.codeSha256)}`;

  /** A version the caller may read: its own, or another account's whose policy shares it with the caller. */
  const readable = (ctx: RequestContext, scope: FunctionScope, name: string, version: number): LayerVersionRecord => {
    checkVersionNumber(version);
    const record = scope.region === ctx.region ? layers(scope).get(name, version) : undefined;
    if (!record) throw layerVersionNotFound();
    if (scope.account !== ctx.account && !policyAllows(record.policy, ctx.account)) throw accessDenied(ctx, 'lambda:GetLayerVersion', layerVersionArn(scope, name, version));
    return record;
  };

  /** Publishing, deleting and granting act on the caller's own layers only. */
  const owned = (ctx: RequestContext, layerName: string, action: string): string => {
    const { scope, name } = parseLayerName(ctx, layerName);
    if (scope.account !== ctx.account || scope.region !== ctx.region) throw accessDenied(ctx, action, layerArn(scope, name));
    return name;
  };

  const withPolicy = (ctx: RequestContext, layerName: string, version: number, action: string): LayerVersionRecord => {
    const name = owned(ctx, layerName, action);
    checkVersionNumber(version);
    const record = layers(ctx).get(name, version);
    if (!record) throw layerVersionMissing(layerVersionArn(ctx, name, version));
    return record;
  };

  return {
    async PublishLayerVersion(input: PublishLayerVersionRequest, ctx: RequestContext): Promise<PublishLayerVersionResponse> {
      const name = owned(ctx, input.LayerName, 'lambda:PublishLayerVersion');
      if (!input.Content.ZipFile) {
        throw invalidParameter(input.Content.S3Bucket ? 'Layer content from S3 (S3Bucket/S3Key) is not available in Nimbus until its S3 service is: upload the zip with ZipFile.' : 'Please provide a source for layer content.');
      }
      const stored = await service.code.put(Buffer.from(input.Content.ZipFile), 'PublishLayerVersion');
      const record = layers(ctx).publish({
        layerName: name,
        description: input.Description ?? '',
        compatibleRuntimes: input.CompatibleRuntimes ?? [],
        compatibleArchitectures: input.CompatibleArchitectures ?? [],
        licenseInfo: input.LicenseInfo,
        codeSha256: stored.sha256,
        codeSize: stored.size,
        unzippedSize: stored.unzippedSize,
        createdDate: service.runtime.clock.now(),
      });
      return layerVersionView(ctx, record, contentLocation(record));
    },

    GetLayerVersion(input: GetLayerVersionRequest, ctx: RequestContext): GetLayerVersionResponse {
      const { scope, name } = parseLayerName(ctx, input.LayerName);
      const record = readable(ctx, scope, name, input.VersionNumber);
      return layerVersionView(scope, record, contentLocation(record));
    },

    GetLayerVersionByArn(input: GetLayerVersionByArnRequest, ctx: RequestContext): GetLayerVersionResponse {
      const location = parseLayerVersionArn(input.Arn);
      if (!location) throw layerVersionNotFound();
      const record = readable(ctx, location.scope, location.name, location.version);
      return layerVersionView(location.scope, record, contentLocation(record));
    },

    ListLayers(input: ListLayersRequest, ctx: RequestContext): ListLayersResponse {
      const latestMatching = new Map<string, LayerVersionRecord>();
      for (const record of layers(ctx).all()) {
        if (matchesFilters(record, input.CompatibleRuntime, input.CompatibleArchitecture)) latestMatching.set(record.layerName, record);
      }
      const all = [...latestMatching.values()].filter((record) => input.Marker === undefined || record.layerName > input.Marker);
      const limit = input.MaxItems ?? DEFAULT_PAGE;
      const page = all.slice(0, limit);
      const items: LayersListItem[] = page.map((record) => ({
        LayerName: record.layerName,
        LayerArn: layerArn(ctx, record.layerName),
        LatestMatchingVersion: layerVersionListItem(ctx, record),
      }));
      return { Layers: items, NextMarker: all.length > limit ? page.at(-1)?.layerName : undefined };
    },

    ListLayerVersions(input: ListLayerVersionsRequest, ctx: RequestContext): ListLayerVersionsResponse {
      const { scope, name } = parseLayerName(ctx, input.LayerName);
      // Newest first, as Lambda lists them; another account's versions show when shared with the caller.
      const all = (scope.region === ctx.region ? layers(scope).versions(name) : [])
        .reverse()
        .filter((record) => scope.account === ctx.account || policyAllows(record.policy, ctx.account))
        .filter((record) => matchesFilters(record, input.CompatibleRuntime, input.CompatibleArchitecture));
      const start = input.Marker === undefined ? 0 : all.findIndex((record) => String(record.version) === input.Marker) + 1;
      const limit = input.MaxItems ?? DEFAULT_PAGE;
      const page = all.slice(start, start + limit);
      return {
        LayerVersions: page.map((record) => layerVersionListItem(scope, record)),
        NextMarker: start + limit < all.length ? String(page.at(-1)?.version) : undefined,
      };
    },

    DeleteLayerVersion(input: DeleteLayerVersionRequest, ctx: RequestContext): Record<string, never> {
      // Deleting a version that is not there succeeds; functions using a deleted version keep its content.
      const name = owned(ctx, input.LayerName, 'lambda:DeleteLayerVersion');
      checkVersionNumber(input.VersionNumber);
      layers(ctx).delete(name, input.VersionNumber);
      return {};
    },

    AddLayerVersionPermission(input: AddLayerVersionPermissionRequest, ctx: RequestContext): AddLayerVersionPermissionResponse {
      const record = withPolicy(ctx, input.LayerName, input.VersionNumber, 'lambda:AddLayerVersionPermission');
      const statements = record.policy?.statements ?? [];
      if (input.RevisionId !== undefined && input.RevisionId !== record.policy?.revisionId) throw policyRevisionMismatch();
      if (statements.some((statement) => statement.Sid === input.StatementId)) {
        throw userError('ResourceConflictException', `The statement id (${input.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`, 409);
      }
      const statement = layerStatement({
        sid: input.StatementId,
        action: input.Action,
        principal: input.Principal,
        organizationId: input.OrganizationId,
        resource: layerVersionArn(ctx, record.layerName, record.version),
      });
      const policy = { revisionId: newRevisionId(), statements: [...statements, statement] };
      layers(ctx).put({ ...record, policy });
      return { Statement: JSON.stringify(statement), RevisionId: policy.revisionId };
    },

    GetLayerVersionPolicy(input: GetLayerVersionPolicyRequest, ctx: RequestContext): GetLayerVersionPolicyResponse {
      const record = withPolicy(ctx, input.LayerName, input.VersionNumber, 'lambda:GetLayerVersionPolicy');
      if (!record.policy?.statements.length) throw userError('ResourceNotFoundException', 'No policy is associated with the given resource.', 404);
      return { Policy: policyDocument(record.policy), RevisionId: record.policy.revisionId };
    },

    RemoveLayerVersionPermission(input: RemoveLayerVersionPermissionRequest, ctx: RequestContext): Record<string, never> {
      const record = withPolicy(ctx, input.LayerName, input.VersionNumber, 'lambda:RemoveLayerVersionPermission');
      const statements = record.policy?.statements ?? [];
      if (!statements.some((statement) => statement.Sid === input.StatementId)) {
        throw userError('ResourceNotFoundException', `Statement ${input.StatementId} is not found in resource policy.`, 404);
      }
      if (input.RevisionId !== undefined && input.RevisionId !== record.policy?.revisionId) throw policyRevisionMismatch();
      const policy = { revisionId: newRevisionId(), statements: statements.filter((statement) => statement.Sid !== input.StatementId) };
      layers(ctx).put({ ...record, policy });
      return {};
    },
  };
}
