/**
 * Asynchronous invocation: Invoke with InvocationType Event (queued, answered 202) and the per-qualifier
 * event invoke configurations (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html,
 * https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html).
 */
import type {
  DeleteFunctionEventInvokeConfigRequest,
  DestinationConfig,
  FunctionEventInvokeConfig,
  GetFunctionEventInvokeConfigRequest,
  InvocationRequest,
  InvocationResponse,
  LambdaApi,
  ListFunctionEventInvokeConfigsRequest,
  ListFunctionEventInvokeConfigsResponse,
  PutFunctionEventInvokeConfigRequest,
  UpdateFunctionEventInvokeConfigRequest,
} from '../../../generated/lambda.js';
import type { RequestContext } from '../../../shared/request-context.js';
import type { ServiceError } from '../../../shared/errors.js';
import { checkDestinationConfig } from '../async/destinations.js';
import { dispatcherFor } from '../async/dispatcher.js';
import type { EventInvokeConfigRecord } from '../async/event-invoke-config.js';
import { EventInvokeConfigStore, eventInvokeConfigView } from '../async/event-invoke-config.js';
import { invalidParameter, userError } from '../errors.js';
import type { FunctionScope } from '../function-record.js';
import { functionArn, LATEST } from '../function-record.js';
import { parseFunctionReference } from '../function-names.js';
import type { LambdaService } from '../lambda-service.js';

/** The largest event an asynchronous Invoke takes (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html). */
const MAX_EVENT_PAYLOAD_BYTES = 1024 * 1024;

const DEFAULT_LIST_ITEMS = 50;

/**
 * Queues an event for the function and answers 202 at once; the event is in the store before the answer
 * leaves. `payload` has been checked to be JSON (or empty).
 */
export function invokeEvent(service: LambdaService, input: InvocationRequest, ctx: RequestContext, payload: Buffer): InvocationResponse {
  if (payload.length > MAX_EVENT_PAYLOAD_BYTES) {
    throw userError('RequestEntityTooLargeException', `${String(payload.length)} byte payload is too large for the Event invocation type (limit ${String(MAX_EVENT_PAYLOAD_BYTES)} bytes)`, 413);
  }
  const reference = parseFunctionReference(ctx, input.FunctionName, input.Qualifier);
  const now = service.runtime.clock.now();
  dispatcherFor(service).enqueue({
    id: ctx.requestId,
    account: ctx.account,
    region: ctx.region,
    functionName: reference.name,
    qualifier: reference.qualifier,
    payload: payload.length ? payload.toString('utf8') : '{}',
    enqueuedAt: now,
    dueAt: now,
    attempts: 0,
    throttles: 0,
  });
  return { StatusCode: 202, Payload: Buffer.alloc(0) };
}

interface ConfigTarget {
  name: string;
  qualifier: string;
}

interface ConfigSettings {
  MaximumRetryAttempts?: number;
  MaximumEventAgeInSeconds?: number;
  DestinationConfig?: DestinationConfig;
}

function requireSetting(input: ConfigSettings): void {
  if (input.MaximumRetryAttempts === undefined && input.MaximumEventAgeInSeconds === undefined && input.DestinationConfig === undefined) {
    throw invalidParameter('You must specify at least one of error handling or destination setting.');
  }
}

function missingConfig(scope: FunctionScope, target: ConfigTarget): ServiceError {
  return userError('ResourceNotFoundException', `The function ${functionArn(scope, target.name, target.qualifier)} doesn't have an EventInvokeConfig`, 404);
}

function functionMissing(): ServiceError {
  return userError('ResourceNotFoundException', "The function doesn't exist.", 404);
}

export function eventInvokeOperations(service: LambdaService): Partial<LambdaApi> {
  // Created with the provider, so that events queued before a restart resume as soon as Lambda loads.
  dispatcherFor(service);

  const configs = (scope: FunctionScope): EventInvokeConfigStore => new EventInvokeConfigStore(service.runtime.store, scope);

  const configTarget = (scope: FunctionScope, functionName: string, qualifier: string | undefined): ConfigTarget => {
    const reference = parseFunctionReference(scope, functionName, qualifier);
    return { name: reference.name, qualifier: reference.qualifier ?? LATEST };
  };

  /** The function and its qualifier ($LATEST, a published version or an alias) must exist to be configured. */
  const requireQualifier = (scope: FunctionScope, target: ConfigTarget): void => {
    const functions = service.functions(scope);
    if (!functions.get(target.name)) throw functionMissing();
    const exists = target.qualifier === LATEST || /^\d+$/.test(target.qualifier) ? functions.get(target.name, target.qualifier) : service.aliases(scope).get(target.name, target.qualifier);
    if (!exists) throw functionMissing();
  };

  const destinations = (scope: FunctionScope, target: ConfigTarget, config: DestinationConfig): ReturnType<typeof checkDestinationConfig> =>
    checkDestinationConfig(scope, target.name, config, (destinationScope, name) => service.functions(destinationScope).get(name) !== undefined);

  return {
    PutFunctionEventInvokeConfig(input: PutFunctionEventInvokeConfigRequest, ctx: RequestContext): FunctionEventInvokeConfig {
      requireSetting(input);
      const target = configTarget(ctx, input.FunctionName, input.Qualifier);
      requireQualifier(ctx, target);
      const { onSuccess, onFailure } = input.DestinationConfig ? destinations(ctx, target, input.DestinationConfig) : {};
      // Put replaces the whole configuration: what the request leaves out goes back to Lambda's default.
      const record: EventInvokeConfigRecord = {
        functionName: target.name,
        qualifier: target.qualifier,
        maximumRetryAttempts: input.MaximumRetryAttempts,
        maximumEventAgeInSeconds: input.MaximumEventAgeInSeconds,
        onSuccess,
        onFailure,
        lastModified: service.runtime.clock.now(),
      };
      configs(ctx).put(record);
      return eventInvokeConfigView(ctx, record);
    },

    UpdateFunctionEventInvokeConfig(input: UpdateFunctionEventInvokeConfigRequest, ctx: RequestContext): FunctionEventInvokeConfig {
      requireSetting(input);
      const target = configTarget(ctx, input.FunctionName, input.Qualifier);
      requireQualifier(ctx, target);
      const current = configs(ctx).get(target.name, target.qualifier);
      if (!current) throw missingConfig(ctx, target);
      const checked = input.DestinationConfig ? destinations(ctx, target, input.DestinationConfig) : {};
      // Update keeps every setting the request leaves out, each destination included.
      const record: EventInvokeConfigRecord = {
        ...current,
        maximumRetryAttempts: input.MaximumRetryAttempts ?? current.maximumRetryAttempts,
        maximumEventAgeInSeconds: input.MaximumEventAgeInSeconds ?? current.maximumEventAgeInSeconds,
        onSuccess: input.DestinationConfig?.OnSuccess ? checked.onSuccess : current.onSuccess,
        onFailure: input.DestinationConfig?.OnFailure ? checked.onFailure : current.onFailure,
        lastModified: service.runtime.clock.now(),
      };
      configs(ctx).put(record);
      return eventInvokeConfigView(ctx, record);
    },

    GetFunctionEventInvokeConfig(input: GetFunctionEventInvokeConfigRequest, ctx: RequestContext): FunctionEventInvokeConfig {
      const target = configTarget(ctx, input.FunctionName, input.Qualifier);
      const record = configs(ctx).get(target.name, target.qualifier);
      if (!record) throw missingConfig(ctx, target);
      return eventInvokeConfigView(ctx, record);
    },

    DeleteFunctionEventInvokeConfig(input: DeleteFunctionEventInvokeConfigRequest, ctx: RequestContext): Record<string, never> {
      const target = configTarget(ctx, input.FunctionName, input.Qualifier);
      if (!configs(ctx).delete(target.name, target.qualifier)) throw missingConfig(ctx, target);
      return {};
    },

    ListFunctionEventInvokeConfigs(input: ListFunctionEventInvokeConfigsRequest, ctx: RequestContext): ListFunctionEventInvokeConfigsResponse {
      const { name } = parseFunctionReference(ctx, input.FunctionName);
      if (!service.functions(ctx).get(name)) throw functionMissing();
      const limit = input.MaxItems ?? DEFAULT_LIST_ITEMS;
      const page = configs(ctx).list(name, input.Marker, limit + 1);
      const shown = page.slice(0, limit);
      return {
        FunctionEventInvokeConfigs: shown.map((record) => eventInvokeConfigView(ctx, record)),
        NextMarker: page.length > limit ? shown.at(-1)?.qualifier : undefined,
      };
    },
  };
}
