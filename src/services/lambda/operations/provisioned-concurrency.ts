/**
 * Provisioned concurrency on a published version or an alias: environments initialised ahead of traffic,
 * whose invocations are warm starts (https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html,
 * https://docs.aws.amazon.com/lambda/latest/api/API_PutProvisionedConcurrencyConfig.html).
 */
import type {
  DeleteProvisionedConcurrencyConfigRequest,
  GetProvisionedConcurrencyConfigRequest,
  GetProvisionedConcurrencyConfigResponse,
  LambdaApi,
  ListProvisionedConcurrencyConfigsRequest,
  ListProvisionedConcurrencyConfigsResponse,
  PutProvisionedConcurrencyConfigRequest,
  PutProvisionedConcurrencyConfigResponse,
} from '../../../generated/lambda.js';
import type { RequestContext } from '../../../shared/request-context.js';
import { functionNotFound, invalidParameter, userError } from '../errors.js';
import type { FunctionScope } from '../function-record.js';
import { functionArn, lambdaTimestamp, LATEST } from '../function-record.js';
import { parseFunctionReference } from '../function-names.js';
import type { LambdaService } from '../lambda-service.js';
import type { ProvisionedConcurrencyRecord } from '../provisioned-concurrency-record.js';
import { claimedConcurrency, MIN_UNRESERVED_CONCURRENCY, unreservedConcurrency } from '../provisioned-concurrency-record.js';
import type { ProvisionedEnvironments } from '../provisioned-environments.js';

const DEFAULT_PAGE = 50;

interface Target {
  functionName: string;
  qualifier: string;
  /** For an alias: the version it points to. */
  aliasVersion?: string;
}

export function provisionedConcurrencyOperations(service: LambdaService, environments: ProvisionedEnvironments): Partial<LambdaApi> {
  const configs = environments.configs;

  /** The version or alias a request names; Lambda refuses $LATEST, in words that depend on the operation. */
  const target = (ctx: RequestContext, functionName: string, qualifierParameter: string, latestMessage: string): Target => {
    const { name, qualifier = qualifierParameter } = parseFunctionReference(ctx, functionName, qualifierParameter);
    if (qualifier === LATEST) throw invalidParameter(latestMessage);
    if (/^\d+$/.test(qualifier)) {
      if (!service.functions(ctx).get(name, qualifier)) throw functionNotFound(ctx, name, qualifier);
      return { functionName: name, qualifier };
    }
    const alias = service.functions(ctx).get(name) ? service.aliases(ctx).get(name, qualifier) : undefined;
    if (!alias) throw userError('ResourceNotFoundException', `Cannot find alias arn: ${functionArn(ctx, name, qualifier)}`, 404);
    return { functionName: name, qualifier, aliasVersion: alias.functionVersion };
  };

  /** Drops configurations whose version or alias is gone: deleting an alias deletes its configuration. */
  const liveConfigs = (ctx: FunctionScope, functionName: string): ProvisionedConcurrencyRecord[] =>
    configs.forFunction(ctx, functionName).filter((record) => {
      const exists = /^\d+$/.test(record.qualifier) ? service.functions(ctx).get(functionName, record.qualifier) : service.aliases(ctx).get(functionName, record.qualifier);
      if (exists) return true;
      configs.delete(record);
      environments.release(record);
      return false;
    });

  const view = (record: ProvisionedConcurrencyRecord): GetProvisionedConcurrencyConfigResponse => {
    const allocation = environments.allocation(record);
    return {
      RequestedProvisionedConcurrentExecutions: record.requested,
      AvailableProvisionedConcurrentExecutions: allocation.allocated,
      AllocatedProvisionedConcurrentExecutions: allocation.allocated,
      Status: allocation.status,
      StatusReason: allocation.statusReason,
      LastModified: lambdaTimestamp(record.lastModified),
    };
  };

  /** Provisioned concurrency counts against the function's reservation, or else the account's unreserved concurrency. */
  const checkLimits = (ctx: RequestContext, wanted: Target, requested: number, others: ProvisionedConcurrencyRecord[]): void => {
    const functions = service.functions(ctx);
    const reserved = functions.get(wanted.functionName)?.reservedConcurrency;
    const provisionedElsewhere = others.reduce((sum, record) => sum + record.requested, 0);
    if (reserved !== undefined) {
      if (provisionedElsewhere + requested > reserved) throw invalidParameter('Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function');
      return;
    }
    const claimed = claimedConcurrency(functions, configs, ctx);
    claimed.set(wanted.functionName, provisionedElsewhere);
    const unreserved = unreservedConcurrency(claimed);
    if (requested > unreserved) {
      throw invalidParameter(`Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [${String(unreserved)}].`);
    }
    if (unreserved - requested < MIN_UNRESERVED_CONCURRENCY) {
      throw invalidParameter(`Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${String(MIN_UNRESERVED_CONCURRENCY)}].`);
    }
  };

  /** A version and an alias pointing to it cannot both be provisioned. */
  const checkConflicts = (ctx: RequestContext, wanted: Target, others: ProvisionedConcurrencyRecord[]): void => {
    if (wanted.aliasVersion !== undefined) {
      if (wanted.aliasVersion === LATEST) throw invalidParameter('Provisioned Concurrency Configs cannot be applied to unpublished function versions.');
      if (others.some((record) => record.qualifier === wanted.aliasVersion)) {
        throw userError('ResourceConflictException', "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version", 409);
      }
      return;
    }
    const aliases = service.aliases(ctx);
    if (others.some((record) => aliases.get(wanted.functionName, record.qualifier)?.functionVersion === wanted.qualifier)) {
      throw userError('ResourceConflictException', 'Version is pointed by a Provisioned Concurrency alias', 409);
    }
  };

  return {
    PutProvisionedConcurrencyConfig(input: PutProvisionedConcurrencyConfigRequest, ctx: RequestContext): PutProvisionedConcurrencyConfigResponse {
      const wanted = target(ctx, input.FunctionName, input.Qualifier, 'Provisioned Concurrency Configs cannot be applied to unpublished function versions.');
      const others = liveConfigs(ctx, wanted.functionName).filter((record) => record.qualifier !== wanted.qualifier);
      checkConflicts(ctx, wanted, others);
      checkLimits(ctx, wanted, input.ProvisionedConcurrentExecutions, others);
      const record: ProvisionedConcurrencyRecord = {
        account: ctx.account,
        region: ctx.region,
        functionName: wanted.functionName,
        qualifier: wanted.qualifier,
        requested: input.ProvisionedConcurrentExecutions,
        lastModified: service.runtime.clock.now(),
      };
      configs.put(record);
      environments.allocate(record);
      return view(record);
    },

    GetProvisionedConcurrencyConfig(input: GetProvisionedConcurrencyConfigRequest, ctx: RequestContext): GetProvisionedConcurrencyConfigResponse {
      const wanted = target(ctx, input.FunctionName, input.Qualifier, 'The function resource provided must be an alias or a published version.');
      const record = configs.get(ctx, wanted.functionName, wanted.qualifier);
      if (!record) throw userError('ProvisionedConcurrencyConfigNotFoundException', 'No Provisioned Concurrency Config found for this function', 404);
      return view(record);
    },

    DeleteProvisionedConcurrencyConfig(input: DeleteProvisionedConcurrencyConfigRequest, ctx: RequestContext): Record<string, never> {
      const wanted = target(ctx, input.FunctionName, input.Qualifier, 'The function resource provided must be an alias or a published version.');
      const record = configs.get(ctx, wanted.functionName, wanted.qualifier);
      if (record) {
        configs.delete(record);
        environments.release(record);
      }
      return {};
    },

    ListProvisionedConcurrencyConfigs(input: ListProvisionedConcurrencyConfigsRequest, ctx: RequestContext): ListProvisionedConcurrencyConfigsResponse {
      const head = service.latest(ctx, input.FunctionName);
      const all = liveConfigs(ctx, head.name);
      const start = input.Marker === undefined ? 0 : all.findIndex((record) => record.qualifier === input.Marker) + 1;
      const limit = input.MaxItems ?? DEFAULT_PAGE;
      const page = all.slice(start, start + limit);
      return {
        ProvisionedConcurrencyConfigs: page.map((record) => ({ FunctionArn: functionArn(ctx, head.name, record.qualifier), ...view(record) })),
        NextMarker: start + limit < all.length ? page.at(-1)?.qualifier : undefined,
      };
    },
  };
}
