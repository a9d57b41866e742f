/** FlushStageCache: empties the stage's cache, whether or not its cache cluster is enabled. */
import type { ApigatewayApi, FlushStageCacheRequest } from '../../../generated/apigateway.js';
import type { ServiceRuntime } from '../../service.js';
import { notFound, requireApi } from '../api-record.js';
import { flushStageCache } from './response-cache.js';

export function cacheOperations(runtime: ServiceRuntime): Pick<ApigatewayApi, 'FlushStageCache'> {
  return {
    FlushStageCache(input: FlushStageCacheRequest, ctx) {
      const api = requireApi(runtime, ctx, input.restApiId);
      if (!api.stages[input.stageName]) throw notFound('Invalid Stage identifier specified');
      flushStageCache(runtime, api.id, input.stageName);
      return {};
    },
  };
}
