/** Calling Lambda functions from WebSocket routes: AWS_PROXY and AWS integrations, and $connect authorizers. */
import type { ServiceRuntime } from '../../../service.js';
import { functionOfUri } from '../../invoke/lambda-proxy.js';
import type { IntegrationTarget } from './integration.js';

/** WebSocket integrations and authorizers name the function inside an API Gateway service URI; a bare function ARN is accepted too. */
export function functionOf(uri: string): string | undefined {
  return functionOfUri(uri) ?? (/^arn:aws[a-z-]*:lambda:/.test(uri) ? uri : undefined);
}

export interface FunctionResult {
  payload: string;
  functionError?: string;
}

/** Invokes a function synchronously; undefined when there was no answer at all (a missing function, a throttle). */
export async function callFunction(runtime: ServiceRuntime, target: IntegrationTarget, functionArn: string, event: unknown): Promise<FunctionResult | undefined> {
  try {
    const output = await runtime.client.call<{ Payload?: Uint8Array; FunctionError?: string }>('lambda', 'Invoke', {
      FunctionName: functionArn, Payload: Buffer.from(JSON.stringify(event)),
    }, target.location);
    return { payload: Buffer.from(output.Payload ?? []).toString('utf8'), functionError: output.FunctionError };
  } catch {
    return undefined;
  }
}
