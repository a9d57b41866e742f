/**
 * $util: the helper functions API Gateway gives mapping templates
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#util-template-reference).
 */

/** A template value as text: strings as they are, nothing as '', maps and lists as JSON. */
export function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value.toString();
  return JSON.stringify(value) ?? '';
}

/**
 * Java's StringEscapeUtils.escapeJavaScript, which API Gateway uses: it also escapes single quotes
 * and forward slashes, so `$util.escapeJavaScript("it's")` gives `it\'s`.
 */
export function escapeJavaScript(value: unknown): string {
  let out = '';
  for (const char of text(value)) {
    const code = char.codePointAt(0) ?? 0;
    switch (char) {
      case '"': out += '\\"'; break;
      case "'": out += "\\'"; break;
      case '\\': out += '\\\\'; break;
      case '/': out += '\\/'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      default:
        out += code < 0x20 || (code > 0x7e && code <= 0xffff) ? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}` : char;
    }
  }
  return out;
}

/** Java's URLEncoder (application/x-www-form-urlencoded): spaces become `+`. */
export function urlEncode(value: unknown): string {
  return encodeURIComponent(text(value)).replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
}

export function urlDecode(value: unknown): string {
  return decodeURIComponent(text(value).replace(/\+/g, ' '));
}

export interface VtlUtil {
  escapeJavaScript(value: unknown): string;
  parseJson(value: unknown): unknown;
  urlEncode(value: unknown): string;
  urlDecode(value: unknown): string;
  base64Encode(value: unknown): string;
  base64Decode(value: unknown): string;
}

export const vtlUtil: VtlUtil = {
  escapeJavaScript,
  parseJson: (value) => JSON.parse(text(value)) as unknown,
  urlEncode,
  urlDecode,
  base64Encode: (value) => Buffer.from(text(value), 'utf8').toString('base64'),
  base64Decode: (value) => Buffer.from(text(value), 'base64').toString('utf8'),
};
