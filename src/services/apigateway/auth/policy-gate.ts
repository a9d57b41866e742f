/**
 * Where the resource policy stands in an invocation's authorization. With no matching statement, the
 * outcome depends on the method's authorization type
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html):
 * NONE needs an explicit Allow; a Lambda or user pool authorizer's own decision stands; an IAM caller of
 * the API's own account is allowed (Nimbus does not evaluate identity policies: they allow), one of
 * another account needs an explicit Allow. An explicit Deny always wins.
 */
import type { GatewayResponse, Invocation } from '../invoke/context.js';
import { gatewayError } from '../invoke/gateway-errors.js';
import { headerOf } from '../invoke/request.js';
import { evaluateResourcePolicy } from './resource-policy.js';

/** undefined to go on, or the 403 that ends the request. `policy` is the deployed API's, if it has one. */
export function resourcePolicyDenial(policy: string | undefined, invocation: Invocation, authorizationType: string | undefined): GatewayResponse | undefined {
  if (policy === undefined || policy === '') return undefined;
  const { location, request, caller } = invocation;
  const apiArn = `arn:aws:execute-api:${location.region}:${location.account}:${invocation.apiId}`;
  const methodArn = `${apiArn}/${invocation.stage}/${request.httpMethod}${request.path}`;
  const referer = headerOf(request, 'referer');
  const verdict = evaluateResourcePolicy(policy, {
    methodArn, apiArn, sourceIp: request.sourceIp,
    principal: caller ? { account: caller.accountId, arn: caller.userArn } : undefined,
    context: { 'aws:useragent': request.userAgent, ...(referer === undefined ? {} : { 'aws:referer': referer }) },
  });
  if (verdict === 'Allow') return undefined;
  if (verdict === 'None') {
    const authorizerDecides = authorizationType === 'CUSTOM' || authorizationType === 'COGNITO_USER_POOLS';
    const ownAccountCaller = authorizationType === 'AWS_IAM' && caller?.accountId === location.account;
    if (authorizerDecides || ownAccountCaller) return undefined;
  }
  const message = `User: ${caller?.userArn ?? 'anonymous'} is not authorized to perform: execute-api:Invoke on resource: ${methodArn}${verdict === 'Deny' ? ' with an explicit deny' : ''}`;
  // Like a Lambda authorizer's refusal, this body says "Message", capitalized.
  return gatewayError('ACCESS_DENIED', message, { body: { Message: message } });
}
