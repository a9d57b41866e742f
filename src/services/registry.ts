/**
 * The services Nimbus serves. Each loads on its first request (its model and provider), so start-up
 * pays for none of them. The key is the service's model name under specs/.
 */
import type { ServiceModule } from './service.js';

export const SERVICE_LOADERS: Record<string, () => Promise<ServiceModule>> = {
  logs: () => import('./logs/index.js'),
  secretsmanager: () => import('./secretsmanager/index.js'),
  ssm: () => import('./ssm/index.js'),
  sts: () => import('./sts/index.js'),
};

export function isServed(service: string): boolean {
  return Object.hasOwn(SERVICE_LOADERS, service);
}
