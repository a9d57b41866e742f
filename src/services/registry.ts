/**
 * The services Nimbus serves. Each loads on its first request (its model and provider), so start-up
 * pays for none of them. The key is the service's model name under specs/.
 */
import type { ServiceModule } from './service.js';

export const SERVICE_LOADERS: Record<string, () => Promise<ServiceModule>> = {
  apigateway: () => import('./apigateway/index.js'),
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
export type EdgeRouteRule = { service: string; pathPrefix: string } | { service: string; host: RegExp } | { service: string; path: RegExp };

export const EDGE_ROUTES: EdgeRouteRule[] = [
  // Function code downloads (GetFunction's Code.Location).
  { service: 'lambda', pathPrefix: '/_nimbus/lambda/' },
  // Function URLs: http://<url-id>.lambda-url.<region>.localhost:<port>/, and the path form
  // /_nimbus/lambda-url/<url-id>/ for clients that cannot resolve *.localhost.
  { service: 'lambda', host: /^[a-z0-9]{32}\.lambda-url\.[a-z0-9-]+\.localhost(?::\d+)?$/i },
  { service: 'lambda', pathPrefix: '/_nimbus/lambda-url/' },
  // Deployed REST APIs: http://<api-id>.execute-api.localhost:<port>/<stage>/..., and the path form
  // /restapis/<api-id>/<stage>/_user_request_/... (the control plane owns the rest of /restapis/).
  { service: 'apigateway', host: /^[a-z0-9]{10}\.execute-api\.localhost(?::\d+)?$/i },
  { service: 'apigateway', path: /^\/restapis\/[a-z0-9]{10}\/[^/]+\/_user_request_(?:\/|$)/ },
];

/**
 * Services that keep work going between requests (queued async invocations, pollers, waiting executions,
 * TTL sweeps). After a restart they are loaded at once when they have state, so that work resumes
 * without waiting for a first request.
 */
export const BACKGROUND_SERVICES = ['dynamodb', 'lambda', 'stepfunctions'];
