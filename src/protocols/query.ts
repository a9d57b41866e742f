/**
 * The `query` protocol (awsQuery): form-encoded Action=<Operation>&Version=...&Member.Sub=... requests,
 * XML responses wrapped in <OpResponse><OpResult>, errors as <ErrorResponse>.
 * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 */
import { SerializationFailure, ServiceError } from '../shared/errors.js';
import type { Operation, ServiceModel, ShapeRef } from './model.js';
import type { ProtocolCodec, ResponseContext } from './protocol.js';
import { errorWireInfo } from './protocol.js';
import { parseTimestamp } from './timestamps.js';
import type { WireRequest, WireResponse } from './wire.js';
import { formParams } from './wire.js';
import { escapeXml, structureChildren } from './xml-writer.js';

const XML_CONTENT_TYPE = 'text/xml';

/** The form parameters plus every key prefix, so nested members can be found without scanning. */
class FormInput {
  readonly prefixes = new Set<string>();
  constructor(readonly params: Map<string, string>) {
    for (const key of params.keys()) {
      let dot = key.indexOf('.');
      while (dot >= 0) {
        this.prefixes.add(key.slice(0, dot));
        dot = key.indexOf('.', dot + 1);
      }
    }
  }
  has(key: string): boolean {
    return this.params.has(key) || this.prefixes.has(key);
  }
}

function readScalar(model: ServiceModel, shapeName: string, text: string, key: string): unknown {
  const shape = model.shapes[shapeName];
  const invalid = (expected: string): ServiceError =>
    new ServiceError('MalformedQueryString', `Value '${text}' for parameter ${key} is invalid: expected ${expected}`, 400);
  switch (shape.type) {
    case 'integer':
    case 'long': {
      if (!/^-?\d+$/.test(text)) throw invalid('an integer');
      return Number(text);
    }
    case 'float':
    case 'double': {
      const n = Number(text);
      if (text.trim() === '' || Number.isNaN(n)) throw invalid('a number');
      return n;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw invalid('true or false');
      return text === 'true';
    case 'timestamp': {
      const date = parseTimestamp(text);
      if (!date) throw invalid('a timestamp');
      return date;
    }
    case 'blob':
      return Buffer.from(text, 'base64');
    default:
      return text;
  }
}

function readValue(model: ServiceModel, ref: ShapeRef, key: string, form: FormInput): unknown {
  const shape = model.shapes[ref.shape];
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [member, memberRef] of Object.entries(shape.members ?? {})) {
        const name = memberRef.locationName ?? member;
        const memberKey = key ? `${key}.${name}` : name;
        if (form.has(memberKey)) out[member] = readValue(model, memberRef, memberKey, form);
      }
      return out;
    }
    case 'list': {
      // An empty list is sent as the bare key with an empty value.
      if (form.params.get(key) === '') return [];
      const flattened = shape.flattened ?? ref.flattened;
      const base = flattened ? key : `${key}.${shape.member!.locationName ?? 'member'}`;
      const items: unknown[] = [];
      for (let i = 1; form.has(`${base}.${i}`); i++) items.push(readValue(model, shape.member!, `${base}.${i}`, form));
      return items;
    }
    case 'map': {
      const flattened = shape.flattened ?? ref.flattened;
      const base = flattened ? key : `${key}.entry`;
      const keyName = shape.key!.locationName ?? 'key';
      const valueName = shape.value!.locationName ?? 'value';
      const out: Record<string, unknown> = {};
      for (let i = 1; form.has(`${base}.${i}`); i++) {
        const mapKey = form.params.get(`${base}.${i}.${keyName}`);
        if (mapKey === undefined) throw new SerializationFailure(`Map entry ${base}.${i} has no ${keyName}`, 'MalformedQueryString');
        out[mapKey] = readValue(model, shape.value!, `${base}.${i}.${valueName}`, form);
      }
      return out;
    }
    default: {
      const text = form.params.get(key);
      return text === undefined ? undefined : readScalar(model, ref.shape, text, key);
    }
  }
}

export const queryProtocol: ProtocolCodec = {
  validationErrorCode: 'ValidationError',

  resolveOperation(model, request) {
    const action = formParams(request).get('Action');
    return action && Object.hasOwn(model.operations, action) ? model.operations[action] : undefined;
  },

  describeRequest(request) {
    return formParams(request).get('Action') ?? undefined;
  },

  parseInput(model: ServiceModel, operation: Operation, request: WireRequest) {
    if (!operation.input) return {};
    const form = new FormInput(new Map(formParams(request)));
    return readValue(model, operation.input, '', form) as Record<string, unknown>;
  },

  serializeOutput(model: ServiceModel, operation: Operation, output: Record<string, unknown>, context: ResponseContext): WireResponse {
    const ns = model.metadata.xmlNamespace ? ` xmlns="${model.metadata.xmlNamespace}"` : '';
    const result = operation.output
      ? `<${operation.output.resultWrapper ?? `${operation.name}Result`}>${structureChildren(model, operation.output.shape, output)}</${operation.output.resultWrapper ?? `${operation.name}Result`}>`
      : '';
    const body = `<${operation.name}Response${ns}>${result}<ResponseMetadata><RequestId>${context.requestId}</RequestId></ResponseMetadata></${operation.name}Response>`;
    return { status: 200, headers: { 'content-type': XML_CONTENT_TYPE }, body };
  },

  serializeError(model, error, context) {
    const { code, status } = errorWireInfo(model, error);
    const ns = model.metadata.xmlNamespace ? ` xmlns="${model.metadata.xmlNamespace}"` : '';
    const type = status >= 500 ? 'Receiver' : 'Sender';
    const body = `<ErrorResponse${ns}><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${context.requestId}</RequestId></ErrorResponse>`;
    return { status, headers: { 'content-type': XML_CONTENT_TYPE }, body };
  },

  unknownOperationError(request) {
    const action = formParams(request).get('Action');
    return action
      ? new ServiceError('InvalidAction', `The action ${action} is not valid for this web service.`, 400)
      : new ServiceError('MissingAction', 'The request must contain the parameter Action.', 400);
  },
};
