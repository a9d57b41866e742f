/**
 * A function's configuration for asynchronous invocation, one per qualifier ($LATEST, a version or an
 * alias): how often Lambda retries a failing event, how long an event may wait, and where the records
 * of finished events go
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-configuring.html).
 */
import type { FunctionEventInvokeConfig } from '../../../generated/lambda.js';
import { scopedName } from '../../../store/store.js';
import type { Collection, Store } from '../../../store/store.js';
import type { FunctionScope } from '../function-record.js';
import { functionArn, LATEST } from '../function-record.js';

/** Lambda's defaults when a function has no configuration or leaves a setting out. */
const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;
const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 6 * 60 * 60;

export interface EventInvokeConfigRecord {
  functionName: string;
  /** `$LATEST`, a version number or an alias name. */
  qualifier: string;
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  onSuccess?: string;
  onFailure?: string;
  /** Epoch milliseconds. */
  lastModified: number;
}

/** What the dispatcher works with: every setting resolved to its value or Lambda's default. */
export interface AsyncSettings {
  maximumRetryAttempts: number;
  maximumEventAgeMs: number;
  onSuccess?: string;
  onFailure?: string;
}

export function asyncSettings(record: EventInvokeConfigRecord | undefined): AsyncSettings {
  return {
    maximumRetryAttempts: record?.maximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
    maximumEventAgeMs: (record?.maximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS) * 1000,
    onSuccess: record?.onSuccess,
    onFailure: record?.onFailure,
  };
}

/** $LATEST first, then versions in numeric order, then aliases by name: the order listings show. */
function qualifierKey(qualifier: string): string {
  if (qualifier === LATEST) return '0';
  if (/^\d+$/.test(qualifier)) return `1${qualifier.padStart(10, '0')}`;
  return `2${qualifier}`;
}

export class EventInvokeConfigStore {
  private readonly configs: Collection<EventInvokeConfigRecord>;

  constructor(store: Store, scope: FunctionScope) {
    this.configs = store.collection<EventInvokeConfigRecord>(scopedName('lambda', scope.account, scope.region, 'event-invoke-configs'));
  }

  get(functionName: string, qualifier: string): EventInvokeConfigRecord | undefined {
    return this.configs.get(`${functionName}\u0000${qualifierKey(qualifier)}`);
  }

  put(record: EventInvokeConfigRecord): void {
    this.configs.put(`${record.functionName}\u0000${qualifierKey(record.qualifier)}`, record);
  }

  delete(functionName: string, qualifier: string): boolean {
    return this.configs.delete(`${functionName}\u0000${qualifierKey(qualifier)}`);
  }

  deleteFunction(functionName: string): void {
    this.configs.deletePrefix(`${functionName}\u0000`);
  }

  /** A page of a function's configurations; `marker` is the qualifier the previous page ended with. */
  list(functionName: string, marker: string | undefined, limit: number): EventInvokeConfigRecord[] {
    const prefix = `${functionName}\u0000`;
    return this.configs
      .list({ prefix, after: marker === undefined ? undefined : `${prefix}${qualifierKey(marker)}`, limit })
      .map(([, record]) => record);
  }
}

/** Lambda always shows both destinations, empty when unset. */
export function eventInvokeConfigView(scope: FunctionScope, record: EventInvokeConfigRecord): FunctionEventInvokeConfig {
  return {
    LastModified: new Date(record.lastModified),
    FunctionArn: functionArn(scope, record.functionName, record.qualifier),
    MaximumRetryAttempts: record.maximumRetryAttempts,
    MaximumEventAgeInSeconds: record.maximumEventAgeInSeconds,
    DestinationConfig: {
      OnSuccess: record.onSuccess ? { Destination: record.onSuccess } : {},
      OnFailure: record.onFailure ? { Destination: record.onFailure } : {},
    },
  };
}
