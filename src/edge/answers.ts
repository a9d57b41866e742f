/** Answers the edge writes itself, the same on its fast path and through node:http. */
import type { WireRequest, WireResponse } from '../protocols/wire.js';

const S3_SCOPE = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[^/]+\/s3\//;

/** The request id headers of an AWS answer: S3 names them differently from every other service. */
export function awsAnswerHeaders(wire: WireRequest, requestId: string, response: WireResponse): Record<string, string> {
  if (response.headers['x-amz-request-id'] !== undefined || S3_SCOPE.test(String(wire.headers.authorization))) {
    return { 'x-amz-request-id': requestId, 'x-amz-id-2': Buffer.from(requestId).toString('base64') };
  }
  return { 'x-amzn-requestid': requestId };
}

/** A body over the edge's limit; the connection closes after it, since the rest of the body is unread or dropped. */
export function tooLargeAnswer(limit: number): WireResponse {
  return {
    status: 413,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'RequestEntityTooLargeException' },
    body: JSON.stringify({ __type: 'RequestEntityTooLargeException', message: `Request body exceeds the ${String(limit)} byte limit` }),
  };
}

/** A failure of Nimbus itself, past every service's own error handling. */
export function internalFailure(): WireResponse {
  return { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ __type: 'InternalFailure', message: 'Internal error in Nimbus' }) };
}
