/**
 * Invocations of deployed HTTP APIs (API Gateway v2, protocol HTTP). The execute-api entry
 * (../invoke/serve.ts) hands over every address whose API id belongs to a v2 API. The stage's deployment
 * answers: its routes, integrations and authorizers as frozen by CreateDeployment (or auto-deploy).
 *
 * Throttling (account, then the stage's route settings) runs once a route is selected, before its
 * authorizer; every answered request of a stage with AccessLogSettings writes one access log line.
 *
 * Custom domain names reach here with the stage their API mapping names (../domains/resolve.ts).
 *
 * Known limitations: AWS service integrations other than Step Functions answer 500 naming their subtype;
 * VPC link integrations call their IntegrationUri directly (no VPC); mutual TLS is not enforced (plain
 * HTTP). A plain (non-upgrade) request to a WebSocket API answers 426 (our choice: AWS does not document what it answers).
 */
import type { IncomingMessage } from 'node:http';
import type { Cors } from '../../../generated/apigatewayv2.js';
import type { ServiceRuntime } from '../../service.js';
import type { ApiV2Record, DeployedApi, StageV2 } from '../../apigatewayv2/records.js';
import type { ApiLocation } from '../api-record.js';
import type { GatewayResponse } from '../invoke/context.js';
import { jsonResponse } from '../invoke/context.js';
import type { GatewayRequest } from '../invoke/request.js';
import { readGatewayRequest } from '../invoke/request.js';
import type { HttpAccess } from './access-log.js';
import { errorMessageOf, logHttpAccess } from './access-log.js';
import { authorizeRoute } from './authorizers.js';
import type { HttpInvocation } from './context.js';
import { forbidden, internalError, notFound, stagedPath } from './context.js';
import type { CorsRequest } from './cors.js';
import { isPreflight, preflightResponse, withCorsHeaders } from './cors.js';
import type { IntegrationReport } from './integrations.js';
import { integrate } from './integrations.js';
import { selectRoute, selectStage } from './routes.js';
import { throttleRoute } from './throttling.js';

function corsRequest(request: IncomingMessage): CorsRequest {
  const headers: CorsRequest['headers'] = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(',') : value;
  return { method: request.method ?? 'GET', headers };
}

interface Target {
  location: ApiLocation;
  apiId: string;
  stage: StageV2;
  stageVariables: Record<string, string>;
  path: string;
  deployed: DeployedApi;
  cors?: Cors;
  mappingKey?: string;
}

async function invoke(runtime: ServiceRuntime, request: IncomingMessage, gatewayRequest: GatewayRequest, target: Target, access: HttpAccess): Promise<GatewayResponse> {
  const selection = selectRoute(Object.values(target.deployed.routes), request.method ?? 'GET', target.path);
  if (!selection) {
    // A preflight that no route takes is the gateway's to answer.
    const preflight = corsRequest(request);
    return target.cors && isPreflight(preflight) ? preflightResponse(target.cors, preflight) : notFound();
  }
  access.routeKey = selection.route.RouteKey;
  const throttled = throttleRoute(runtime, target.location, target.apiId, target.stage, selection.route.RouteKey ?? '');
  if (throttled) return throttled;
  const invocation: HttpInvocation = {
    request: gatewayRequest,
    apiId: target.apiId,
    location: target.location,
    stage: target.stage.StageName,
    stageVariables: target.stageVariables,
    route: selection.route,
    pathParameters: selection.pathParameters,
    rawUrl: request.url ?? '/',
    ...(target.mappingKey === undefined ? {} : { mappingKey: target.mappingKey }),
  };
  const denied = await authorizeRoute(runtime, invocation, target.deployed.authorizers);
  if (denied) {
    access.authorizerError = errorMessageOf(denied.body);
    return denied;
  }
  // A route's Target is `integrations/{IntegrationId}`.
  const integrationId = /^integrations\/(.+)$/.exec(selection.route.Target ?? '')?.[1];
  const startedAt = runtime.clock.now();
  const report: IntegrationReport = { answered: false };
  const response = await integrate(runtime, invocation, integrationId === undefined ? undefined : target.deployed.integrations[integrationId], report);
  if (report.status !== undefined) access.integration = { latencyMs: runtime.clock.now() - startedAt, status: report.status };
  access.answeredByIntegration = report.answered;
  return response;
}

/**
 * The answer of an HTTP API to a request whose path after the API id is `tail`; through a custom domain
 * name, `mapping` is the stage and key of its API mapping and `tail` the path after the key.
 */
export async function answerHttpApi(
  runtime: ServiceRuntime, request: IncomingMessage, url: URL, found: { location: ApiLocation; record: ApiV2Record }, tail: string, mapping?: { stage: string; key: string },
): Promise<GatewayResponse> {
  const { record, location } = found;
  if (record.api.ProtocolType === 'WEBSOCKET') return jsonResponse(426, { message: 'Upgrade Required' }, { upgrade: 'websocket' });
  // An API that turned its default endpoint off answers only through its custom domain names.
  if (record.api.DisableExecuteApiEndpoint && mapping === undefined) return forbidden();
  const selected = mapping === undefined ? selectStage(record.stages, tail)
    : Object.hasOwn(record.stages, mapping.stage) ? { name: mapping.stage, stage: record.stages[mapping.stage], path: tail } : undefined;
  const deployed = selected?.stage.DeploymentId === undefined ? undefined : record.deployments[selected.stage.DeploymentId]?.snapshot;
  // No stage for the address (or a stage never deployed): HTTP APIs answer 404 Not Found.
  if (!selected || !deployed) return notFound();
  // CORS is the API's setting, live; everything else is what the stage's deployment froze.
  const cors = record.api.CorsConfiguration;
  const gatewayRequest = await readGatewayRequest(request, url, selected.path, runtime.clock.now());
  const { stage } = selected;
  const access: HttpAccess = {
    requestId: gatewayRequest.requestId,
    receivedAt: gatewayRequest.receivedAt,
    httpMethod: gatewayRequest.httpMethod,
    path: stagedPath({ stage: selected.name, request: gatewayRequest, mappingKey: mapping?.key }),
    protocol: gatewayRequest.protocol,
    sourceIp: gatewayRequest.sourceIp,
    userAgent: gatewayRequest.userAgent,
  };
  let response: GatewayResponse;
  try {
    response = await invoke(runtime, request, gatewayRequest, {
      location, apiId: record.api.ApiId, stage, stageVariables: selected.stage.StageVariables ?? {}, path: selected.path, deployed, cors, mappingKey: mapping?.key,
    }, access);
  } catch {
    response = internalError();
  }
  // Whatever the integration did not answer, the gateway did: its message is the log's error.message.
  if (!access.answeredByIntegration) access.errorMessage = errorMessageOf(response.body);
  const answered = cors ? withCorsHeaders(cors, corsRequest(request), response) : response;
  logHttpAccess(runtime, record.api.ApiId, stage, access, answered);
  return answered;
}
