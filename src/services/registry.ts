/**
 * The services Nimbus serves. Each loads on its first request (its model and provider), so start-up
 * pays for none of them. The key is the service's model name under specs/.
 */
import type { ServiceModule } from './service.js';

export const SERVICE_LOADERS: Record<string, () => Promise<ServiceModule>> = {
  apigateway: () => import('./apigateway/index.js'),
  apigatewayv2: () => import('./apigatewayv2/index.js'),
  apigatewaymanagementapi: () => import('./apigatewaymanagementapi/index.js'),
  dynamodb: () => import('./dynamodb/index.js'),
  dynamodbstreams: () => import('./dynamodbstreams/index.js'),
  lambda: () => import('./lambda/index.js'),
  logs: () => import('./logs/index.js'),
  secretsmanager: () => import('./secretsmanager/index.js'),
  ssm: () => import('./ssm/index.js'),
  stepfunctions: () => import('./stepfunctions/index.js'),
  sts: () => import('./sts/index.js'),
};

export function isServed(service: string): boolean {
  return Object.hasOwn(SERVICE_LOADERS, service);
}

/**
 * HTTP routes that belong to a service but are not its API, matched by path prefix or by host name.
 * Matching needs no loading; the service loads when a route is first used.
 */
/** A host rule with a `path` matches only requests to that host whose path also matches. */
export type EdgeRouteRule = { service: string; pathPrefix: string } | { service: string; host: RegExp; path?: RegExp } | { service: string; path: RegExp };

export const EDGE_ROUTES: EdgeRouteRule[] = [
  // Function code downloads (GetFunction's Code.Location).
  { service: 'lambda', pathPrefix: '/_nimbus/lambda/' },
  // Function URLs: http://<url-id>.lambda-url.<region>.localhost:<port>/, and the path form
  // /_nimbus/lambda-url/<url-id>/ for clients that cannot resolve *.localhost.
  { service: 'lambda', host: /^[a-z0-9]{32}\.lambda-url\.[a-z0-9-]+\.localhost(?::\d+)?$/i },
  { service: 'lambda', pathPrefix: '/_nimbus/lambda-url/' },
  // The WebSocket management API (PostToConnection, ...) under a WebSocket API's own URL, as Lambda code
  // addresses it: http://<api-id>.execute-api.localhost:<port>/<stage>/@connections/<id>, or
  // /_aws/execute-api/<api-id>/<stage>/@connections/<id>. Listed before the APIs' routes, which would take them.
  { service: 'apigatewaymanagementapi', host: /^[a-z0-9]{10}\.execute-api\.localhost(?::\d+)?$/i, path: /^\/[^/]+\/@connections\// },
  { service: 'apigatewaymanagementapi', path: /^\/_aws\/execute-api\/[a-z0-9]{10}\/[^/]+\/@connections\// },
  // Deployed REST and HTTP APIs: http://<api-id>.execute-api.localhost:<port>/<stage>/..., and (REST only) the path form
  // /restapis/<api-id>/<stage>/_user_request_/... (the control plane owns the rest of /restapis/).
  { service: 'apigateway', host: /^[a-z0-9]{10}\.execute-api\.localhost(?::\d+)?$/i },
  { service: 'apigateway', path: /^\/restapis\/[a-z0-9]{10}\/[^/]+\/_user_request_(?:\/|$)/ },
  // REST and HTTP APIs alike: /_aws/execute-api/<api-id>/<stage>/... (an HTTP API's $default stage takes no segment).
  { service: 'apigateway', path: /^\/_aws\/execute-api\/[a-z0-9]{10}(?:\/|$)/ },
];

/**
 * Services that keep work going between requests (queued async invocations, pollers, waiting executions,
 * TTL sweeps). After a restart they are loaded at once when they have state, so that work resumes
 * without waiting for a first request.
 */
export const BACKGROUND_SERVICES = ['dynamodb', 'lambda', 'stepfunctions'];
