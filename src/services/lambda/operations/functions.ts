/**
 * The function control plane: create, read, list, update and delete functions; publish and list versions;
 * reserved concurrency; tags.
 */
import type {
  Concurrency,
  CreateFunctionRequest,
  DeleteFunctionConcurrencyRequest,
  DeleteFunctionRequest,
  FunctionCode,
  FunctionConfiguration,
  GetFunctionConcurrencyRequest,
  GetFunctionConcurrencyResponse,
  GetFunctionConfigurationRequest,
  GetFunctionRequest,
  GetFunctionResponse,
  LambdaApi,
  ListFunctionsRequest,
  ListFunctionsResponse,
  ListTagsRequest,
  ListTagsResponse,
  ListVersionsByFunctionRequest,
  ListVersionsByFunctionResponse,
  PublishVersionRequest,
  PutFunctionConcurrencyRequest,
  TagResourceRequest,
  UntagResourceRequest,
  UpdateFunctionCodeRequest,
  UpdateFunctionConfigurationRequest,
} from '../../../generated/lambda.js';
import type { RequestContext } from '../../../shared/request-context.js';
import { functionNotFound, invalidParameter, revisionMismatch, userError } from '../errors.js';
import type { FunctionRecord, FunctionStore } from '../function-record.js';
import { configurationView, LATEST, newRevisionId } from '../function-record.js';
import { parseFunctionReference } from '../function-names.js';
import type { LambdaService } from '../lambda-service.js';
import { FunctionInvoker } from '../invoker.js';
import { checkCombinedSize, resolveFunctionLayers } from '../layer-record.js';
import { LocalCode } from '../local-code.js';
import { claimedConcurrency, MIN_UNRESERVED_CONCURRENCY, ProvisionedConcurrencyStore, unreservedConcurrency } from '../provisioned-concurrency-record.js';
import { checkEnvironment, checkLimits, checkRuntime } from '../validation.js';


/** The view a freshly created or updated function reports while Lambda finishes the change. */
function pendingView(view: FunctionConfiguration, kind: 'create' | 'update'): FunctionConfiguration {
  return kind === 'create'
    ? { ...view, State: 'Pending', StateReason: 'The function is being created.', StateReasonCode: 'Creating' }
    : { ...view, LastUpdateStatus: 'InProgress', LastUpdateStatusReason: 'The function is being updated.' };
}

export function functionOperations(service: LambdaService): Partial<LambdaApi> {
  return {
    async CreateFunction(input: CreateFunctionRequest, ctx: RequestContext): Promise<FunctionConfiguration> {
      if (input.PackageType === 'Image' || input.Code.ImageUri) throw invalidParameter('Container image functions (PackageType Image) are not supported by Nimbus: use a zip package.');
      checkRuntime(input.Runtime);
      if (!input.Handler) throw invalidParameter('Runtime and Handler are mandatory parameters for functions created with deployment packages.');
      checkLimits(input.MemorySize, input.Timeout);
      const variables = input.Environment?.Variables ?? {};
      checkEnvironment(variables);
      if (!input.Code.ZipFile && !LocalCode.isLocal(input.Code.S3Bucket)) {
        throw invalidParameter(input.Code.S3Bucket ? 'Code from S3 (S3Bucket/S3Key) is not available in Nimbus until its S3 service is: upload the zip with ZipFile.' : 'Please provide a source for function code.');
      }
      const functions = service.functions(ctx);
      if (functions.get(input.FunctionName)) {
        throw userError('ResourceConflictException', `Function already exist: ${input.FunctionName}`, 409);
      }
      parseFunctionReference(ctx, input.FunctionName);
      const layers = resolveFunctionLayers(service.runtime.store, ctx, input.Layers ?? []);
      const stored = await receiveCode(service, ctx, input.Code);
      checkCombinedSize(service.code.unzippedSize(stored.sha256), layers);
      const record: FunctionRecord = {
        name: input.FunctionName,
        version: LATEST,
        runtime: input.Runtime!,
        handler: input.Handler,
        role: input.Role,
        description: input.Description ?? '',
        timeout: input.Timeout ?? 3,
        memorySize: input.MemorySize ?? 128,
        ephemeralStorage: input.EphemeralStorage?.Size ?? 512,
        environment: variables,
        architectures: input.Architectures ?? ['x86_64'],
        layers,
        deadLetterTargetArn: input.DeadLetterConfig?.TargetArn,
        tracingMode: input.TracingConfig?.Mode ?? 'PassThrough',
        kmsKeyArn: input.KMSKeyArn,
        codeSha256: stored.sha256,
        codeSize: stored.size,
        lastModified: service.runtime.clock.now(),
        revisionId: newRevisionId(),
        tags: input.Tags ?? {},
        logFormat: input.LoggingConfig?.LogFormat ?? 'Text',
        logGroup: input.LoggingConfig?.LogGroup,
      };
      service.runtime.store.transaction(() => {
        functions.put(record);
        if (input.Publish) functions.put({ ...record, version: '1', revisionId: newRevisionId() });
      });
      const view = configurationView(ctx, input.Publish ? { ...record, version: '1' } : record);
      return pendingView(view, 'create');
    },

    GetFunction(input: GetFunctionRequest, ctx: RequestContext): GetFunctionResponse {
      const record = service.resolve(ctx, input.FunctionName, input.Qualifier).record;
      const head = service.functions(ctx).get(record.name)!;
      const concurrency: Concurrency | undefined = head.reservedConcurrency === undefined ? undefined : { ReservedConcurrentExecutions: head.reservedConcurrency };
      return {
        Configuration: configurationView(ctx, record),
        Code: { RepositoryType: 'S3', Location: `${service.runtime.edge.endpoint}/_nimbus/lambda/code/${encodeURIComponent(record.codeSha256)}` },
        Tags: Object.keys(head.tags).length ? head.tags : undefined,
        Concurrency: concurrency,
      };
    },

    GetFunctionConfiguration(input: GetFunctionConfigurationRequest, ctx: RequestContext): FunctionConfiguration {
      return configurationView(ctx, service.resolve(ctx, input.FunctionName, input.Qualifier).record);
    },

    ListFunctions(input: ListFunctionsRequest, ctx: RequestContext): ListFunctionsResponse {
      const limit = input.MaxItems ?? 50;
      const functions = service.functions(ctx);
      const page = functions.latest(input.Marker, limit + 1);
      const more = page.length > limit;
      const shown = page.slice(0, limit);
      const configurations = input.FunctionVersion === 'ALL' ? shown.flatMap((record) => functions.versions(record.name)) : shown;
      return {
        Functions: configurations.map((record) => configurationView(ctx, record)),
        NextMarker: more ? shown.at(-1)?.name : undefined,
      };
    },

    DeleteFunction(input: DeleteFunctionRequest, ctx: RequestContext): Record<string, never> {
      const parsed = parseFunctionReference(ctx, input.FunctionName, input.Qualifier);
      const functions = service.functions(ctx);
      if (!functions.get(parsed.name)) throw functionNotFound(ctx, parsed.name);
      if (parsed.qualifier === LATEST) throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
      const provisioned = new ProvisionedConcurrencyStore(service.runtime.store);
      if (parsed.qualifier !== undefined) {
        const version = parsed.qualifier;
        const deleted = service.runtime.store.transaction(() => {
          provisioned.delete({ ...ctx, functionName: parsed.name, qualifier: version });
          service.forgetAttachments(ctx, parsed.name, version);
          return functions.deleteVersion(parsed.name, version);
        });
        if (!deleted) throw functionNotFound(ctx, parsed.name, version);
        // Only that version's environments go: the others' (provisioned ones included) keep serving.
        service.pool.retire(`${FunctionInvoker.functionPrefix(ctx, parsed.name)}${version}/`);
      } else {
        service.runtime.store.transaction(() => {
          functions.deleteAll(parsed.name);
          service.aliases(ctx).deleteAll(parsed.name);
          provisioned.deleteFunction(ctx, parsed.name);
          service.forgetAttachments(ctx, parsed.name);
        });
        service.retire(ctx, parsed.name);
      }
      return {};
    },

    async UpdateFunctionCode(input: UpdateFunctionCodeRequest, ctx: RequestContext): Promise<FunctionConfiguration> {
      const current = service.latest(ctx, input.FunctionName);
      if (input.RevisionId !== undefined && input.RevisionId !== current.revisionId) {
        throw revisionMismatch();
      }
      if (input.ImageUri) throw invalidParameter('Container image functions (PackageType Image) are not supported by Nimbus: use a zip package.');
      if (!input.ZipFile && !LocalCode.isLocal(input.S3Bucket)) throw invalidParameter(input.S3Bucket ? 'Code from S3 (S3Bucket/S3Key) is not available in Nimbus until its S3 service is: upload the zip with ZipFile.' : 'Please provide a source for function code.');
      const stored = await receiveCode(service, ctx, input);
      checkCombinedSize(service.code.unzippedSize(stored.sha256), current.layers);
      const updated: FunctionRecord = { ...current, codeSha256: stored.sha256, codeSize: stored.size, lastModified: service.runtime.clock.now(), revisionId: newRevisionId() };
      if (input.DryRun) return configurationView(ctx, updated);
      const functions = service.functions(ctx);
      const published = input.Publish ? nextVersion(functions, updated) : undefined;
      service.runtime.store.transaction(() => {
        functions.put(updated);
        if (published) functions.put(published);
      });
      // Published versions never change: only the replaced $LATEST's environments go.
      service.pool.retire(FunctionInvoker.poolKey(ctx, current));
      return pendingView(configurationView(ctx, published ?? updated), 'update');
    },

    UpdateFunctionConfiguration(input: UpdateFunctionConfigurationRequest, ctx: RequestContext): FunctionConfiguration {
      const current = service.latest(ctx, input.FunctionName);
      if (input.RevisionId !== undefined && input.RevisionId !== current.revisionId) {
        throw revisionMismatch();
      }
      if (input.Runtime !== undefined) checkRuntime(input.Runtime);
      checkLimits(input.MemorySize, input.Timeout);
      if (input.Environment?.Variables) checkEnvironment(input.Environment.Variables);
      const layers = input.Layers ? resolveFunctionLayers(service.runtime.store, ctx, input.Layers) : current.layers;
      if (input.Layers) checkCombinedSize(service.code.unzippedSize(current.codeSha256), layers);
      const updated: FunctionRecord = {
        ...current,
        runtime: input.Runtime ?? current.runtime,
        handler: input.Handler ?? current.handler,
        role: input.Role ?? current.role,
        description: input.Description ?? current.description,
        timeout: input.Timeout ?? current.timeout,
        memorySize: input.MemorySize ?? current.memorySize,
        ephemeralStorage: input.EphemeralStorage?.Size ?? current.ephemeralStorage,
        environment: input.Environment ? (input.Environment.Variables ?? {}) : current.environment,
        deadLetterTargetArn: input.DeadLetterConfig ? input.DeadLetterConfig.TargetArn : current.deadLetterTargetArn,
        tracingMode: input.TracingConfig?.Mode ?? current.tracingMode,
        kmsKeyArn: input.KMSKeyArn ?? current.kmsKeyArn,
        logFormat: input.LoggingConfig?.LogFormat ?? current.logFormat,
        logGroup: input.LoggingConfig?.LogGroup ?? current.logGroup,
        layers,
        lastModified: service.runtime.clock.now(),
        revisionId: newRevisionId(),
      };
      service.functions(ctx).put(updated);
      service.pool.retire(FunctionInvoker.poolKey(ctx, current));
      return pendingView(configurationView(ctx, updated), 'update');
    },

    PublishVersion(input: PublishVersionRequest, ctx: RequestContext): FunctionConfiguration {
      const current = service.latest(ctx, input.FunctionName);
      if (input.CodeSha256 !== undefined && input.CodeSha256 !== current.codeSha256) {
        throw invalidParameter(`CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST (${current.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`);
      }
      if (input.RevisionId !== undefined && input.RevisionId !== current.revisionId) {
        throw revisionMismatch();
      }
      const functions = service.functions(ctx);
      const previous = functions.versions(current.name).filter((r) => r.version !== LATEST).at(-1);
      // Lambda publishes nothing new when neither code nor configuration changed since the last version.
      if (previous && previous.codeSha256 === current.codeSha256 && sameConfiguration(previous, current) && input.Description === undefined) {
        return configurationView(ctx, previous);
      }
      const published = nextVersion(functions, { ...current, description: input.Description ?? current.description });
      functions.put(published);
      return configurationView(ctx, published);
    },

    ListVersionsByFunction(input: ListVersionsByFunctionRequest, ctx: RequestContext): ListVersionsByFunctionResponse {
      const head = service.latest(ctx, input.FunctionName);
      const all = service.functions(ctx).versions(head.name);
      const start = input.Marker ? all.findIndex((r) => r.version === input.Marker) + 1 : 0;
      const limit = input.MaxItems ?? 50;
      const page = all.slice(start, start + limit);
      return {
        Versions: page.map((record) => configurationView(ctx, record)),
        NextMarker: start + limit < all.length ? page.at(-1)?.version : undefined,
      };
    },

    PutFunctionConcurrency(input: PutFunctionConcurrencyRequest, ctx: RequestContext): Concurrency {
      const head = service.latest(ctx, input.FunctionName);
      const provisioned = new ProvisionedConcurrencyStore(service.runtime.store);
      const provisionedTotal = provisioned.forFunction(ctx, head.name).reduce((sum, config) => sum + config.requested, 0);
      // A function's provisioned concurrency comes out of its reservation (the leading space is Lambda's).
      if (input.ReservedConcurrentExecutions < provisionedTotal) {
        throw invalidParameter(` ReservedConcurrentExecutions  ${String(input.ReservedConcurrentExecutions)} should not be lower than function's total provisioned concurrency [${String(provisionedTotal)}].`);
      }
      const unreservedElsewhere = unreservedConcurrency(claimedConcurrency(service.functions(ctx), provisioned, ctx), head.name);
      if (unreservedElsewhere - input.ReservedConcurrentExecutions < MIN_UNRESERVED_CONCURRENCY) {
        throw invalidParameter(`Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${String(MIN_UNRESERVED_CONCURRENCY)}].`);
      }
      service.functions(ctx).put({ ...head, reservedConcurrency: input.ReservedConcurrentExecutions });
      return { ReservedConcurrentExecutions: input.ReservedConcurrentExecutions };
    },

    GetFunctionConcurrency(input: GetFunctionConcurrencyRequest, ctx: RequestContext): GetFunctionConcurrencyResponse {
      return { ReservedConcurrentExecutions: service.latest(ctx, input.FunctionName).reservedConcurrency };
    },

    DeleteFunctionConcurrency(input: DeleteFunctionConcurrencyRequest, ctx: RequestContext): Record<string, never> {
      const head = service.latest(ctx, input.FunctionName);
      service.functions(ctx).put({ ...head, reservedConcurrency: undefined });
      return {};
    },

    TagResource(input: TagResourceRequest, ctx: RequestContext): Record<string, never> {
      const head = service.latest(ctx, input.Resource);
      service.functions(ctx).put({ ...head, tags: { ...head.tags, ...input.Tags } });
      return {};
    },

    UntagResource(input: UntagResourceRequest, ctx: RequestContext): Record<string, never> {
      const head = service.latest(ctx, input.Resource);
      const tags = Object.fromEntries(Object.entries(head.tags).filter(([key]) => !input.TagKeys.includes(key)));
      service.functions(ctx).put({ ...head, tags });
      return {};
    },

    ListTags(input: ListTagsRequest, ctx: RequestContext): ListTagsResponse {
      return { Tags: service.latest(ctx, input.Resource).tags };
    },

  };
}

/** Stores a function's code: an uploaded zip, or a local directory used in place (a Nimbus extension, see local-code.ts). */
async function receiveCode(service: LambdaService, ctx: RequestContext, code: Pick<FunctionCode, 'ZipFile' | 'S3Bucket' | 'S3Key'>): Promise<{ sha256: string; size: number }> {
  if (LocalCode.isLocal(code.S3Bucket)) return service.invoker.localCode.register(ctx, code.S3Key);
  return service.code.put(Buffer.from(code.ZipFile ?? []));
}

function sameConfiguration(a: FunctionRecord, b: FunctionRecord): boolean {
  const config = (r: FunctionRecord): string =>
    JSON.stringify([r.runtime, r.handler, r.role, r.description, r.timeout, r.memorySize, r.ephemeralStorage, r.environment, r.layers, r.deadLetterTargetArn, r.tracingMode, r.logFormat, r.logGroup]);
  return config(a) === config(b);
}

function nextVersion(functions: FunctionStore, latestRecord: FunctionRecord): FunctionRecord {
  const published = functions.versions(latestRecord.name).filter((r) => r.version !== LATEST);
  const next = published.length ? Number(published.at(-1)!.version) + 1 : 1;
  return { ...latestRecord, version: String(next), revisionId: newRevisionId(), reservedConcurrency: undefined };
}
