/**
 * The one error type providers throw. It carries AWS's wire code (the model's error shape name), the
 * message clients see, and optionally the HTTP status and extra members of the error shape. When no
 * status is given, the protocol layer takes it from the model's error shape (400 if the model is silent).
 */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
    /** Extra members of the error shape (e.g. DynamoDB's CancellationReasons), serialized by the model. */
    readonly fields?: Record<string, unknown>,
  ) {
    super(message);
    this.name = code;
  }

  get fault(): 'client' | 'server' {
    return (this.status ?? 400) >= 500 ? 'server' : 'client';
  }
}

/** The operation exists in AWS's model but Nimbus does not serve it yet: said plainly, never faked. */
export function notImplemented(service: string, operation: string): ServiceError {
  return new ServiceError('NotImplemented', `${service}.${operation} is not implemented in Nimbus yet`, 501);
}

/** An input failed the model's constraints; each protocol picks its own code for this (ValidationException, ValidationError). */
export class ValidationFailure extends ServiceError {
  constructor(message: string) {
    super('ValidationException', message, 400);
  }
}

/** The body could not be read as the protocol's format or a value had the wrong type. */
export class SerializationFailure extends ServiceError {
  constructor(message: string, code = 'SerializationException') {
    super(code, message, 400);
  }
}

export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof ServiceError;
}
