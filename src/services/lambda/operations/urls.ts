/**
 * Function URL configurations for $LATEST or an alias
 * (https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html). Serving the URLs is
 * function-url/serve.ts; who may call them is the resource-based policy (operations/permissions.ts).
 */
import type {
  CreateFunctionUrlConfigRequest,
  CreateFunctionUrlConfigResponse,
  DeleteFunctionUrlConfigRequest,
  GetFunctionUrlConfigRequest,
  GetFunctionUrlConfigResponse,
  InvokeMode,
  LambdaApi,
  ListFunctionUrlConfigsRequest,
  ListFunctionUrlConfigsResponse,
  UpdateFunctionUrlConfigRequest,
  UpdateFunctionUrlConfigResponse,
} from '../../../generated/lambda.js';
import { ServiceError } from '../../../shared/errors.js';
import type { RequestContext } from '../../../shared/request-context.js';
import { notInNimbus, userError } from '../errors.js';
import type { FunctionScope } from '../function-record.js';
import { functionArn, LATEST } from '../function-record.js';
import { parseFunctionReference } from '../function-names.js';
import { registerLambdaService } from '../function-url/services.js';
import type { FunctionUrlRecord } from '../function-url/url-record.js';
import { FunctionUrlStore, urlConfigView } from '../function-url/url-record.js';
import type { LambdaService } from '../lambda-service.js';

const QUALIFIER_PATTERN = '((?!^\\d+$)^[0-9a-zA-Z-_]+$)';

interface UrlKey {
  name: string;
  /** `$LATEST` or an alias. */
  qualifier: string;
}

/**
 * The function and qualifier a URL call names. A qualifier embedded in the function name escapes the
 * model's check on Qualifier, so it is held to the same pattern: an alias, never a version or $LATEST.
 */
function urlKey(scope: FunctionScope, reference: string, qualifier: string | undefined): UrlKey {
  const parsed = parseFunctionReference(scope, reference, qualifier);
  if (parsed.qualifier !== undefined && (parsed.qualifier === LATEST || /^\d+$/.test(parsed.qualifier))) {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value '${parsed.qualifier}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ${QUALIFIER_PATTERN}`,
      400,
    );
  }
  return { name: parsed.name, qualifier: parsed.qualifier ?? LATEST };
}

/** Function URLs stream responses only through InvokeWithResponseStream, which Nimbus does not run. */
function checkInvokeMode(mode: InvokeMode | undefined): void {
  if (mode === 'RESPONSE_STREAM') throw notInNimbus('InvokeMode RESPONSE_STREAM (response streaming through a function URL)');
}

const resourceNotFound = (): ServiceError => userError('ResourceNotFoundException', 'The resource you requested does not exist.', 404);
const functionDoesNotExist = (): ServiceError => userError('ResourceNotFoundException', 'Function does not exist', 404);

export function urlOperations(service: LambdaService): Partial<LambdaApi> {
  registerLambdaService(service);
  const urls = (scope: FunctionScope): FunctionUrlStore => new FunctionUrlStore(service.runtime.store, scope);
  const view = (scope: FunctionScope, record: FunctionUrlRecord): GetFunctionUrlConfigResponse => urlConfigView(scope, record, service.runtime.edge.endpoint);

  /** Whether the function, and the alias when the key names one, exist. */
  const exists = (scope: FunctionScope, key: UrlKey): boolean =>
    service.functions(scope).get(key.name) !== undefined && (key.qualifier === LATEST || service.aliases(scope).get(key.name, key.qualifier) !== undefined);

  return {
    CreateFunctionUrlConfig(input: CreateFunctionUrlConfigRequest, ctx: RequestContext): CreateFunctionUrlConfigResponse {
      const key = urlKey(ctx, input.FunctionName, input.Qualifier);
      checkInvokeMode(input.InvokeMode);
      if (!service.functions(ctx).get(key.name)) throw functionDoesNotExist();
      const store = urls(ctx);
      if (store.get(key.name, key.qualifier)) {
        const arn = functionArn(ctx, key.name, key.qualifier === LATEST ? undefined : key.qualifier);
        throw userError('ResourceConflictException', `Failed to create function url config for [functionArn = ${arn}]. Error message:  FunctionUrlConfig exists for this Lambda function`, 409);
      }
      if (!exists(ctx, key)) throw functionDoesNotExist();
      const now = service.runtime.clock.now();
      const record: FunctionUrlRecord = {
        urlId: store.newUrlId(),
        functionName: key.name,
        qualifier: key.qualifier,
        authType: input.AuthType,
        cors: input.Cors,
        invokeMode: input.InvokeMode ?? 'BUFFERED',
        creationTime: now,
        lastModifiedTime: now,
      };
      store.put(record);
      const { LastModifiedTime: _omitted, ...created } = view(ctx, record);
      return created;
    },

    GetFunctionUrlConfig(input: GetFunctionUrlConfigRequest, ctx: RequestContext): GetFunctionUrlConfigResponse {
      const key = urlKey(ctx, input.FunctionName, input.Qualifier);
      const record = exists(ctx, key) ? urls(ctx).get(key.name, key.qualifier) : undefined;
      if (!record) throw resourceNotFound();
      return view(ctx, record);
    },

    UpdateFunctionUrlConfig(input: UpdateFunctionUrlConfigRequest, ctx: RequestContext): UpdateFunctionUrlConfigResponse {
      const key = urlKey(ctx, input.FunctionName, input.Qualifier);
      checkInvokeMode(input.InvokeMode);
      if (!exists(ctx, key)) throw functionDoesNotExist();
      const store = urls(ctx);
      const current = store.get(key.name, key.qualifier);
      if (!current) throw resourceNotFound();
      const updated: FunctionUrlRecord = {
        ...current,
        authType: input.AuthType ?? current.authType,
        cors: input.Cors ?? current.cors,
        invokeMode: input.InvokeMode ?? current.invokeMode,
        lastModifiedTime: service.runtime.clock.now(),
      };
      store.put(updated);
      return view(ctx, updated);
    },

    DeleteFunctionUrlConfig(input: DeleteFunctionUrlConfigRequest, ctx: RequestContext): Record<string, never> {
      const key = urlKey(ctx, input.FunctionName, input.Qualifier);
      const store = urls(ctx);
      const record = exists(ctx, key) ? store.get(key.name, key.qualifier) : undefined;
      if (!record) throw resourceNotFound();
      // The policy statements that opened the URL stay: AWS leaves removing them to the user.
      store.delete(record);
      return {};
    },

    ListFunctionUrlConfigs(input: ListFunctionUrlConfigsRequest, ctx: RequestContext): ListFunctionUrlConfigsResponse {
      const { name } = parseFunctionReference(ctx, input.FunctionName);
      if (!service.functions(ctx).get(name)) throw functionDoesNotExist();
      const aliases = service.aliases(ctx);
      const all = urls(ctx)
        .list(name)
        .filter((r) => r.qualifier === LATEST || aliases.get(name, r.qualifier) !== undefined);
      const start = input.Marker ? all.findIndex((r) => r.qualifier === input.Marker) + 1 : 0;
      const limit = input.MaxItems ?? 50;
      const page = all.slice(start, start + limit);
      return { FunctionUrlConfigs: page.map((r) => view(ctx, r)), NextMarker: start + limit < all.length ? page.at(-1)?.qualifier : undefined };
    },
  };
}
