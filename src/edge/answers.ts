/** Answers the edge writes itself, the same on its fast path and through node:http. */
import type { WireRequest, WireResponse } from '../protocols/wire.js';
import { header } from '../protocols/wire.js';
import { requestId as newRequestId } from '../shared/ids.js';
import type { AwsRequestOptions } from './aws-request.js';
import { handleAwsRequest } from './aws-request.js';

export { tooLargeAnswer } from './aws-request.js';

const S3_SCOPE = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[^/]+\/s3\//;

/** The request id headers of an AWS answer: S3 names them differently from every other service. */
function awsAnswerHeaders(wire: WireRequest, requestId: string, response: WireResponse): Record<string, string> {
  if (response.headers['x-amz-request-id'] !== undefined || S3_SCOPE.test(String(wire.headers.authorization))) {
    return { 'x-amz-request-id': requestId, 'x-amz-id-2': Buffer.from(requestId).toString('base64') };
  }
  return { 'x-amzn-requestid': requestId };
}

/** A failure of Nimbus itself, past every service's own error handling. */
export function internalFailure(): WireResponse {
  return { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ __type: 'InternalFailure', message: 'Internal error in Nimbus' }) };
}

/** Headers a browser script may read from an answer: the ones AWS SDKs read. */
const EXPOSED_HEADERS = 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,x-amz-request-id,x-amz-id-2,Date';
/** How long a browser may keep a preflight's answer (DynamoDB's figure: two days). */
const PREFLIGHT_MAX_AGE = '172800';

/**
 * CORS for scripts in a browser calling AWS APIs directly, as DynamoDB answers them: with an Origin header,
 * any origin is allowed and the SDK's headers are exposed; a preflight (OPTIONS with an Origin) is a 200
 * without a body that allows what it asks for. Without an Origin nothing is added.
 */
function corsHeaders(wire: WireRequest, preflight: boolean): Record<string, string> {
  const headers: Record<string, string> = { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED_HEADERS };
  if (!preflight) return headers;
  headers['access-control-max-age'] = PREFLIGHT_MAX_AGE;
  const method = header(wire, 'access-control-request-method');
  const requested = header(wire, 'access-control-request-headers');
  if (method !== undefined) headers['access-control-allow-methods'] = method;
  if (requested !== undefined) headers['access-control-allow-headers'] = requested;
  return headers;
}

/** An AWS API call's answer, and the edge's own headers for it: the request id, and CORS for browsers. */
export async function answerAwsCall(options: AwsRequestOptions, wire: WireRequest): Promise<{ answer: WireResponse; headers: Record<string, string> }> {
  const cors = header(wire, 'origin') !== undefined;
  const preflight = cors && wire.method === 'OPTIONS';
  const { response: answer, requestId } = preflight ? { response: { status: 200, headers: {}, body: '' }, requestId: newRequestId() } : await handleAwsRequest(options, wire);
  const headers = awsAnswerHeaders(wire, requestId, answer);
  return { answer, headers: cors ? { ...headers, ...corsHeaders(wire, preflight) } : headers };
}
