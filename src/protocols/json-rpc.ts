/**
 * The `json` protocol (awsJson1_0 / awsJson1_1): POST /, X-Amz-Target: <targetPrefix>.<Operation>, a JSON
 * body both ways, errors as {"__type": code, "message": ...}.
 * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
 */
import { SerializationFailure, ServiceError } from '../shared/errors.js';
import { CORAL_MISMATCHES, javaNamespace, wireErrorType, wireMessageKey } from './coral.js';
import { readJsonValue, writeJsonValue } from './json-values.js';
import type { Operation, ServiceModel } from './model.js';
import type { ProtocolCodec, ResponseContext } from './protocol.js';
import { errorWireInfo } from './protocol.js';
import type { WireRequest, WireResponse } from './wire.js';
import { header } from './wire.js';

function targetOperation(request: WireRequest): string | undefined {
  const target = header(request, 'x-amz-target');
  const dot = target?.lastIndexOf('.') ?? -1;
  return target && dot >= 0 ? target.slice(dot + 1) : undefined;
}

function contentType(model: ServiceModel): string {
  return `application/x-amz-json-${model.metadata.jsonVersion ?? '1.0'}`;
}

const MALFORMED_JSON = 'Start of structure or map found where not expected, or the request body is not valid JSON';

/**
 * Parses the body as JSON: an empty body is an empty object, anything but an object is malformed.
 * `malformed` is the message for text that is not JSON at all.
 */
export function parseJsonBody(body: Buffer, malformed = MALFORMED_JSON): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new SerializationFailure(malformed);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SerializationFailure('The request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/**
 * The JSON body of an error: __type plus the error shape's members (message keeps the model's casing).
 * For services whose raw errors AWS namespaces (see coral.ts), __type and the message key follow Coral.
 */
export function jsonErrorBody(model: ServiceModel, error: ServiceError, code: string, shapeName: string | undefined): Record<string, unknown> {
  const members = shapeName ? (model.shapes[shapeName].members ?? {}) : {};
  const messageKey = wireMessageKey(model, code, shapeName !== undefined) ?? ('Message' in members ? 'Message' : 'message');
  const body: Record<string, unknown> = { __type: wireErrorType(model, code, shapeName !== undefined) };
  // Coral answers some framework errors (a request without a body) with no message at all.
  if (error.message !== '' || !javaNamespace(model)) body[messageKey] = error.message;
  if (error.fields && shapeName) Object.assign(body, writeJsonValue(model, shapeName, error.fields) as Record<string, unknown>);
  else if (error.fields) Object.assign(body, error.fields);
  return body;
}

export const jsonRpcProtocol: ProtocolCodec = {
  validationErrorCode: 'ValidationException',

  resolveOperation(model, request) {
    const name = targetOperation(request);
    const target = header(request, 'x-amz-target');
    if (!name || !target?.startsWith(`${model.metadata.targetPrefix}.`)) return undefined;
    return Object.hasOwn(model.operations, name) ? model.operations[name] : undefined;
  },

  describeRequest(request) {
    return header(request, 'x-amz-target');
  },

  parseInput(model: ServiceModel, operation: Operation, request: WireRequest) {
    // Coral refuses a request with no body at all, where other JSON services read it as {} (dynalite's
    // suite, recorded against DynamoDB: listTables.js "should return 400 if no body").
    if (request.body.length === 0 && javaNamespace(model)) throw new SerializationFailure('');
    // Coral answers text that is not JSON with a bare SerializationException too (Alternator's
    // test_json_parse_error, checked against DynamoDB).
    const body = parseJsonBody(request.body, javaNamespace(model) ? '' : MALFORMED_JSON);
    if (!operation.input) return {};
    return readJsonValue(model, operation.input.shape, body, javaNamespace(model) ? CORAL_MISMATCHES : undefined) as Record<string, unknown>;
  },

  serializeOutput(model: ServiceModel, operation: Operation, output: Record<string, unknown>, _context: ResponseContext): WireResponse {
    // An operation without an output shape answers `{}`, except on Coral services, which send no body at all
    // (DynamoDB's TagResource and UntagResource: Alternator's test_tags_return_empty_body).
    if (!operation.output) return { status: 200, headers: { 'content-type': contentType(model) }, body: javaNamespace(model) ? '' : '{}' };
    return { status: 200, headers: { 'content-type': contentType(model) }, body: JSON.stringify(writeJsonValue(model, operation.output.shape, output)) };
  },

  serializeError(model, error, _context) {
    const { code, status, shapeName } = errorWireInfo(model, error);
    return {
      status,
      headers: { 'content-type': contentType(model), 'x-amzn-errortype': code },
      body: JSON.stringify(jsonErrorBody(model, error, code, shapeName)),
    };
  },

  unknownOperationError(request) {
    const target = header(request, 'x-amz-target');
    return target
      ? new ServiceError('UnknownOperationException', `The operation ${target} is not known to this service`, 400)
      : new ServiceError('MissingTargetException', 'The request has no X-Amz-Target header naming the operation', 400);
  },
};
