/**
 * Binary payloads (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html):
 * a body is binary when its media type matches one of the API's binaryMediaTypes (wildcards such as
 * image/* and * / * allowed); contentHandling converts between binary and base64 text for non-proxy
 * integrations.
 */
import type { ContentHandlingStrategy } from '../../../generated/apigateway.js';

/** The bare media type of a Content-Type or the first entry of an Accept header: `image/png`. */
export function mediaTypeOf(header: string | undefined): string | undefined {
  const first = header?.split(',')[0]?.split(';')[0]?.trim().toLowerCase();
  return first === '' ? undefined : first;
}

function patternMatches(pattern: string, mediaType: string): boolean {
  const [wantedType, wantedSubtype = ''] = pattern.toLowerCase().split('/');
  const [type, subtype = ''] = mediaType.split('/');
  return (wantedType === '*' || wantedType === type) && (wantedSubtype === '*' || wantedSubtype === subtype);
}

/** Whether the header's (first) media type is one of `binaryMediaTypes`. */
export function isBinaryMediaType(binaryMediaTypes: string[] | undefined, header: string | undefined): boolean {
  const mediaType = mediaTypeOf(header);
  return mediaType !== undefined && (binaryMediaTypes ?? []).some((pattern) => patternMatches(pattern, mediaType));
}

/**
 * A payload after the contentHandling of an integration (request side) or integration response
 * (response side): CONVERT_TO_TEXT base64-encodes a binary payload, CONVERT_TO_BINARY decodes a text
 * one; without a strategy it passes as it is.
 */
export function convertPayload(body: Buffer, binary: boolean, contentHandling: ContentHandlingStrategy | undefined): { body: Buffer; binary: boolean } {
  if (contentHandling === 'CONVERT_TO_TEXT' && binary) return { body: Buffer.from(body.toString('base64')), binary: false };
  if (contentHandling === 'CONVERT_TO_BINARY' && !binary) return { body: Buffer.from(body.toString('utf8'), 'base64'), binary: true };
  return { body, binary };
}
