/**
 * Serves requests to function URLs (https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html):
 * finds the URL by its url-id, answers CORS preflights from its configuration, authorizes the caller, turns
 * the request into a payload format 2.0 event, invokes $LATEST or the alias (with its weighted routing)
 * and maps the result back to HTTP.
 *
 * A URL is reached two ways: by host name, http://<url-id>.lambda-url.<region>.localhost:<port>/<path>
 * (browsers and curl resolve *.localhost to the loopback address), or, for clients that cannot resolve
 * *.localhost, by path on the Nimbus endpoint: http://<nimbus-host>:<port>/_nimbus/lambda-url/<url-id>/<path>.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestId as newRequestId } from '../../../shared/ids.js';
import type { FunctionScope } from '../function-record.js';
import { LATEST } from '../function-record.js';
import type { LambdaService } from '../lambda-service.js';
import { ThrottledError } from '../runtime/pool.js';
import { MAX_RESPONSE_BYTES } from '../runtime/runtime-api.js';
import { mayInvokeUrl } from './access.js';
import type { HeaderValues } from './cors.js';
import { isPreflight, preflightHeaders, responseCorsHeaders } from './cors.js';
import { urlEvent } from './event.js';
import { PolicyStore } from './resource-policy.js';
import type { UrlResponse } from './response.js';
import { badGateway, responseFromPayload } from './response.js';
import { urlSigner } from './signer.js';
import type { FunctionUrlRecord } from './url-record.js';
import { FunctionUrlStore, lookupUrlId } from './url-record.js';

export interface UrlAddress {
  urlId: string;
  /** From the host name; the path form does not name the region. */
  region?: string;
  rawPath: string;
  rawQueryString: string;
}

const URL_HOST = /^([a-z0-9]{32})\.lambda-url\.([a-z0-9-]+)\.localhost(?::\d+)?$/i;
const URL_PATH = /^\/_nimbus\/lambda-url\/([a-z0-9]{32})(\/.*)?$/i;

/** The function URL a request addresses, by its Host header or its /_nimbus/lambda-url/ path. */
export function functionUrlAddress(request: IncomingMessage): UrlAddress | undefined {
  const raw = request.url ?? '/';
  const q = raw.indexOf('?');
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const rawQueryString = q >= 0 ? raw.slice(q + 1) : '';
  const host = URL_HOST.exec(request.headers.host ?? '');
  if (host) return { urlId: host[1].toLowerCase(), region: host[2].toLowerCase(), rawPath: path, rawQueryString };
  const byPath = URL_PATH.exec(path);
  if (byPath) return { urlId: byPath[1].toLowerCase(), rawPath: byPath[2] ?? '/', rawQueryString };
  return undefined;
}

function json(status: number, errorType: string, body: unknown): UrlResponse {
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': errorType }, body: Buffer.from(JSON.stringify(body)) };
}

/** Lambda's answer when the URL's policy or signature does not let the caller in. */
const forbidden = (): UrlResponse =>
  json(403, 'AccessDeniedException', { Message: 'Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html' });
/** No function URL has this url-id. */
const unknownUrl = (): UrlResponse => json(403, 'AccessDeniedException', { Message: null });
const tooLarge = (): UrlResponse =>
  json(413, 'RequestTooLargeException', { Message: `Request must be smaller than ${String(MAX_RESPONSE_BYTES)} bytes for the InvokeFunction operation` });
const throttled = (): UrlResponse => json(429, 'TooManyRequestsException', { Message: 'Rate Exceeded.' });

function send(response: ServerResponse, requestId: string, answer: UrlResponse, head: boolean): void {
  response.writeHead(answer.status, { ...answer.headers, 'x-amzn-requestid': requestId, 'content-length': String(answer.body.length) });
  response.end(head ? undefined : answer.body);
}

/** The body, or undefined once it passes `limit` (the rest is drained unread). */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    request.on('end', () => {
      resolve(over ? undefined : Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}

/** The URL record behind a url-id, if the URL and its function (and alias) still exist. */
function findUrl(service: LambdaService, address: UrlAddress): { scope: FunctionScope; record: FunctionUrlRecord } | undefined {
  const target = lookupUrlId(service.runtime.store, address.urlId);
  if (!target || (address.region !== undefined && address.region !== target.region)) return undefined;
  const scope = { account: target.account, region: target.region };
  const record = new FunctionUrlStore(service.runtime.store, scope).get(target.functionName, target.qualifier);
  if (!record || !service.functions(scope).get(record.functionName)) return undefined;
  if (record.qualifier !== LATEST && !service.aliases(scope).get(record.functionName, record.qualifier)) return undefined;
  return { scope, record };
}

async function answer(service: LambdaService, request: IncomingMessage, address: UrlAddress, requestId: string): Promise<UrlResponse> {
  const found = findUrl(service, address);
  if (!found) return unknownUrl();
  const { scope, record } = found;
  const method = request.method ?? 'GET';
  const headers = request.headersDistinct as Record<string, string[]>;
  const first: HeaderValues = Object.fromEntries(Object.entries(headers).map(([name, values]) => [name, values[0]]));
  if (record.cors && isPreflight(method, first)) return { status: 200, headers: preflightHeaders(record.cors, first), body: Buffer.alloc(0) };

  const body = await readBody(request, MAX_RESPONSE_BYTES);
  if (!body) return tooLarge();
  const signer = record.authType === 'AWS_IAM' ? await urlSigner(service.runtime, request, address.rawQueryString) : undefined;
  if (record.authType === 'AWS_IAM' && !signer) return forbidden();
  const policy = new PolicyStore(service.runtime.store, scope).get(record.functionName, record.qualifier === LATEST ? '' : record.qualifier);
  if (!mayInvokeUrl(policy?.statements ?? [], scope.account, { authType: record.authType, signer })) return forbidden();

  const sourceIp = (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  const event = urlEvent(
    {
      method,
      rawPath: address.rawPath,
      rawQueryString: address.rawQueryString,
      headers,
      body,
      sourceIp,
      protocol: `HTTP/${request.httpVersion}`,
      urlId: record.urlId,
      domainName: `${record.urlId}.lambda-url.${scope.region}.localhost`,
    },
    {
      requestId,
      account: scope.account,
      now: service.runtime.clock.now(),
      signer,
      forwarded: { 'x-forwarded-for': sourceIp, 'x-forwarded-proto': 'http', 'x-forwarded-port': String(request.socket.localPort ?? '') },
    },
  );
  const payload = Buffer.from(JSON.stringify(event));
  if (payload.length > MAX_RESPONSE_BYTES) return tooLarge();

  const mapped = await invoke(service, scope, record, payload, requestId);
  if (record.cors) Object.assign(mapped.headers, responseCorsHeaders(record.cors, first));
  return mapped;
}

/** Runs $LATEST or the alias (its routing picks the version) and maps the result to HTTP. */
async function invoke(service: LambdaService, scope: FunctionScope, record: FunctionUrlRecord, payload: Buffer, requestId: string): Promise<UrlResponse> {
  const target = service.resolve(scope, record.functionName, record.qualifier === LATEST ? undefined : record.qualifier);
  const head = service.functions(scope).get(record.functionName);
  try {
    const result = await service.invoker.invoke(scope, target.record, head?.reservedConcurrency, { payload, invokedArn: target.invokedArn, requestId });
    return (result.functionError ? undefined : responseFromPayload(result.payload)) ?? badGateway();
  } catch (error) {
    if (error instanceof ThrottledError) return throttled();
    throw error;
  }
}

export async function serveFunctionUrl(service: LambdaService, request: IncomingMessage, response: ServerResponse, address: UrlAddress): Promise<void> {
  const requestId = newRequestId();
  const result = await answer(service, request, address, requestId);
  // An answer given before the body was read (a preflight, an unknown URL) still drains it for keep-alive.
  request.resume();
  send(response, requestId, result, request.method === 'HEAD');
}
