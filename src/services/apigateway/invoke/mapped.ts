/**
 * Integrations with mapping: MOCK, AWS (Lambda) and HTTP. The request template shapes what the backend
 * gets; the integration response whose selectionPattern matches (the status code for MOCK and HTTP,
 * the Lambda errorMessage for AWS) shapes what the client gets
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-integration-settings-integration-response.html).
 */
import type { Integration, IntegrationResponse } from '../../../generated/apigateway.js';
import { evaluateJsonPath } from '../../../engines/vtl/json-path.js';
import type { TemplateInput } from '../../../engines/vtl/template.js';
import { renderMappingTemplate } from '../../../engines/vtl/template.js';
import type { ServiceRuntime } from '../../service.js';
import type { GatewayResponse, Invocation } from './context.js';
import { requestContext, withStageVariables } from './context.js';
import { convertPayload, isBinaryMediaType } from './binary.js';
import { gatewayError } from './gateway-errors.js';
import { functionOfUri, invokeFunction } from './lambda-proxy.js';
import { headerOf } from './request.js';

const internalError = (): GatewayResponse => gatewayError('API_CONFIGURATION_ERROR', 'Internal server error');

/** What the backend answered, before integration response mapping. */
interface BackendResult {
  statusCode: string;
  body: string;
  /** The body's bytes, for binary answers (body is their UTF-8 reading). */
  bytes: Buffer;
  headers: Record<string, string>;
  /** What selectionPattern is matched against; undefined picks the default response (a Lambda success). */
  selector?: string;
}

function templateInput(invocation: Invocation, body: string): TemplateInput {
  const { request } = invocation;
  return { body, path: invocation.route.pathParameters, querystring: request.query, header: request.headers };
}

/**
 * What the backend gets: the request template's rendering for the request's content type, or the body
 * passed through; a 415 per passthroughBehavior. A binary body (binaryMediaTypes) skips templates
 * unless contentHandling CONVERT_TO_TEXT turned it into base64 text.
 */
function requestPayload(integration: Integration, invocation: Invocation): Buffer | GatewayResponse {
  const templates = integration.requestTemplates ?? {};
  const contentTypeHeader = headerOf(invocation.request, 'content-type');
  const contentType = (contentTypeHeader ?? 'application/json').split(';')[0].trim().toLowerCase();
  const template = templates[contentType];
  const converted = convertPayload(invocation.request.body, isBinaryMediaType(invocation.binaryMediaTypes, contentTypeHeader), integration.contentHandling);
  if (template === undefined || converted.binary) {
    const behavior = integration.passthroughBehavior ?? 'WHEN_NO_MATCH';
    const passes = behavior === 'WHEN_NO_MATCH' || (behavior === 'WHEN_NO_TEMPLATES' && Object.keys(templates).length === 0) || converted.binary;
    return passes ? converted.body : gatewayError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Media Type');
  }
  const body = converted.body.toString('utf8');
  return Buffer.from(renderMappingTemplate(template, { input: templateInput(invocation, body), context: requestContext(invocation), stageVariables: invocation.stageVariables }));
}

function selectResponse(integration: Integration, selector: string | undefined): IntegrationResponse | undefined {
  const responses = Object.values(integration.integrationResponses ?? {});
  if (selector === undefined) return responses.find((response) => !response.selectionPattern);
  // A pattern must match the whole selector (Java regex semantics); the response without one is the default.
  const matched = responses.find((response) => response.selectionPattern && new RegExp(`^(?:${response.selectionPattern})$`, 's').test(selector));
  return matched ?? responses.find((response) => !response.selectionPattern);
}

function parameterValue(source: string, result: BackendResult): string | undefined {
  if (/^'.*'$/s.test(source)) return source.slice(1, -1);
  const header = /^integration\.response\.header\.(.+)$/.exec(source);
  if (header) return Object.entries(result.headers).find(([name]) => name.toLowerCase() === header[1].toLowerCase())?.[1];
  if (source === 'integration.response.body') return result.body;
  const field = /^integration\.response\.body\.(.+)$/.exec(source);
  if (field) {
    try {
      const value = evaluateJsonPath(JSON.parse(result.body), `$.${field[1]}`);
      return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function mapResponse(integration: Integration, invocation: Invocation, result: BackendResult): GatewayResponse {
  const selected = selectResponse(integration, result.selector);
  if (!selected?.statusCode) return internalError();
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  // The backend's answer is binary by its Content-Type; contentHandling may convert it, and a binary answer is not templated.
  const contentType = Object.entries(result.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const converted = convertPayload(result.bytes, isBinaryMediaType(invocation.binaryMediaTypes, contentType), selected.contentHandling);
  for (const [target, source] of Object.entries(selected.responseParameters ?? {})) {
    const name = /^method\.response\.header\.(.+)$/.exec(target)?.[1];
    const value = name ? parameterValue(source, result) : undefined;
    if (name && value !== undefined) headers[name] = value;
  }
  if (converted.binary) return { statusCode: Number(selected.statusCode), headers, body: converted.body };
  const text = converted.body.toString('utf8');
  const templates = selected.responseTemplates ?? {};
  const template = templates['application/json'] ?? Object.values(templates)[0];
  const body = template === undefined || template === ''
    ? text
    : renderMappingTemplate(template, { input: { ...templateInput(invocation, text), header: result.headers }, context: requestContext(invocation), stageVariables: invocation.stageVariables });
  return { statusCode: Number(selected.statusCode), headers, body: Buffer.from(body) };
}

async function callBackend(runtime: ServiceRuntime, integration: Integration, invocation: Invocation, payload: Buffer): Promise<BackendResult | undefined> {
  if (integration.type === 'MOCK') {
    // MOCK's request template decides the status: {"statusCode": 200}.
    let statusCode = 200;
    try {
      const parsed = JSON.parse(payload.toString('utf8')) as { statusCode?: unknown };
      if (typeof parsed.statusCode === 'number') statusCode = parsed.statusCode;
    } catch {
      // A body that is not JSON leaves the default 200.
    }
    return { statusCode: String(statusCode), body: '', bytes: Buffer.alloc(0), headers: {}, selector: String(statusCode) };
  }
  const uri = withStageVariables(integration.uri ?? '', invocation.stageVariables);
  if (integration.type === 'AWS') {
    const functionArn = functionOfUri(uri);
    const result = functionArn ? await invokeFunction(runtime, invocation, functionArn, payload.toString('utf8')) : undefined;
    if (!result) return undefined;
    let errorMessage: string | undefined;
    if (result.functionError) {
      try {
        const parsed = JSON.parse(result.payload) as { errorMessage?: unknown };
        errorMessage = typeof parsed.errorMessage === 'string' ? parsed.errorMessage : '';
      } catch {
        errorMessage = result.payload;
      }
    }
    return { statusCode: '200', body: result.payload, bytes: Buffer.from(result.payload), headers: {}, selector: errorMessage };
  }
  const response = await fetch(uri, {
    method: integration.httpMethod ?? 'GET',
    headers: { 'content-type': 'application/json' },
    body: ['GET', 'HEAD'].includes(integration.httpMethod ?? 'GET') ? undefined : payload,
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { statusCode: String(response.status), body: bytes.toString('utf8'), bytes, headers: Object.fromEntries(response.headers), selector: String(response.status) };
}

export async function mappedIntegration(runtime: ServiceRuntime, integration: Integration, invocation: Invocation): Promise<GatewayResponse> {
  const payload = requestPayload(integration, invocation);
  if (!Buffer.isBuffer(payload)) return payload;
  let result: BackendResult | undefined;
  try {
    result = await callBackend(runtime, integration, invocation, payload);
  } catch {
    // An unreachable HTTP backend: API Gateway answers 500.
    result = undefined;
  }
  return result ? mapResponse(integration, invocation, result) : internalError();
}
