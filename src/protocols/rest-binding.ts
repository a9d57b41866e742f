/**
 * The HTTP bindings restJson1 and restXml share: members bound to URI labels, query parameters, headers,
 * prefixed header maps and the status code, plus the raw (blob/string) payload. Bodies in JSON or XML are
 * the codecs' business.
 * https://smithy.io/2.0/spec/http-bindings.html
 */
import type { ServiceError } from '../shared/errors.js';
import type { ServiceModel, Shape, ShapeRef, TimestampFormat } from './model.js';
import type { ResponseContext } from './protocol.js';
import { formatTimestamp, parseTimestamp } from './timestamps.js';
import type { WireRequest } from './wire.js';
import { header } from './wire.js';

/** Builds the protocol's error for a value that does not fit its shape (SerializationException, InvalidArgument...). */
export type FailureFactory = (message: string) => ServiceError;

type HttpLocation = 'uri' | 'querystring' | 'header';

/** The request's method, upper case: HEAD responses have no body. */
export function requestMethod(context: ResponseContext): string | undefined {
  return context.method?.toUpperCase();
}

// ---------------------------------------------------------------------------------------------------------
// Scalars as text
// ---------------------------------------------------------------------------------------------------------

/** Headers carry timestamps as HTTP dates, URIs and query strings as ISO 8601 (Smithy timestampFormat defaults). */
function timestampFormatFor(shape: Shape, ref: ShapeRef, location: HttpLocation): TimestampFormat {
  return ref.timestampFormat ?? shape.timestampFormat ?? (location === 'header' ? 'rfc822' : 'iso8601');
}

function readInteger(text: string, fail: () => ServiceError): number {
  if (!/^[-+]?\d+$/.test(text.trim())) throw fail();
  return Number(text);
}

function readFloat(text: string, fail: () => ServiceError): number {
  const trimmed = text.trim();
  if (trimmed === 'NaN' || trimmed === 'Infinity' || trimmed === '-Infinity') return Number(trimmed);
  const value = Number(trimmed);
  if (trimmed === '' || Number.isNaN(value)) throw fail();
  return value;
}

/** A `jsonvalue` header is base64-encoded JSON text; the typed value is that text, checked to be JSON. */
function readJsonValueHeader(text: string, fail: () => ServiceError): string {
  const json = Buffer.from(text, 'base64').toString('utf8');
  try {
    JSON.parse(json);
  } catch {
    throw fail();
  }
  return json;
}

/** Converts the text of a label, query parameter or header to the scalar shape `ref` points to. */
export function readHttpScalar(model: ServiceModel, ref: ShapeRef, text: string, location: HttpLocation, where: string, failure: FailureFactory): unknown {
  const shape = model.shapes[ref.shape];
  const fail = (): ServiceError => failure(`Value '${text}' for ${where} is not a valid ${shape.type}`);
  switch (shape.type) {
    case 'string':
      return ref.jsonvalue && location === 'header' ? readJsonValueHeader(text, fail) : text;
    case 'integer':
    case 'long':
      return readInteger(text, fail);
    case 'float':
    case 'double':
      return readFloat(text, fail);
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw fail();
      return text === 'true';
    case 'timestamp': {
      const date = parseTimestamp(text.trim());
      if (!date) throw fail();
      return date;
    }
    case 'blob':
      return Buffer.from(text, 'base64');
    default:
      throw failure(`${where} cannot carry a ${shape.type}`);
  }
}

/** The text of a scalar typed value (strings, numbers, booleans; anything else as JSON). */
export function scalarString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** Writes a scalar as header, label or query text. */
export function httpScalarText(model: ServiceModel, ref: ShapeRef, value: unknown, location: HttpLocation): string {
  const shape = model.shapes[ref.shape];
  switch (shape.type) {
    case 'timestamp': {
      const date = value instanceof Date ? value : new Date(value as number);
      return String(formatTimestamp(date, timestampFormatFor(shape, ref, location)));
    }
    case 'blob':
      return Buffer.from(value as Uint8Array | string).toString('base64');
    case 'string':
      return ref.jsonvalue && location === 'header' ? Buffer.from(scalarString(value)).toString('base64') : scalarString(value);
    default:
      return scalarString(value);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Header lists: comma-separated, with quoted items when an item holds a comma or quote (RFC 9110 §5.6)
// https://smithy.io/2.0/spec/http-bindings.html#httpheader-serialization-rules
// ---------------------------------------------------------------------------------------------------------

function splitQuoted(text: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '\\' && i + 1 < text.length) current += text[++i];
    else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      items.push(current.trim());
      current = '';
    } else current += c;
  }
  items.push(current.trim());
  return items;
}

/** HTTP dates contain a comma themselves ("Tue, 29 Apr 2014 18:30:38 GMT"), so they pair up. */
function splitHttpDates(text: string): string[] {
  const parts = text.split(',').map((part) => part.trim());
  const items: string[] = [];
  for (let i = 0; i < parts.length; i += 2) items.push(parts.slice(i, i + 2).join(', '));
  return items;
}

export function splitHeaderList(text: string, httpDates: boolean): string[] {
  if (text.trim() === '') return [];
  return httpDates ? splitHttpDates(text) : splitQuoted(text);
}

function quoteIfNeeded(item: string): string {
  return /[",]/.test(item) ? `"${item.replace(/[\\"]/g, (c) => `\\${c}`)}"` : item;
}

// ---------------------------------------------------------------------------------------------------------
// Reading bound input members
// ---------------------------------------------------------------------------------------------------------

export interface BindingSource {
  request: WireRequest;
  labels: Record<string, string>;
  /** Query keys the route template names (and the x-id hint): not collected by a query-map member. */
  literalQueryKeys: string[];
}

function readListOrScalar(model: ServiceModel, ref: ShapeRef, texts: string[], location: HttpLocation, where: string, failure: FailureFactory): unknown {
  const shape = model.shapes[ref.shape];
  if (shape.type === 'list') return texts.map((text) => readHttpScalar(model, shape.member!, text, location, where, failure));
  return texts.length > 0 ? readHttpScalar(model, ref, texts[0], location, where, failure) : undefined;
}

function readHeader(model: ServiceModel, ref: ShapeRef, name: string, request: WireRequest, failure: FailureFactory): unknown {
  const text = header(request, name.toLowerCase());
  if (text === undefined) return undefined;
  const shape = model.shapes[ref.shape];
  if (shape.type !== 'list') return readHttpScalar(model, ref, text.trim(), 'header', `header ${name}`, failure);
  const memberShape = model.shapes[shape.member!.shape];
  const httpDates = memberShape.type === 'timestamp' && timestampFormatFor(memberShape, shape.member!, 'header') === 'rfc822';
  return readListOrScalar(model, ref, splitHeaderList(text, httpDates), 'header', `header ${name}`, failure);
}

function readPrefixHeaders(prefix: string, source: BindingSource, boundHeaders: Set<string>): Record<string, string> | undefined {
  const lowerPrefix = prefix.toLowerCase();
  const out: Record<string, string> = {};
  let found = false;
  for (const name of Object.keys(source.request.headers)) {
    if (!name.startsWith(lowerPrefix) || (lowerPrefix === '' && boundHeaders.has(name))) continue;
    const value = header(source.request, name);
    if (value === undefined) continue;
    out[name.slice(lowerPrefix.length)] = value;
    found = true;
  }
  return found ? out : undefined;
}

/** A map bound to the query string takes every parameter no other member (nor the template) claims. */
function readQueryMap(model: ServiceModel, ref: ShapeRef, source: BindingSource, boundKeys: Set<string>, failure: FailureFactory): Record<string, unknown> | undefined {
  const valueRef = model.shapes[ref.shape].value!;
  const out: Record<string, unknown> = {};
  let found = false;
  for (const key of new Set(source.request.query.keys())) {
    if (boundKeys.has(key) || source.literalQueryKeys.includes(key) || key === 'x-id') continue;
    out[key] = readListOrScalar(model, valueRef, source.request.query.getAll(key), 'querystring', `query parameter ${key}`, failure);
    found = true;
  }
  return found ? out : undefined;
}

function boundNames(members: [string, ShapeRef][], location: 'querystring' | 'header'): Set<string> {
  const names = members.filter(([, ref]) => ref.location === location).map(([member, ref]) => ref.locationName ?? member);
  return new Set(location === 'header' ? names.map((name) => name.toLowerCase()) : names);
}

function readBoundMember(
  model: ServiceModel,
  member: string,
  ref: ShapeRef,
  source: BindingSource,
  bound: { query: Set<string>; headers: Set<string> },
  failure: FailureFactory,
): unknown {
  const name = ref.locationName ?? member;
  switch (ref.location) {
    case 'uri': {
      const text = source.labels[name];
      return text === undefined ? undefined : readHttpScalar(model, ref, text, 'uri', `URI label ${name}`, failure);
    }
    case 'querystring':
      if (model.shapes[ref.shape].type === 'map') return readQueryMap(model, ref, source, bound.query, failure);
      return readListOrScalar(model, ref, source.request.query.getAll(name), 'querystring', `query parameter ${name}`, failure);
    case 'header':
      return readHeader(model, ref, name, source.request, failure);
    case 'headers':
      return readPrefixHeaders(name, source, bound.headers);
    default:
      return undefined;
  }
}

/** An input shape's bound members and the names they claim: the same for every request, so worked out once. */
interface InputBindings {
  members: [string, ShapeRef][];
  bound: { query: Set<string>; headers: Set<string> };
}

const inputBindings = new WeakMap<ServiceModel, Map<string, InputBindings>>();

function inputBindingsOf(model: ServiceModel, shapeName: string): InputBindings {
  let byShape = inputBindings.get(model);
  if (!byShape) {
    byShape = new Map();
    inputBindings.set(model, byShape);
  }
  let bindings = byShape.get(shapeName);
  if (!bindings) {
    const members = Object.entries(model.shapes[shapeName].members ?? {});
    bindings = { members: members.filter(([, ref]) => ref.location), bound: { query: boundNames(members, 'querystring'), headers: boundNames(members, 'header') } };
    byShape.set(shapeName, bindings);
  }
  return bindings;
}

/** The input members bound to the URI, query string and headers, converted by shape. */
export function readHttpBindings(model: ServiceModel, shapeName: string, source: BindingSource, failure: FailureFactory): Record<string, unknown> {
  const { members, bound } = inputBindingsOf(model, shapeName);
  const out: Record<string, unknown> = {};
  for (const [member, ref] of members) {
    const value = readBoundMember(model, member, ref, source, bound, failure);
    if (value !== undefined) out[member] = value;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Writing bound output members
// ---------------------------------------------------------------------------------------------------------

export interface HttpBindingsOut {
  status?: number;
  /** Header names in lower case, so a member's Content-Type and a codec default cannot both be sent. */
  headers: Record<string, string>;
}

function headerText(model: ServiceModel, ref: ShapeRef, value: unknown): string {
  const shape = model.shapes[ref.shape];
  if (shape.type !== 'list') return httpScalarText(model, ref, value, 'header');
  const member = shape.member!;
  const isDate = model.shapes[member.shape].type === 'timestamp';
  return (value as unknown[])
    .map((item) => httpScalarText(model, member, item, 'header'))
    .map((text) => (isDate ? text : quoteIfNeeded(text)))
    .join(', ');
}

/** The status code and headers an output (or error) structure's bound members produce. */
export function writeHttpBindings(model: ServiceModel, shapeName: string, value: Record<string, unknown>): HttpBindingsOut {
  const out: HttpBindingsOut = { headers: {} };
  for (const [member, ref] of Object.entries(model.shapes[shapeName].members ?? {})) {
    const memberValue = value[member];
    if (memberValue === undefined || memberValue === null) continue;
    const name = ref.locationName ?? member;
    if (ref.location === 'statusCode') out.status = Number(memberValue);
    else if (ref.location === 'header') out.headers[name.toLowerCase()] = headerText(model, ref, memberValue);
    else if (ref.location === 'headers') {
      const valueRef = model.shapes[ref.shape].value!;
      for (const [key, item] of Object.entries(memberValue as Record<string, unknown>)) {
        out.headers[`${name}${key}`.toLowerCase()] = httpScalarText(model, valueRef, item, 'header');
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------------------------------------

/** The member named by the structure's `payload`, which alone makes up the body. */
export function payloadMember(model: ServiceModel, shapeName: string): { name: string; ref: ShapeRef } | undefined {
  const shape = model.shapes[shapeName];
  if (!shape.payload) return undefined;
  const ref = shape.members?.[shape.payload];
  return ref ? { name: shape.payload, ref } : undefined;
}

/** Whether the structure has members serialized in the body (none bound to the URI, query or headers). */
export function hasBodyMembers(model: ServiceModel, shapeName: string): boolean {
  return Object.values(model.shapes[shapeName].members ?? {}).some((ref) => !ref.location);
}

/** Whether a payload member is sent as raw bytes or text rather than a JSON/XML document. */
export function isRawPayload(model: ServiceModel, ref: ShapeRef): boolean {
  const type = model.shapes[ref.shape].type;
  return type === 'blob' || type === 'string';
}

/**
 * A blob or string payload as its typed value: a Buffer or text. An empty body is no value, except for a
 * streaming blob, where it is an empty stream (a zero-byte S3 object).
 */
export function readRawPayload(model: ServiceModel, ref: ShapeRef, body: Buffer): Buffer | string | undefined {
  const shape = model.shapes[ref.shape];
  if (shape.type === 'string') return body.length > 0 ? body.toString('utf8') : undefined;
  return body.length > 0 || ref.streaming || shape.streaming ? body : undefined;
}

/** A blob or string payload as a body, with the content type Smithy gives it when no member sets one. */
export function writeRawPayload(model: ServiceModel, ref: ShapeRef, value: unknown): { body: Buffer | string; contentType: string } {
  if (model.shapes[ref.shape].type === 'string') return { body: scalarString(value), contentType: 'text/plain' };
  const body = Buffer.isBuffer(value) ? value : typeof value === 'string' ? Buffer.from(value) : Buffer.from(value as Uint8Array);
  return { body, contentType: 'application/octet-stream' };
}
