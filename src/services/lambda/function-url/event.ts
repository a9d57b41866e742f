/**
 * The event a function URL request becomes: API Gateway's payload format version 2.0
 * (https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-request-payload).
 */
import type { UrlSigner } from './access.js';

export interface UrlRequest {
  method: string;
  /** The path as the client sent it, still percent-encoded. */
  rawPath: string;
  /** The query string without its `?`. */
  rawQueryString: string;
  /** Lower-case names; a header sent several times has several values. */
  headers: Record<string, string[]>;
  body: Buffer;
  sourceIp: string;
  /** `HTTP/1.1`. */
  protocol: string;
  urlId: string;
  /** The URL's host name: <url-id>.lambda-url.<region>.localhost. */
  domainName: string;
}

export interface UrlInvocation {
  requestId: string;
  /** The function owner's account. */
  account: string;
  /** Epoch milliseconds. */
  now: number;
  signer?: UrlSigner;
  /** Headers the URL front end adds, as AWS's adds x-forwarded-*. */
  forwarded: Record<string, string>;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The access-log style time the event carries: 07/Sep/2021:22:50:22 +0000. */
export function requestTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${String(d.getUTCFullYear())}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** Text media types travel as strings; everything else (and a body without a type) as base64. */
function isTextual(contentType: string | undefined, body: Buffer): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0].trim().toLowerCase();
  const textual =
    type.startsWith('text/') ||
    /^application\/(json|javascript|ecmascript|xml|x-www-form-urlencoded|graphql|x-yaml|yaml)$/.test(type) ||
    /\+(json|xml)$/.test(type);
  if (!textual) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return true;
  } catch {
    return false;
  }
}

/** Repeated query parameters are joined with commas, as the format documents. */
function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (!rawQueryString) return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) out[name] = name in out ? `${out[name]},${value}` : value;
  return out;
}

export function urlEvent(request: UrlRequest, invocation: UrlInvocation): Record<string, unknown> {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, values] of Object.entries(request.headers)) {
    // Cookies leave the headers for their own field, one entry per cookie.
    if (name === 'cookie') cookies = values.flatMap((v) => v.split(';')).map((c) => c.trim()).filter(Boolean);
    else headers[name] = values.join(',');
  }
  Object.assign(headers, invocation.forwarded);
  const textual = isTextual(headers['content-type'], request.body);
  const { signer } = invocation;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(request.rawQueryString ? { queryStringParameters: queryParameters(request.rawQueryString) } : {}),
    requestContext: {
      // Lambda reports `anonymous` for unauthenticated (AuthType NONE) callers.
      accountId: signer ? invocation.account : 'anonymous',
      apiId: request.urlId,
      ...(signer
        ? {
            authorizer: {
              iam: { accessKey: signer.accessKey, accountId: signer.account, callerId: signer.userId, cognitoIdentity: null, principalOrgId: null, userArn: signer.arn, userId: signer.userId },
            },
          }
        : {}),
      domainName: request.domainName,
      domainPrefix: request.urlId,
      http: {
        method: request.method,
        path: request.rawPath,
        protocol: request.protocol,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: invocation.requestId,
      routeKey: '$default',
      stage: '$default',
      time: requestTime(invocation.now),
      timeEpoch: invocation.now,
    },
    ...(request.body.length ? { body: textual ? request.body.toString('utf8') : request.body.toString('base64') } : {}),
    isBase64Encoded: request.body.length > 0 && !textual,
  };
}
