/**
 * Aliases with weighted routing between two versions
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html).
 */
import type {
  AliasConfiguration,
  AliasRoutingConfiguration,
  CreateAliasRequest,
  DeleteAliasRequest,
  GetAliasRequest,
  LambdaApi,
  ListAliasesRequest,
  ListAliasesResponse,
  UpdateAliasRequest,
} from '../../../generated/lambda.js';
import type { RequestContext } from '../../../shared/request-context.js';
import type { AliasRecord } from '../alias-record.js';
import { aliasView } from '../alias-record.js';
import { functionNotFound, invalidParameter, revisionMismatch, userError } from '../errors.js';
import type { FunctionScope } from '../function-record.js';
import { functionArn, LATEST, newRevisionId } from '../function-record.js';
import type { LambdaService } from '../lambda-service.js';

export function aliasOperations(service: LambdaService): Partial<LambdaApi> {
  const requireVersion = (scope: FunctionScope, name: string, version: string): void => {
    if (!service.functions(scope).get(name, version)) throw functionNotFound(scope, name, version);
  };

  const checkRouting = (scope: FunctionScope, name: string, primary: string, routing: AliasRoutingConfiguration | undefined): Record<string, number> => {
    const weights = routing?.AdditionalVersionWeights ?? {};
    const versions = Object.keys(weights);
    if (versions.length > 1) throw invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1');
    for (const version of versions) {
      if (primary === LATEST || version === LATEST) throw invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version');
      if (version === primary) throw invalidParameter(`Function version ${version} is already included in AdditionalVersionWeights.`);
      requireVersion(scope, name, version);
    }
    return weights;
  };

  const existing = (scope: FunctionScope, functionName: string, alias: string): AliasRecord => {
    const head = service.latest(scope, functionName);
    const record = service.aliases(scope).get(head.name, alias);
    if (!record) throw userError('ResourceNotFoundException', `Alias not found: ${functionArn(scope, head.name, alias)}`, 404);
    return record;
  };

  return {
    CreateAlias(input: CreateAliasRequest, ctx: RequestContext): AliasConfiguration {
      const head = service.latest(ctx, input.FunctionName);
      requireVersion(ctx, head.name, input.FunctionVersion);
      const aliases = service.aliases(ctx);
      if (aliases.get(head.name, input.Name)) {
        throw userError('ResourceConflictException', `Alias already exists: ${functionArn(ctx, head.name, input.Name)}`, 409);
      }
      const record: AliasRecord = {
        functionName: head.name,
        name: input.Name,
        functionVersion: input.FunctionVersion,
        description: input.Description ?? '',
        additionalVersionWeights: checkRouting(ctx, head.name, input.FunctionVersion, input.RoutingConfig),
        revisionId: newRevisionId(),
      };
      aliases.put(record);
      return aliasView(ctx, record);
    },

    GetAlias(input: GetAliasRequest, ctx: RequestContext): AliasConfiguration {
      return aliasView(ctx, existing(ctx, input.FunctionName, input.Name));
    },

    UpdateAlias(input: UpdateAliasRequest, ctx: RequestContext): AliasConfiguration {
      const current = existing(ctx, input.FunctionName, input.Name);
      if (input.RevisionId !== undefined && input.RevisionId !== current.revisionId) throw revisionMismatch();
      const functionVersion = input.FunctionVersion ?? current.functionVersion;
      if (input.FunctionVersion !== undefined) requireVersion(ctx, current.functionName, functionVersion);
      const updated: AliasRecord = {
        ...current,
        functionVersion,
        description: input.Description ?? current.description,
        additionalVersionWeights: input.RoutingConfig ? checkRouting(ctx, current.functionName, functionVersion, input.RoutingConfig) : current.additionalVersionWeights,
        revisionId: newRevisionId(),
      };
      service.aliases(ctx).put(updated);
      return aliasView(ctx, updated);
    },

    DeleteAlias(input: DeleteAliasRequest, ctx: RequestContext): Record<string, never> {
      const head = service.latest(ctx, input.FunctionName);
      service.runtime.store.transaction(() => {
        service.aliases(ctx).delete(head.name, input.Name);
        service.forgetAttachments(ctx, head.name, input.Name);
      });
      return {};
    },

    ListAliases(input: ListAliasesRequest, ctx: RequestContext): ListAliasesResponse {
      const head = service.latest(ctx, input.FunctionName);
      const all = service.aliases(ctx).list(head.name).filter((a) => input.FunctionVersion === undefined || a.functionVersion === input.FunctionVersion);
      const start = input.Marker ? all.findIndex((a) => a.name === input.Marker) + 1 : 0;
      const limit = input.MaxItems ?? 50;
      const page = all.slice(start, start + limit);
      return { Aliases: page.map((a) => aliasView(ctx, a)), NextMarker: start + limit < all.length ? page.at(-1)?.name : undefined };
    },
  };
}
