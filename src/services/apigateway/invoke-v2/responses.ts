/**
 * A function's answer under payload format 2.0. An object with `statusCode` is a response (headers,
 * body, isBase64Encoded, and cookies that each become a set-cookie header); any other valid JSON is the
 * body of a 200 application/json response, as AWS infers it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html#http-api-develop-integrations-lambda.response).
 */
import type { GatewayResponse } from '../invoke/context.js';

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

const isScalar = (value: unknown): value is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof value);

/** The HTTP response, or undefined when the payload breaks the contract (AWS's 500). */
export function responseV2(payload: string): GatewayResponse | undefined {
  let output: unknown;
  try {
    output = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!isObject(output) || output.statusCode === undefined) {
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(payload) };
  }
  const statusCode = typeof output.statusCode === 'string' && /^\d+$/.test(output.statusCode) ? Number(output.statusCode) : output.statusCode;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return undefined;
  if (output.body !== undefined && output.body !== null && typeof output.body !== 'string') return undefined;
  if (output.headers !== undefined && output.headers !== null && !isObject(output.headers)) return undefined;
  if (output.cookies !== undefined && output.cookies !== null && !(Array.isArray(output.cookies) && output.cookies.every((cookie) => typeof cookie === 'string'))) return undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(output.headers ?? {})) {
    if (!isScalar(value)) return undefined;
    headers[name] = String(value);
  }
  const cookies = output.cookies ?? [];
  const body = typeof output.body === 'string' ? Buffer.from(output.body, output.isBase64Encoded === true ? 'base64' : 'utf8') : Buffer.alloc(0);
  return { statusCode, headers, ...(cookies.length > 0 ? { multiValueHeaders: { 'set-cookie': cookies } } : {}), body };
}
