/**
 * HTTP APIs to and from OpenAPI 3.0 documents with API Gateway's extensions, as ExportApi writes them and
 * ImportApi/ReimportApi read them (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html):
 * paths and methods are routes (`x-amazon-apigateway-any-method` is ANY, the path `$default` the $default
 * route), `x-amazon-apigateway-integration` their integrations, security schemes with
 * `x-amazon-apigateway-authorizer` their JWT and Lambda authorizers, `x-amazon-apigateway-cors` the CORS
 * configuration. Pure: what exportHttpApi writes, readHttpApi reads back.
 */
import type { AuthorizationType, Cors, IntegrationType } from '../../generated/apigatewayv2.js';
import type { JsonObject } from '../apigateway/openapi/document.js';
import { objectOf, stringOf } from '../apigateway/openapi/document.js';
import type { ApiV2, AuthorizerV2, DeployedApi, IntegrationV2, RouteV2 } from './records.js';

const X = 'x-amazon-apigateway-';
const ANY_METHOD = `${X}any-method`;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];
const INTEGRATION_TYPES = new Set<string>(['AWS_PROXY', 'HTTP_PROXY', 'AWS', 'HTTP', 'MOCK']);

/** Drops undefined members (and empty objects), so the document has no `"x": null`-like noise. */
function compact(value: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined && !(typeof item === 'object' && item !== null && !Array.isArray(item) && Object.keys(item).length === 0)));
}

const numberOf = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const booleanOf = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);
const stringsOf = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.map(String) : undefined);
const stringMapOf = (value: unknown): Record<string, string> | undefined => (value === undefined ? undefined : Object.fromEntries(Object.entries(objectOf(value)).map(([key, item]) => [key, String(item)])));

// ---- Export ----------------------------------------------------------------------------------------

export interface ExportOptions {
  includeExtensions: boolean;
  /** Where the API is served, e.g. http://{apiId}.execute-api.localhost:4566. */
  endpoint: string;
  /** The stage exported from, for the server's base path (none for `$default` or the live API). */
  stageName?: string;
}

/** AWS versions an exported API without a Version by its creation time, e.g. `2026-01-01 00:00:00UTC`. */
function defaultVersion(createdDate: number | undefined): string {
  return `${new Date(createdDate ?? 0).toISOString().slice(0, 19).replace('T', ' ')}UTC`;
}

function integrationExtension(integration: IntegrationV2): JsonObject {
  return compact({
    type: integration.IntegrationType?.toLowerCase(),
    integrationSubtype: integration.IntegrationSubtype,
    uri: integration.IntegrationUri,
    httpMethod: integration.IntegrationMethod,
    payloadFormatVersion: integration.PayloadFormatVersion,
    connectionType: integration.ConnectionType,
    connectionId: integration.ConnectionId,
    credentials: integration.CredentialsArn,
    timeoutInMillis: integration.TimeoutInMillis,
    requestParameters: integration.RequestParameters,
    responseParameters: integration.ResponseParameters,
    tlsConfig: integration.TlsConfig?.ServerNameToVerify ? { serverNameToVerify: integration.TlsConfig.ServerNameToVerify } : undefined,
  });
}

function securityScheme(authorizer: AuthorizerV2, includeExtensions: boolean): JsonObject {
  const jwt = authorizer.AuthorizerType === 'JWT';
  const base: JsonObject = jwt ? { type: 'oauth2', flows: {} } : { type: 'apiKey', name: 'Unused', in: 'header' };
  if (!includeExtensions) return base;
  return {
    ...base,
    [`${X}authorizer`]: compact({
      type: jwt ? 'jwt' : 'request',
      identitySource: authorizer.IdentitySource?.join(', '),
      jwtConfiguration: authorizer.JwtConfiguration ? compact({ audience: authorizer.JwtConfiguration.Audience, issuer: authorizer.JwtConfiguration.Issuer }) : undefined,
      authorizerUri: authorizer.AuthorizerUri,
      authorizerCredentials: authorizer.AuthorizerCredentialsArn,
      authorizerPayloadFormatVersion: authorizer.AuthorizerPayloadFormatVersion,
      authorizerResultTtlInSeconds: authorizer.AuthorizerResultTtlInSeconds,
      enableSimpleResponses: authorizer.EnableSimpleResponses,
    }),
  };
}

const SIGV4_SCHEME = 'sigv4';

function operationOf(route: RouteV2, deployed: DeployedApi, options: ExportOptions, path: string): JsonObject {
  const integration = route.Target ? deployed.integrations[route.Target.slice('integrations/'.length)] as IntegrationV2 | undefined : undefined;
  const authorizer = route.AuthorizerId ? deployed.authorizers[route.AuthorizerId] as AuthorizerV2 | undefined : undefined;
  const variables = [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((match) => match[1]);
  let security: JsonObject[] | undefined;
  if (authorizer) security = [{ [authorizer.Name]: route.AuthorizationScopes ?? [] }];
  else if (route.AuthorizationType === 'AWS_IAM') security = [{ [SIGV4_SCHEME]: [] }];
  return compact({
    operationId: route.OperationName,
    parameters: variables.length > 0 ? variables.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })) : undefined,
    responses: { default: { description: `Default response for ${route.RouteKey}` } },
    security,
    [`${X}integration`]: options.includeExtensions && integration ? integrationExtension(integration) : undefined,
  });
}

export function exportHttpApi(api: ApiV2, deployed: DeployedApi, options: ExportOptions): JsonObject {
  const paths: Record<string, JsonObject> = {};
  const routes = Object.values(deployed.routes).sort((a, b) => (a.RouteKey < b.RouteKey ? -1 : a.RouteKey > b.RouteKey ? 1 : 0));
  for (const route of routes) {
    const [method, path] = route.RouteKey === '$default' ? ['ANY', '$default'] : route.RouteKey.split(' ');
    const key = method === 'ANY' ? ANY_METHOD : method.toLowerCase();
    paths[path] = { ...paths[path], [key]: operationOf(route, deployed, options, path) };
  }
  const schemes: Record<string, JsonObject> = {};
  for (const authorizer of Object.values(deployed.authorizers)) schemes[authorizer.Name] = securityScheme(authorizer, options.includeExtensions);
  if (routes.some((route) => route.AuthorizationType === 'AWS_IAM')) {
    schemes[SIGV4_SCHEME] = { type: 'apiKey', name: 'Authorization', in: 'header', ...(options.includeExtensions ? { [`${X}authtype`]: 'awsSigv4' } : {}) };
  }
  const cors = api.CorsConfiguration;
  return compact({
    openapi: '3.0.1',
    info: compact({ title: api.Name, description: api.Description, version: api.Version ?? defaultVersion(api.CreatedDate) }),
    servers: [{ url: `${options.endpoint}/{basePath}`, variables: { basePath: { default: options.stageName && options.stageName !== '$default' ? options.stageName : '' } } }],
    paths,
    components: compact({ securitySchemes: schemes }),
    [`${X}cors`]: options.includeExtensions && cors ? compact({
      allowOrigins: cors.AllowOrigins, allowCredentials: cors.AllowCredentials, exposeHeaders: cors.ExposeHeaders,
      maxAge: cors.MaxAge, allowMethods: cors.AllowMethods, allowHeaders: cors.AllowHeaders,
    }) : undefined,
    [`${X}importexport-version`]: options.includeExtensions ? '1.0' : undefined,
  });
}

// ---- Import ----------------------------------------------------------------------------------------

/** An imported authorizer, route or integration, before ids are given out and AWS's rules checked. */
export interface ImportedRoute {
  RouteKey: string;
  OperationName?: string;
  AuthorizationType: AuthorizationType;
  AuthorizationScopes?: string[];
  /** The security scheme (authorizer) name, when authorized by one. */
  authorizerName?: string;
  integration?: Omit<IntegrationV2, 'IntegrationId'>;
}

export interface ImportedHttpApi {
  Name?: string;
  Description?: string;
  Version?: string;
  CorsConfiguration?: Cors;
  authorizers: Omit<AuthorizerV2, 'AuthorizerId'>[];
  routes: ImportedRoute[];
  warnings: string[];
}

function authorizerOf(name: string, extension: JsonObject): Omit<AuthorizerV2, 'AuthorizerId'> {
  const jwt = objectOf(extension.jwtConfiguration);
  const identitySource = stringOf(extension.identitySource);
  return {
    Name: name,
    AuthorizerType: stringOf(extension.type)?.toLowerCase() === 'jwt' ? 'JWT' : 'REQUEST',
    IdentitySource: identitySource === undefined ? [] : identitySource.split(',').map((source) => source.trim()).filter(Boolean),
    JwtConfiguration: extension.jwtConfiguration === undefined ? undefined : { Issuer: stringOf(jwt.issuer), Audience: stringsOf(jwt.audience) },
    AuthorizerUri: stringOf(extension.authorizerUri),
    AuthorizerCredentialsArn: stringOf(extension.authorizerCredentials),
    AuthorizerPayloadFormatVersion: stringOf(extension.authorizerPayloadFormatVersion),
    AuthorizerResultTtlInSeconds: numberOf(extension.authorizerResultTtlInSeconds),
    EnableSimpleResponses: booleanOf(extension.enableSimpleResponses),
  };
}

function integrationOf(extension: JsonObject, where: string, warnings: string[]): Omit<IntegrationV2, 'IntegrationId'> | undefined {
  const type = stringOf(extension.type)?.toUpperCase();
  if (!type || !INTEGRATION_TYPES.has(type)) {
    warnings.push(`Unsupported integration type ${stringOf(extension.type) ?? '(none)'} at ${where}; the route was imported without an integration.`);
    return undefined;
  }
  const tls = objectOf(extension.tlsConfig);
  return {
    IntegrationType: type as IntegrationType,
    IntegrationSubtype: stringOf(extension.integrationSubtype),
    IntegrationUri: stringOf(extension.uri),
    IntegrationMethod: stringOf(extension.httpMethod)?.toUpperCase(),
    PayloadFormatVersion: stringOf(extension.payloadFormatVersion),
    ConnectionType: stringOf(extension.connectionType) === 'VPC_LINK' ? 'VPC_LINK' : undefined,
    ConnectionId: stringOf(extension.connectionId),
    CredentialsArn: stringOf(extension.credentials),
    TimeoutInMillis: numberOf(extension.timeoutInMillis),
    RequestParameters: stringMapOf(extension.requestParameters),
    ResponseParameters: extension.responseParameters === undefined ? undefined : Object.fromEntries(Object.entries(objectOf(extension.responseParameters)).map(([status, map]) => [status, stringMapOf(map) ?? {}])),
    TlsConfig: stringOf(tls.serverNameToVerify) ? { ServerNameToVerify: stringOf(tls.serverNameToVerify) } : undefined,
  };
}

function corsOf(extension: JsonObject): Cors {
  return {
    AllowOrigins: stringsOf(extension.allowOrigins),
    AllowCredentials: booleanOf(extension.allowCredentials),
    ExposeHeaders: stringsOf(extension.exposeHeaders),
    MaxAge: numberOf(extension.maxAge),
    AllowMethods: stringsOf(extension.allowMethods),
    AllowHeaders: stringsOf(extension.allowHeaders),
  };
}

/** The HTTP API an OpenAPI 3 document describes, or a reason it cannot be imported (thrown by the caller). */
export function readHttpApi(document: JsonObject): ImportedHttpApi | string {
  if (!stringOf(document.openapi)?.startsWith('3.')) return 'Only OpenAPI 3.0 definitions can be imported as HTTP APIs.';
  const info = objectOf(document.info);
  const warnings: string[] = [];
  const schemes = objectOf(objectOf(document.components).securitySchemes);
  const authorizers: Omit<AuthorizerV2, 'AuthorizerId'>[] = [];
  const sigv4Schemes = new Set<string>();
  for (const [name, scheme] of Object.entries(schemes)) {
    const definition = objectOf(scheme);
    if (definition[`${X}authorizer`] !== undefined) authorizers.push(authorizerOf(name, objectOf(definition[`${X}authorizer`])));
    else if (stringOf(definition[`${X}authtype`])?.toLowerCase() === 'awssigv4') sigv4Schemes.add(name);
    else warnings.push(`Security scheme ${name} has no ${X}authorizer and was ignored.`);
  }
  const defaultSecurity = document.security;
  const routes: ImportedRoute[] = [];
  for (const [path, item] of Object.entries(objectOf(document.paths))) {
    for (const [key, value] of Object.entries(objectOf(item))) {
      const method = key === ANY_METHOD ? 'ANY' : METHODS.includes(key) ? key.toUpperCase() : undefined;
      if (!method) {
        if (key !== 'parameters' && key !== 'summary' && key !== 'description') warnings.push(`Unsupported method ${key} at path ${path} was ignored.`);
        continue;
      }
      const operation = objectOf(value);
      const routeKey = path === '$default' || path === '/$default' ? '$default' : `${method} ${path}`;
      const requirement = objectOf((Array.isArray(operation.security) ? operation.security : Array.isArray(defaultSecurity) ? defaultSecurity : [])[0]);
      const [schemeName, scopes] = Object.entries(requirement)[0] ?? [];
      const route: ImportedRoute = { RouteKey: routeKey, OperationName: stringOf(operation.operationId), AuthorizationType: 'NONE' };
      if (schemeName !== undefined && sigv4Schemes.has(schemeName)) route.AuthorizationType = 'AWS_IAM';
      const authorizer = authorizers.find((candidate) => candidate.Name === schemeName);
      if (authorizer) {
        route.AuthorizationType = authorizer.AuthorizerType === 'JWT' ? 'JWT' : 'CUSTOM';
        route.authorizerName = authorizer.Name;
        const granted = stringsOf(scopes);
        if (authorizer.AuthorizerType === 'JWT' && granted && granted.length > 0) route.AuthorizationScopes = granted;
      }
      if (operation[`${X}integration`] !== undefined) route.integration = integrationOf(objectOf(operation[`${X}integration`]), `${method} ${path}`, warnings);
      routes.push(route);
    }
  }
  return {
    Name: stringOf(info.title),
    Description: stringOf(info.description),
    Version: stringOf(info.version),
    CorsConfiguration: document[`${X}cors`] === undefined ? undefined : corsOf(objectOf(document[`${X}cors`])),
    authorizers,
    routes,
    warnings,
  };
}
