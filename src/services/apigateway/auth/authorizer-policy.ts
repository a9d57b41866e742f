/**
 * The IAM policy a Lambda authorizer returns (REST, HTTP and WebSocket APIs alike): which of its statements
 * cover `execute-api:Invoke` on the method's or route's ARN, and what they decide.
 */
export interface PolicyStatement {
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
}

export interface PolicyDocument {
  Statement?: PolicyStatement | PolicyStatement[];
}

/** IAM-style wildcards: `*` any run, `?` one character. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(value);
}

/** An explicit Deny wins; otherwise an Allow must cover the ARN; no statement that applies is 'None'. */
export function policyDecision(policy: PolicyDocument | undefined, resourceArn: string): 'Allow' | 'Deny' | 'None' {
  const applies = [policy?.Statement ?? []].flat().filter((statement) => [statement.Action ?? []].flat().some((action) => wildcardMatch(action, 'execute-api:Invoke'))
    && [statement.Resource ?? []].flat().some((resource) => wildcardMatch(resource, resourceArn)));
  if (applies.some((statement) => statement.Effect === 'Deny')) return 'Deny';
  return applies.some((statement) => statement.Effect === 'Allow') ? 'Allow' : 'None';
}
