/**
 * Invocations of deployed HTTP APIs (API Gateway v2, protocol HTTP). The execute-api entry
 * (../invoke/serve.ts) hands over every address whose API id belongs to a v2 API. The stage's deployment
 * answers: its routes, integrations and authorizers as frozen by CreateDeployment (or auto-deploy).
 *
 * Known limitations: throttling (stage and route settings) is not enforced; request parameter mapping
 * (`overwrite:path`, `append:header.*`, ...) and response parameter mapping are not applied; AWS service
 * integrations (IntegrationSubtype) and private integrations (VPC links) answer 500; mutual TLS and
 * custom domain names do not exist; AWS_IAM routes need a SigV4 Authorization header but its signature
 * is not checked. A plain (non-upgrade) request to a WebSocket API answers 426.
 */
import type { IncomingMessage } from 'node:http';
import type { Cors } from '../../../generated/apigatewayv2.js';
import type { ServiceRuntime } from '../../service.js';
import type { ApiV2Record, DeployedApi } from '../../apigatewayv2/records.js';
import type { ApiLocation } from '../api-record.js';
import type { GatewayResponse } from '../invoke/context.js';
import { jsonResponse } from '../invoke/context.js';
import { readGatewayRequest } from '../invoke/request.js';
import { authorizeRoute } from './authorizers.js';
import type { HttpInvocation } from './context.js';
import { forbidden, internalError, notFound } from './context.js';
import type { CorsRequest } from './cors.js';
import { isPreflight, preflightResponse, withCorsHeaders } from './cors.js';
import { integrate } from './integrations.js';
import { selectRoute, selectStage } from './routes.js';

function corsRequest(request: IncomingMessage): CorsRequest {
  const headers: CorsRequest['headers'] = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(',') : value;
  return { method: request.method ?? 'GET', headers };
}

interface Target {
  location: ApiLocation;
  apiId: string;
  stage: string;
  stageVariables: Record<string, string>;
  path: string;
  deployed: DeployedApi;
  cors?: Cors;
}

async function invoke(runtime: ServiceRuntime, request: IncomingMessage, url: URL, target: Target): Promise<GatewayResponse> {
  const selection = selectRoute(Object.values(target.deployed.routes), request.method ?? 'GET', target.path);
  if (!selection) {
    // A preflight that no route takes is the gateway's to answer.
    const preflight = corsRequest(request);
    return target.cors && isPreflight(preflight) ? preflightResponse(target.cors, preflight) : notFound();
  }
  const invocation: HttpInvocation = {
    request: await readGatewayRequest(request, url, target.path, runtime.clock.now()),
    apiId: target.apiId,
    location: target.location,
    stage: target.stage,
    stageVariables: target.stageVariables,
    route: selection.route,
    pathParameters: selection.pathParameters,
  };
  const denied = await authorizeRoute(runtime, invocation, target.deployed.authorizers);
  if (denied) return denied;
  // A route's Target is `integrations/{IntegrationId}`.
  const integrationId = /^integrations\/(.+)$/.exec(selection.route.Target ?? '')?.[1];
  return integrate(runtime, invocation, integrationId === undefined ? undefined : target.deployed.integrations[integrationId]);
}

/** The answer of an HTTP API to a request whose path after the API id is `tail`. */
export async function answerHttpApi(runtime: ServiceRuntime, request: IncomingMessage, url: URL, found: { location: ApiLocation; record: ApiV2Record }, tail: string): Promise<GatewayResponse> {
  const { record, location } = found;
  if (record.api.ProtocolType === 'WEBSOCKET') return jsonResponse(426, { message: 'Upgrade Required' }, { upgrade: 'websocket' });
  // An API that turned its default endpoint off answers nothing there (custom domain names only).
  if (record.api.DisableExecuteApiEndpoint) return forbidden();
  const selected = selectStage(record.stages, tail);
  const deployed = selected?.stage.DeploymentId === undefined ? undefined : record.deployments[selected.stage.DeploymentId]?.snapshot;
  // No stage for the address (or a stage never deployed): HTTP APIs answer 404 Not Found.
  if (!selected || !deployed) return notFound();
  // CORS is the API's setting, live; everything else is what the stage's deployment froze.
  const cors = record.api.CorsConfiguration;
  let response: GatewayResponse;
  try {
    response = await invoke(runtime, request, url, {
      location, apiId: record.api.ApiId, stage: selected.name, stageVariables: selected.stage.StageVariables ?? {}, path: selected.path, deployed, cors,
    });
  } catch {
    response = internalError();
  }
  return cors ? withCorsHeaders(cors, corsRequest(request), response) : response;
}
