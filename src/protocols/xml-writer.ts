/**
 * Typed values -> XML, walking the model's shapes: query-protocol results and rest-xml bodies.
 * Lists are wrapped in <member> elements unless flattened; maps are <entry><key/><value/></entry>.
 */
import type { ServiceModel, ShapeRef } from './model.js';
import { formatTimestamp } from './timestamps.js';

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

/** Escapes text for element content and attribute values; \r is kept as a character reference so it survives parsing. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => XML_ENTITIES[c]);
}

function scalarText(model: ServiceModel, shapeName: string, value: unknown, ref?: ShapeRef): string {
  const shape = model.shapes[shapeName];
  switch (shape.type) {
    case 'timestamp': {
      const date = value instanceof Date ? value : new Date(value as number);
      return String(formatTimestamp(date, ref?.timestampFormat ?? shape.timestampFormat ?? 'iso8601'));
    }
    case 'blob':
      return Buffer.from(value as Uint8Array | string).toString('base64');
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return escapeXml(String(value));
  }
}

function namespaceAttribute(ns: { uri: string; prefix?: string } | undefined): string {
  if (!ns) return '';
  return ns.prefix ? ` xmlns:${ns.prefix}="${escapeXml(ns.uri)}"` : ` xmlns="${escapeXml(ns.uri)}"`;
}

/** The children of a structure (its members as elements), without the enclosing element. */
export function structureChildren(model: ServiceModel, shapeName: string, value: Record<string, unknown>): string {
  const shape = model.shapes[shapeName];
  let out = '';
  for (const [member, ref] of Object.entries(shape.members ?? {})) {
    if (ref.location || ref.xmlAttribute) continue;
    const memberValue = value[member];
    if (memberValue === undefined || memberValue === null) continue;
    out += element(model, ref, ref.locationName ?? member, memberValue);
  }
  return out;
}

function attributes(model: ServiceModel, shapeName: string, value: Record<string, unknown>): string {
  let out = '';
  for (const [member, ref] of Object.entries(model.shapes[shapeName].members ?? {})) {
    if (!ref.xmlAttribute || value[member] === undefined) continue;
    out += ` ${ref.locationName ?? member}="${scalarText(model, ref.shape, value[member], ref)}"`;
  }
  return out;
}

/** One element named `name` holding `value` of the shape `ref` points to (a flattened list yields several). */
export function element(model: ServiceModel, ref: ShapeRef, name: string, value: unknown): string {
  const shape = model.shapes[ref.shape];
  const ns = namespaceAttribute(ref.xmlNamespace ?? shape.xmlNamespace);
  switch (shape.type) {
    case 'structure': {
      const record = value as Record<string, unknown>;
      return `<${name}${ns}${attributes(model, ref.shape, record)}>${structureChildren(model, ref.shape, record)}</${name}>`;
    }
    case 'list': {
      const member = shape.member!;
      const items = value as unknown[];
      if (shape.flattened || ref.flattened) {
        return items.map((item) => element(model, member, member.locationName ?? name, item)).join('');
      }
      const memberName = member.locationName ?? 'member';
      return `<${name}${ns}>${items.map((item) => element(model, member, memberName, item)).join('')}</${name}>`;
    }
    case 'map': {
      const keyName = shape.key!.locationName ?? 'key';
      const valueName = shape.value!.locationName ?? 'value';
      const entries = Object.entries(value as Record<string, unknown>).map(
        ([k, v]) => `${element(model, shape.key!, keyName, k)}${element(model, shape.value!, valueName, v)}`,
      );
      if (shape.flattened || ref.flattened) return entries.map((e) => `<${name}>${e}</${name}>`).join('');
      return `<${name}${ns}>${entries.map((e) => `<entry>${e}</entry>`).join('')}</${name}>`;
    }
    default:
      return `<${name}${ns}>${scalarText(model, ref.shape, value, ref)}</${name}>`;
  }
}
