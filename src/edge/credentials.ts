/**
 * Who signed a request, from the SigV4 Authorization header or a presigned URL's X-Amz-Credential
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html). Nimbus accepts any key and does
 * not check signatures: the credential scope tells the region and the service, the key tells the account.
 */
import { ServiceError } from '../shared/errors.js';
import type { WireRequest } from '../protocols/wire.js';
import { header } from '../protocols/wire.js';

export interface RequestCredential {
  accessKeyId: string;
  /** From the credential scope; undefined for unsigned and SigV2 requests. */
  region?: string;
  signingName?: string;
}

// Credential=<key>/<yyyymmdd>/<region>/<service>/aws4_request
const SCOPE = /^([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/aws4_request$/;

function fromScope(scope: string): RequestCredential | undefined {
  const match = SCOPE.exec(scope);
  return match ? { accessKeyId: match[1], region: match[3], signingName: match[4] } : undefined;
}

function incomplete(message: string): ServiceError {
  return new ServiceError('IncompleteSignatureException', message, 400);
}

/** The request's credential; undefined when it is unsigned. A garbled signature is an error, as on AWS. */
export function readCredential(request: WireRequest): RequestCredential | undefined {
  const authorization = header(request, 'authorization');
  if (authorization !== undefined) {
    if (authorization.startsWith('AWS4-HMAC-SHA256 ')) {
      const credential = /Credential=([^,\s]+)/.exec(authorization)?.[1];
      const parsed = credential ? fromScope(credential) : undefined;
      if (!parsed) throw incomplete(`Authorization header requires a valid 'Credential' parameter of the form <key>/<date>/<region>/<service>/aws4_request. Authorization=${authorization.slice(0, 200)}`);
      if (!/SignedHeaders=/.test(authorization) || !/Signature=/.test(authorization)) {
        throw incomplete(`Authorization header requires 'SignedHeaders' and 'Signature' parameters. Authorization=${authorization.slice(0, 200)}`);
      }
      return parsed;
    }
    // Legacy SigV2 as older S3 clients send it: "AWS <key>:<signature>".
    const v2 = /^AWS ([^:\s]+):\S+$/.exec(authorization);
    if (v2) return { accessKeyId: v2[1] };
    throw incomplete(`Authorization header is not a supported AWS signature (expected AWS4-HMAC-SHA256). Authorization=${authorization.slice(0, 200)}`);
  }
  const presigned = request.query.get('X-Amz-Credential');
  if (presigned !== null) {
    const parsed = fromScope(presigned);
    if (!parsed) throw incomplete(`X-Amz-Credential must have the form <key>/<date>/<region>/<service>/aws4_request`);
    return parsed;
  }
  return undefined;
}
