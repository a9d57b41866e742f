/**
 * The gateway's own error answers (no resource, denied, invalid key, failed validation, broken
 * integration...). Each is first built with AWS's default body, then `withGatewayResponse` applies the
 * deployed API's customized gateway response of that type, or of DEFAULT_4XX/DEFAULT_5XX
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html).
 */
import type { IncomingMessage } from 'node:http';
import type { GatewayResponseType } from '../../../generated/apigateway.js';
import { renderMappingTemplate } from '../../../engines/vtl/template.js';
import type { DeploymentRecord } from '../api-record.js';
import { DEFAULT_STATUS } from '../gateway-responses.js';
import type { GatewayResponse, Invocation } from './context.js';
import { requestContext } from './context.js';
import { headerOf } from './request.js';

// The x-amzn-ErrorType header AWS sends with each type's default answer.
const ERROR_TYPES: Partial<Record<GatewayResponseType, string>> = {
  ACCESS_DENIED: 'AccessDeniedException',
  API_CONFIGURATION_ERROR: 'InternalServerErrorException',
  AUTHORIZER_CONFIGURATION_ERROR: 'AuthorizerConfigurationException',
  AUTHORIZER_FAILURE: 'AuthorizerConfigurationException',
  BAD_REQUEST_PARAMETERS: 'BadRequestException',
  BAD_REQUEST_BODY: 'BadRequestException',
  DEFAULT_5XX: 'InternalServerErrorException',
  INTEGRATION_FAILURE: 'InternalServerErrorException',
  INTEGRATION_TIMEOUT: 'InternalServerErrorException',
  INVALID_API_KEY: 'ForbiddenException',
  MISSING_AUTHENTICATION_TOKEN: 'MissingAuthenticationTokenException',
  QUOTA_EXCEEDED: 'LimitExceededException',
  THROTTLED: 'TooManyRequestsException',
  UNAUTHORIZED: 'UnauthorizedException',
  UNSUPPORTED_MEDIA_TYPE: 'UnsupportedMediaTypeException',
};

export interface GatewayErrorOptions {
  /** For DEFAULT_4XX/DEFAULT_5XX (which have no status of their own) and errors AWS answers with another code. */
  statusCode?: number;
  errorType?: string;
  /** A default body other than {"message": ...} (the authorizer's 403 says "Message"). */
  body?: unknown;
}

/** The gateway's answer of `responseType`, as AWS sends it when the API has not customized it. */
export function gatewayError(responseType: GatewayResponseType, message: string | null, options: GatewayErrorOptions = {}): GatewayResponse {
  const statusCode = options.statusCode ?? Number(DEFAULT_STATUS[responseType] ?? (responseType === 'DEFAULT_5XX' ? 500 : 400));
  const errorType = options.errorType ?? ERROR_TYPES[responseType];
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}) },
    body: Buffer.from(JSON.stringify(options.body ?? { message })),
    gatewayError: { responseType, message },
  };
}

/** What is known of the failed request when the answer is written. */
export interface GatewayErrorScope {
  /** The raw request, for errors that come before the invocation is read (no route, for one). */
  request: IncomingMessage;
  url: URL;
  deployment?: DeploymentRecord;
  apiId?: string;
  stage?: string;
  invocation?: Invocation;
}

function parameterValue(source: string, scope: GatewayErrorScope, context: Record<string, unknown>): string | undefined {
  if (/^'.*'$/s.test(source)) return source.slice(1, -1);
  const { invocation } = scope;
  const request = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(source);
  if (request) {
    const [, location, name] = request;
    if (location === 'header') {
      const raw = scope.request.headers[name.toLowerCase()];
      return invocation ? headerOf(invocation.request, name) : Array.isArray(raw) ? raw.at(-1) : raw;
    }
    return location === 'querystring' ? scope.url.searchParams.getAll(name).at(-1) : invocation?.route.pathParameters[name];
  }
  const stageVariable = /^stageVariables\.(.+)$/.exec(source);
  if (stageVariable) return invocation?.stageVariables[stageVariable[1]];
  const contextPath = /^context\.(.+)$/.exec(source);
  if (!contextPath) return undefined;
  let value: unknown = context;
  for (const part of contextPath[1].split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return value === undefined || value === null ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
}

/** `response` with the deployed API's gateway response applied when it is one of the gateway's own errors. */
export function withGatewayResponse(response: GatewayResponse, scope: GatewayErrorScope): GatewayResponse {
  const mark = response.gatewayError;
  const customized = scope.deployment?.gatewayResponses;
  if (!mark || !customized) return response;
  const family = response.statusCode >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  const own = customized[mark.responseType];
  const fallback = customized[family];
  // A type's own customization wins; otherwise the family's applies (its status code too, when it has one).
  const chosen = own ?? fallback;
  if (!chosen) return response;
  const statusCode = Number(own?.statusCode ?? fallback?.statusCode ?? response.statusCode);
  const context: Record<string, unknown> = {
    ...(scope.invocation ? requestContext(scope.invocation) : { apiId: scope.apiId, stage: scope.stage, httpMethod: scope.request.method }),
    error: {
      message: mark.message ?? '',
      messageString: JSON.stringify(mark.message),
      responseType: mark.responseType,
      validationErrorString: mark.responseType === 'BAD_REQUEST_BODY' ? JSON.stringify(mark.message) : '',
    },
  };
  const headers: Record<string, string> = { ...response.headers };
  for (const [target, source] of Object.entries(chosen.responseParameters ?? {})) {
    const name = /^gatewayresponse\.header\.(.+)$/.exec(target)?.[1];
    const value = name ? parameterValue(source, scope, context) : undefined;
    if (name && value !== undefined) headers[name] = value;
  }
  const templates = chosen.responseTemplates ?? {};
  const template = templates['application/json'] ?? Object.values(templates)[0];
  const body = template === undefined
    ? response.body
    : Buffer.from(renderMappingTemplate(template, {
      input: { body: '', path: scope.invocation?.route.pathParameters ?? {}, querystring: scope.invocation?.request.query ?? {}, header: scope.invocation?.request.headers ?? {} },
      context,
      stageVariables: scope.invocation?.stageVariables ?? {},
    }));
  return { ...response, statusCode, headers, body };
}
