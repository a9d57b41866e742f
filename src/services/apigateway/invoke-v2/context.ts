/** What an HTTP API invocation carries from routing to the integration, and the gateway's own answers. */
import type { RouteV2 } from '../../apigatewayv2/records.js';
import type { ApiLocation } from '../api-record.js';
import type { GatewayResponse } from '../invoke/context.js';
import { jsonResponse } from '../invoke/context.js';
import type { GatewayRequest } from '../invoke/request.js';

/** What an authorizer let through with, as the integration event shows it. */
export type AuthorizerResult =
  | { kind: 'jwt'; claims: Record<string, string>; scopes: string[] | null }
  | { kind: 'lambda'; context: Record<string, unknown>; principalId?: string }
  | { kind: 'iam'; identity: IamIdentity };

/** Who signed the request of an AWS_IAM route, as requestContext.authorizer.iam shows it. */
export interface IamIdentity {
  accessKey: string;
  accountId: string;
  callerId: string;
  userArn: string;
  userId: string;
}

export interface HttpInvocation {
  request: GatewayRequest;
  apiId: string;
  location: ApiLocation;
  /** The stage's name; `$default` when the address names none. */
  stage: string;
  stageVariables: Record<string, string>;
  route: RouteV2;
  pathParameters: Record<string, string>;
  authorizer?: AuthorizerResult;
  /** The request target exactly as sent (SigV4 signs it); serve.ts sets it, invocations built elsewhere may leave it out. */
  rawUrl?: string;
  /** Through a custom domain: the API mapping's key, which stays in the path the client addressed. */
  mappingKey?: string;
}

/**
 * HTTP APIs' error bodies, with their capitalisation ("Internal Server Error", unlike REST APIs'
 * "Internal server error") (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html).
 */
export const notFound = (): GatewayResponse => jsonResponse(404, { message: 'Not Found' });
export const unauthorized = (headers: Record<string, string> = {}): GatewayResponse => jsonResponse(401, { message: 'Unauthorized' }, headers);
export const forbidden = (headers: Record<string, string> = {}): GatewayResponse => jsonResponse(403, { message: 'Forbidden' }, headers);
export const internalError = (): GatewayResponse => jsonResponse(500, { message: 'Internal Server Error' });

/**
 * The path as the client addressed it: a named stage stays in rawPath and requestContext.http.path, `$default`
 * adds nothing; through a custom domain the API mapping's key stays in it instead of the stage.
 */
export function stagedPath(invocation: Pick<HttpInvocation, 'stage' | 'request' | 'mappingKey'>): string {
  const prefix = invocation.mappingKey !== undefined ? invocation.mappingKey : invocation.stage === '$default' ? '' : invocation.stage;
  if (prefix === '') return invocation.request.path;
  return `/${prefix}${invocation.request.path === '/' ? '' : invocation.request.path}`;
}
