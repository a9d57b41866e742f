/**
 * Request validation before the integration runs: required parameters and the body against the
 * method's model for the request's content type
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html).
 */
import Ajv from 'ajv-draft-04';
import type { Model, RequestValidator } from '../../../generated/apigateway.js';
import type { GatewayResponse, Invocation } from './context.js';
import { gatewayError } from './gateway-errors.js';
import { headerOf } from './request.js';

// Compiled schemas by their text: models are immutable within a deployment, so the text is a fine key.
const compiled = new Map<string, (data: unknown) => boolean>();

export function validatorFor(schema: string): (data: unknown) => boolean {
  let validate = compiled.get(schema);
  if (!validate) {
    const ajv = new Ajv.default({ strict: false, allErrors: false, validateSchema: false });
    validate = ajv.compile(JSON.parse(schema) as object);
    compiled.set(schema, validate);
  }
  return validate;
}

function missingParameters(invocation: Invocation): string[] {
  const { request, route } = invocation;
  const missing: string[] = [];
  for (const [name, required] of Object.entries(route.method.requestParameters ?? {})) {
    const parsed = /^method\.request\.(querystring|header|path)\.(.+)$/.exec(name);
    if (!required || !parsed) continue;
    const [, location, key] = parsed;
    const present = location === 'querystring' ? request.query[key] !== undefined
      : location === 'header' ? headerOf(request, key) !== undefined
        : (route.pathParameters[key] ?? '') !== '';
    if (!present) missing.push(key);
  }
  return missing;
}

function bodyIsValid(invocation: Invocation, models: Record<string, Model>): boolean {
  const contentType = (headerOf(invocation.request, 'content-type') ?? 'application/json').split(';')[0].trim().toLowerCase();
  const modelName = invocation.route.method.requestModels?.[contentType];
  const schema = modelName ? models[modelName]?.schema : undefined;
  if (!schema) return true;
  let body: unknown;
  try {
    body = JSON.parse(invocation.request.body.toString('utf8'));
  } catch {
    return false;
  }
  try {
    return validatorFor(schema)(body);
  } catch {
    // A schema Ajv cannot compile validates nothing, rather than failing every request.
    return true;
  }
}

/** The 400 the request earns, or undefined when it passes (or the method has no validator). */
export function validateRequest(invocation: Invocation, validators: Record<string, RequestValidator>, models: Record<string, Model>): GatewayResponse | undefined {
  const validatorId = invocation.route.method.requestValidatorId;
  const validator = validatorId ? validators[validatorId] : undefined;
  if (!validator) return undefined;
  if (validator.validateRequestParameters) {
    const missing = missingParameters(invocation);
    if (missing.length > 0) return gatewayError('BAD_REQUEST_PARAMETERS', `Missing required request parameters: [${missing.join(', ')}]`);
  }
  if (validator.validateRequestBody && !bodyIsValid(invocation, models)) return gatewayError('BAD_REQUEST_BODY', 'Invalid request body');
  return undefined;
}
