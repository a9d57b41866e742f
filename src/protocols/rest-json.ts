/**
 * The `rest-json` protocol (restJson1): the operation is found from method + path, input comes from URI
 * labels, the query string, headers and a JSON body (or one payload member), errors name their type in the
 * X-Amzn-Errortype header.
 * https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html
 */
import { SerializationFailure, ServiceError } from '../shared/errors.js';
import { jsonErrorBody, parseJsonBody } from './json-rpc.js';
import { readJsonValue, writeJsonValue } from './json-values.js';
import type { Operation, ServiceModel, ShapeRef } from './model.js';
import type { ProtocolCodec, ResponseContext } from './protocol.js';
import { errorWireInfo } from './protocol.js';
import type { FailureFactory } from './rest-binding.js';
import { hasBodyMembers, isRawPayload, payloadMember, readHttpBindings, readRawPayload, requestMethod, writeHttpBindings, writeRawPayload } from './rest-binding.js';
import { findRoute, matchOperation } from './rest-router.js';
import type { WireRequest, WireResponse } from './wire.js';

const JSON_CONTENT_TYPE = 'application/json';

const serializationFailure: FailureFactory = (message) => new SerializationFailure(message);

function parseJsonDocument(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new SerializationFailure('The request body is not valid JSON');
  }
}

/** A payload member: raw bytes or text for blobs and strings, else the body as one JSON value of its shape. */
function readPayload(model: ServiceModel, ref: ShapeRef, body: Buffer): unknown {
  if (isRawPayload(model, ref)) return readRawPayload(model, ref, body);
  if (body.length === 0) return undefined;
  const shape = model.shapes[ref.shape];
  return readJsonValue(model, ref.shape, shape.type === 'structure' && !shape.document ? parseJsonBody(body) : parseJsonDocument(body));
}

/** The members without an HTTP binding, read from the JSON object in the body. */
function readBodyMembers(model: ServiceModel, shapeName: string, body: Buffer): Record<string, unknown> {
  const parsed = readJsonValue(model, shapeName, parseJsonBody(body)) as Record<string, unknown>;
  const members = model.shapes[shapeName].members ?? {};
  // readJsonValue sees every member; a bound one must not be set from a body key that happens to share its name.
  return Object.fromEntries(Object.entries(parsed).filter(([member]) => !members[member].location));
}

function writeBody(model: ServiceModel, shapeName: string, output: Record<string, unknown>): { body: Buffer | string; contentType?: string } {
  const payload = payloadMember(model, shapeName);
  if (payload) {
    const value = output[payload.name];
    if (value === undefined || value === null) return { body: '' };
    if (isRawPayload(model, payload.ref)) return writeRawPayload(model, payload.ref, value);
    return { body: JSON.stringify(writeJsonValue(model, payload.ref.shape, value)), contentType: JSON_CONTENT_TYPE };
  }
  if (!hasBodyMembers(model, shapeName)) return { body: '' };
  return { body: JSON.stringify(writeJsonValue(model, shapeName, output)), contentType: JSON_CONTENT_TYPE };
}

export const restJsonProtocol: ProtocolCodec = {
  validationErrorCode: 'ValidationException',

  resolveOperation(model, request) {
    return findRoute(model, request).match?.operation;
  },

  describeRequest(request) {
    return `${request.method} ${request.path}`;
  },

  parseInput(model: ServiceModel, operation: Operation, request: WireRequest) {
    if (!operation.input) return {};
    const shapeName = operation.input.shape;
    const { labels, literalQueryKeys } = matchOperation(model, operation, request);
    const input = readHttpBindings(model, shapeName, { request, labels, literalQueryKeys }, serializationFailure);
    const payload = payloadMember(model, shapeName);
    if (payload) {
      const value = readPayload(model, payload.ref, request.body);
      if (value !== undefined) input[payload.name] = value;
    } else if (hasBodyMembers(model, shapeName)) {
      Object.assign(input, readBodyMembers(model, shapeName, request.body));
    }
    return input;
  },

  serializeOutput(model: ServiceModel, operation: Operation, output: Record<string, unknown>, context: ResponseContext): WireResponse {
    const defaultStatus = operation.http.responseCode ?? 200;
    if (!operation.output) return { status: defaultStatus, headers: {}, body: '' };
    const bound = writeHttpBindings(model, operation.output.shape, output);
    const { body, contentType } = writeBody(model, operation.output.shape, output);
    const headers = { ...bound.headers };
    if (contentType) headers['content-type'] ??= contentType;
    return { status: bound.status ?? defaultStatus, headers, body: requestMethod(context) === 'HEAD' ? '' : body };
  },

  serializeError(model, error, context) {
    const { code, status, shapeName } = errorWireInfo(model, error);
    const bound = shapeName && error.fields ? writeHttpBindings(model, shapeName, error.fields).headers : {};
    const headers = { ...bound, 'content-type': JSON_CONTENT_TYPE, 'x-amzn-errortype': code };
    const body = requestMethod(context) === 'HEAD' ? '' : JSON.stringify(jsonErrorBody(model, error, code, shapeName));
    return { status, headers, body };
  },

  unknownOperationError(request) {
    // What API Gateway-fronted services such as Lambda answer for a path no operation serves.
    return new ServiceError('UnknownOperationException', `No operation matches ${request.method} ${request.path}`, 404);
  },
};
