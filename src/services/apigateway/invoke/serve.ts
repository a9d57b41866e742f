/**
 * Invocations of deployed APIs, through either address form (see route.ts). The stage's deployment is
 * what answers: changes after the last CreateDeployment are not visible until the next one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceRuntime } from '../../service.js';
import { apiKeyAllows } from '../api-keys.js';
import { apiLocations, apis } from '../api-record.js';
import { authorize } from './authorize.js';
import type { GatewayResponse, Invocation } from './context.js';
import { jsonResponse, withStageVariables } from './context.js';
import { httpProxy } from './http-proxy.js';
import { functionOfUri, lambdaProxy } from './lambda-proxy.js';
import { mappedIntegration } from './mapped.js';
import { headerOf, readGatewayRequest } from './request.js';
import { invocationAddress, matchRoute } from './route.js';
import { validateRequest } from './validate.js';

// No matching resource or method: AWS answers 403 with this body, not 404.
const MISSING_TOKEN: [number, unknown, Record<string, string>] = [403, { message: 'Missing Authentication Token' }, { 'x-amzn-ErrorType': 'MissingAuthenticationTokenException' }];

async function answer(runtime: ServiceRuntime, request: IncomingMessage, url: URL): Promise<GatewayResponse> {
  const address = invocationAddress(request.headers.host ?? '', url.pathname);
  const location = address ? apiLocations(runtime).get(address.apiId) : undefined;
  const api = address && location ? apis(runtime, location).get(address.apiId) : undefined;
  const stage = api && address ? api.stages[address.stage] : undefined;
  // A canary stage sends its share of requests to the canary deployment, with its variable overrides.
  const toCanary = stage?.canary !== undefined && Math.random() * 100 < stage.canary.percentTraffic;
  const deployment = stage && api ? api.deployments[toCanary ? stage.canary!.deploymentId : stage.deploymentId] : undefined;
  // An unknown API or stage is a bare 403 Forbidden; an unknown resource or method within a stage is the token message.
  if (!address || !location || !api || !stage || !deployment) return jsonResponse(403, { message: 'Forbidden' }, { 'x-amzn-ErrorType': 'ForbiddenException' });
  const route = matchRoute(deployment.resources, address.path, request.method ?? 'GET');
  if (!route) return jsonResponse(...MISSING_TOKEN);
  const invocation: Invocation = {
    request: await readGatewayRequest(request, url, address.path, runtime.clock.now()),
    route,
    apiId: api.id,
    stage: stage.stageName,
    stageVariables: toCanary ? { ...stage.variables, ...stage.canary!.stageVariableOverrides } : stage.variables,
    location,
  };
  if (route.method.authorizationType === 'CUSTOM') {
    const denied = await authorize(runtime, invocation, deployment.authorizers[route.method.authorizerId ?? '']);
    if (denied) return denied;
  }
  // Keys come from the x-api-key header (apiKeySource HEADER); AUTHORIZER-sourced keys are not supported.
  if (route.method.apiKeyRequired && !apiKeyAllows(runtime, location, headerOf(invocation.request, 'x-api-key'), api.id, stage.stageName)) {
    return jsonResponse(403, { message: 'Forbidden' }, { 'x-amzn-ErrorType': 'ForbiddenException' });
  }
  const rejected = validateRequest(invocation, deployment.requestValidators, deployment.models);
  if (rejected) return rejected;
  const integration = route.method.methodIntegration;
  if (!integration) return jsonResponse(500, { message: 'Internal server error' });
  switch (integration.type) {
    case 'AWS_PROXY': {
      const functionArn = functionOfUri(withStageVariables(integration.uri ?? '', invocation.stageVariables));
      return functionArn ? lambdaProxy(runtime, invocation, functionArn) : jsonResponse(500, { message: 'Internal server error' });
    }
    case 'HTTP_PROXY':
      return httpProxy(integration, invocation);
    default:
      return mappedIntegration(runtime, integration, invocation);
  }
}

export async function handleInvocation(runtime: ServiceRuntime, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  let result: GatewayResponse;
  try {
    result = await answer(runtime, request, url);
  } catch {
    // A mapping template that fails to render, for one: the client sees AWS's generic 500.
    result = jsonResponse(500, { message: 'Internal server error' });
  }
  const headers: Record<string, string | string[]> = { ...result.headers };
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    const existing = headers[name];
    headers[name] = [...(existing === undefined ? [] : [existing].flat()), ...values];
  }
  headers['content-length'] = String(result.body.length);
  response.writeHead(result.statusCode, headers);
  response.end(request.method === 'HEAD' ? undefined : result.body);
}
