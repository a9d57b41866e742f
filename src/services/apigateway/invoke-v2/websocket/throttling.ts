/**
 * Throttling of WebSocket routes, with the token buckets of HTTP APIs (../throttling.ts): the account's
 * quota, then the stage's RouteSettings[routeKey] over its DefaultRouteSettings. $connect is throttled on
 * the handshake, every other route per client message; the stage's settings are read when the request
 * comes, so UpdateStage applies to open connections too
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-protect.html).
 */
import type { StageV2 } from '../../../apigatewayv2/records.js';
import { findV2Api } from '../../../apigatewayv2/records.js';
import type { ServiceRuntime } from '../../../service.js';
import type { ApiLocation } from '../../api-record.js';
import { throttleRoute } from '../throttling.js';

/** True when the request to `routeKey` finds an empty bucket (and so spends no token). */
export function isThrottled(runtime: ServiceRuntime, location: ApiLocation, apiId: string, stageName: string, routeKey: string): boolean {
  // A stage deleted under an open connection has no route settings left; the account's quota still applies.
  const stage: StageV2 = findV2Api(runtime, apiId)?.record.stages[stageName] ?? { StageName: stageName };
  return throttleRoute(runtime, location, apiId, stage, routeKey) !== undefined;
}
