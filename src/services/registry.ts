/**
 * The services Nimbus serves. Each loads on its first request (its model and provider), so start-up
 * pays for none of them. The key is the service's model name under specs/.
 */
import type { ServiceModule } from './service.js';

export const SERVICE_LOADERS: Record<string, () => Promise<ServiceModule>> = {
  lambda: () => import('./lambda/index.js'),
  logs: () => import('./logs/index.js'),
  secretsmanager: () => import('./secretsmanager/index.js'),
  ssm: () => import('./ssm/index.js'),
  sts: () => import('./sts/index.js'),
};

export function isServed(service: string): boolean {
  return Object.hasOwn(SERVICE_LOADERS, service);
}

/**
 * HTTP routes that belong to a service but are not its API (function code downloads now; function URLs
 * later). Matching needs no loading; the service loads when a route is first used.
 */
export const EDGE_ROUTES: { service: string; pathPrefix: string }[] = [{ service: 'lambda', pathPrefix: '/_nimbus/lambda/' }];
