/**
 * ImportRestApi, PutRestApi and GetExport: REST APIs from and to OpenAPI 3.0 / Swagger 2.0 documents
 * (JSON or YAML), through the pure converters in openapi/.
 */
import type { ApigatewayApi, EndpointType, GetExportRequest, ImportRestApiRequest, PutRestApiRequest, RestApi } from '../../generated/apigateway.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ServiceRuntime } from '../service.js';
import type { ApiRecord } from './api-record.js';
import { badRequest, newId, notFound, requireApi } from './api-record.js';
import type { PutMode } from './openapi/apply.js';
import { applyDefinition } from './openapi/apply.js';
import { parseDocument, serializeDocument } from './openapi/document.js';
import { exportDefinition } from './openapi/export.js';
import type { ImportedDefinition } from './openapi/import.js';
import { importDefinition } from './openapi/import.js';
import { newApiRecord, putNewApi, updateApi } from './rest-apis.js';
import { restApiView } from './views.js';

type Ops = Pick<ApigatewayApi, 'ImportRestApi' | 'PutRestApi' | 'GetExport'>;

const EXTENSIONS = ['integrations', 'apigateway', 'authorizers', 'postman'];

/** The definition in `body`, or the BadRequestException AWS answers (warnings fail it only with failonwarnings). */
function definitionOf(body: Uint8Array, parameters: Record<string, string> | undefined, failOnWarnings: boolean | undefined): ImportedDefinition {
  const document = parseDocument(body);
  if (!document) throw badRequest('Invalid OpenAPI input.');
  const basepath = parameters?.basepath ?? 'ignore';
  if (basepath !== 'ignore' && basepath !== 'prepend' && basepath !== 'split') throw badRequest(`Invalid basepath specified: ${basepath}. Valid options are ignore, prepend, split`);
  const definition = importDefinition(document, { basepath });
  if (failOnWarnings && definition.warnings.length > 0) throw badRequest(`Warnings found during import:\n\t${definition.warnings.join('\n\t')}`);
  return definition;
}

function withWarnings(api: ApiRecord, warnings: string[]): RestApi {
  return { ...restApiView(api), warnings: warnings.length > 0 ? warnings : undefined };
}

export function openApiOperations(runtime: ServiceRuntime): Ops {
  return {
    ImportRestApi(input: ImportRestApiRequest, ctx: RequestContext) {
      const definition = definitionOf(input.body, input.parameters, input.failOnWarnings);
      if (!definition.name) throw badRequest('Invalid OpenAPI input: the API needs a name (info.title).');
      // endpointConfigurationTypes=REGIONAL|EDGE|PRIVATE picks the endpoint, as on CreateRestApi.
      const endpointType = input.parameters?.endpointConfigurationTypes;
      if (endpointType !== undefined && !['EDGE', 'REGIONAL', 'PRIVATE'].includes(endpointType)) throw badRequest(`Invalid endpoint configuration type specified: ${endpointType}`);
      const api = newApiRecord({ name: definition.name, endpointConfiguration: endpointType ? { types: [endpointType as EndpointType] } : undefined }, runtime.clock.now());
      // Built whole before it is stored: a definition that fails leaves no API behind.
      applyDefinition(api, definition, 'overwrite', newId);
      putNewApi(runtime, ctx, api);
      return withWarnings(api, definition.warnings);
    },
    PutRestApi(input: PutRestApiRequest, ctx: RequestContext) {
      const mode: PutMode = input.mode ?? 'merge';
      if (mode !== 'merge' && mode !== 'overwrite') throw badRequest(`Invalid mode specified: ${String(mode)}. Valid options are merge, overwrite`);
      requireApi(runtime, ctx, input.restApiId);
      const definition = definitionOf(input.body, input.parameters, input.failOnWarnings);
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        applyDefinition(api, definition, mode, newId);
        return withWarnings(api, definition.warnings);
      });
    },
    GetExport(input: GetExportRequest, ctx: RequestContext) {
      const api = requireApi(runtime, ctx, input.restApiId);
      const stage = api.stages[input.stageName];
      if (!stage) throw notFound('Invalid stage identifier specified');
      if (input.exportType !== 'oas30' && input.exportType !== 'swagger') throw badRequest(`Invalid export type specified: ${input.exportType}. Valid options are oas30, swagger`);
      const accepts = input.accepts ?? 'application/json';
      const yaml = /yaml/i.test(accepts);
      if (!yaml && !/json|\*\/\*/i.test(accepts)) throw badRequest(`Invalid accepts value specified: ${accepts}. Valid options are application/json, application/yaml`);
      // extensions=integrations,authorizers (comma-separated) chooses the x-amazon-apigateway-* members.
      const extensions = new Set((input.parameters?.extensions ?? '').split(',').map((name) => name.trim()).filter(Boolean));
      const unknown = [...extensions].find((name) => !EXTENSIONS.includes(name));
      if (unknown !== undefined) throw badRequest(`Invalid extension specified: ${unknown}. Valid options are ${EXTENSIONS.join(', ')}`);
      const document = exportDefinition(api, api.deployments[stage.deploymentId], { format: input.exportType, extensions, stageName: stage.stageName, region: ctx.region });
      const stamp = new Date(runtime.clock.now()).toISOString().replace(/[-:]|\.\d{3}/g, '');
      const fileName = `${input.exportType === 'oas30' ? 'oas30' : 'swagger'}_${stamp}.${yaml ? 'yaml' : 'json'}`;
      return {
        contentType: yaml ? 'application/yaml' : 'application/json',
        contentDisposition: `attachment; filename="${fileName}"`,
        body: serializeDocument(document, yaml),
      };
    },
  };
}
