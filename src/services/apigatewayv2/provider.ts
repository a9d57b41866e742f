/**
 * Amazon API Gateway v2 control plane: HTTP and WebSocket APIs with their routes, integrations, authorizers,
 * stages, deployments, route and integration responses, models and tags. Each API is one record
 * (records.ts) that the data planes (src/services/apigateway/invoke-v2/) read; a stage serves the frozen
 * snapshot of the deployment it points at, and auto-deploy stages get a new one on every change.
 *
 * Known limitations: routing rules, portals, GetModelTemplate and ResetAuthorizersCache answer
 * NotImplemented. Domain names and API mappings are shared with apigateway (v1) and AVAILABLE at once;
 * VPC links are AVAILABLE at once (no VPC on one machine). Tags of domain names and VPC links are
 * those given at creation (TagResource covers APIs and stages). ImportApi/ReimportApi/ExportApi cover HTTP APIs and OpenAPI
 * 3.0 (not Swagger 2.0); ReimportApi's Basepath is ignored. Integration subtypes
 * (AWS service integrations of HTTP APIs) are stored but not checked against their parameter rules.
 * Automatic deployments that no stage serves any more are dropped rather than kept for GetDeployments.
 * Resources made by quick create are not protected from changes the way AWS protects them. Messages of
 * rarely-hit validation errors are best recollections of AWS's wording (the conditions are AWS's).
 */
import type { ServiceRuntime } from '../service.js';
import { apiOperations } from './apis.js';
import { authorizerOperations } from './authorizers.js';
import { deploymentOperations } from './deployments.js';
import { domainNameOperations } from './domain-names.js';
import { importExportOperations } from './import-export.js';
import { integrationOperations } from './integrations.js';
import { modelOperations } from './models.js';
import { responseOperations } from './responses.js';
import { routeOperations } from './routes.js';
import { stageOperations } from './stages.js';
import { tagOperations } from './tags.js';
import { vpcLinkOperations } from './vpc-links.js';

export function createApigatewayv2Provider(runtime: ServiceRuntime): object {
  return {
    ...apiOperations(runtime),
    ...routeOperations(runtime),
    ...integrationOperations(runtime),
    ...authorizerOperations(runtime),
    ...responseOperations(runtime),
    ...stageOperations(runtime),
    ...deploymentOperations(runtime),
    ...modelOperations(runtime),
    ...tagOperations(runtime),
    ...importExportOperations(runtime),
    ...domainNameOperations(runtime),
    ...vpcLinkOperations(runtime),
  };
}
