/**
 * Invocations of deployed APIs, through any address form (see route.ts). The stage's deployment is
 * what answers: changes after the last CreateDeployment are not visible until the next one. HTTP APIs
 * (API Gateway v2) share the addresses and are answered by ../invoke-v2/.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { findV2Api } from '../../apigatewayv2/records.js';
import type { ServiceRuntime } from '../../service.js';
import type { Integration } from '../../../generated/apigateway.js';
import { apiLocations, apis } from '../api-record.js';
import { customDomainAddress } from '../domains/resolve.js';
import { authenticateCaller } from '../auth/authenticate.js';
import { throughStageCache } from '../cache/response-cache.js';
import { answerHttpApi } from '../invoke-v2/serve.js';
import { recordInvocation } from '../logging/record.js';
import { beginTrace } from '../logging/trace.js';
import { throttleInvocation } from '../traffic/throttling.js';
import { checkUsagePlan } from '../traffic/usage-plan-check.js';
import { authorize } from './authorize.js';
import type { GatewayResponse, Invocation } from './context.js';
import { withStageVariables } from './context.js';
import type { GatewayErrorScope } from './gateway-errors.js';
import { gatewayError, withGatewayResponse } from './gateway-errors.js';
import { httpProxy } from './http-proxy.js';
import { functionOfUri, lambdaProxy } from './lambda-proxy.js';
import { mappedIntegration } from './mapped.js';
import { readGatewayRequest } from './request.js';
import { invocationAddress, matchRoute } from './route.js';
import { validateRequest } from './validate.js';

const internalError = (): GatewayResponse => gatewayError('API_CONFIGURATION_ERROR', 'Internal server error');

/** `seen` collects the deployment and invocation as they are found, for the gateway responses of errors. */
async function answer(runtime: ServiceRuntime, request: IncomingMessage, url: URL, seen: GatewayErrorScope): Promise<GatewayResponse> {
  const host = request.headers.host ?? '';
  const address = invocationAddress(host, url.pathname) ?? customDomainAddress(runtime, host, url.pathname);
  const location = address ? apiLocations(runtime).get(address.apiId) : undefined;
  // API ids are unique across REST and HTTP/WebSocket APIs: an id REST does not know may be a v2 API's.
  const tail = address?.tail;
  const v2 = address && tail !== undefined && !location ? findV2Api(runtime, address.apiId) : undefined;
  if (v2 && tail !== undefined) return answerHttpApi(runtime, request, url, v2, tail, address?.mapping);
  const api = address && location ? apis(runtime, location).get(address.apiId) : undefined;
  const stage = api && address ? api.stages[address.stage] : undefined;
  // A canary stage sends its share of requests to the canary deployment, with its variable overrides.
  const toCanary = stage?.canary !== undefined && Math.random() * 100 < stage.canary.percentTraffic;
  const deployment = stage && api ? api.deployments[toCanary ? stage.canary!.deploymentId : stage.deploymentId] : undefined;
  // An unknown API or stage is a bare 403 Forbidden; an unknown resource or method within a stage is the token message.
  if (!address || !location || !api || !stage || !deployment) return gatewayError('DEFAULT_4XX', 'Forbidden', { statusCode: 403, errorType: 'ForbiddenException' });
  Object.assign(seen, { deployment, apiId: api.id, stage: stage.stageName });
  const route = matchRoute(deployment.resources, address.path, request.method ?? 'GET');
  // No matching resource or method: AWS answers 403, not 404.
  if (!route) return gatewayError('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token');
  const invocation: Invocation = {
    request: await readGatewayRequest(request, url, address.path, runtime.clock.now()),
    route,
    apiId: api.id,
    stage: stage.stageName,
    stageVariables: toCanary ? { ...stage.variables, ...stage.canary!.stageVariableOverrides } : stage.variables,
    location,
    binaryMediaTypes: deployment.binaryMediaTypes ?? [],
  };
  seen.invocation = invocation;
  beginTrace(request, invocation, api, stage);
  const throttled = throttleInvocation(runtime, stage, invocation);
  if (throttled) return throttled;
  const unauthenticated = await authenticateCaller(runtime, invocation, deployment, request.url ?? '/');
  if (unauthenticated) return unauthenticated;
  if (route.method.authorizationType === 'CUSTOM') {
    const denied = await authorize(runtime, invocation, deployment.authorizers[route.method.authorizerId ?? '']);
    if (denied) return denied;
  }
  // Keys come from the x-api-key header (apiKeySource HEADER); AUTHORIZER-sourced keys are not supported.
  const refused = checkUsagePlan(runtime, invocation, stage.stageName);
  if (refused) return refused;
  const rejected = validateRequest(invocation, deployment.requestValidators, deployment.models);
  if (rejected) return rejected;
  const integration = route.method.methodIntegration;
  if (!integration) return internalError();
  // Canary requests share the stage cache only when the canary's useStageCache says so.
  return throughStageCache(runtime, stage, invocation, () => callIntegration(runtime, integration, invocation), !toCanary || stage.canary!.useStageCache);
}

async function callIntegration(runtime: ServiceRuntime, integration: Integration, invocation: Invocation): Promise<GatewayResponse> {
  switch (integration.type) {
    case 'AWS_PROXY': {
      const functionArn = functionOfUri(withStageVariables(integration.uri ?? '', invocation.stageVariables));
      return functionArn ? lambdaProxy(runtime, invocation, functionArn) : internalError();
    }
    case 'HTTP_PROXY':
      return httpProxy(integration, invocation);
    default:
      return mappedIntegration(runtime, integration, invocation);
  }
}

export async function handleInvocation(runtime: ServiceRuntime, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  let result: GatewayResponse;
  const seen: GatewayErrorScope = { request, url };
  try {
    result = await answer(runtime, request, url, seen);
  } catch {
    // A mapping template that fails to render, for one: the client sees AWS's generic 500.
    result = internalError();
  }
  result = withGatewayResponse(result, seen);
  recordInvocation(runtime, request, result);
  const headers: Record<string, string | string[]> = { ...result.headers };
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    const existing = headers[name];
    headers[name] = [...(existing === undefined ? [] : [existing].flat()), ...values];
  }
  headers['content-length'] = String(result.body.length);
  response.writeHead(result.statusCode, headers);
  response.end(request.method === 'HEAD' ? undefined : result.body);
}
