/**
 * Throttling of HTTP API routes: the account's quota (per region, shared with REST APIs) and the stage's
 * route-level limits, RouteSettings[routeKey] member by member over DefaultRouteSettings, each route with
 * its own bucket and no limit above the account's. An unset member takes the account's value; a route with
 * neither member set has no bucket of its own
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html).
 */
import type { ApiLocation } from '../api-record.js';
import type { StageV2 } from '../../apigatewayv2/records.js';
import type { ServiceRuntime } from '../../service.js';
import { ACCOUNT_THROTTLE } from '../account.js';
import type { GatewayResponse } from '../invoke/context.js';
import { jsonResponse } from '../invoke/context.js';
import { accountBucket } from '../traffic/throttling.js';
import type { Limits } from '../traffic/token-bucket.js';
import { takeTokens } from '../traffic/token-bucket.js';

export const TOO_MANY_REQUESTS = 'Too Many Requests';

function routeLimits(stage: StageV2, routeKey: string): Limits | undefined {
  const own = stage.RouteSettings?.[routeKey];
  const rateLimit = own?.ThrottlingRateLimit ?? stage.DefaultRouteSettings?.ThrottlingRateLimit;
  const burstLimit = own?.ThrottlingBurstLimit ?? stage.DefaultRouteSettings?.ThrottlingBurstLimit;
  if (rateLimit === undefined && burstLimit === undefined) return undefined;
  return {
    rateLimit: Math.min(rateLimit ?? ACCOUNT_THROTTLE.rateLimit, ACCOUNT_THROTTLE.rateLimit),
    burstLimit: Math.min(burstLimit ?? ACCOUNT_THROTTLE.burstLimit, ACCOUNT_THROTTLE.burstLimit),
  };
}

/** A 429 when the account's or the route's bucket is empty, else undefined (one token taken from each). */
export function throttleRoute(runtime: ServiceRuntime, location: ApiLocation, apiId: string, stage: StageV2, routeKey: string): GatewayResponse | undefined {
  const buckets = [accountBucket(location)];
  const limits = routeLimits(stage, routeKey);
  if (limits) buckets.push({ key: `route ${apiId}/${stage.StageName}/${routeKey}`, limits });
  return takeTokens(runtime, buckets) === undefined ? undefined : jsonResponse(429, { message: TOO_MANY_REQUESTS });
}
