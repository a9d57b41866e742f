/**
 * What S3 does on top of restXml that its botocore model does not say: virtual-hosted-style addressing,
 * the root element names of its XML results, the bare <LocationConstraint> document, aws-chunked request
 * bodies and its <Error> document.
 */
import { ServiceError } from '../shared/errors.js';
import type { ServiceModel } from './model.js';
import type { WireRequest } from './wire.js';
import { header } from './wire.js';
import { escapeXml } from './xml-writer.js';

export function isS3(model: ServiceModel): boolean {
  return model.metadata.serviceId === 'S3';
}

/** S3 documents carry this namespace although the botocore model only puts it on request payload members. */
export function s3Namespace(model: ServiceModel): string {
  return `http://s3.amazonaws.com/doc/${model.metadata.apiVersion}/`;
}

export const S3_MALFORMED_XML_MESSAGE = 'The XML you provided was not well-formed or did not validate against our published schema';

// ---------------------------------------------------------------------------------------------------------
// Virtual-hosted-style requests: https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
// ---------------------------------------------------------------------------------------------------------

function hostname(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}

/**
 * The bucket named by the host of a virtual-hosted-style request: `<bucket>.s3.<rest>` (s3.amazonaws.com,
 * s3.us-east-1.amazonaws.com, s3.localhost:4566) or the legacy dashed `<bucket>.s3-<region>.amazonaws.com`.
 * The first `.s3.`/`.s3-` ends the bucket name.
 */
export function bucketFromHost(host: string): string | undefined {
  const name = hostname(host.trim().toLowerCase());
  const match = /^(.+?)\.s3[.-]/.exec(name);
  return match ? match[1] : undefined;
}

/** The path to route on: a virtual-hosted request's bucket becomes the first segment, as in path style. */
export function s3RoutingPath(request: WireRequest): string {
  const bucket = bucketFromHost(request.host);
  if (!bucket) return request.path;
  const rest = request.path === '/' || request.path === '' ? '' : request.path;
  return `/${encodeURIComponent(bucket)}${rest.startsWith('/') || rest === '' ? rest : `/${rest}`}`;
}

// ---------------------------------------------------------------------------------------------------------
// Result documents
// ---------------------------------------------------------------------------------------------------------

/**
 * Root elements of S3's XML results, as its API reference shows them (the Smithy model's @xmlName, which
 * botocore's model drops). Outputs not listed are named after their shape, as restXml does by default.
 */
const S3_RESULT_ROOTS: Record<string, string> = {
  CompleteMultipartUploadOutput: 'CompleteMultipartUploadResult',
  CreateMultipartUploadOutput: 'InitiateMultipartUploadResult',
  CreateSessionOutput: 'CreateSessionResult',
  DeleteObjectsOutput: 'DeleteResult',
  GetBucketAccelerateConfigurationOutput: 'AccelerateConfiguration',
  GetBucketAclOutput: 'AccessControlPolicy',
  GetBucketCorsOutput: 'CORSConfiguration',
  GetBucketLifecycleOutput: 'LifecycleConfiguration',
  GetBucketLifecycleConfigurationOutput: 'LifecycleConfiguration',
  GetBucketLocationOutput: 'LocationConstraint',
  GetBucketLoggingOutput: 'BucketLoggingStatus',
  GetBucketRequestPaymentOutput: 'RequestPaymentConfiguration',
  GetBucketTaggingOutput: 'Tagging',
  GetBucketVersioningOutput: 'VersioningConfiguration',
  GetBucketWebsiteOutput: 'WebsiteConfiguration',
  GetObjectAclOutput: 'AccessControlPolicy',
  GetObjectAttributesOutput: 'GetObjectAttributesResponse',
  GetObjectTaggingOutput: 'Tagging',
  ListBucketAnalyticsConfigurationsOutput: 'ListBucketAnalyticsConfigurationResult',
  ListBucketInventoryConfigurationsOutput: 'ListInventoryConfigurationsResult',
  ListBucketMetricsConfigurationsOutput: 'ListMetricsConfigurationsResult',
  ListBucketsOutput: 'ListAllMyBucketsResult',
  ListDirectoryBucketsOutput: 'ListAllMyDirectoryBucketsResult',
  ListMultipartUploadsOutput: 'ListMultipartUploadsResult',
  ListObjectsOutput: 'ListBucketResult',
  ListObjectsV2Output: 'ListBucketResult',
  ListObjectVersionsOutput: 'ListVersionsResult',
  ListPartsOutput: 'ListPartsResult',
  NotificationConfigurationDeprecated: 'NotificationConfiguration',
};

export function s3ResultRoot(outputShape: string): string | undefined {
  return Object.hasOwn(S3_RESULT_ROOTS, outputShape) ? S3_RESULT_ROOTS[outputShape] : undefined;
}

/**
 * GetBucketLocation answers `<LocationConstraint>region</LocationConstraint>`: the root's text is the member,
 * not a child element (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html).
 */
export function s3TextRootMember(outputShape: string): string | undefined {
  return outputShape === 'GetBucketLocationOutput' ? 'LocationConstraint' : undefined;
}

/**
 * A ranged GET answers 206 Partial Content, which GetObjectOutput has no status-code member to say
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html): a Content-Range implies it.
 */
export function s3ImpliedStatus(outputShape: string, output: Record<string, unknown>): number | undefined {
  return outputShape === 'GetObjectOutput' && typeof output.ContentRange === 'string' ? 206 : undefined;
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#RESTErrorResponses */
export function s3ErrorDocument(code: string, message: string, fields: string, requestId: string): string {
  return `<Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message>${fields}<RequestId>${escapeXml(requestId)}</RequestId></Error>`;
}

// ---------------------------------------------------------------------------------------------------------
// aws-chunked bodies: what SDKs send for streamed uploads, with checksums in trailers.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
// ---------------------------------------------------------------------------------------------------------

function incompleteBody(): ServiceError {
  return new ServiceError('IncompleteBody', 'The request body is not valid aws-chunked content', 400);
}

export function isAwsChunked(request: WireRequest): boolean {
  const encodings = (header(request, 'content-encoding') ?? '').split(',').map((token) => token.trim().toLowerCase());
  return encodings.includes('aws-chunked') || (header(request, 'x-amz-content-sha256') ?? '').startsWith('STREAMING-');
}

function readTrailers(text: string): Record<string, string> {
  const trailers: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  // The trailer signature signs the trailers; it is no member of any operation.
  delete trailers['x-amz-trailer-signature'];
  return trailers;
}

/** `<hex size>[;chunk-signature=...]\r\n<bytes>\r\n` repeated, then a zero-size chunk and optional trailers. */
export function decodeAwsChunked(body: Buffer): { payload: Buffer; trailers: Record<string, string> } {
  const chunks: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', pos);
    if (lineEnd < 0) throw incompleteBody();
    const sizeText = body.toString('latin1', pos, lineEnd).split(';')[0].trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw incompleteBody();
    const size = parseInt(sizeText, 16);
    pos = lineEnd + 2;
    if (size === 0) return { payload: Buffer.concat(chunks), trailers: readTrailers(body.toString('latin1', pos)) };
    if (pos + size + 2 > body.length || body.toString('latin1', pos + size, pos + size + 2) !== '\r\n') throw incompleteBody();
    chunks.push(body.subarray(pos, pos + size));
    pos += size + 2;
  }
}

/**
 * The request as if sent unchunked: the decoded body, trailers as headers, the decoded length as
 * Content-Length, and aws-chunked dropped from Content-Encoding (S3 does not store it).
 */
export function unchunkedRequest(request: WireRequest): WireRequest {
  if (!isAwsChunked(request)) return request;
  const { payload, trailers } = decodeAwsChunked(request.body);
  const headers: WireRequest['headers'] = { ...request.headers, ...trailers, 'content-length': header(request, 'x-amz-decoded-content-length') ?? String(payload.length) };
  const encodings = (header(request, 'content-encoding') ?? '')
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token !== '' && token.toLowerCase() !== 'aws-chunked');
  if (encodings.length > 0) headers['content-encoding'] = encodings.join(',');
  else delete headers['content-encoding'];
  return { ...request, headers, body: payload };
}
