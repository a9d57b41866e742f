/**
 * GetAccountSettings: Lambda's default quotas for the account and region, and what it uses of them
 * (https://docs.aws.amazon.com/lambda/latest/api/API_GetAccountSettings.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 */
import type { GetAccountSettingsResponse, LambdaApi } from '../../../generated/lambda.js';
import type { RequestContext } from '../../../shared/request-context.js';
import { MAX_UNZIPPED_BYTES, MAX_ZIPPED_BYTES } from '../code.js';
import type { LambdaService } from '../lambda-service.js';
import { ACCOUNT_CONCURRENCY } from '../lambda-service.js';
import { LayerStore } from '../layer-record.js';

/** 75 GB of function and layer code per region. */
const TOTAL_CODE_SIZE = 80_530_636_800;

export function accountOperations(service: LambdaService): Partial<LambdaApi> {
  return {
    GetAccountSettings(_input: Record<string, never>, ctx: RequestContext): GetAccountSettingsResponse {
      const functions = service.functions(ctx);
      const heads = functions.latest();
      // Every version counts, $LATEST included (publishing counts the code again, as on Lambda), and every layer version.
      const functionCode = heads.flatMap((head) => functions.versions(head.name)).reduce((sum, record) => sum + record.codeSize, 0);
      const layerCode = new LayerStore(service.runtime.store, ctx).all().reduce((sum, record) => sum + record.codeSize, 0);
      // "Minus the capacity that's reserved for individual functions with PutFunctionConcurrency" (API reference):
      // provisioned concurrency does not show here, though Lambda holds new configurations to it.
      const reserved = heads.reduce((sum, head) => sum + (head.reservedConcurrency ?? 0), 0);
      return {
        AccountLimit: {
          TotalCodeSize: TOTAL_CODE_SIZE,
          CodeSizeUnzipped: MAX_UNZIPPED_BYTES,
          CodeSizeZipped: MAX_ZIPPED_BYTES,
          ConcurrentExecutions: ACCOUNT_CONCURRENCY,
          UnreservedConcurrentExecutions: ACCOUNT_CONCURRENCY - reserved,
        },
        AccountUsage: { TotalCodeSize: functionCode + layerCode, FunctionCount: heads.length },
      };
    },
  };
}
