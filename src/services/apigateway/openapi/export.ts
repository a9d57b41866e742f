/**
 * A stage's deployment -> an OpenAPI 3.0 (oas30) or Swagger 2.0 (swagger) document, as GetExport gives it
 * (https://docs.aws.amazon.com/apigateway/latest/api/API_GetExport.html). Extensions: `integrations`
 * adds x-amazon-apigateway-integration, `authorizers` the authorizers, `apigateway` every API Gateway
 * extension; `postman` is accepted and adds nothing. Pure: import.ts reads back what this writes.
 */
import type { Authorizer, Integration, Method } from '../../../generated/apigateway.js';
import type { ApiRecord, DeploymentRecord } from '../api-record.js';
import type { JsonObject } from './document.js';

export interface ExportOptions {
  format: 'oas30' | 'swagger';
  extensions: Set<string>;
  stageName: string;
  region: string;
}

const X = 'x-amazon-apigateway-';
const lower = (value: string | undefined): string | undefined => value?.toLowerCase();
const nonEmpty = <T extends object>(value: T | undefined): T | undefined => (value && Object.keys(value).length > 0 ? value : undefined);

/** Drops undefined members, so the document has no `"x": null`-like noise. */
function compact(value: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined));
}

function modelRef(options: ExportOptions, name: string): string {
  return options.format === 'oas30' ? `#/components/schemas/${name}` : `#/definitions/${name}`;
}

/** A model's schema as a document schema: references to other models point inside the document. */
function schemaOf(schema: string | undefined, options: ExportOptions): JsonObject {
  let parsed: JsonObject;
  try {
    parsed = JSON.parse(schema ?? '{}') as JsonObject;
  } catch {
    return {};
  }
  const { $schema: _dialect, ...rest } = parsed;
  const text = JSON.stringify(rest).replace(
    /"\$ref":"(?:https:\/\/apigateway\.amazonaws\.com\/restapis\/[^/"]+\/models\/|#\/definitions\/|#\/components\/schemas\/)([A-Za-z0-9]+)"/g,
    (_whole, name: string) => `"$ref":"${modelRef(options, name)}"`,
  );
  return JSON.parse(text) as JsonObject;
}

function integrationOf(integration: Integration): JsonObject {
  const responses: JsonObject = {};
  for (const response of Object.values(integration.integrationResponses ?? {})) {
    responses[response.selectionPattern ?? 'default'] = compact({
      statusCode: response.statusCode,
      responseParameters: nonEmpty(response.responseParameters),
      responseTemplates: nonEmpty(response.responseTemplates),
      contentHandling: response.contentHandling,
    });
  }
  return compact({
    type: lower(integration.type),
    httpMethod: integration.httpMethod,
    uri: integration.uri,
    connectionType: integration.connectionType === 'INTERNET' ? undefined : integration.connectionType,
    connectionId: integration.connectionId,
    credentials: integration.credentials,
    requestParameters: nonEmpty(integration.requestParameters),
    requestTemplates: nonEmpty(integration.requestTemplates),
    passthroughBehavior: lower(integration.passthroughBehavior),
    contentHandling: integration.contentHandling,
    timeoutInMillis: integration.timeoutInMillis,
    cacheNamespace: integration.cacheNamespace,
    cacheKeyParameters: nonEmpty(integration.cacheKeyParameters),
    tlsConfig: integration.tlsConfig,
    responses: nonEmpty(responses),
  });
}

function headerOfIdentity(authorizer: Authorizer): string {
  return /^method\.request\.header\.([^,\s]+)$/.exec(authorizer.identitySource ?? '')?.[1] ?? 'Unused';
}

function authorizerScheme(authorizer: Authorizer, withExtension: boolean): JsonObject {
  return compact({
    type: 'apiKey',
    name: headerOfIdentity(authorizer),
    in: 'header',
    [`${X}authtype`]: authorizer.authType,
    [`${X}authorizer`]: withExtension ? compact({
      type: lower(authorizer.type),
      authorizerUri: authorizer.authorizerUri,
      authorizerCredentials: authorizer.authorizerCredentials,
      identitySource: authorizer.identitySource,
      identityValidationExpression: authorizer.identityValidationExpression,
      providerARNs: authorizer.providerARNs,
      authorizerResultTtlInSeconds: authorizer.authorizerResultTtlInSeconds,
    }) : undefined,
  });
}

interface Sections {
  schemes: JsonObject;
  validatorNames: Map<string, string>;
}

function operationOf(method: Method, deployment: DeploymentRecord, options: ExportOptions, sections: Sections): JsonObject {
  const swagger = options.format === 'swagger';
  const withIntegrations = options.extensions.has('integrations') || options.extensions.has('apigateway');
  const withAuthorizers = options.extensions.has('authorizers') || options.extensions.has('apigateway');
  const parameters: JsonObject[] = Object.entries(method.requestParameters ?? {}).flatMap(([key, required]) => {
    const parsed = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(key);
    if (!parsed) return [];
    const location = parsed[1] === 'querystring' ? 'query' : parsed[1];
    return [swagger
      ? { name: parsed[2], in: location, required: location === 'path' || required, type: 'string' }
      : { name: parsed[2], in: location, required: location === 'path' || required, schema: { type: 'string' } }];
  });
  const requestModels = Object.entries(method.requestModels ?? {});
  let requestBody: JsonObject | undefined;
  if (requestModels.length > 0) {
    if (swagger) parameters.push({ in: 'body', name: requestModels[0][1], required: true, schema: { $ref: modelRef(options, requestModels[0][1]) } });
    else requestBody = { content: Object.fromEntries(requestModels.map(([type, model]) => [type, { schema: { $ref: modelRef(options, model) } }])), required: true };
  }
  const responses: JsonObject = {};
  for (const response of Object.values(method.methodResponses ?? {})) {
    const headers = Object.keys(response.responseParameters ?? {}).flatMap((key) => {
      const name = /^method\.response\.header\.(.+)$/.exec(key)?.[1];
      return name ? [[name, swagger ? { type: 'string' } : { schema: { type: 'string' } }] as const] : [];
    });
    const models = Object.entries(response.responseModels ?? {});
    responses[response.statusCode ?? '200'] = compact({
      description: `${response.statusCode ?? '200'} response`,
      headers: headers.length > 0 ? Object.fromEntries(headers) : undefined,
      schema: swagger && models.length > 0 ? { $ref: modelRef(options, models[0][1]) } : undefined,
      content: !swagger && models.length > 0 ? Object.fromEntries(models.map(([type, model]) => [type, { schema: { $ref: modelRef(options, model) } }])) : undefined,
    });
  }
  const security: JsonObject[] = [];
  const authorizer = method.authorizerId ? deployment.authorizers[method.authorizerId] : undefined;
  if ((method.authorizationType === 'CUSTOM' || method.authorizationType === 'COGNITO_USER_POOLS') && authorizer?.name) {
    security.push({ [authorizer.name]: method.authorizationScopes ?? [] });
    sections.schemes[authorizer.name] = authorizerScheme(authorizer, withAuthorizers);
  }
  if (method.authorizationType === 'AWS_IAM') {
    security.push({ sigv4: [] });
    sections.schemes.sigv4 = { type: 'apiKey', name: 'Authorization', in: 'header', [`${X}authtype`]: 'awsSigv4' };
  }
  if (method.apiKeyRequired) {
    security.push({ api_key: [] });
    sections.schemes.api_key = { type: 'apiKey', name: 'x-api-key', in: 'header' };
  }
  const validatorName = method.requestValidatorId ? sections.validatorNames.get(method.requestValidatorId) : undefined;
  return compact({
    operationId: method.operationName,
    consumes: swagger && requestModels.length > 0 ? requestModels.map(([type]) => type) : undefined,
    produces: swagger ? nonEmpty([...new Set(Object.values(method.methodResponses ?? {}).flatMap((response) => Object.keys(response.responseModels ?? {})))]) : undefined,
    parameters: nonEmpty(parameters),
    requestBody,
    responses,
    security: nonEmpty(security),
    [`${X}request-validator`]: options.extensions.has('apigateway') ? validatorName : undefined,
    [`${X}integration`]: withIntegrations && method.methodIntegration ? integrationOf(method.methodIntegration) : undefined,
  });
}

/** A resource policy as the document holds it: the JSON object, or the text when it is not JSON. */
function policyOf(policy: string): unknown {
  try {
    return JSON.parse(policy) as unknown;
  } catch {
    return policy;
  }
}

/** The document of `deployment` (the stage's) of `api`. */
export function exportDefinition(api: ApiRecord, deployment: DeploymentRecord, options: ExportOptions): JsonObject {
  const swagger = options.format === 'swagger';
  const gateway = options.extensions.has('apigateway');
  const validatorNames = new Map(Object.values(deployment.requestValidators).map((validator) => [validator.id ?? '', validator.name ?? validator.id ?? '']));
  const sections: Sections = { schemes: {}, validatorNames };
  const paths: JsonObject = {};
  for (const resource of Object.values(deployment.resources).sort((a, b) => a.path.localeCompare(b.path))) {
    const operations = Object.entries(resource.methods).sort(([a], [b]) => a.localeCompare(b));
    if (operations.length === 0) continue;
    paths[resource.path] = Object.fromEntries(operations.map(([verb, method]) => [
      verb === 'ANY' ? `${X}any-method` : verb.toLowerCase(), operationOf(method, deployment, options, sections),
    ]));
  }
  const schemas = Object.fromEntries(Object.values(deployment.models).map((model) => [model.name ?? '', schemaOf(model.schema, options)]));
  const host = `${api.id}.execute-api.${options.region}.amazonaws.com`;
  // The version is the API's, or when it has none the deployment's date, as AWS fills it in.
  const info = compact({ title: api.name, description: api.description, version: api.version ?? new Date(deployment.createdDate).toISOString().replace(/\.\d{3}Z$/, 'Z') });
  const validators = Object.fromEntries(Object.values(deployment.requestValidators).map((validator) => [
    validator.name ?? validator.id ?? '', { validateRequestBody: validator.validateRequestBody ?? false, validateRequestParameters: validator.validateRequestParameters ?? false },
  ]));
  const gatewayResponses = Object.fromEntries(Object.values(deployment.gatewayResponses ?? {}).map((response) => [
    response.responseType ?? '', compact({ statusCode: response.statusCode, responseParameters: nonEmpty(response.responseParameters), responseTemplates: nonEmpty(response.responseTemplates) }),
  ]));
  const extensions = gateway ? compact({
    [`${X}request-validators`]: nonEmpty(validators),
    [`${X}gateway-responses`]: nonEmpty(gatewayResponses),
    [`${X}binary-media-types`]: nonEmpty(deployment.binaryMediaTypes ?? api.binaryMediaTypes),
    [`${X}api-key-source`]: api.apiKeySource === 'HEADER' ? undefined : api.apiKeySource,
    [`${X}minimum-compression-size`]: api.minimumCompressionSize,
    [`${X}policy`]: api.policy ? policyOf(api.policy) : undefined,
  }) : {};
  if (swagger) {
    return compact({
      swagger: '2.0', info, host, basePath: `/${options.stageName}`, schemes: ['https'], paths,
      securityDefinitions: nonEmpty(sections.schemes), definitions: nonEmpty(schemas), ...extensions,
    });
  }
  return compact({
    openapi: '3.0.1', info,
    servers: [{ url: `https://${host}/{basePath}`, variables: { basePath: { default: options.stageName } } }],
    paths,
    components: compact({ schemas: nonEmpty(schemas), securitySchemes: nonEmpty(sections.schemes) }),
    ...extensions,
  });
}
