/**
 * AWS Lambda: functions that really run, in warm execution environments behind the Lambda Runtime API.
 *
 * Known limitations (this session's part of the Lambda issue): code comes as a zip upload only (S3 code
 * locations come with S3, container images are not supported); aliases, layers, event invoke configs,
 * provisioned concurrency, permissions, function URLs and asynchronous (`Event`) invocation are not
 * implemented yet and answer NotImplemented; `State` is Active as soon as CreateFunction returns.
 */
import type {
  Concurrency,
  CreateFunctionRequest,
  DeleteFunctionConcurrencyRequest,
  DeleteFunctionRequest,
  FunctionConfiguration,
  GetFunctionConcurrencyRequest,
  GetFunctionConcurrencyResponse,
  GetFunctionConfigurationRequest,
  GetFunctionRequest,
  GetFunctionResponse,
  InvocationRequest,
  InvocationResponse,
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
} from '../../generated/lambda.js';
import { ServiceError } from '../../shared/errors.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ServiceRuntime } from '../service.js';
import { CodeStore } from './code.js';
import type { FunctionRecord, FunctionScope } from './function-record.js';
import { configurationView, FunctionStore, functionArn, LATEST, newRevisionId } from './function-record.js';
import { FunctionLogWriter, logTail } from './function-logs.js';
import { parseFunctionReference } from './function-names.js';
import { FunctionInvoker } from './invoker.js';
import { MAX_RESPONSE_BYTES } from './runtime/runtime-api.js';
import { EnvironmentPool, ThrottledError } from './runtime/pool.js';
import { checkEnvironment, checkLimits, checkRuntime } from './validation.js';

/** Lambda's default concurrency quota per account and region. */
const ACCOUNT_CONCURRENCY = 1000;
/** Lambda keeps at least this much of the account's concurrency unreserved. */
const MIN_UNRESERVED_CONCURRENCY = 100;
const IDLE_ENVIRONMENT_MS = 5 * 60_000;

function notFound(scope: FunctionScope, name: string, qualifier?: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', `Function not found: ${functionArn(scope, name, qualifier)}`, 404, { Type: 'User' });
}

function invalid(message: string): ServiceError {
  return new ServiceError('InvalidParameterValueException', message, 400, { Type: 'User' });
}

/** Only the view fields a freshly created or updated function reports while Lambda finishes the change. */
function pendingView(view: FunctionConfiguration, kind: 'create' | 'update'): FunctionConfiguration {
  return kind === 'create'
    ? { ...view, State: 'Pending', StateReason: 'The function is being created.', StateReasonCode: 'Creating' }
    : { ...view, LastUpdateStatus: 'InProgress', LastUpdateStatusReason: 'The function is being updated.' };
}

export function createLambdaProvider(runtime: ServiceRuntime): Partial<LambdaApi> {
  const code = new CodeStore(runtime.filesDir);
  const pool = new EnvironmentPool({ accountConcurrency: ACCOUNT_CONCURRENCY, idleMs: IDLE_ENVIRONMENT_MS });
  const logs = new FunctionLogWriter(runtime.client);
  const invoker = new FunctionInvoker(runtime, pool, code, logs);
  runtime.lifecycle.onStop(() => {
    pool.close();
  });
  runtime.lifecycle.onReset(() => {
    pool.retire('');
    logs.forget();
  });

  const store = (ctx: FunctionScope): FunctionStore => new FunctionStore(runtime.store, ctx);

  const latest = (ctx: FunctionScope, reference: string): FunctionRecord => {
    const { name } = parseFunctionReference(ctx, reference);
    const record = store(ctx).get(name);
    if (!record) throw notFound(ctx, name);
    return record;
  };

  /** A function at a qualifier: $LATEST (default) or a published version. */
  const resolve = (ctx: FunctionScope, reference: string, qualifier: string | undefined): FunctionRecord => {
    const parsed = parseFunctionReference(ctx, reference, qualifier);
    const version = parsed.qualifier ?? LATEST;
    const record = store(ctx).get(parsed.name, version);
    if (!record) {
      if (version !== LATEST && !/^\d+$/.test(version)) {
        throw new ServiceError('NotImplemented', `lambda aliases (qualifier '${version}') are not implemented in Nimbus yet`, 501);
      }
      throw notFound(ctx, parsed.name, parsed.qualifier);
    }
    return record;
  };

  const retire = (ctx: FunctionScope, name: string): void => {
    pool.retire(FunctionInvoker.functionPrefix(ctx, name));
  };

  return {
    async CreateFunction(input: CreateFunctionRequest, ctx: RequestContext): Promise<FunctionConfiguration> {
      if (input.PackageType === 'Image' || input.Code.ImageUri) throw invalid('Container image functions (PackageType Image) are not supported by Nimbus: use a zip package.');
      checkRuntime(input.Runtime);
      if (!input.Handler) throw invalid('Runtime and Handler are mandatory parameters for functions created with deployment packages.');
      checkLimits(input.MemorySize, input.Timeout);
      const variables = input.Environment?.Variables ?? {};
      checkEnvironment(variables);
      if (!input.Code.ZipFile) {
        throw invalid(input.Code.S3Bucket ? 'Code from S3 (S3Bucket/S3Key) is not available in Nimbus until its S3 service is: upload the zip with ZipFile.' : 'Please provide a source for function code.');
      }
      const functions = store(ctx);
      if (functions.get(input.FunctionName)) {
        throw new ServiceError('ResourceConflictException', `Function already exist: ${input.FunctionName}`, 409, { Type: 'User' });
      }
      parseFunctionReference(ctx, input.FunctionName);
      const stored = await code.put(Buffer.from(input.Code.ZipFile));
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
        layers: input.Layers ?? [],
        deadLetterTargetArn: input.DeadLetterConfig?.TargetArn,
        tracingMode: input.TracingConfig?.Mode ?? 'PassThrough',
        kmsKeyArn: input.KMSKeyArn,
        codeSha256: stored.sha256,
        codeSize: stored.size,
        lastModified: runtime.clock.now(),
        revisionId: newRevisionId(),
        tags: input.Tags ?? {},
        logFormat: input.LoggingConfig?.LogFormat ?? 'Text',
        logGroup: input.LoggingConfig?.LogGroup,
      };
      if (record.layers.length) throw new ServiceError('NotImplemented', 'lambda layers are not implemented in Nimbus yet', 501);
      runtime.store.transaction(() => {
        functions.put(record);
        if (input.Publish) functions.put({ ...record, version: '1', revisionId: newRevisionId() });
      });
      const view = configurationView(ctx, input.Publish ? { ...record, version: '1' } : record);
      return pendingView(view, 'create');
    },

    GetFunction(input: GetFunctionRequest, ctx: RequestContext): GetFunctionResponse {
      const record = resolve(ctx, input.FunctionName, input.Qualifier);
      const head = store(ctx).get(record.name)!;
      const concurrency: Concurrency | undefined = head.reservedConcurrency === undefined ? undefined : { ReservedConcurrentExecutions: head.reservedConcurrency };
      return {
        Configuration: configurationView(ctx, record),
        Code: { RepositoryType: 'S3', Location: `${runtime.edge.endpoint}/_nimbus/lambda/code/${encodeURIComponent(record.codeSha256)}` },
        Tags: Object.keys(head.tags).length ? head.tags : undefined,
        Concurrency: concurrency,
      };
    },

    GetFunctionConfiguration(input: GetFunctionConfigurationRequest, ctx: RequestContext): FunctionConfiguration {
      return configurationView(ctx, resolve(ctx, input.FunctionName, input.Qualifier));
    },

    ListFunctions(input: ListFunctionsRequest, ctx: RequestContext): ListFunctionsResponse {
      const limit = input.MaxItems ?? 50;
      const functions = store(ctx);
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
      const functions = store(ctx);
      if (!functions.get(parsed.name)) throw notFound(ctx, parsed.name);
      if (parsed.qualifier === LATEST) throw invalid('$LATEST version cannot be deleted without deleting the function.');
      if (parsed.qualifier !== undefined) {
        if (!functions.deleteVersion(parsed.name, parsed.qualifier)) throw notFound(ctx, parsed.name, parsed.qualifier);
      } else {
        functions.deleteAll(parsed.name);
      }
      retire(ctx, parsed.name);
      return {};
    },

    async UpdateFunctionCode(input: UpdateFunctionCodeRequest, ctx: RequestContext): Promise<FunctionConfiguration> {
      const current = latest(ctx, input.FunctionName);
      if (input.RevisionId !== undefined && input.RevisionId !== current.revisionId) {
        throw new ServiceError('PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id', 412, { Type: 'User' });
      }
      if (input.ImageUri) throw invalid('Container image functions (PackageType Image) are not supported by Nimbus: use a zip package.');
      if (!input.ZipFile) throw invalid(input.S3Bucket ? 'Code from S3 (S3Bucket/S3Key) is not available in Nimbus until its S3 service is: upload the zip with ZipFile.' : 'Please provide a source for function code.');
      const stored = await code.put(Buffer.from(input.ZipFile));
      const updated: FunctionRecord = { ...current, codeSha256: stored.sha256, codeSize: stored.size, lastModified: runtime.clock.now(), revisionId: newRevisionId() };
      if (input.DryRun) return configurationView(ctx, updated);
      const functions = store(ctx);
      const published = input.Publish ? nextVersion(functions, updated) : undefined;
      runtime.store.transaction(() => {
        functions.put(updated);
        if (published) functions.put(published);
      });
      retire(ctx, current.name);
      return pendingView(configurationView(ctx, published ?? updated), 'update');
    },

    UpdateFunctionConfiguration(input: UpdateFunctionConfigurationRequest, ctx: RequestContext): FunctionConfiguration {
      const current = latest(ctx, input.FunctionName);
      if (input.RevisionId !== undefined && input.RevisionId !== current.revisionId) {
        throw new ServiceError('PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id', 412, { Type: 'User' });
      }
      if (input.Runtime !== undefined) checkRuntime(input.Runtime);
      checkLimits(input.MemorySize, input.Timeout);
      if (input.Environment?.Variables) checkEnvironment(input.Environment.Variables);
      if (input.Layers?.length) throw new ServiceError('NotImplemented', 'lambda layers are not implemented in Nimbus yet', 501);
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
        lastModified: runtime.clock.now(),
        revisionId: newRevisionId(),
      };
      store(ctx).put(updated);
      retire(ctx, current.name);
      return pendingView(configurationView(ctx, updated), 'update');
    },

    PublishVersion(input: PublishVersionRequest, ctx: RequestContext): FunctionConfiguration {
      const current = latest(ctx, input.FunctionName);
      if (input.CodeSha256 !== undefined && input.CodeSha256 !== current.codeSha256) {
        throw invalid(`CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST (${current.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`);
      }
      if (input.RevisionId !== undefined && input.RevisionId !== current.revisionId) {
        throw new ServiceError('PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id', 412, { Type: 'User' });
      }
      const functions = store(ctx);
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
      const head = latest(ctx, input.FunctionName);
      const all = store(ctx).versions(head.name);
      const start = input.Marker ? all.findIndex((r) => r.version === input.Marker) + 1 : 0;
      const limit = input.MaxItems ?? 50;
      const page = all.slice(start, start + limit);
      return {
        Versions: page.map((record) => configurationView(ctx, record)),
        NextMarker: start + limit < all.length ? page.at(-1)?.version : undefined,
      };
    },

    PutFunctionConcurrency(input: PutFunctionConcurrencyRequest, ctx: RequestContext): Concurrency {
      const head = latest(ctx, input.FunctionName);
      const reservedElsewhere = store(ctx)
        .latest()
        .filter((r) => r.name !== head.name)
        .reduce((sum, r) => sum + (r.reservedConcurrency ?? 0), 0);
      if (ACCOUNT_CONCURRENCY - reservedElsewhere - input.ReservedConcurrentExecutions < MIN_UNRESERVED_CONCURRENCY) {
        throw invalid(`Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${String(MIN_UNRESERVED_CONCURRENCY)}].`);
      }
      store(ctx).put({ ...head, reservedConcurrency: input.ReservedConcurrentExecutions });
      return { ReservedConcurrentExecutions: input.ReservedConcurrentExecutions };
    },

    GetFunctionConcurrency(input: GetFunctionConcurrencyRequest, ctx: RequestContext): GetFunctionConcurrencyResponse {
      return { ReservedConcurrentExecutions: latest(ctx, input.FunctionName).reservedConcurrency };
    },

    DeleteFunctionConcurrency(input: DeleteFunctionConcurrencyRequest, ctx: RequestContext): Record<string, never> {
      const head = latest(ctx, input.FunctionName);
      store(ctx).put({ ...head, reservedConcurrency: undefined });
      return {};
    },

    TagResource(input: TagResourceRequest, ctx: RequestContext): Record<string, never> {
      const head = latest(ctx, input.Resource);
      store(ctx).put({ ...head, tags: { ...head.tags, ...input.Tags } });
      return {};
    },

    UntagResource(input: UntagResourceRequest, ctx: RequestContext): Record<string, never> {
      const head = latest(ctx, input.Resource);
      const tags = Object.fromEntries(Object.entries(head.tags).filter(([key]) => !input.TagKeys.includes(key)));
      store(ctx).put({ ...head, tags });
      return {};
    },

    ListTags(input: ListTagsRequest, ctx: RequestContext): ListTagsResponse {
      return { Tags: latest(ctx, input.Resource).tags };
    },

    async Invoke(input: InvocationRequest, ctx: RequestContext): Promise<InvocationResponse> {
      const record = resolve(ctx, input.FunctionName, input.Qualifier);
      const payload = Buffer.from(input.Payload ?? Buffer.alloc(0));
      const type = input.InvocationType ?? 'RequestResponse';
      if (type === 'Event') throw new ServiceError('NotImplemented', 'lambda.Invoke with InvocationType Event is not implemented in Nimbus yet', 501);
      if (payload.length > MAX_RESPONSE_BYTES) {
        throw new ServiceError('RequestTooLargeException', `Request must be smaller than ${String(MAX_RESPONSE_BYTES)} bytes for the InvokeFunction operation`, 413, { Type: 'User' });
      }
      if (payload.length > 0) {
        try {
          JSON.parse(payload.toString('utf8'));
        } catch (error) {
          throw new ServiceError('InvalidRequestContentException', `Could not parse request body into json: ${error instanceof Error ? error.message : String(error)}`, 400, { Type: 'User' });
        }
      }
      if (type === 'DryRun') return { StatusCode: 204 };
      const head = store(ctx).get(record.name);
      try {
        const result = await invoker.invoke(ctx, record, head?.reservedConcurrency, {
          payload: payload.length ? payload : Buffer.from('{}'),
          invokedArn: functionArn(ctx, record.name, input.Qualifier ?? parseFunctionReference(ctx, input.FunctionName).qualifier),
          clientContext: input.ClientContext ? Buffer.from(input.ClientContext, 'base64').toString('utf8') : undefined,
        });
        return {
          StatusCode: 200,
          Payload: result.payload,
          FunctionError: result.functionError,
          LogResult: input.LogType === 'Tail' ? logTail(result.logLines) : undefined,
          ExecutedVersion: record.version,
        };
      } catch (error) {
        if (error instanceof ThrottledError) {
          throw new ServiceError('TooManyRequestsException', 'Rate Exceeded.', 429, { Type: 'User', Reason: error.reason });
        }
        throw error;
      }
    },
  };
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
