/**
 * OpenAPI 3.0 and Swagger 2.0 definitions -> an API Gateway definition, with the x-amazon-apigateway-*
 * extensions (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html).
 * Pure: methods name their authorizer and request validator by name (apply.ts turns names into ids).
 * What cannot be imported becomes a warning (ImportRestApi fails on them with failonwarnings=true).
 */
import type {
  Authorizer, AuthorizerType, ConnectionType, ContentHandlingStrategy, GatewayResponse, GatewayResponseType, Integration, IntegrationResponse, IntegrationType,
  Method, MethodResponse, Model, RequestValidator,
} from '../../../generated/apigateway.js';
import { RESPONSE_TYPES } from '../gateway-responses.js';
import type { JsonObject } from './document.js';
import { objectOf, stringOf } from './document.js';

export interface ImportedDefinition {
  name?: string;
  description?: string;
  version?: string;
  binaryMediaTypes: string[];
  apiKeySource?: 'HEADER' | 'AUTHORIZER';
  minimumCompressionSize?: number;
  policy?: string;
  /** Methods by resource path (`/pets/{id}`) and HTTP method; authorizerId and requestValidatorId hold names. */
  paths: Record<string, Record<string, Method>>;
  /** By name, without ids. */
  models: Record<string, Model>;
  requestValidators: Record<string, RequestValidator>;
  authorizers: Record<string, Authorizer>;
  gatewayResponses: Record<string, GatewayResponse>;
  warnings: string[];
}

export interface ImportOptions {
  /**
   * `prepend` puts the document's base path in front of every path, `split` all of it but its first
   * segment (/v1/pets: /pets); `ignore` (the default) drops it.
   */
  basepath?: 'ignore' | 'prepend' | 'split';
}

const X = 'x-amazon-apigateway-';
const VERBS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];
const MODEL_REF = /^#\/(?:components\/schemas|definitions)\/([^/]+)$/;

const stringMap = (value: unknown): Record<string, string> | undefined => {
  const entries = Object.entries(objectOf(value)).flatMap(([key, item]) => {
    const text = stringOf(item);
    return text === undefined ? [] : [[key, text] as const];
  });
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
};

const upper = (value: unknown): string | undefined => stringOf(value)?.toUpperCase();

function modelOfSchema(schema: unknown): string | undefined {
  return MODEL_REF.exec(stringOf(objectOf(schema).$ref) ?? '')?.[1];
}

/** The document's base path: Swagger's basePath, or the path of OpenAPI 3's first server URL (its basePath variable's default filled in). */
function basePathOf(document: JsonObject): string {
  if (typeof document.basePath === 'string') return document.basePath;
  const server = objectOf([document.servers].flat()[0]);
  const variables = objectOf(server.variables);
  const url = (stringOf(server.url) ?? '').replace(/\{([^}]+)\}/g, (_whole, name: string) => stringOf(objectOf(variables[name]).default) ?? '');
  const path = url.replace(/^[a-z]+:\/\/[^/]*/i, '');
  return path.startsWith('/') ? path : `/${path}`;
}

function integrationOf(value: unknown): Integration {
  const source = objectOf(value);
  const responses: Record<string, IntegrationResponse> = {};
  for (const [pattern, raw] of Object.entries(objectOf(source.responses))) {
    const response = objectOf(raw);
    const statusCode = stringOf(response.statusCode) ?? '200';
    responses[statusCode] = {
      statusCode,
      // The `default` key is the response without a selection pattern.
      selectionPattern: pattern === 'default' ? undefined : pattern,
      responseParameters: stringMap(response.responseParameters),
      responseTemplates: stringMap(response.responseTemplates),
      contentHandling: upper(response.contentHandling) as ContentHandlingStrategy | undefined,
    };
  }
  const type = upper(source.type) as IntegrationType | undefined ?? 'MOCK';
  const timeout = Number(source.timeoutInMillis);
  const skipVerification = objectOf(source.tlsConfig).insecureSkipVerification;
  return {
    type,
    httpMethod: upper(source.httpMethod),
    uri: stringOf(source.uri),
    connectionType: type === 'MOCK' ? undefined : (upper(source.connectionType) ?? 'INTERNET') as ConnectionType,
    connectionId: stringOf(source.connectionId),
    credentials: stringOf(source.credentials),
    requestParameters: stringMap(source.requestParameters),
    requestTemplates: stringMap(source.requestTemplates),
    passthroughBehavior: upper(source.passthroughBehavior) ?? 'WHEN_NO_MATCH',
    contentHandling: upper(source.contentHandling) as ContentHandlingStrategy | undefined,
    timeoutInMillis: Number.isInteger(timeout) ? timeout : 29000,
    cacheNamespace: stringOf(source.cacheNamespace),
    cacheKeyParameters: Array.isArray(source.cacheKeyParameters) ? source.cacheKeyParameters.map(String) : [],
    tlsConfig: typeof skipVerification === 'boolean' ? { insecureSkipVerification: skipVerification } : undefined,
    integrationResponses: Object.keys(responses).length > 0 ? responses : undefined,
  };
}

function authorizerOf(name: string, scheme: JsonObject, warnings: string[]): Authorizer | undefined {
  const source = objectOf(scheme[`${X}authorizer`]);
  const type = upper(source.type) as AuthorizerType | undefined;
  if (type !== 'TOKEN' && type !== 'REQUEST' && type !== 'COGNITO_USER_POOLS') {
    warnings.push(`Unsupported authorizer type for security scheme ${name}: ${stringOf(source.type) ?? ''}`);
    return undefined;
  }
  // TOKEN and user pool authorizers read the scheme's header unless identitySource says otherwise.
  const header = scheme.in === 'header' ? stringOf(scheme.name) : undefined;
  const ttl = Number(source.authorizerResultTtlInSeconds);
  return {
    name,
    type,
    authType: stringOf(scheme[`${X}authtype`]) ?? (type === 'COGNITO_USER_POOLS' ? 'cognito_user_pools' : 'custom'),
    authorizerUri: stringOf(source.authorizerUri),
    authorizerCredentials: stringOf(source.authorizerCredentials),
    identitySource: stringOf(source.identitySource) ?? (header && type !== 'REQUEST' ? `method.request.header.${header}` : undefined),
    identityValidationExpression: stringOf(source.identityValidationExpression),
    providerARNs: Array.isArray(source.providerARNs) ? source.providerARNs.map(String) : undefined,
    authorizerResultTtlInSeconds: Number.isInteger(ttl) ? ttl : 300,
  };
}

type SchemeKind = { kind: 'authorizer' } | { kind: 'apiKey' } | { kind: 'iam' } | { kind: 'none' };

function schemeKind(scheme: JsonObject): SchemeKind {
  if (scheme[`${X}authorizer`] !== undefined) return { kind: 'authorizer' };
  if (stringOf(scheme[`${X}authtype`])?.toLowerCase() === 'awssigv4') return { kind: 'iam' };
  if (scheme.type === 'apiKey' && stringOf(scheme.name)?.toLowerCase() === 'x-api-key') return { kind: 'apiKey' };
  return { kind: 'none' };
}

interface Context {
  swagger: boolean;
  schemes: Record<string, JsonObject>;
  authorizers: Record<string, Authorizer>;
  defaultValidator?: string;
  validators: Record<string, RequestValidator>;
  models: Record<string, Model>;
  globalSecurity: unknown;
  globalConsumes: string[];
  globalProduces: string[];
  warnings: string[];
}

function parametersOf(operation: JsonObject, inherited: unknown[], method: Method, context: Context, where: string): void {
  const byKey = new Map<string, JsonObject>();
  for (const raw of [...inherited, ...[operation.parameters ?? []].flat()]) {
    const parameter = objectOf(raw);
    byKey.set(`${stringOf(parameter.in) ?? ''}:${stringOf(parameter.name) ?? ''}`, parameter);
  }
  const requestParameters: Record<string, boolean> = {};
  for (const parameter of byKey.values()) {
    const location = stringOf(parameter.in);
    const name = stringOf(parameter.name) ?? '';
    if (location === 'body') {
      const model = modelOfSchema(parameter.schema);
      const consumes = [operation.consumes ?? context.globalConsumes].flat().map(String);
      if (model) method.requestModels = Object.fromEntries((consumes.length > 0 ? consumes : ['application/json']).map((type) => [type, model]));
      else context.warnings.push(`Inline request body schemas are not imported (${where}): use a $ref to a definition`);
      continue;
    }
    const prefix = location === 'query' ? 'querystring' : location === 'path' || location === 'header' ? location : undefined;
    if (!prefix) {
      context.warnings.push(`Unsupported parameter location ${location ?? ''} for ${name} (${where})`);
      continue;
    }
    requestParameters[`method.request.${prefix}.${name}`] = location === 'path' || parameter.required === true;
  }
  if (Object.keys(requestParameters).length > 0) method.requestParameters = requestParameters;
}

function requestBodyOf(operation: JsonObject, method: Method, context: Context, where: string): void {
  for (const [contentType, raw] of Object.entries(objectOf(objectOf(operation.requestBody).content))) {
    const model = modelOfSchema(objectOf(raw).schema);
    if (model) method.requestModels = { ...method.requestModels, [contentType]: model };
    else context.warnings.push(`Inline request body schemas are not imported (${where}): use a $ref to components/schemas`);
  }
}

function responsesOf(operation: JsonObject, context: Context): Record<string, MethodResponse> | undefined {
  const responses: Record<string, MethodResponse> = {};
  for (const [statusCode, raw] of Object.entries(objectOf(operation.responses))) {
    if (!/^[1-5]\d\d$/.test(statusCode)) continue;
    const response = objectOf(raw);
    const headers = Object.keys(objectOf(response.headers));
    const models: Record<string, string> = {};
    if (context.swagger) {
      const model = modelOfSchema(response.schema);
      const produces = [operation.produces ?? context.globalProduces].flat().map(String);
      if (model) for (const type of produces.length > 0 ? produces : ['application/json']) models[type] = model;
    } else {
      for (const [contentType, media] of Object.entries(objectOf(response.content))) {
        const model = modelOfSchema(objectOf(media).schema);
        if (model) models[contentType] = model;
      }
    }
    responses[statusCode] = {
      statusCode,
      responseParameters: headers.length > 0 ? Object.fromEntries(headers.map((name) => [`method.response.header.${name}`, false])) : undefined,
      responseModels: Object.keys(models).length > 0 ? models : undefined,
    };
  }
  return Object.keys(responses).length > 0 ? responses : undefined;
}

function securityOf(operation: JsonObject, method: Method, context: Context, where: string): void {
  const requirements = [operation.security ?? context.globalSecurity ?? []].flat();
  for (const requirement of requirements) {
    for (const [name, scopes] of Object.entries(objectOf(requirement))) {
      const scheme = context.schemes[name] as JsonObject | undefined;
      if (!scheme) {
        context.warnings.push(`Security scheme ${name} is not defined (${where})`);
        continue;
      }
      const { kind } = schemeKind(scheme);
      if (kind === 'apiKey') method.apiKeyRequired = true;
      else if (kind === 'iam') method.authorizationType = 'AWS_IAM';
      else if (kind === 'authorizer' && context.authorizers[name]) {
        const authorizer = context.authorizers[name];
        method.authorizationType = authorizer.type === 'COGNITO_USER_POOLS' ? 'COGNITO_USER_POOLS' : 'CUSTOM';
        method.authorizerId = name;
        if (Array.isArray(scopes) && scopes.length > 0) method.authorizationScopes = scopes.map(String);
      }
    }
  }
}

function methodOf(verb: string, operation: JsonObject, inherited: unknown[], context: Context, path: string): Method {
  const httpMethod = verb === `${X}any-method` ? 'ANY' : verb.toUpperCase();
  const where = `${httpMethod} ${path}`;
  const method: Method = { httpMethod, authorizationType: 'NONE', apiKeyRequired: false, operationName: stringOf(operation.operationId) };
  parametersOf(operation, inherited, method, context, where);
  if (!context.swagger) requestBodyOf(operation, method, context, where);
  securityOf(operation, method, context, where);
  const validator = stringOf(operation[`${X}request-validator`]) ?? context.defaultValidator;
  if (validator !== undefined) {
    if (context.validators[validator]) method.requestValidatorId = validator;
    else context.warnings.push(`Request validator ${validator} is not defined (${where})`);
  }
  for (const model of Object.values(method.requestModels ?? {})) {
    if (!context.models[model]) context.warnings.push(`Model ${model} is not defined (${where})`);
  }
  method.methodResponses = responsesOf(operation, context);
  if (operation[`${X}integration`] !== undefined) method.methodIntegration = integrationOf(operation[`${X}integration`]);
  else context.warnings.push(`No integration defined for method (${where})`);
  return method;
}

function joinPath(base: string, path: string): string {
  const joined = `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  return joined === '' ? '/' : joined.replace(/\/+$/, '') || '/';
}

/** The API Gateway definition a parsed OpenAPI 3.0 or Swagger 2.0 document describes. */
export function importDefinition(document: JsonObject, options: ImportOptions = {}): ImportedDefinition {
  const swagger = document.swagger !== undefined;
  const warnings: string[] = [];
  if (!swagger && !/^3\./.test(stringOf(document.openapi) ?? '')) warnings.push('The document is neither OpenAPI 3.0 (openapi: 3.x) nor Swagger 2.0 (swagger: "2.0")');
  const info = objectOf(document.info);
  const components = objectOf(document.components);

  const models: Record<string, Model> = {};
  for (const [name, schema] of Object.entries(objectOf(swagger ? document.definitions : components.schemas))) {
    if (!/^[a-zA-Z0-9]+$/.test(name)) {
      warnings.push(`Model name ${name} is not alphanumeric: skipped`);
      continue;
    }
    models[name] = { name, contentType: 'application/json', schema: JSON.stringify(schema) };
  }

  const validators: Record<string, RequestValidator> = {};
  for (const [name, raw] of Object.entries(objectOf(document[`${X}request-validators`]))) {
    const validator = objectOf(raw);
    validators[name] = { name, validateRequestBody: validator.validateRequestBody === true, validateRequestParameters: validator.validateRequestParameters === true };
  }

  const schemes = objectOf(swagger ? document.securityDefinitions : components.securitySchemes) as Record<string, JsonObject>;
  const authorizers: Record<string, Authorizer> = {};
  for (const [name, scheme] of Object.entries(schemes)) {
    if (schemeKind(objectOf(scheme)).kind !== 'authorizer') continue;
    const authorizer = authorizerOf(name, objectOf(scheme), warnings);
    if (authorizer) authorizers[name] = authorizer;
  }

  const gatewayResponses: Record<string, GatewayResponse> = {};
  for (const [type, raw] of Object.entries(objectOf(document[`${X}gateway-responses`]))) {
    if (!(RESPONSE_TYPES as string[]).includes(type)) {
      warnings.push(`Unknown gateway response type ${type}: skipped`);
      continue;
    }
    const response = objectOf(raw);
    gatewayResponses[type] = {
      responseType: type as GatewayResponseType,
      statusCode: stringOf(response.statusCode),
      responseParameters: stringMap(response.responseParameters) ?? {},
      responseTemplates: stringMap(response.responseTemplates) ?? {},
      defaultResponse: false,
    };
  }

  const context: Context = {
    swagger,
    schemes,
    authorizers,
    defaultValidator: stringOf(document[`${X}request-validator`]),
    validators,
    models,
    globalSecurity: document.security,
    globalConsumes: [document.consumes ?? []].flat().map(String),
    globalProduces: [document.produces ?? []].flat().map(String),
    warnings,
  };
  const base = options.basepath === 'prepend' ? basePathOf(document)
    : options.basepath === 'split' ? `/${basePathOf(document).split('/').filter(Boolean).slice(1).join('/')}` : '/';
  const paths: Record<string, Record<string, Method>> = {};
  for (const [rawPath, rawItem] of Object.entries(objectOf(document.paths))) {
    const item = objectOf(rawItem);
    const path = joinPath(base, rawPath);
    const methods: Record<string, Method> = {};
    const inherited = [item.parameters ?? []].flat();
    for (const [verb, operation] of Object.entries(item)) {
      if (!VERBS.includes(verb) && verb !== `${X}any-method`) continue;
      const method = methodOf(verb, objectOf(operation), inherited, context, path);
      methods[method.httpMethod!] = method;
    }
    paths[path] = { ...paths[path], ...methods };
  }

  const apiKeySource = upper(document[`${X}api-key-source`]);
  const compression = Number(document[`${X}minimum-compression-size`]);
  const policy = document[`${X}policy`];
  return {
    name: stringOf(info.title),
    description: stringOf(info.description),
    version: stringOf(info.version),
    binaryMediaTypes: [document[`${X}binary-media-types`] ?? []].flat().map(String),
    apiKeySource: apiKeySource === 'HEADER' || apiKeySource === 'AUTHORIZER' ? apiKeySource : undefined,
    minimumCompressionSize: Number.isInteger(compression) ? compression : undefined,
    policy: policy === undefined ? undefined : typeof policy === 'string' ? policy : JSON.stringify(policy),
    paths,
    models,
    requestValidators: validators,
    authorizers,
    gatewayResponses,
    warnings,
  };
}
