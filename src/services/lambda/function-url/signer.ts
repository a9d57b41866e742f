/**
 * The IAM identity behind a SigV4-signed function URL request (AuthType AWS_IAM). Like the rest of Nimbus
 * it reads the credential and never verifies the signature: a 12-digit access key stands for that
 * account's root, an STS-issued key for its session, any other key for the default account's root.
 */
import type { IncomingMessage } from 'node:http';
import { DEFAULT_ACCOUNT } from '../../../shared/ids.js';
import { SERVICE_LOADERS } from '../../registry.js';
import type { ServiceRuntime } from '../../service.js';
import type { UrlSigner } from './access.js';

/** The access key of a SigV4 Authorization header or presigned query; undefined when the request is not signed. */
function signingKey(request: IncomingMessage, rawQueryString: string): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    return /^AWS4-HMAC-SHA256 .*Credential=([^/,\s]+)\/\d{8}\/[^/]+\/[^/]+\/aws4_request/.exec(authorization)?.[1];
  }
  const query = new URLSearchParams(rawQueryString);
  if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' || !query.get('X-Amz-Signature')) return undefined;
  return /^([^/]+)\//.exec(query.get('X-Amz-Credential') ?? '')?.[1];
}

export async function urlSigner(runtime: ServiceRuntime, request: IncomingMessage, rawQueryString: string): Promise<UrlSigner | undefined> {
  const accessKey = signingKey(request, rawQueryString);
  if (accessKey === undefined) return undefined;
  if (accessKey.startsWith('ASIA')) {
    // Temporary keys belong to STS sessions; STS's module maps them without its provider being loaded.
    const sts = await SERVICE_LOADERS.sts();
    const session = sts.resolveCredential?.(runtime, accessKey);
    if (session) return { accessKey, account: session.account, arn: session.arn, userId: session.userId };
  }
  const account = /^\d{12}$/.test(accessKey) ? accessKey : DEFAULT_ACCOUNT;
  return { accessKey, account, arn: `arn:aws:iam::${account}:root`, userId: account };
}
