/**
 * OpenAPI documents as bytes: ImportRestApi, PutRestApi and apigatewayv2's ImportApi take JSON or YAML,
 * GetExport and ExportApi give either. YAML goes through the `yaml` package.
 */
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

export type JsonObject = Record<string, unknown>;

/** The value as an object, or an empty one (OpenAPI documents leave most things out). */
export function objectOf(value: unknown): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as JsonObject : {};
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** Parses a definition: JSON when it starts like JSON, else YAML; undefined when it is neither a JSON nor a YAML object. */
export function parseDocument(body: Uint8Array): JsonObject | undefined {
  const text = Buffer.from(body).toString('utf8').replace(/^\uFEFF/, '');
  try {
    const parsed: unknown = /^\s*[{[]/.test(text) ? JSON.parse(text) : parseYaml(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed as JsonObject : undefined;
  } catch {
    return undefined;
  }
}

export function serializeDocument(document: JsonObject, asYaml: boolean): Buffer {
  return Buffer.from(asYaml ? stringifyYaml(document) : JSON.stringify(document, null, 2));
}
