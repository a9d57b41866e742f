/**
 * Resource-based policies: AddPermission, RemovePermission and GetPolicy on the unqualified function
 * ($LATEST), a published version or an alias, each with its own policy
 * (https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html). Changing a policy changes the
 * RevisionId of what it is attached to, which is the RevisionId these operations check and GetPolicy returns.
 */
import type {
  AddPermissionRequest,
  AddPermissionResponse,
  GetPolicyRequest,
  GetPolicyResponse,
  LambdaApi,
  RemovePermissionRequest,
} from '../../../generated/lambda.js';
import type { RequestContext } from '../../../shared/request-context.js';
import { functionNotFound, invalidParameter, revisionMismatch, userError } from '../errors.js';
import type { FunctionScope } from '../function-record.js';
import { functionArn, LATEST, newRevisionId } from '../function-record.js';
import { parseFunctionReference } from '../function-names.js';
import type { PolicyRecord } from '../function-url/resource-policy.js';
import { MAX_POLICY_BYTES, permissionStatement, policyDocument, PolicyStore } from '../function-url/resource-policy.js';
import type { LambdaService } from '../lambda-service.js';

/** What a policy is attached to: the function's $LATEST record, a version record or an alias. */
interface PolicyTarget {
  name: string;
  /** '' for the unqualified function. */
  qualifier: string;
  arn: string;
  revisionId: string;
  /** Stores the target with a new RevisionId, as a policy change does. */
  touch(): void;
}

export function permissionOperations(service: LambdaService): Partial<LambdaApi> {
  const policies = (scope: FunctionScope): PolicyStore => new PolicyStore(service.runtime.store, scope);

  const target = (scope: FunctionScope, reference: string, requested: string | undefined): PolicyTarget => {
    const parsed = parseFunctionReference(scope, reference, requested);
    const functions = service.functions(scope);
    if (!functions.get(parsed.name)) throw functionNotFound(scope, parsed.name);
    const qualifier = parsed.qualifier === undefined || parsed.qualifier === LATEST ? '' : parsed.qualifier;
    const arn = functionArn(scope, parsed.name, qualifier || undefined);
    if (qualifier === '' || /^\d+$/.test(qualifier)) {
      const record = functions.get(parsed.name, qualifier || LATEST);
      if (!record) throw functionNotFound(scope, parsed.name, qualifier);
      return { name: parsed.name, qualifier, arn, revisionId: record.revisionId, touch: () => { functions.put({ ...record, revisionId: newRevisionId() }); } };
    }
    const aliases = service.aliases(scope);
    const alias = aliases.get(parsed.name, qualifier);
    if (!alias) throw functionNotFound(scope, parsed.name, qualifier);
    return { name: parsed.name, qualifier, arn, revisionId: alias.revisionId, touch: () => { aliases.put({ ...alias, revisionId: newRevisionId() }); } };
  };

  return {
    AddPermission(input: AddPermissionRequest, ctx: RequestContext): AddPermissionResponse {
      const embedded = parseFunctionReference(ctx, input.FunctionName, input.Qualifier).qualifier;
      if (embedded === LATEST) throw invalidParameter('We currently do not support adding policies for $LATEST.');
      // AWS documents this rule but not its message; the wording is Nimbus's.
      if (input.InvokedViaFunctionUrl && input.Action !== 'lambda:InvokeFunction') {
        throw invalidParameter('InvokedViaFunctionUrl is only supported for the lambda:InvokeFunction action.');
      }
      const on = target(ctx, input.FunctionName, input.Qualifier);
      if (input.RevisionId !== undefined && input.RevisionId !== on.revisionId) throw revisionMismatch();
      const store = policies(ctx);
      const current: PolicyRecord = store.get(on.name, on.qualifier) ?? { functionName: on.name, qualifier: on.qualifier, statements: [] };
      if (current.statements.some((s) => s.Sid === input.StatementId)) {
        throw userError('ResourceConflictException', `The statement id (${input.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`, 409);
      }
      const statement = permissionStatement(input, on.arn);
      const updated: PolicyRecord = { ...current, statements: [...current.statements, statement] };
      const size = Buffer.byteLength(policyDocument(updated.statements));
      if (size > MAX_POLICY_BYTES) {
        throw userError('PolicyLengthExceededException', `The final policy size (${String(size)}) is bigger than the limit (${String(MAX_POLICY_BYTES)}).`);
      }
      service.runtime.store.transaction(() => {
        store.put(updated);
        on.touch();
      });
      return { Statement: JSON.stringify(statement) };
    },

    RemovePermission(input: RemovePermissionRequest, ctx: RequestContext): Record<string, never> {
      const { name } = parseFunctionReference(ctx, input.FunctionName, input.Qualifier);
      if (!service.functions(ctx).get(name)) throw userError('ResourceNotFoundException', `No policy found for: ${functionArn(ctx, name)}`, 404);
      const on = target(ctx, input.FunctionName, input.Qualifier);
      const store = policies(ctx);
      const current = store.get(on.name, on.qualifier);
      if (!current) throw userError('ResourceNotFoundException', 'No policy is associated with the given resource.', 404);
      if (!current.statements.some((s) => s.Sid === input.StatementId)) {
        throw userError('ResourceNotFoundException', `Statement ${input.StatementId} is not found in resource policy.`, 404);
      }
      if (input.RevisionId !== undefined && input.RevisionId !== on.revisionId) throw revisionMismatch();
      service.runtime.store.transaction(() => {
        store.put({ ...current, statements: current.statements.filter((s) => s.Sid !== input.StatementId) });
        on.touch();
      });
      return {};
    },

    GetPolicy(input: GetPolicyRequest, ctx: RequestContext): GetPolicyResponse {
      const on = target(ctx, input.FunctionName, input.Qualifier);
      const policy = policies(ctx).get(on.name, on.qualifier);
      if (!policy) throw userError('ResourceNotFoundException', 'The resource you requested does not exist.', 404);
      return { Policy: policyDocument(policy.statements), RevisionId: on.revisionId };
    },
  };
}
