/**
 * Amazon API Gateway REST APIs (v1): APIs, resources, methods, integrations, deployments, stages (with
 * canaries), models, request validators, Lambda authorizers, API keys and usage plans. Deployed APIs are
 * served by invoke/serve.ts.
 *
 * Known limitations: COGNITO_USER_POOLS authorizers, AWS_IAM authorization (not evaluated: such methods
 * answer as if NONE), API keys sourced from an authorizer, usage plan throttles and quotas (stored, not
 * enforced), domain names, VPC links, documentation, gateway responses, method settings, caching, client
 * certificates, Import/PutRestApi (OpenAPI), tags operations and the Update* calls for resources,
 * methods, integrations, models, authorizers, keys and usage plans answer NotImplemented or are ignored
 * as stated. AWS (non-proxy) integrations call Lambda only (no other AWS service actions). Patch paths
 * cover the common fields only; messages of rarely-hit errors are best recollections of AWS's.
 */
import type { ServiceRuntime } from '../service.js';
import { apiKeyOperations } from './api-keys.js';
import { authorizerOperations } from './authorizers.js';
import { methodOperations } from './methods.js';
import { modelOperations } from './models.js';
import { restApiOperations } from './rest-apis.js';
import { stageOperations } from './stages.js';

export function createApigatewayProvider(runtime: ServiceRuntime): object {
  return { ...restApiOperations(runtime), ...methodOperations(runtime), ...stageOperations(runtime), ...modelOperations(runtime), ...authorizerOperations(runtime), ...apiKeyOperations(runtime) };
}
