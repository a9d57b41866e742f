/**
 * XML documents -> typed values, walking the model's shapes: the reading half of xml-writer.ts, used for
 * rest-xml request bodies. Lists are <member>-wrapped (or named by the member's locationName) unless
 * flattened; maps are <entry><key/><value/></entry>; xmlAttribute members come from attributes.
 * https://smithy.io/2.0/spec/protocol-traits.html#xml-bindings
 *
 * fast-xml-parser does the tokenizing in order-preserving mode with every value kept as text; entity
 * references are decoded here so an unknown entity (or a DTD trying to declare one) is an error, not a guess.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ServiceModel, Shape, ShapeRef } from './model.js';
import { parseTimestamp } from './timestamps.js';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (character data and CDATA), entities decoded, untrimmed. */
  text: string;
}

/** The document is not XML, or a value does not fit the shape; codecs turn it into their protocol's error. */
export class XmlReadError extends Error {}

const ATTRIBUTES_KEY = ':@';
const TEXT_KEY = '#text';
const CDATA_KEY = '#cdata';

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Keep every value as the text that was sent: the shape decides whether "007" is a string or a number.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: CDATA_KEY,
});

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntity(reference: string, body: string | undefined): string {
  if (body === undefined) throw new XmlReadError(`Unescaped '&' in character data`);
  if (Object.hasOwn(NAMED_ENTITIES, body)) return NAMED_ENTITIES[body];
  const numeric = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(body);
  if (!numeric) throw new XmlReadError(`Unknown entity reference ${reference}`);
  const digits = numeric[1];
  const codePoint = digits.startsWith('x') ? parseInt(digits.slice(1), 16) : parseInt(digits, 10);
  try {
    return String.fromCodePoint(codePoint);
  } catch {
    throw new XmlReadError(`Invalid character reference ${reference}`);
  }
}

/** Decodes the five predefined entities and character references; anything else is malformed. */
export function decodeXmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&<]*);|&/g, (reference: string, body: string | undefined) => decodeEntity(reference, body));
}

type OrderedNode = Record<string, unknown>;

function cdataText(value: unknown): string {
  // CDATA arrives as [{ '#text': raw }]; its content is literal, so no entity decoding.
  return (value as OrderedNode[]).map((part) => (typeof part[TEXT_KEY] === 'string' ? part[TEXT_KEY] : '')).join('');
}

function appendChildren(element: XmlElement, nodes: OrderedNode[]): void {
  for (const node of nodes) {
    for (const [key, value] of Object.entries(node)) {
      if (key === ATTRIBUTES_KEY) continue;
      if (key === TEXT_KEY) element.text += decodeXmlEntities(String(value));
      else if (key === CDATA_KEY) element.text += cdataText(value);
      else element.children.push(toElement(key, value as OrderedNode[], node[ATTRIBUTES_KEY] as Record<string, string> | undefined));
    }
  }
}

function toElement(name: string, nodes: OrderedNode[], rawAttributes: Record<string, string> | undefined): XmlElement {
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawAttributes ?? {})) attributes[key] = decodeXmlEntities(value);
  const element: XmlElement = { name, attributes, children: [], text: '' };
  appendChildren(element, nodes);
  return element;
}

/** Parses a document into its root element; throws XmlReadError unless it is well-formed with one root. */
export function parseXmlDocument(text: string): XmlElement {
  // The parser itself accepts unclosed or mismatched tags; the validator is what rejects them. It is
  // deprecated in favour of the separate fast-xml-validator package, which is not a dependency (yet).
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) throw new XmlReadError(`The document is not well-formed XML: ${verdict.err.msg}`);
  const nodes: unknown = parser.parse(text);
  const document: XmlElement = { name: '', attributes: {}, children: [], text: '' };
  appendChildren(document, nodes as OrderedNode[]);
  if (document.children.length !== 1 || document.text.trim() !== '') throw new XmlReadError('The document must have exactly one root element');
  return document.children[0];
}

function typeError(path: string, expected: string): XmlReadError {
  return new XmlReadError(`Expected ${expected} for '${path || 'the document'}'`);
}

function readNumber(shape: Shape, text: string, path: string): number {
  const trimmed = text.trim();
  if (shape.type === 'integer' || shape.type === 'long') {
    if (!/^[-+]?\d+$/.test(trimmed)) throw typeError(path, 'an integer');
    return Number(trimmed);
  }
  if (trimmed === 'NaN' || trimmed === 'Infinity' || trimmed === '-Infinity') return Number(trimmed);
  const value = Number(trimmed);
  if (trimmed === '' || Number.isNaN(value)) throw typeError(path, 'a number');
  return value;
}

/** Reads the text of an element or attribute as a scalar shape. */
export function readXmlScalar(model: ServiceModel, shapeName: string, text: string, path: string): unknown {
  const shape = model.shapes[shapeName];
  switch (shape.type) {
    case 'string':
      return text;
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      return readNumber(shape, text, path);
    case 'boolean': {
      const trimmed = text.trim();
      if (trimmed !== 'true' && trimmed !== 'false') throw typeError(path, 'true or false');
      return trimmed === 'true';
    }
    case 'timestamp': {
      const date = parseTimestamp(text.trim());
      if (!date) throw typeError(path, 'a timestamp');
      return date;
    }
    case 'blob':
      if (!/^[A-Za-z0-9+/=\s]*$/.test(text)) throw typeError(path, 'base64-encoded data');
      return Buffer.from(text, 'base64');
    default:
      throw typeError(path, `a ${shape.type}, not text`);
  }
}

function readMapEntries(model: ServiceModel, shape: Shape, entries: XmlElement[], path: string): Record<string, unknown> {
  const keyName = shape.key!.locationName ?? 'key';
  const valueName = shape.value!.locationName ?? 'value';
  const out: Record<string, unknown> = {};
  for (const entry of entries) {
    const key = entry.children.find((child) => child.name === keyName);
    if (!key) throw typeError(path, `a <${keyName}> in every map entry`);
    const value = entry.children.find((child) => child.name === valueName);
    out[key.text] = value ? readXmlValue(model, shape.value!, value, `${path}.${key.text}`) : undefined;
  }
  return out;
}

/** Reads one element as the shape `ref` points to (a structure, a wrapped list or map, or a scalar). */
export function readXmlValue(model: ServiceModel, ref: ShapeRef, element: XmlElement, path: string): unknown {
  const shape = model.shapes[ref.shape];
  switch (shape.type) {
    case 'structure':
      return readXmlStructure(model, ref.shape, element, path);
    case 'list': {
      const itemName = shape.member!.locationName ?? 'member';
      const items = element.children.filter((child) => child.name === itemName);
      return items.map((item, i) => readXmlValue(model, shape.member!, item, `${path}[${i}]`));
    }
    case 'map':
      return readMapEntries(model, shape, element.children.filter((child) => child.name === 'entry'), path);
    default:
      return readXmlScalar(model, ref.shape, element.text, path);
  }
}

function childrenNamed(parent: XmlElement, name: string): XmlElement[] {
  return parent.children.filter((child) => child.name === name);
}

/** A flattened list's items repeat in the parent, named by the list member's locationName or else the member's own name. */
function readFlattenedList(model: ServiceModel, shape: Shape, wireName: string, parent: XmlElement, path: string): unknown[] | undefined {
  const itemName = shape.member!.locationName ?? wireName;
  let items = childrenNamed(parent, itemName);
  if (items.length === 0 && itemName !== wireName) items = childrenNamed(parent, wireName);
  if (items.length === 0) return undefined;
  return items.map((item, i) => readXmlValue(model, shape.member!, item, `${path}[${i}]`));
}

function readMember(model: ServiceModel, ref: ShapeRef, wireName: string, parent: XmlElement, path: string): unknown {
  const shape = model.shapes[ref.shape];
  if (ref.xmlAttribute) {
    const text = parent.attributes[wireName];
    return text === undefined ? undefined : readXmlScalar(model, ref.shape, text, path);
  }
  const flattened = ref.flattened ?? shape.flattened ?? false;
  if (flattened && shape.type === 'list') return readFlattenedList(model, shape, wireName, parent, path);
  if (flattened && shape.type === 'map') {
    const entries = childrenNamed(parent, wireName);
    return entries.length > 0 ? readMapEntries(model, shape, entries, path) : undefined;
  }
  const child = parent.children.find((candidate) => candidate.name === wireName);
  return child ? readXmlValue(model, ref, child, path) : undefined;
}

/** Reads an element's children (and attributes) as the members of a structure; HTTP-bound members are skipped. */
export function readXmlStructure(model: ServiceModel, shapeName: string, element: XmlElement, path = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [member, ref] of Object.entries(model.shapes[shapeName].members ?? {})) {
    if (ref.location) continue;
    const value = readMember(model, ref, ref.locationName ?? member, element, path ? `${path}.${member}` : member);
    if (value !== undefined) out[member] = value;
  }
  return out;
}

/** Parses a document and reads its root element as the given structure. */
export function readXmlDocument(model: ServiceModel, shapeName: string, text: string): Record<string, unknown> {
  return readXmlStructure(model, shapeName, parseXmlDocument(text));
}
