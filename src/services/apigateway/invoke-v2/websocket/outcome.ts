/** What running a WebSocket route's integration comes to, for $connect and for a client message alike. */

export interface IntegrationOutcome {
  /** A non-2xx one refuses a $connect handshake with that status. */
  statusCode: number;
  headers: Record<string, string>;
  /** What a two-way route sends back; undefined when the integration answered no body. */
  body?: string;
  /** The message of the error frame a client message gets instead of an answer (the gateway failed, or a proxied function did). */
  failure?: string;
}

export function gatewayFailure(statusCode: number, message: string): IntegrationOutcome {
  return { statusCode, headers: {}, failure: message };
}

/** A 2xx without failure: a $connect that completes the handshake. */
export function succeeded(outcome: IntegrationOutcome): boolean {
  return outcome.failure === undefined && outcome.statusCode >= 200 && outcome.statusCode < 300;
}
