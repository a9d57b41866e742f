/**
 * Provisioned concurrency configurations (one per published version or alias) and how concurrency set
 * aside for functions is counted against the account
 * (https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html).
 */
import type { Collection, Store } from '../../store/store.js';
import type { FunctionScope, FunctionStore } from './function-record.js';
import { ACCOUNT_CONCURRENCY } from './lambda-service.js';

/** Lambda keeps at least this much of the account's concurrency unreserved. */
export const MIN_UNRESERVED_CONCURRENCY = 100;

export interface ProvisionedConcurrencyRecord {
  account: string;
  region: string;
  functionName: string;
  /** A published version number or an alias name. */
  qualifier: string;
  requested: number;
  /** Epoch milliseconds. */
  lastModified: number;
}

// One collection for every account and region: when Nimbus starts, it finds every configuration here and
// starts its environments again (the store has no listing of collections).
const COLLECTION = 'lambda/global/-/provisioned-concurrency';

function functionPrefix(scope: FunctionScope, functionName: string): string {
  return `${scope.account}\u0000${scope.region}\u0000${functionName}\u0000`;
}

export function configKey(record: Pick<ProvisionedConcurrencyRecord, 'account' | 'region' | 'functionName' | 'qualifier'>): string {
  return `${functionPrefix(record, record.functionName)}${record.qualifier}`;
}

export class ProvisionedConcurrencyStore {
  private readonly configs: Collection<ProvisionedConcurrencyRecord>;

  constructor(store: Store) {
    this.configs = store.collection<ProvisionedConcurrencyRecord>(COLLECTION);
  }

  get(scope: FunctionScope, functionName: string, qualifier: string): ProvisionedConcurrencyRecord | undefined {
    return this.configs.get(configKey({ ...scope, functionName, qualifier }));
  }

  put(record: ProvisionedConcurrencyRecord): void {
    this.configs.put(configKey(record), record);
  }

  delete(record: Pick<ProvisionedConcurrencyRecord, 'account' | 'region' | 'functionName' | 'qualifier'>): boolean {
    return this.configs.delete(configKey(record));
  }

  /** A function's configurations, by qualifier. */
  forFunction(scope: FunctionScope, functionName: string): ProvisionedConcurrencyRecord[] {
    return this.configs.list({ prefix: functionPrefix(scope, functionName) }).map(([, record]) => record);
  }

  /** Every configuration in an account and region. */
  forRegion(scope: FunctionScope): ProvisionedConcurrencyRecord[] {
    return this.configs.list({ prefix: `${scope.account}\u0000${scope.region}\u0000` }).map(([, record]) => record);
  }

  all(): ProvisionedConcurrencyRecord[] {
    return this.configs.list().map(([, record]) => record);
  }

  deleteFunction(scope: FunctionScope, functionName: string): void {
    this.configs.deletePrefix(functionPrefix(scope, functionName));
  }
}

/**
 * Concurrency functions have set aside, by function: a function's reserved concurrency, or else the sum of
 * its provisioned concurrency (a function's provisioned concurrency comes out of its reservation when it has one).
 */
export function claimedConcurrency(functions: FunctionStore, provisioned: ProvisionedConcurrencyStore, scope: FunctionScope): Map<string, number> {
  const claimed = new Map<string, number>();
  for (const config of provisioned.forRegion(scope)) claimed.set(config.functionName, (claimed.get(config.functionName) ?? 0) + config.requested);
  for (const head of functions.latest()) {
    if (head.reservedConcurrency !== undefined) claimed.set(head.name, head.reservedConcurrency);
  }
  return claimed;
}

/** What is left for functions without reserved concurrency: UnreservedConcurrentExecutions. */
export function unreservedConcurrency(claimed: Map<string, number>, exceptFunction?: string): number {
  let unreserved = ACCOUNT_CONCURRENCY;
  for (const [name, amount] of claimed) if (name !== exceptFunction) unreserved -= amount;
  return unreserved;
}
