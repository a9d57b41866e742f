import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import type { GatewayResponse } from '../../../generated/apigateway.js';
import type { DeploymentRecord } from '../api-record.js';
import type { GatewayErrorScope } from './gateway-errors.js';
import { gatewayError, withGatewayResponse } from './gateway-errors.js';

function scope(gatewayResponses: Record<string, GatewayResponse>): GatewayErrorScope {
  const deployment: DeploymentRecord = { id: 'd', createdDate: 0, resources: {}, models: {}, requestValidators: {}, authorizers: {}, gatewayResponses };
  const request = { headers: { 'x-probe': 'p' }, method: 'GET' } as unknown as IncomingMessage;
  return { request, url: new URL('http://localhost/a?q=1'), deployment, apiId: 'abc', stage: 'prod' };
}

const body = (response: { body: Buffer }): unknown => JSON.parse(response.body.toString('utf8'));

describe('gateway errors', () => {
  it('build AWS default answers with their status and error type', () => {
    const error = gatewayError('UNAUTHORIZED', 'Unauthorized');
    assert.deepEqual([error.statusCode, error.headers['x-amzn-ErrorType'], body(error)], [401, 'UnauthorizedException', { message: 'Unauthorized' }]);
    assert.equal(gatewayError('DEFAULT_5XX', 'Internal server error', { statusCode: 502 }).statusCode, 502);
  });

  it('leave answers alone without customizations, and ordinary answers always', () => {
    const error = gatewayError('THROTTLED', 'Too Many Requests');
    assert.equal(withGatewayResponse(error, scope({})), error);
    const ordinary = { statusCode: 404, headers: {}, body: Buffer.from('{}') };
    assert.equal(withGatewayResponse(ordinary, scope({ DEFAULT_4XX: { statusCode: '400', responseTemplates: { 'application/json': 'x' } } })), ordinary);
  });

  it('apply the type own customization before its family', () => {
    const customized = scope({
      THROTTLED: { statusCode: '503', responseParameters: { 'gatewayresponse.header.x-q': 'method.request.querystring.q' }, responseTemplates: { 'application/json': '{"t":"$context.error.responseType","s":"$context.stage"}' } },
      DEFAULT_4XX: { statusCode: '418', responseParameters: { 'gatewayresponse.header.x-probe': 'method.request.header.x-probe' }, responseTemplates: {} },
    });
    const throttled = withGatewayResponse(gatewayError('THROTTLED', 'Too Many Requests'), customized);
    assert.deepEqual([throttled.statusCode, throttled.headers['x-q'], body(throttled)], [503, '1', { t: 'THROTTLED', s: 'prod' }]);
    const unauthorized = withGatewayResponse(gatewayError('UNAUTHORIZED', 'Unauthorized'), customized);
    assert.deepEqual([unauthorized.statusCode, unauthorized.headers['x-probe'], body(unauthorized)], [418, 'p', { message: 'Unauthorized' }]);
    const denied = withGatewayResponse(gatewayError('AUTHORIZER_CONFIGURATION_ERROR', null), customized);
    assert.equal(denied.statusCode, 500);
  });
});
