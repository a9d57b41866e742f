/**
 * A function's resource-based policy: one per function ($LATEST, unqualified), published version and
 * alias, each a list of statements AddPermission rendered the way Lambda renders them
 * (https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html). It lives with the
 * function URL code because URL authorization is what reads it in Nimbus.
 */
import type { AddPermissionRequest } from '../../../generated/lambda.js';
import { scopedName } from '../../../store/store.js';
import type { Collection, Store } from '../../../store/store.js';
import { invalidParameter } from '../errors.js';
import type { FunctionScope } from '../function-record.js';

export type PolicyPrincipal = '*' | { Service: string } | { AWS: string };

/** A statement in Lambda's JSON, key order included: Sid, Effect, Principal, Action, Resource, Condition. */
export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: PolicyPrincipal;
  Action: string;
  Resource: string;
  /** Operator (StringEquals, ArnLike, Bool) -> condition key -> value. */
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyRecord {
  functionName: string;
  /** '' for the unqualified function ($LATEST), else a version number or an alias name. */
  qualifier: string;
  statements: PolicyStatement[];
}

/** Lambda's limit on a function policy's size (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). */
export const MAX_POLICY_BYTES = 20 * 1024;

export class PolicyStore {
  private readonly policies: Collection<PolicyRecord>;

  constructor(store: Store, scope: FunctionScope) {
    this.policies = store.collection<PolicyRecord>(scopedName('lambda', scope.account, scope.region, 'policies'));
  }

  get(functionName: string, qualifier: string): PolicyRecord | undefined {
    return this.policies.get(`${functionName}\u0000${qualifier}`);
  }

  /** Drops the policy of one qualifier, or of every qualifier when none is given. */
  delete(functionName: string, qualifier?: string): void {
    if (qualifier === undefined) this.policies.deletePrefix(`${functionName}\u0000`);
    else this.policies.delete(`${functionName}\u0000${qualifier}`);
  }

  /** Stores the policy, or drops it once its last statement is gone (GetPolicy then finds none). */
  put(record: PolicyRecord): void {
    const key = `${record.functionName}\u0000${record.qualifier}`;
    if (record.statements.length) this.policies.put(key, record);
    else this.policies.delete(key);
  }
}

/** The policy document GetPolicy returns as a string. */
export function policyDocument(statements: PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements });
}

/** A service (`s3.amazonaws.com`), an account id, an IAM ARN or `*`, as Lambda writes each into a policy. */
function principalOf(principal: string): PolicyPrincipal {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (/^arn:aws[a-zA-Z-]*:iam::\d{12}:/.test(principal)) return { AWS: principal };
  if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(principal)) return { Service: principal };
  throw invalidParameter('The provided principal was invalid. Please check the principal and try again.');
}

/** The statement AddPermission adds, with its conditions in the order Lambda writes them. */
export function permissionStatement(input: AddPermissionRequest, resource: string): PolicyStatement {
  const equals: Record<string, string> = {};
  if (input.FunctionUrlAuthType) equals['lambda:FunctionUrlAuthType'] = input.FunctionUrlAuthType;
  if (input.PrincipalOrgID) equals['aws:PrincipalOrgID'] = input.PrincipalOrgID;
  if (input.SourceAccount) equals['AWS:SourceAccount'] = input.SourceAccount;
  if (input.EventSourceToken) equals['lambda:EventSourceToken'] = input.EventSourceToken;
  const condition: Record<string, Record<string, string>> = {};
  if (Object.keys(equals).length) condition.StringEquals = equals;
  // Lambda compares the source ARN with a wildcard-aware operator (AddPermission's SourceArn parameter).
  if (input.SourceArn) condition.ArnLike = { 'AWS:SourceArn': input.SourceArn };
  if (input.InvokedViaFunctionUrl) condition.Bool = { 'lambda:InvokedViaFunctionUrl': 'true' };
  return {
    Sid: input.StatementId,
    Effect: 'Allow',
    Principal: principalOf(input.Principal),
    Action: input.Action,
    Resource: resource,
    ...(Object.keys(condition).length ? { Condition: condition } : {}),
  };
}
