/**
 * Resource policies are stored and returned verbatim; Nimbus does not evaluate IAM policies. What is
 * checked is what makes a document a policy at all: a JSON object with a known Version and a Statement.
 * AWS answers a policy with bad syntax (for example Version "2019-10-19") with "This policy has invalid
 * syntax." (MalformedPolicyDocumentException).
 */
import { ServiceError } from '../../shared/errors.js';

const POLICY_VERSIONS = new Set(['2012-10-17', '2008-10-17']);

function malformed(): ServiceError {
  return new ServiceError('MalformedPolicyDocumentException', 'This policy has invalid syntax.');
}

export function assertPolicySyntax(policy: string): void {
  let document: unknown;
  try {
    document = JSON.parse(policy);
  } catch {
    throw malformed();
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw malformed();
  const { Version: version, Statement: statement } = document as Record<string, unknown>;
  if (version !== undefined && (typeof version !== 'string' || !POLICY_VERSIONS.has(version))) throw malformed();
  const statements = Array.isArray(statement) ? (statement as unknown[]) : [statement];
  if (statements.length === 0 || statements.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) throw malformed();
}
