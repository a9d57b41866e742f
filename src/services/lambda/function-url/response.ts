/**
 * How a function's result becomes the HTTP response of its URL
 * (https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-response-payload): an object with
 * a `statusCode` is a response in payload format 2.0; any other JSON value is the body of a 200
 * application/json response. Format 2.0 has no multiValueHeaders (that is format 1.0), so they are ignored.
 */
export interface UrlResponse {
  status: number;
  /** Lower-case names; `set-cookie` may repeat. */
  headers: Record<string, string | string[]>;
  body: Buffer;
}

const JSON_TYPE = 'application/json';

/** What a function error or a malformed response turns into: a 502 with Lambda's plain message. */
export function badGateway(): UrlResponse {
  return { status: 502, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from('Internal Server Error') };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function statusOf(value: unknown): number | undefined {
  const status = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined;
}

function bodyOf(result: Record<string, unknown>): Buffer {
  const { body } = result;
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body !== 'string') return Buffer.from(JSON.stringify(body));
  if (result.isBase64Encoded === true) return Buffer.from(body, 'base64');
  return Buffer.from(body);
}

function structured(result: Record<string, unknown>): UrlResponse | undefined {
  const status = statusOf(result.statusCode);
  if (status === undefined) return undefined;
  const headers: Record<string, string | string[]> = {};
  if (result.headers !== undefined && result.headers !== null) {
    if (!isRecord(result.headers)) return undefined;
    for (const [name, value] of Object.entries(result.headers)) {
      if (value === undefined || value === null) continue;
      headers[name.toLowerCase()] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  if (result.cookies !== undefined && result.cookies !== null) {
    if (!Array.isArray(result.cookies)) return undefined;
    const existing = headers['set-cookie'];
    headers['set-cookie'] = [...(existing === undefined ? [] : [existing].flat()), ...result.cookies.map(String)];
  }
  headers['content-type'] ??= JSON_TYPE;
  return { status, headers, body: bodyOf(result) };
}

/** Maps the function's payload; undefined when it cannot be a response (Lambda answers 502 then). */
export function responseFromPayload(payload: Buffer): UrlResponse | undefined {
  let result: unknown;
  try {
    result = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  if (isRecord(result) && 'statusCode' in result) return structured(result);
  return { status: 200, headers: { 'content-type': JSON_TYPE }, body: payload };
}
