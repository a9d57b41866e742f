/** Aliases: a name pointing at a version, optionally splitting traffic with a second version. */
import type { AliasConfiguration } from '../../generated/lambda.js';
import { scopedName } from '../../store/store.js';
import type { Collection, Store } from '../../store/store.js';
import type { FunctionScope } from './function-record.js';
import { functionArn } from './function-record.js';

export interface AliasRecord {
  functionName: string;
  name: string;
  functionVersion: string;
  description: string;
  /** Additional version -> share of traffic (0..1). */
  additionalVersionWeights: Record<string, number>;
  revisionId: string;
}

export class AliasStore {
  private readonly aliases: Collection<AliasRecord>;

  constructor(store: Store, scope: FunctionScope) {
    this.aliases = store.collection<AliasRecord>(scopedName('lambda', scope.account, scope.region, 'aliases'));
  }

  get(functionName: string, name: string): AliasRecord | undefined {
    return this.aliases.get(`${functionName}\u0000${name}`);
  }

  put(record: AliasRecord): void {
    this.aliases.put(`${record.functionName}\u0000${record.name}`, record);
  }

  delete(functionName: string, name: string): boolean {
    return this.aliases.delete(`${functionName}\u0000${name}`);
  }

  list(functionName: string): AliasRecord[] {
    return this.aliases.list({ prefix: `${functionName}\u0000` }).map(([, record]) => record);
  }

  deleteAll(functionName: string): void {
    this.aliases.deletePrefix(`${functionName}\u0000`);
  }
}

export function aliasView(scope: FunctionScope, record: AliasRecord): AliasConfiguration {
  return {
    AliasArn: functionArn(scope, record.functionName, record.name),
    Name: record.name,
    FunctionVersion: record.functionVersion,
    Description: record.description,
    RoutingConfig: Object.keys(record.additionalVersionWeights).length ? { AdditionalVersionWeights: record.additionalVersionWeights } : undefined,
    RevisionId: record.revisionId,
  };
}

/** Picks the version an invocation through the alias runs: the additional version with its weight's probability. */
export function pickAliasVersion(record: AliasRecord, random: () => number): string {
  let roll = random();
  for (const [version, weight] of Object.entries(record.additionalVersionWeights)) {
    if (roll < weight) return version;
    roll -= weight;
  }
  return record.functionVersion;
}
