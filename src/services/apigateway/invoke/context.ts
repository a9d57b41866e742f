/** What an integration knows about the call: the request, the matched route, the stage and $context. */
import type { GatewayResponseType } from '../../../generated/apigateway.js';
import type { ApiLocation } from '../api-record.js';
import type { GatewayRequest } from './request.js';
import { requestTime } from './request.js';
import type { RouteMatch } from './route.js';

export interface Invocation {
  request: GatewayRequest;
  route: RouteMatch;
  apiId: string;
  stage: string;
  stageVariables: Record<string, string>;
  location: ApiLocation;
  /** What a Lambda authorizer allowed with: its context plus principalId ($context.authorizer). */
  authorizer?: Record<string, unknown>;
  /** Who signed the request of an AWS_IAM method (see auth/iam.ts): fills $context.identity's caller fields. */
  caller?: { accessKey: string; accountId: string; caller: string; user: string; userArn: string };
  /** The deployed API's binaryMediaTypes: bodies of these types travel base64-encoded through proxies. */
  binaryMediaTypes?: string[];
}

export interface GatewayResponse {
  statusCode: number;
  headers: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: Buffer;
  /** Set on the gateway's own errors (see gateway-errors.ts), so the API's gateway responses can restyle them. */
  gatewayError?: { responseType: GatewayResponseType; message: string | null };
}

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): GatewayResponse {
  return { statusCode, headers: { 'Content-Type': 'application/json', ...headers }, body: Buffer.from(JSON.stringify(body)) };
}

/** The requestContext of a Lambda proxy event, also $context in mapping templates. */
export function requestContext(invocation: Invocation): Record<string, unknown> {
  const { request, route } = invocation;
  return {
    accountId: invocation.location.account,
    apiId: invocation.apiId,
    ...(invocation.authorizer ? { authorizer: invocation.authorizer } : {}),
    domainName: request.domainName,
    domainPrefix: request.domainName.split('.')[0],
    extendedRequestId: request.requestId,
    httpMethod: request.httpMethod,
    identity: {
      accessKey: null, accountId: null, caller: null, cognitoAuthenticationProvider: null, cognitoAuthenticationType: null,
      cognitoIdentityId: null, cognitoIdentityPoolId: null, principalOrgId: null, sourceIp: request.sourceIp, user: null,
      userAgent: request.userAgent, userArn: null, ...invocation.caller,
    },
    path: `/${invocation.stage}${request.path}`,
    protocol: request.protocol,
    requestId: request.requestId,
    requestTime: requestTime(request.receivedAt),
    requestTimeEpoch: request.receivedAt,
    resourceId: route.resource.id,
    resourcePath: route.resource.path,
    stage: invocation.stage,
  };
}

/** Replaces `${stageVariables.name}` in an integration URI (https://docs.aws.amazon.com/apigateway/latest/developerguide/aws-api-gateway-stage-variables-reference.html). */
export function withStageVariables(text: string, variables: Record<string, string>): string {
  return text.replace(/\$\{stageVariables\.([a-zA-Z0-9_]+)\}/g, (_whole, name: string) => variables[name] ?? '');
}
