/**
 * What an UpdateStage must also do once its patch is applied: refuse logging without the account's
 * CloudWatch role or an access log format without a request id, give a newly enabled cache its default
 * size (0.5 GB), and empty the cache when it is disabled or resized (AWS replaces the cache instance).
 */
import type { RequestContext } from '../../shared/request-context.js';
import type { ServiceRuntime } from '../service.js';
import { requireLoggingRole } from './account.js';
import type { StageRecord } from './api-record.js';
import { badRequest } from './api-record.js';
import { flushStageCache } from './cache/response-cache.js';
import { enablesLogging } from './stage-settings.js';

export function checkStageChange(runtime: ServiceRuntime, ctx: RequestContext, apiId: string, before: StageRecord, after: StageRecord): void {
  if (enablesLogging(after)) requireLoggingRole(runtime, ctx);
  const access = after.accessLogSettings;
  if (access?.format !== undefined && !/\$context\.(?:requestId|extendedRequestId)\b/.test(access.format)) {
    throw badRequest('Access Log format must contain at least one of $context.requestId or $context.extendedRequestId');
  }
  if (access?.destinationArn !== undefined && access.format === undefined) throw badRequest('Access Log format must be specified with the destination ARN');
  if (after.cacheClusterEnabled && after.cacheClusterSize === undefined) after.cacheClusterSize = '0.5';
  if (!after.cacheClusterEnabled || after.cacheClusterSize !== before.cacheClusterSize) flushStageCache(runtime, apiId, after.stageName);
}
