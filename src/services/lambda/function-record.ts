/**
 * A function as Nimbus stores it ($LATEST and each published version are one record each), and its view
 * as Lambda's FunctionConfiguration.
 */
import { randomUUID } from 'node:crypto';
import type { FunctionConfiguration } from '../../generated/lambda.js';
import { formatArn } from '../../shared/arn.js';
import { scopedName } from '../../store/store.js';
import type { Collection, Frozen, Store } from '../../store/store.js';

export const LATEST = '$LATEST';

/** A layer version as the function was configured with it: it outlives the layer version's deletion. */
export interface FunctionLayer {
  arn: string;
  codeSha256: string;
  codeSize: number;
  unzippedSize: number;
}

export interface FunctionRecord {
  name: string;
  /** `$LATEST` or a published version number. */
  version: string;
  runtime: string;
  handler: string;
  role: string;
  description: string;
  timeout: number;
  memorySize: number;
  ephemeralStorage: number;
  environment: Record<string, string>;
  architectures: string[];
  layers: FunctionLayer[];
  deadLetterTargetArn?: string;
  tracingMode: string;
  kmsKeyArn?: string;
  codeSha256: string;
  codeSize: number;
  /** Epoch milliseconds. */
  lastModified: number;
  revisionId: string;
  tags: Record<string, string>;
  /** Reserved concurrency (function-wide; kept on $LATEST). */
  reservedConcurrency?: number;
  logFormat: string;
  logGroup?: string;
}

export interface FunctionScope {
  account: string;
  region: string;
}

export function functionArn(scope: FunctionScope, name: string, qualifier?: string): string {
  return formatArn({ service: 'lambda', region: scope.region, account: scope.account, resource: qualifier ? `function:${name}:${qualifier}` : `function:${name}` });
}

/** Lambda's timestamp format for LastModified: 2024-01-02T03:04:05.678+0000. */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function newRevisionId(): string {
  return randomUUID();
}

export function logGroupName(record: Frozen<FunctionRecord>): string {
  return record.logGroup ?? `/aws/lambda/${record.name}`;
}

/** Versions sort as numbers: keys pad them, and `$LATEST` sorts first. */
function versionKey(name: string, version: string): string {
  return `${name}\u0000${version === LATEST ? '' : version.padStart(10, '0')}`;
}

export class FunctionStore {
  private readonly functions: Collection<FunctionRecord>;

  private readonly collectionName: string;

  constructor(
    private readonly store: Store,
    scope: FunctionScope,
  ) {
    this.collectionName = scopedName('lambda', scope.account, scope.region, 'functions');
    this.functions = store.collection<FunctionRecord>(this.collectionName);
  }

  get(name: string, version: string = LATEST): FunctionRecord | undefined {
    return this.functions.get(versionKey(name, version));
  }

  /** A version's record to read only, shared until it changes (Store.peek): what every invoke reads. */
  peek(name: string, version: string = LATEST): Frozen<FunctionRecord> | undefined {
    return this.store.peek<FunctionRecord>(this.collectionName, versionKey(name, version));
  }

  put(record: FunctionRecord): void {
    this.functions.put(versionKey(record.name, record.version), record);
  }

  /** $LATEST then every published version, in order. */
  versions(name: string): FunctionRecord[] {
    return this.functions.list({ prefix: `${name}\u0000` }).map(([, record]) => record);
  }

  deleteVersion(name: string, version: string): boolean {
    return this.functions.delete(versionKey(name, version));
  }

  deleteAll(name: string): void {
    this.functions.deletePrefix(`${name}\u0000`);
  }

  /** The $LATEST records, by name, after `marker` (pagination). */
  latest(after?: string, limit?: number): FunctionRecord[] {
    const out: FunctionRecord[] = [];
    for (const [, record] of this.functions.list({ after: after === undefined ? undefined : versionKey(after, LATEST) })) {
      if (record.version !== LATEST) continue;
      out.push(record);
      if (limit !== undefined && out.length >= limit) break;
    }
    return out;
  }
}

export function configurationView(scope: FunctionScope, record: Frozen<FunctionRecord>): FunctionConfiguration {
  const qualified = record.version !== LATEST;
  return {
    FunctionName: record.name,
    FunctionArn: functionArn(scope, record.name, qualified ? record.version : undefined),
    Runtime: record.runtime as FunctionConfiguration['Runtime'],
    Role: record.role,
    Handler: record.handler,
    CodeSize: record.codeSize,
    Description: record.description,
    Timeout: record.timeout,
    MemorySize: record.memorySize,
    LastModified: lambdaTimestamp(record.lastModified),
    CodeSha256: record.codeSha256,
    Version: record.version,
    Environment: Object.keys(record.environment).length ? { Variables: record.environment } : undefined,
    TracingConfig: { Mode: record.tracingMode as 'Active' | 'PassThrough' },
    DeadLetterConfig: record.deadLetterTargetArn ? { TargetArn: record.deadLetterTargetArn } : undefined,
    KMSKeyArn: record.kmsKeyArn,
    RevisionId: record.revisionId,
    Layers: record.layers.length ? record.layers.map((layer) => ({ Arn: layer.arn, CodeSize: layer.codeSize })) : undefined,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: record.architectures as FunctionConfiguration['Architectures'],
    EphemeralStorage: { Size: record.ephemeralStorage },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: record.logFormat as 'JSON' | 'Text', LogGroup: logGroupName(record) },
  };
}
