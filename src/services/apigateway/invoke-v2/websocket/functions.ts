/** Calling Lambda functions from WebSocket routes: AWS_PROXY and AWS integrations, and $connect authorizers. */
import type { ServiceRuntime } from '../../../service.js';
import type { LambdaResult } from '../../invoke/lambda-proxy.js';
import { functionOfUri, invokeFunction } from '../../invoke/lambda-proxy.js';
import type { IntegrationTarget } from './integration.js';

/** WebSocket integrations and authorizers name the function inside an API Gateway service URI; a bare function ARN is accepted too. */
export function functionOf(uri: string): string | undefined {
  return functionOfUri(uri) ?? (/^arn:aws[a-z-]*:lambda:/.test(uri) ? uri : undefined);
}

/** Invokes a function synchronously with `event` as its JSON payload; undefined when there was no answer at all (a missing function, a throttle). */
export function callFunction(runtime: ServiceRuntime, target: IntegrationTarget, functionArn: string, event: unknown): Promise<LambdaResult | undefined> {
  return invokeFunction(runtime, target, functionArn, JSON.stringify(event));
}
