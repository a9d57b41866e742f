/**
 * The invocation's authentication before any Lambda authorizer runs: AWS_IAM signatures, user pool
 * tokens, then the deployed resource policy (see policy-gate.ts for how the three combine).
 */
import type { DeploymentRecord } from '../api-record.js';
import type { ServiceRuntime } from '../../service.js';
import type { GatewayResponse, Invocation } from '../invoke/context.js';
import { gatewayError } from '../invoke/gateway-errors.js';
import { authorizeCognito } from './cognito.js';
import { authenticateIam } from './iam.js';
import { resourcePolicyDenial } from './policy-gate.js';

/** undefined to go on, or the response that ends the request. `rawUrl` is the request target as sent (SigV4 signs it). */
export async function authenticateCaller(runtime: ServiceRuntime, invocation: Invocation, deployment: DeploymentRecord, rawUrl: string): Promise<GatewayResponse | undefined> {
  const method = invocation.route.method;
  if (method.authorizationType === 'AWS_IAM') {
    const refused = authenticateIam(runtime, invocation, rawUrl);
    if (refused) return refused;
  } else if (method.authorizationType === 'COGNITO_USER_POOLS') {
    const authorizer = deployment.authorizers[method.authorizerId ?? ''];
    const refused = authorizer ? await authorizeCognito(runtime, invocation, authorizer, method.authorizationScopes) : gatewayError('AUTHORIZER_CONFIGURATION_ERROR', null);
    if (refused) return refused;
  }
  return resourcePolicyDenial(deployment.policy, invocation, method.authorizationType);
}
