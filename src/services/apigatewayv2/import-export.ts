/**
 * ImportApi, ReimportApi and ExportApi for HTTP APIs and OpenAPI 3.0 documents (JSON or YAML), through the
 * pure converter in openapi.ts. An import is built whole and checked with the same rules as the Create*
 * operations before anything is stored; a reimport replaces the API's routes, integrations and
 * authorizers and redeploys its auto-deploy stages.
 */
import type { Apigatewayv2Api, Api, ExportApiRequest, ImportApiRequest, ReimportApiRequest } from '../../generated/apigatewayv2.js';
import { parseDocument, serializeDocument } from '../apigateway/openapi/document.js';
import type { ServiceRuntime } from '../service.js';
import { newApiRecord, putNewApi } from './apis.js';
import { badRequest, changeApi, isWebSocket, newChildId, requireApi, requireStage } from './api-store.js';
import { checkAuthorizer } from './authorizers.js';
import { snapshot } from './deploy.js';
import { completeIntegration } from './integrations.js';
import type { ImportedHttpApi } from './openapi.js';
import { exportHttpApi, readHttpApi } from './openapi.js';
import type { ApiV2Record, AuthorizerV2, IntegrationV2, RouteV2 } from './records.js';
import { checkRoute } from './routes.js';
import { apiEndpoint, apiView } from './views.js';

type Ops = Pick<Apigatewayv2Api, 'ImportApi' | 'ReimportApi' | 'ExportApi'>;

function definitionOf(body: string, failOnWarnings: boolean | undefined): ImportedHttpApi {
  const document = parseDocument(Buffer.from(body, 'utf8'));
  if (!document) throw badRequest('Invalid OpenAPI input: the body is neither JSON nor YAML.');
  const definition = readHttpApi(document);
  if (typeof definition === 'string') throw badRequest(definition);
  if (failOnWarnings && definition.warnings.length > 0) throw badRequest(`Warnings found during import:\n\t${definition.warnings.join('\n\t')}`);
  return definition;
}

/**
 * Replaces the API's routing configuration with the definition's. Operations that share an integration
 * definition share one integration, as in an API built by hand.
 */
function applyDefinition(record: ApiV2Record, definition: ImportedHttpApi): void {
  record.routes = {};
  record.integrations = {};
  record.authorizers = {};
  record.routeResponses = {};
  record.integrationResponses = {};
  const authorizerIds = new Map<string, string>();
  for (const imported of definition.authorizers) {
    const authorizer: AuthorizerV2 = checkAuthorizer(record, { ...imported, AuthorizerId: newChildId() });
    record.authorizers[authorizer.AuthorizerId] = authorizer;
    authorizerIds.set(authorizer.Name, authorizer.AuthorizerId);
  }
  const integrationIds = new Map<string, string>();
  for (const imported of definition.routes) {
    let target: string | undefined;
    if (imported.integration) {
      const key = JSON.stringify(imported.integration);
      let integrationId = integrationIds.get(key);
      if (integrationId === undefined) {
        const integration: IntegrationV2 = { IntegrationId: newChildId(), ...completeIntegration(record, imported.integration) };
        record.integrations[integration.IntegrationId] = integration;
        integrationId = integration.IntegrationId;
        integrationIds.set(key, integrationId);
      }
      target = `integrations/${integrationId}`;
    }
    const route: RouteV2 = {
      RouteId: newChildId(),
      RouteKey: imported.RouteKey,
      ApiKeyRequired: false,
      AuthorizationType: imported.AuthorizationType,
      AuthorizationScopes: imported.AuthorizationScopes,
      AuthorizerId: imported.authorizerName === undefined ? undefined : authorizerIds.get(imported.authorizerName),
      OperationName: imported.OperationName,
      Target: target,
    };
    record.routes[route.RouteId] = checkRoute(record, route);
  }
}

function withWarnings(api: Api, warnings: string[]): Api {
  return warnings.length > 0 ? { ...api, Warnings: warnings } : api;
}

export function importExportOperations(runtime: ServiceRuntime): Ops {
  return {
    ImportApi(input: ImportApiRequest, ctx) {
      const definition = definitionOf(input.Body, input.FailOnWarnings);
      if (!definition.Name) throw badRequest('Invalid OpenAPI input: the API needs a name (info.title).');
      const record = newApiRecord({
        Name: definition.Name, ProtocolType: 'HTTP', Description: definition.Description, Version: definition.Version, CorsConfiguration: definition.CorsConfiguration,
      }, runtime.clock.now());
      // Built whole before it is stored: a definition that fails leaves no API behind.
      applyDefinition(record, definition);
      putNewApi(runtime, ctx, record);
      return withWarnings(apiView(runtime, record.api), definition.warnings);
    },
    ReimportApi(input: ReimportApiRequest, ctx) {
      const definition = definitionOf(input.Body, input.FailOnWarnings);
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        if (isWebSocket(record)) throw badRequest('Only HTTP APIs can be reimported from OpenAPI definitions');
        applyDefinition(record, definition);
        const { api } = record;
        if (definition.Name) api.Name = definition.Name;
        api.Description = definition.Description;
        api.Version = definition.Version;
        api.CorsConfiguration = definition.CorsConfiguration;
        return withWarnings(apiView(runtime, api), definition.warnings);
      }, { redeploy: true });
    },
    ExportApi(input: ExportApiRequest, ctx) {
      const record = requireApi(runtime, ctx, input.ApiId);
      if (isWebSocket(record)) throw badRequest('Only HTTP APIs can be exported');
      if (input.ExportVersion !== undefined && input.ExportVersion !== '1.0') throw badRequest(`Unsupported export version ${input.ExportVersion}: the only version is 1.0`);
      let deployed = snapshot(record);
      if (input.StageName !== undefined) {
        const deploymentId = requireStage(record, input.StageName).DeploymentId;
        const deployment = deploymentId === undefined ? undefined : record.deployments[deploymentId];
        if (!deployment) throw badRequest(`Stage ${input.StageName} has no deployment to export`);
        deployed = deployment.snapshot;
      }
      const document = exportHttpApi(record.api, deployed, {
        includeExtensions: input.IncludeExtensions ?? true,
        endpoint: apiEndpoint(runtime, record.api),
        stageName: input.StageName,
      });
      return { body: serializeDocument(document, input.OutputType === 'YAML') };
    },
  };
}
