/**
 * The `rest-xml` protocol (restXml): the operation is found from method + path (for S3 also from the host of
 * a virtual-hosted-style request), input comes from URI labels, the query string, headers and an XML body
 * (or one payload member), output is an XML document or a raw payload, errors are XML documents.
 * https://smithy.io/2.0/aws/protocols/aws-restxml-protocol.html
 */
import { ServiceError, ValidationFailure } from '../shared/errors.js';
import type { Operation, ServiceModel, ShapeRef } from './model.js';
import type { ProtocolCodec, ResponseContext } from './protocol.js';
import { errorWireInfo } from './protocol.js';
import type { FailureFactory } from './rest-binding.js';
import { scalarString, hasBodyMembers, isRawPayload, payloadMember, readHttpBindings, readRawPayload, requestMethod, writeHttpBindings, writeRawPayload } from './rest-binding.js';
import { findRoute, matchOperation } from './rest-router.js';
import { isS3, S3_MALFORMED_XML_MESSAGE, s3ErrorDocument, s3ImpliedStatus, s3Namespace, s3ResultRoot, s3RoutingPath, s3TextRootMember, unchunkedRequest } from './rest-s3.js';
import type { WireRequest, WireResponse } from './wire.js';
import { XmlReadError, readXmlDocument } from './xml-reader.js';
import { element, escapeXml } from './xml-writer.js';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const XML_CONTENT_TYPE = 'application/xml';

/**
 * The code for a failed constraint: S3 answers InvalidArgument for a bad parameter
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList); other restXml
 * services (CloudFront, Route 53) use the Coral-style ValidationError.
 */
export function restXmlValidationErrorCode(model: ServiceModel): string {
  return isS3(model) ? 'InvalidArgument' : 'ValidationError';
}

function bindingFailure(model: ServiceModel): FailureFactory {
  const code = restXmlValidationErrorCode(model);
  return (message) => new ServiceError(code, message, 400);
}

function routingPath(model: ServiceModel, request: WireRequest): string {
  return isS3(model) ? s3RoutingPath(request) : request.path;
}

function serviceNamespace(model: ServiceModel): { uri: string } | undefined {
  if (model.metadata.xmlNamespace) return { uri: model.metadata.xmlNamespace };
  return isS3(model) ? { uri: s3Namespace(model) } : undefined;
}

/** Reads an XML body as a structure; an empty body is no value. */
function readXmlBody(model: ServiceModel, shapeName: string, body: Buffer): Record<string, unknown> | undefined {
  const text = body.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return readXmlDocument(model, shapeName, text);
  } catch (error) {
    if (!(error instanceof XmlReadError)) throw error;
    throw new ServiceError('MalformedXML', isS3(model) ? S3_MALFORMED_XML_MESSAGE : error.message, 400);
  }
}

function readPayload(model: ServiceModel, ref: ShapeRef, body: Buffer): unknown {
  return isRawPayload(model, ref) ? readRawPayload(model, ref, body) : readXmlBody(model, ref.shape, body);
}

/** A whole XML document: the declaration, then `value` as the element `name` in the service's namespace. */
function xmlDocument(model: ServiceModel, ref: ShapeRef, name: string, value: unknown): string {
  const namespace = ref.xmlNamespace ?? model.shapes[ref.shape].xmlNamespace ?? serviceNamespace(model);
  return `${XML_DECLARATION}${element(model, { ...ref, xmlNamespace: namespace }, name, value)}`;
}

/** The output document's root: the shape's locationName, S3's documented name, else the shape's name. */
function outputRootName(model: ServiceModel, ref: ShapeRef): string {
  return model.shapes[ref.shape].locationName ?? ref.locationName ?? (isS3(model) ? s3ResultRoot(ref.shape) : undefined) ?? ref.shape;
}

function textRootDocument(model: ServiceModel, name: string, value: unknown): string {
  const namespace = serviceNamespace(model);
  const xmlns = namespace ? ` xmlns="${escapeXml(namespace.uri)}"` : '';
  return `${XML_DECLARATION}<${name}${xmlns}>${value === undefined || value === null ? '' : escapeXml(scalarString(value))}</${name}>`;
}

function writeStructureBody(model: ServiceModel, ref: ShapeRef, output: Record<string, unknown>): string {
  const textMember = isS3(model) ? s3TextRootMember(ref.shape) : undefined;
  const root = outputRootName(model, ref);
  return textMember ? textRootDocument(model, root, output[textMember]) : xmlDocument(model, ref, root, output);
}

function writeBody(model: ServiceModel, ref: ShapeRef, output: Record<string, unknown>): { body: Buffer | string; contentType?: string } {
  const payload = payloadMember(model, ref.shape);
  if (payload) {
    const value = output[payload.name];
    if (value === undefined || value === null) return { body: '' };
    if (isRawPayload(model, payload.ref)) return writeRawPayload(model, payload.ref, value);
    const name = payload.ref.locationName ?? model.shapes[payload.ref.shape].locationName ?? payload.ref.shape;
    return { body: xmlDocument(model, payload.ref, name, value), contentType: XML_CONTENT_TYPE };
  }
  if (!hasBodyMembers(model, ref.shape)) return { body: '' };
  return { body: writeStructureBody(model, ref, output), contentType: XML_CONTENT_TYPE };
}

/** Error members beyond Code and Message, as elements; ones the model does not declare are written as text. */
function errorFieldElements(model: ServiceModel, shapeName: string | undefined, fields: Record<string, unknown> | undefined): string {
  const members = shapeName ? (model.shapes[shapeName].members ?? {}) : {};
  let out = '';
  for (const [field, value] of Object.entries(fields ?? {})) {
    if (value === undefined || value === null || field === 'Code' || field === 'Message') continue;
    const ref = Object.hasOwn(members, field) ? members[field] : undefined;
    if (ref?.location) continue;
    if (ref) out += element(model, ref, ref.locationName ?? field, value);
    else if (/^[A-Za-z_][\w.-]*$/.test(field)) out += `<${field}>${escapeXml(scalarString(value))}</${field}>`;
  }
  return out;
}

function errorDocument(model: ServiceModel, code: string, status: number, error: ServiceError, shapeName: string | undefined, requestId: string): string {
  const fields = errorFieldElements(model, shapeName, error.fields);
  if (isS3(model)) return `${XML_DECLARATION}${s3ErrorDocument(code, error.message, fields, requestId)}`;
  const namespace = serviceNamespace(model);
  const xmlns = namespace ? ` xmlns="${escapeXml(namespace.uri)}"` : '';
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return `${XML_DECLARATION}<ErrorResponse${xmlns}><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(error.message)}</Message>${fields}</Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`;
}

/** S3 names every response's request in x-amz-request-id (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTCommonResponseHeaders.html). */
function requestIdHeaders(model: ServiceModel, context: ResponseContext): Record<string, string> {
  return isS3(model) ? { 'x-amz-request-id': context.requestId } : {};
}

/** Whether routing found the path under another method, remembered for unknownOperationError. */
const methodMismatches = new WeakMap<WireRequest, boolean>();

export const restXmlProtocol: ProtocolCodec = {
  // S3 is the rest-xml service Nimbus serves; restXmlValidationErrorCode(model) answers for the others.
  validationErrorCode: 'InvalidArgument',

  resolveOperation(model, request) {
    const result = findRoute(model, request, routingPath(model, request));
    methodMismatches.set(request, result.methodMismatch);
    return result.match?.operation;
  },

  describeRequest(request) {
    return `${request.method} ${request.path}`;
  },

  parseInput(model: ServiceModel, operation: Operation, request: WireRequest) {
    if (!operation.input) return {};
    const shapeName = operation.input.shape;
    const { labels, literalQueryKeys } = matchOperation(model, operation, request, routingPath(model, request));
    const effective = isS3(model) ? unchunkedRequest(request) : request;
    const input = readHttpBindings(model, shapeName, { request: effective, labels, literalQueryKeys }, bindingFailure(model));
    const payload = payloadMember(model, shapeName);
    if (payload) {
      const value = readPayload(model, payload.ref, effective.body);
      if (value !== undefined) input[payload.name] = value;
    } else if (hasBodyMembers(model, shapeName)) {
      Object.assign(input, readXmlBody(model, shapeName, effective.body));
    }
    return input;
  },

  serializeOutput(model: ServiceModel, operation: Operation, output: Record<string, unknown>, context: ResponseContext): WireResponse {
    const defaultStatus = operation.http.responseCode ?? 200;
    const idHeaders = requestIdHeaders(model, context);
    if (!operation.output) return { status: defaultStatus, headers: idHeaders, body: '' };
    const bound = writeHttpBindings(model, operation.output.shape, output);
    const { body, contentType } = writeBody(model, operation.output, output);
    const headers = { ...bound.headers, ...idHeaders };
    if (contentType) headers['content-type'] ??= contentType;
    const status = bound.status ?? (isS3(model) ? s3ImpliedStatus(operation.output.shape, output) : undefined) ?? defaultStatus;
    return { status, headers, body: requestMethod(context) === 'HEAD' ? '' : body };
  },

  serializeError(model, error, context) {
    const info = errorWireInfo(model, error);
    // ValidationFailure carries a placeholder code; each protocol answers with its services' own.
    const code = error instanceof ValidationFailure ? restXmlValidationErrorCode(model) : info.code;
    const bound = info.shapeName && error.fields ? writeHttpBindings(model, info.shapeName, error.fields).headers : {};
    const headers = { ...bound, ...requestIdHeaders(model, context) };
    // HEAD responses have no body: S3 clients read the status alone (404 -> NotFound).
    if (requestMethod(context) === 'HEAD') return { status: info.status, headers, body: '' };
    const body = errorDocument(model, code, info.status, error, info.shapeName, context.requestId);
    return { status: info.status, headers: { ...headers, 'content-type': XML_CONTENT_TYPE }, body };
  },

  unknownOperationError(request) {
    const target = `${request.method} ${request.path}`;
    if (methodMismatches.get(request)) {
      return new ServiceError('MethodNotAllowed', `The specified method is not allowed against this resource: ${target}`, 405);
    }
    return new ServiceError('NotImplemented', `No operation matches ${target}: a header or parameter you provided implies functionality that is not implemented`, 501);
  },
};
