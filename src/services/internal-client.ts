/**
 * In-process calls between services: the same validation and provider as the edge, no HTTP.
 * Input and output are typed values (Date for timestamps, Buffer for blobs), as providers use them.
 */
import type { Caller } from '../shared/request-context.js';

export interface CallTarget {
  account: string;
  region: string;
  /** Who the call acts as; the account root when omitted. */
  caller?: Caller;
}

export interface InternalClient {
  call<Output = Record<string, unknown>>(service: string, operation: string, input: Record<string, unknown>, target: CallTarget): Promise<Output>;
}
