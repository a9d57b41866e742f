/**
 * API Gateway mapping templates: Velocity (via velocityjs) with the $input, $util, $context and
 * $stageVariables objects (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html).
 */
import { render } from 'velocityjs';
import { evaluateJsonPath } from './json-path.js';
import { text, vtlUtil } from './util.js';

/** The request (or integration response) a template sees through $input. */
export interface TemplateInput {
  /** The raw payload as text. */
  body: string;
  path: Record<string, string>;
  querystring: Record<string, string>;
  header: Record<string, string>;
}

export interface TemplateVariables {
  input: TemplateInput;
  context: Record<string, unknown>;
  stageVariables: Record<string, string>;
}

function parsedBody(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body) as unknown;
  } catch {
    // $input.path on a non-JSON payload sees the text itself, as API Gateway does.
    return body;
  }
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === wanted);
  return key === undefined ? undefined : headers[key];
}

function inputObject(input: TemplateInput): Record<string, unknown> {
  const document = parsedBody(input.body);
  const params = (name?: unknown): unknown => {
    if (name === undefined) return { path: input.path, querystring: input.querystring, header: input.header };
    const key = text(name);
    // Searched in this order: path, query string, header (per the reference page above).
    return input.path[key] ?? input.querystring[key] ?? headerValue(input.header, key) ?? '';
  };
  return {
    body: input.body,
    json: (path: unknown) => JSON.stringify(evaluateJsonPath(document, text(path)) ?? null),
    path: (path: unknown) => evaluateJsonPath(document, text(path)),
    params,
  };
}

/** Renders `template` with API Gateway's variables. */
export function renderMappingTemplate(template: string, variables: TemplateVariables): string {
  return render(template, {
    input: inputObject(variables.input),
    util: vtlUtil,
    context: variables.context,
    stageVariables: variables.stageVariables,
  }, undefined, { escape: false });
}
