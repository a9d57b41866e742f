/**
 * The HTTP call of `HTTP` and `HTTP_PROXY` integrations of WebSocket routes: the payload goes to the
 * integration URI with the integration's method, within its timeout (29 seconds at most, the default;
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html).
 */
import type { IntegrationV2 } from '../../../apigatewayv2/records.js';
import { withStageVariables } from '../../invoke/context.js';

export const MAX_INTEGRATION_TIMEOUT_MS = 29_000;

export interface BackendAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export type BackendCall = { answered: true; answer: BackendAnswer } | { answered: false; timedOut: boolean };

/** Calls the backend; no answer (unreachable, timed out) is reported as such, never thrown. */
export async function callHttpBackend(integration: IntegrationV2, stageVariables: Record<string, string>, payload: string): Promise<BackendCall> {
  const method = (integration.IntegrationMethod ?? 'POST').toUpperCase();
  const hasBody = !['GET', 'HEAD'].includes(method) && payload !== '';
  try {
    const response = await fetch(withStageVariables(integration.IntegrationUri ?? '', stageVariables), {
      method,
      headers: hasBody ? { 'content-type': 'application/json' } : {},
      body: hasBody ? payload : undefined,
      signal: AbortSignal.timeout(Math.min(integration.TimeoutInMillis ?? MAX_INTEGRATION_TIMEOUT_MS, MAX_INTEGRATION_TIMEOUT_MS)),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { answered: true, answer: { statusCode: response.status, headers, body: await response.text() } };
  } catch (error) {
    return { answered: false, timedOut: error instanceof Error && error.name === 'TimeoutError' };
  }
}
