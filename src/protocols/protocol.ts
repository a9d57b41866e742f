/**
 * A wire protocol: finds the operation a request calls, reads its input, writes its output or error.
 * Every codec is driven by the service model; none knows any particular service.
 */
import type { ServiceError } from '../shared/errors.js';
import type { Operation, ServiceModel } from './model.js';
import type { WireRequest, WireResponse } from './wire.js';

export interface ResponseContext {
  requestId: string;
  /** The request's HTTP method: a HEAD response carries headers only. */
  method?: string;
}

export interface ProtocolCodec {
  /** The operation this request calls, or undefined when the model has none that matches. */
  resolveOperation(model: ServiceModel, request: WireRequest): Operation | undefined;
  /** A human-readable name of what the request asked for, for "unknown operation" errors. */
  describeRequest(request: WireRequest): string | undefined;
  /** The typed input: scalars converted, timestamps as Date, blobs as Buffer. Throws ServiceError on malformed input. */
  parseInput(model: ServiceModel, operation: Operation, request: WireRequest): Record<string, unknown>;
  serializeOutput(model: ServiceModel, operation: Operation, output: Record<string, unknown>, context: ResponseContext): WireResponse;
  serializeError(model: ServiceModel, error: ServiceError, context: ResponseContext): WireResponse;
  /** The error code this protocol's services use for a failed constraint (ValidationException, ValidationError). */
  readonly validationErrorCode: string;
  /** The error code for an operation the service does not know. */
  unknownOperationError(request: WireRequest): ServiceError;
}

/** The wire code and status of an error: from the model's error shape when it declares one. */
export function errorWireInfo(model: ServiceModel, error: ServiceError): { code: string; status: number; shapeName?: string } {
  const shape = model.shapes[error.code];
  if (shape?.exception) {
    return { code: shape.error?.code ?? error.code, status: error.status ?? shape.error?.httpStatusCode ?? 400, shapeName: error.code };
  }
  return { code: error.code, status: error.status ?? 400 };
}
