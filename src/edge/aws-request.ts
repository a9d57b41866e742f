/**
 * One AWS API call through the edge, as an ordered list of steps:
 *   credential -> service -> account -> operation -> parse -> invoke (validate + provider) -> serialize.
 * Any step may throw a ServiceError; it is written in the protocol of the service the request is for.
 */
import type { Operation, ServiceModel } from '../protocols/model.js';
import { codecFor, hasCodec } from '../protocols/index.js';
import type { ProtocolCodec } from '../protocols/protocol.js';
import type { WireRequest, WireResponse } from '../protocols/wire.js';
import { isServiceError, ServiceError } from '../shared/errors.js';
import { DEFAULT_ACCOUNT, dynamoDbRequestId, requestId as newRequestId } from '../shared/ids.js';
import { logger } from '../shared/log.js';
import type { Caller, RequestContext } from '../shared/request-context.js';
import type { LoadedService, ServiceHost } from '../services/service-host.js';
import { rootCaller } from '../services/service-host.js';
import type { RequestCredential } from './credentials.js';
import { readCredential } from './credentials.js';
import { identifyService, serviceMetadata } from './route-service.js';

const log = logger('edge');

export interface AwsRequestOptions {
  host: ServiceHost;
  defaultRegion: string;
}

/**
 * A body over a limit: the edge's own, or a service's. The edge closes the connection after its own, since
 * the rest of that body is unread or dropped.
 */
export function tooLargeAnswer(limit: number): WireResponse {
  return {
    status: 413,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'RequestEntityTooLargeException' },
    body: JSON.stringify({ __type: 'RequestEntityTooLargeException', message: `Request body exceeds the ${String(limit)} byte limit` }),
  };
}

/** Services that refuse requests smaller than the edge's own limit: DynamoDB takes 16 MB at most (as Alternator's suite checks). */
const REQUEST_LIMITS: Readonly<Record<string, number>> = { dynamodb: 16 * 1024 * 1024 };

/** The codec and a model stub for a service Nimbus knows from the catalog but does not serve. */
function catalogOnly(service: string): { codec: ProtocolCodec; model: ServiceModel } | undefined {
  const metadata = serviceMetadata(service);
  if (!metadata || !hasCodec(metadata)) return undefined;
  return { codec: codecFor(metadata), model: { metadata, operations: {}, shapes: {} } };
}

/** No service could be told from the request: answer in JSON, the most common modern protocol. */
function unidentified(): WireResponse {
  return {
    status: 400,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'UnknownServiceException' },
    body: JSON.stringify({
      __type: 'UnknownServiceException',
      message: 'Nimbus could not tell which AWS service this request is for: it has no SigV4 credential scope, X-Amz-Target, Action parameter or service host name',
    }),
  };
}

/** The account behind a credential: a 12-digit key is that account, STS-issued keys map to their session's. */
async function resolveCaller(host: ServiceHost, credential: RequestCredential | undefined): Promise<{ account: string; caller: Caller }> {
  const accessKeyId = credential?.accessKeyId ?? 'anonymous';
  if (/^\d{12}$/.test(accessKeyId)) return { account: accessKeyId, caller: rootCaller(accessKeyId, accessKeyId) };
  const issued = await host.resolveCredential(accessKeyId);
  if (issued) return { account: issued.account, caller: { accessKeyId, arn: issued.arn, userId: issued.userId } };
  return { account: DEFAULT_ACCOUNT, caller: rootCaller(DEFAULT_ACCOUNT, accessKeyId) };
}

function toServiceError(error: unknown, where: string): ServiceError {
  if (isServiceError(error)) return error;
  log.error(`${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return new ServiceError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
}

async function runOperation(
  options: AwsRequestOptions,
  service: LoadedService,
  operation: Operation,
  request: WireRequest,
  credential: RequestCredential | undefined,
  requestId: string,
): Promise<WireResponse> {
  const { account, caller } = await resolveCaller(options.host, credential);
  const ctx: RequestContext = {
    account,
    region: credential?.region ?? options.defaultRegion,
    requestId,
    service: service.name,
    operation: operation.name,
    caller,
  };
  const input = service.codec.parseInput(service.model, operation, request);
  const output = await options.host.invoke(service, operation, input, ctx);
  return service.codec.serializeOutput(service.model, operation, output, { requestId, method: request.method });
}

/** A request id in the format of the service a call is for: DynamoDB's are not UUIDs. */
function requestIdFor(service: string | undefined): string {
  return service === 'dynamodb' ? dynamoDbRequestId() : newRequestId();
}

/** Answers an AWS API call; the request id is made once the service is known, in its format. */
export async function handleAwsRequest(options: AwsRequestOptions, request: WireRequest): Promise<{ response: WireResponse; requestId: string }> {
  const match = identifyRequest(request);
  const requestId = requestIdFor(match.service?.service);
  return { response: await answer(options, request, match, requestId), requestId };
}

interface IdentifiedRequest {
  credential: RequestCredential | undefined;
  credentialError: ServiceError | undefined;
  service: ReturnType<typeof identifyService>;
}

function identifyRequest(request: WireRequest): IdentifiedRequest {
  let credential: RequestCredential | undefined;
  let credentialError: ServiceError | undefined;
  try {
    credential = readCredential(request);
  } catch (error) {
    credentialError = toServiceError(error, 'credential');
  }
  return { credential, credentialError, service: identifyService(request, credential) };
}

async function answer(options: AwsRequestOptions, request: WireRequest, identified: IdentifiedRequest, requestId: string): Promise<WireResponse> {
  const { credential, credentialError, service: match } = identified;
  if (!match) return unidentified();
  const limit = REQUEST_LIMITS[match.service];
  if (limit !== undefined && request.body.length > limit) return tooLargeAnswer(limit);

  if (!match.served) {
    const stub = catalogOnly(match.service);
    if (!stub) return unidentified();
    const error = credentialError ?? new ServiceError('NotImplemented', `The ${match.service} service is not implemented in Nimbus yet`, 501);
    return stub.codec.serializeError(stub.model, error, { requestId });
  }

  let service: LoadedService;
  try {
    service = options.host.loadedService(match.service) ?? (await options.host.load(match.service));
  } catch (error) {
    const stub = catalogOnly(match.service);
    return stub ? stub.codec.serializeError(stub.model, toServiceError(error, 'load'), { requestId }) : unidentified();
  }

  try {
    if (credentialError) throw credentialError;
    const operation = service.codec.resolveOperation(service.model, request);
    if (!operation) throw service.codec.unknownOperationError(request);
    return await runOperation(options, service, operation, request, credential, requestId);
  } catch (error) {
    return service.codec.serializeError(service.model, toServiceError(error, service.name), { requestId, method: request.method });
  }
}
