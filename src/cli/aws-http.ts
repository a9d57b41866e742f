/**
 * How `nimbus invoke` and `nimbus logs` reach a running Nimbus: plain HTTP requests in the AWS wire
 * formats (the SDK clients are development dependencies only). Nimbus tells services apart by the SigV4
 * credential scope and reads the region and access key from it; its AWS APIs do not verify signatures
 * (only API Gateway's AWS_IAM methods do), so these requests carry a well-formed Authorization header whose
 * signature is all zeros.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { DEFAULT_REGION } from '../shared/ids.js';

export interface Target {
  endpoint: string;
  region: string;
  accessKeyId: string;
  sessionToken?: string;
}

export interface TargetOptions {
  endpoint?: string;
  region?: string;
}

/** --endpoint, else NIMBUS_ENDPOINT, else AWS_ENDPOINT_URL, else where `nimbus start` listens by default (NIMBUS_HOST/NIMBUS_PORT). */
export function resolveTarget(options: TargetOptions, env: NodeJS.ProcessEnv): Target {
  const host = !env.NIMBUS_HOST || env.NIMBUS_HOST === '0.0.0.0' ? '127.0.0.1' : env.NIMBUS_HOST;
  const endpoint = options.endpoint ?? env.NIMBUS_ENDPOINT ?? env.AWS_ENDPOINT_URL ?? `http://${host}:${env.NIMBUS_PORT ?? '4566'}`;
  return {
    endpoint: endpoint.replace(/\/+$/, ''),
    region: options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? env.NIMBUS_DEFAULT_REGION ?? DEFAULT_REGION,
    // Nimbus maps the access key to an account; 'test' is the default account, as for the SDKs.
    accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'test',
    sessionToken: env.AWS_SESSION_TOKEN,
  };
}

/** An error answer from the service: its AWS error code, message and HTTP status. */
export class ServiceCallError extends Error {
  constructor(
    readonly code: string,
    readonly serviceMessage: string,
    readonly status: number,
  ) {
    super(`${code}: ${serviceMessage}`);
  }
}

export interface AwsRequest {
  method: 'GET' | 'POST';
  /** Path and query string. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
}

export interface AwsResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function authorizationHeaders(target: Target, service: string): Record<string, string> {
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const scope = `${target.accessKeyId}/${amzDate.slice(0, 8)}/${target.region}/${service}/aws4_request`;
  const headers: Record<string, string> = {
    'x-amz-date': amzDate,
    authorization: `AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
  };
  if (target.sessionToken) headers['x-amz-security-token'] = target.sessionToken;
  return headers;
}

/** One HTTP exchange. node:http rather than fetch: loading fetch costs a short-lived CLI hundreds of milliseconds. */
async function exchange(url: URL, request: AwsRequest, headers: Record<string, string>): Promise<AwsResponse> {
  const { request: send } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const outgoing = send(url, { method: request.method, headers, signal: request.signal }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks) });
      });
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** Sends a request to a service (its SigV4 signing name, e.g. `lambda`, `logs`); throws ServiceCallError for an error answer. */
export async function awsRequest(target: Target, service: string, request: AwsRequest): Promise<AwsResponse> {
  const body = request.body ?? '';
  const headers = { ...authorizationHeaders(target, service), 'content-length': String(Buffer.byteLength(body)), ...request.headers };
  let response: AwsResponse;
  try {
    response = await exchange(new URL(`${target.endpoint}${request.path}`), { ...request, body }, headers);
  } catch (error) {
    if (request.signal?.aborted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot reach Nimbus at ${target.endpoint} (${reason}): is it running? Start it with \`nimbus start\`, or pass --endpoint`, { cause: error });
  }
  if (response.status >= 300) throw serviceError(response);
  return response;
}

/** JSON protocols name the error in x-amzn-ErrorType (rest-json) or in the body's __type (JSON 1.1). */
function serviceError(response: AwsResponse): ServiceCallError {
  const text = response.body.toString('utf8');
  let body: { __type?: string; message?: string; Message?: string } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not JSON: the status and the raw text are all there is.
  }
  const errorType = response.headers['x-amzn-errortype'];
  const type = (typeof errorType === 'string' ? errorType : undefined) ?? body.__type ?? `HTTP ${String(response.status)}`;
  const code = type.split(':')[0].split('#').at(-1)!;
  return new ServiceCallError(code, body.message ?? body.Message ?? text, response.status);
}
