/**
 * The edge hands a service's HTTP routes only the shared runtime, but serving a function URL needs the
 * provider's LambdaService (its warm environment pool). The provider registers it here when it is built,
 * which the edge always does before it routes a request to Lambda.
 */
import type { ServiceRuntime } from '../../service.js';
import type { LambdaService } from '../lambda-service.js';

const services = new WeakMap<ServiceRuntime, LambdaService>();

export function registerLambdaService(service: LambdaService): void {
  services.set(service.runtime, service);
}

export function lambdaServiceOf(runtime: ServiceRuntime): LambdaService | undefined {
  return services.get(runtime);
}
