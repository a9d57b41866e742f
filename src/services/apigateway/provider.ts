/**
 * Amazon API Gateway REST APIs (v1): APIs, resources, methods, integrations, deployments, stages (with
 * canaries), models, request validators, Lambda authorizers, API keys and usage plans. Deployed APIs are
 * served by invoke/serve.ts.
 *
 * Known limitations: user pool authorizers fetch keys only from AWS's issuer or a loopback/Nimbus issuer
 * (auth/cognito.ts); AWS_IAM signatures are compared only for STS-issued keys and `test`/`test`, other keys
 * are checked for all but the signature value, and IAM identity policies are not evaluated (they allow);
 * resource policies know aws:SourceIp, aws:PrincipalArn/Account, aws:UserAgent, aws:Referer only (no
 * VPC keys); API keys sourced from an authorizer, documentation, client
 * certificates, SDK generation and TestInvoke* answer NotImplemented or are ignored as stated. OpenAPI
 * (openapi/): inline (non-$ref) body schemas are not imported (a warning), documentation and
 * x-amazon-apigateway-endpoint-configuration are ignored; `postman` exports add nothing; tags cover REST
 * APIs and stages only. AWS (non-proxy) integrations call Lambda only (no other AWS service actions). Patch paths
 * cover the common fields only; messages of rarely-hit errors are best recollections of AWS's.
 * Throttles, quotas, the stage cache and logs (traffic/, cache/, logging/): token buckets and the cache
 * live in memory (quota counts are stored); any authenticated signer of an AWS_IAM method may
 * invalidate cache entries; execution log lines are AWS-like, not byte-exact; no CloudWatch metrics.
 * Custom domain names and base path mappings (domains/, shared with apigatewayv2) are AVAILABLE at once
 * and served by Host header over plain HTTP; no TLS, no PRIVATE names, no domain name access associations.
 * VPC links are AVAILABLE at once, and VPC_LINK integrations call their URI directly (no VPC on one machine).
 */
import type { ServiceRuntime } from '../service.js';
import { apiKeyOperations } from './api-keys.js';
import { accountOperations } from './account.js';
import { authorizerOperations } from './authorizers.js';
import { cacheOperations } from './cache/operations.js';
import { definitionUpdateOperations } from './definition-updates.js';
import { gatewayResponseOperations } from './gateway-responses.js';
import { methodOperations } from './methods.js';
import { modelOperations } from './models.js';
import { openApiOperations } from './openapi-operations.js';
import { resourceUpdateOperations } from './resource-updates.js';
import { restApiOperations } from './rest-apis.js';
import { stageOperations } from './stages.js';
import { tagOperations } from './tags.js';
import { usageOperations } from './traffic/usage-operations.js';
import { usagePlanUpdateOperations } from './usage-plan-updates.js';
import { v1BasePathMappingOperations } from './domains/v1-base-path-mappings.js';
import { v1DomainNameOperations } from './domains/v1-domain-names.js';
import { vpcLinkOperations } from './vpc-links.js';

export function createApigatewayProvider(runtime: ServiceRuntime): object {
  return { ...restApiOperations(runtime), ...methodOperations(runtime), ...stageOperations(runtime), ...modelOperations(runtime), ...authorizerOperations(runtime), ...apiKeyOperations(runtime),
    ...usagePlanUpdateOperations(runtime), ...usageOperations(runtime), ...accountOperations(runtime), ...cacheOperations(runtime),
    ...resourceUpdateOperations(runtime), ...definitionUpdateOperations(runtime), ...gatewayResponseOperations(runtime), ...tagOperations(runtime), ...openApiOperations(runtime),
    ...v1DomainNameOperations(runtime), ...v1BasePathMappingOperations(runtime), ...vpcLinkOperations(runtime) };
}
