/** The codec for each protocol a model can declare. */
import { ServiceError } from '../shared/errors.js';
import { jsonRpcProtocol } from './json-rpc.js';
import type { Protocol, ServiceMetadata } from './model.js';
import type { ProtocolCodec } from './protocol.js';
import { queryProtocol } from './query.js';
import { restJsonProtocol } from './rest-json.js';
import { restXmlProtocol } from './rest-xml.js';

const CODECS: Partial<Record<Protocol, ProtocolCodec>> = {
  json: jsonRpcProtocol,
  query: queryProtocol,
  'rest-json': restJsonProtocol,
  'rest-xml': restXmlProtocol,
};

/** The codec for a service; a model may list several protocols, the first one we speak wins. */
export function codecFor(metadata: ServiceMetadata): ProtocolCodec {
  for (const protocol of metadata.protocols ?? [metadata.protocol]) {
    const codec = CODECS[protocol];
    if (codec) return codec;
  }
  throw new ServiceError('NotImplemented', `The ${metadata.protocol} protocol is not implemented in Nimbus yet`, 501);
}

export function hasCodec(metadata: ServiceMetadata): boolean {
  return (metadata.protocols ?? [metadata.protocol]).some((p) => CODECS[p] !== undefined);
}
