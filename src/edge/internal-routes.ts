/** Nimbus's own endpoints: GET /_nimbus/health and POST /_nimbus/reset. */
import type { ServerResponse } from 'node:http';
import { isCustomDomainHost } from '../services/apigateway/domains/host-index.js';
import type { EdgeRouteRule } from '../services/registry.js';
import { EDGE_ROUTES } from '../services/registry.js';
import type { ServiceHost } from '../services/service-host.js';
import type { Store } from '../store/store.js';
import type { EdgeRoute, RequestHead } from './edge-route.js';
import { refuseUpgrade } from './edge-route.js';

export const NIMBUS_VERSION = '0.1.0';

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export function internalRoutes(host: ServiceHost, store: Store, startedAt: number): EdgeRoute {
  return {
    name: 'nimbus',
    matches: (request, url) => url.pathname.startsWith('/_nimbus/') && !edgeRouteFor(request, url),
    handle(request, response, url) {
      if (url.pathname === '/_nimbus/health' && (request.method === 'GET' || request.method === 'HEAD')) {
        sendJson(response, 200, {
          status: 'running',
          version: NIMBUS_VERSION,
          uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
          persistence: store.durable ? 'durable' : 'ephemeral',
          services: host.status(),
        });
      } else if (url.pathname === '/_nimbus/reset' && request.method === 'POST') {
        host.reset();
        sendJson(response, 200, { reset: true });
      } else {
        sendJson(response, 404, { error: 'NotFound', message: `No Nimbus endpoint ${request.method ?? ''} ${url.pathname}` });
      }
    },
  };
}

/** The service route a request belongs to, by its Host header or its path. */
function edgeRouteFor(request: RequestHead, url: URL): EdgeRouteRule | undefined {
  return EDGE_ROUTES.find((route) => {
    if ('host' in route) return route.host.test(request.headers.host ?? '') && (route.path?.test(url.pathname) ?? true);
    return 'path' in route ? route.path.test(url.pathname) : url.pathname.startsWith(route.pathPrefix);
  });
}

// A Host header that is a custom domain name of API Gateway: its APIs answer, whatever the path.
const CUSTOM_DOMAIN_ROUTE: EdgeRouteRule = { service: 'apigateway', pathPrefix: '/' };

/** Routes that belong to a service (registry.ts EDGE_ROUTES): the service loads on first use. */
export function serviceRoutes(host: ServiceHost): EdgeRoute {
  // Custom domains are looked up last: a set lookup, nothing at all while none is registered.
  const routeFor = (request: RequestHead, url: URL): EdgeRouteRule | undefined => edgeRouteFor(request, url)
    ?? (isCustomDomainHost(host.runtime.store, request.headers.host) ? CUSTOM_DOMAIN_ROUTE : undefined);
  return {
    name: 'services',
    matches: (request, url) => routeFor(request, url) !== undefined,
    async handle(request, response, url) {
      const route = routeFor(request, url)!;
      const service = await host.load(route.service);
      if (service.module.handleEdgeRequest) await service.module.handleEdgeRequest(host.runtime, request, response, url);
      else sendJson(response, 404, { error: 'NotFound', message: `No route ${url.pathname}` });
    },
    async upgrade(request, socket, head, url) {
      const route = routeFor(request, url)!;
      const service = await host.load(route.service);
      if (service.module.handleEdgeUpgrade) await service.module.handleEdgeUpgrade(host.runtime, request, socket, head, url);
      else refuseUpgrade(socket, `No route ${url.pathname}`);
    },
  };
}
