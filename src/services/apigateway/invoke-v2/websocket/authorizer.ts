/**
 * Lambda REQUEST authorizers on a WebSocket API's $connect route: the identity sources must all be
 * present (else 401 without calling the function), the function's IAM policy must allow
 * `execute-api:Invoke` on the route's ARN (else 403), and what it returns as `context` and `principalId`
 * reaches every event of the connection as `requestContext.authorizer`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html).
 * Results are not cached: a connection is authorized once, at its handshake.
 */
import type { PolicyDocument } from '../../auth/authorizer-policy.js';
import { policyDecision } from '../../auth/authorizer-policy.js';
import type { AuthorizerV2 } from '../../../apigatewayv2/records.js';
import type { ServiceRuntime } from '../../../service.js';
import { withStageVariables } from '../../invoke/context.js';
import type { HandshakeRequest } from './events.js';
import { callFunction, functionOf } from './functions.js';
import type { IntegrationTarget, RouteEvent } from './integration.js';

export type AuthorizerVerdict = { allowed: true; authorizer: Record<string, unknown> } | { allowed: false; statusCode: number; body: string };

interface AuthorizerOutput {
  principalId?: unknown;
  policyDocument?: PolicyDocument;
  context?: Record<string, unknown>;
}

const UNAUTHORIZED: AuthorizerVerdict = { allowed: false, statusCode: 401, body: JSON.stringify({ message: 'Unauthorized' }) };
const FORBIDDEN: AuthorizerVerdict = { allowed: false, statusCode: 403, body: JSON.stringify({ message: 'Forbidden' }) };
const INTERNAL_ERROR: AuthorizerVerdict = { allowed: false, statusCode: 500, body: JSON.stringify({ message: 'Internal server error' }) };

function caseInsensitive(values: Record<string, string[]>, name: string): string[] | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(values).find(([key]) => key.toLowerCase() === wanted)?.[1];
}

/** The values of the identity sources (`route.request.header.X`, `route.request.querystring.X`, `stageVariables.X`, `context.X`), or undefined when one is missing. */
function identityValues(sources: string[], handshake: HandshakeRequest, stageVariables: Record<string, string>, context: Record<string, unknown>): string[] | undefined {
  const values: string[] = [];
  for (const source of sources) {
    const [, scope, name] = /^(route\.request\.header|route\.request\.querystring|stageVariables|context)\.(.+)$/.exec(source.trim()) ?? [];
    const value = scope === 'route.request.header' ? caseInsensitive(handshake.multiValueHeaders, name)?.join(',')
      : scope === 'route.request.querystring' ? handshake.multiValueQuery[name]?.join(',')
        : scope === 'stageVariables' ? stageVariables[name]
          : scope === 'context' && typeof context[name] === 'string' ? context[name] : undefined;
    if (value === undefined || value === '') return undefined;
    values.push(value);
  }
  return values;
}

function parseOutput(payload: string): AuthorizerOutput | undefined {
  try {
    const output = JSON.parse(payload) as unknown;
    return output !== null && typeof output === 'object' && !Array.isArray(output) ? (output) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the $connect route's authorizer for the handshake that `connectEvent` describes. */
export async function authorizeConnect(runtime: ServiceRuntime, target: IntegrationTarget, authorizer: AuthorizerV2 | undefined, connectEvent: RouteEvent, handshake: HandshakeRequest): Promise<AuthorizerVerdict> {
  if (authorizer?.AuthorizerType !== 'REQUEST') return INTERNAL_ERROR;
  const context = connectEvent.requestContext;
  if (!identityValues(authorizer.IdentitySource ?? [], handshake, target.stageVariables, context)) return UNAUTHORIZED;
  const functionArn = functionOf(withStageVariables(authorizer.AuthorizerUri ?? '', target.stageVariables));
  const routeArn = `arn:aws:execute-api:${target.location.region}:${target.location.account}:${String(context.apiId)}/${String(context.stage)}/$connect`;
  const { isBase64Encoded: _unused, ...request } = connectEvent;
  const result = functionArn ? await callFunction(runtime, target, functionArn, { type: 'REQUEST', methodArn: routeArn, ...request, stageVariables: target.stageVariables }) : undefined;
  if (!result) return INTERNAL_ERROR;
  // Throwing "Unauthorized" is how an authorizer answers 401; any other failure is the gateway's 500.
  if (result.functionError) return /"errorMessage"\s*:\s*"Unauthorized"/.test(result.payload) ? UNAUTHORIZED : INTERNAL_ERROR;
  const output = parseOutput(result.payload);
  if (!output) return INTERNAL_ERROR;
  if (policyDecision(output.policyDocument, routeArn) !== 'Allow') return FORBIDDEN;
  return { allowed: true, authorizer: { ...output.context, principalId: output.principalId } };
}
