/**
 * The API Gateway account of a region: its CloudWatch role (which execution and access logging need)
 * and its throttle, 10,000 requests per second with a burst of 5,000, which only AWS Support can raise,
 * so UpdateAccount cannot change it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html).
 */
import type { Account, ApigatewayApi, ThrottleSettings, UpdateAccountRequest } from '../../generated/apigateway.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { Collection } from '../../store/store.js';
import { scopedName } from '../../store/store.js';
import type { ServiceRuntime } from '../service.js';
import type { ApiLocation } from './api-record.js';
import { badRequest, scopeOf } from './api-record.js';
import { applyPatch, stringField } from './patch.js';

type Ops = Pick<ApigatewayApi, 'GetAccount' | 'UpdateAccount'>;

interface AccountRecord {
  cloudwatchRoleArn?: string;
}

export const ACCOUNT_THROTTLE: Required<ThrottleSettings> = { burstLimit: 5000, rateLimit: 10000 };

const ACCOUNT_KEY = 'account';

function accounts(runtime: ServiceRuntime, scope: ApiLocation): Collection<AccountRecord> {
  return runtime.store.collection<AccountRecord>(scopedName('apigateway', scope.account, scope.region, 'account'));
}

function accountView(record: AccountRecord): Account {
  return { cloudwatchRoleArn: record.cloudwatchRoleArn, throttleSettings: { ...ACCOUNT_THROTTLE }, features: ['UsagePlans'], apiKeyVersion: '4' };
}

/** Turning on logging for a stage needs the account's CloudWatch role, as in AWS. */
export function requireLoggingRole(runtime: ServiceRuntime, ctx: RequestContext): void {
  if (!accounts(runtime, scopeOf(ctx)).get(ACCOUNT_KEY)?.cloudwatchRoleArn) throw badRequest('CloudWatch Logs role ARN must be set in account settings to enable logging');
}

export function accountOperations(runtime: ServiceRuntime): Ops {
  return {
    GetAccount(_input, ctx) {
      return accountView(accounts(runtime, scopeOf(ctx)).get(ACCOUNT_KEY) ?? {});
    },
    UpdateAccount(input: UpdateAccountRequest, ctx) {
      const collection = accounts(runtime, scopeOf(ctx));
      const record: AccountRecord = { ...collection.get(ACCOUNT_KEY) };
      applyPatch(record, input.patchOperations, [
        stringField('/cloudwatchRoleArn', (target: AccountRecord, value) => {
          // The role is not assumed here: any IAM role ARN is accepted.
          if (value !== undefined && value !== '' && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(value)) throw badRequest('The role ARN is not well formed');
          target.cloudwatchRoleArn = value === '' ? undefined : value;
        }),
        {
          // Usage plans are always on; adding the feature (the migration AWS once required) changes nothing.
          path: '/features',
          apply: (_target, op, value) => {
            if (op !== 'add' || value !== 'UsagePlans') throw badRequest(`Invalid feature specified: ${value ?? ''}`);
          },
        },
      ]);
      collection.put(ACCOUNT_KEY, record);
      return accountView(record);
    },
  };
}
