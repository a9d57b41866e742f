/**
 * Function URLs as Nimbus stores them: one record per function and qualifier ($LATEST or an alias), a
 * global index from url-id to its function (a request names only the url-id), and the FunctionUrlConfig
 * view (https://docs.aws.amazon.com/lambda/latest/api/API_FunctionUrlConfig.html).
 */
import type { Cors, FunctionUrlAuthType, FunctionUrlConfig, InvokeMode } from '../../../generated/lambda.js';
import { randomString } from '../../../shared/ids.js';
import { scopedName } from '../../../store/store.js';
import type { Collection, Store } from '../../../store/store.js';
import type { FunctionScope } from '../function-record.js';
import { functionArn, LATEST } from '../function-record.js';

export interface FunctionUrlRecord {
  /** 32 lower-case alphanumerics, the URL's first host label. */
  urlId: string;
  functionName: string;
  /** `$LATEST` or an alias name. */
  qualifier: string;
  authType: FunctionUrlAuthType;
  cors?: Cors;
  invokeMode: InvokeMode;
  /** Epoch milliseconds. */
  creationTime: number;
  lastModifiedTime: number;
}

/** Where a url-id points: the function's account and region, and the record's key there. */
export interface FunctionUrlTarget extends FunctionScope {
  functionName: string;
  qualifier: string;
}

const URL_IDS = 'lambda/global/-/function-url-ids';
const URL_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function recordKey(functionName: string, qualifier: string): string {
  return `${functionName}\u0000${qualifier}`;
}

export class FunctionUrlStore {
  private readonly urls: Collection<FunctionUrlRecord>;
  private readonly ids: Collection<FunctionUrlTarget>;

  constructor(
    private readonly store: Store,
    private readonly scope: FunctionScope,
  ) {
    this.urls = store.collection<FunctionUrlRecord>(scopedName('lambda', scope.account, scope.region, 'function-urls'));
    this.ids = urlIds(store);
  }

  get(functionName: string, qualifier: string): FunctionUrlRecord | undefined {
    return this.urls.get(recordKey(functionName, qualifier));
  }

  /** Ordered by qualifier ($LATEST sorts before alias names). */
  list(functionName: string): FunctionUrlRecord[] {
    return this.urls.list({ prefix: `${functionName}\u0000` }).map(([, record]) => record);
  }

  put(record: FunctionUrlRecord): void {
    this.store.transaction(() => {
      this.urls.put(recordKey(record.functionName, record.qualifier), record);
      this.ids.put(record.urlId, { account: this.scope.account, region: this.scope.region, functionName: record.functionName, qualifier: record.qualifier });
    });
  }

  delete(record: FunctionUrlRecord): void {
    this.store.transaction(() => {
      this.urls.delete(recordKey(record.functionName, record.qualifier));
      this.ids.delete(record.urlId);
    });
  }

  /** A url-id no other function URL uses. Lambda derives it from the account among other things; here it is random. */
  newUrlId(): string {
    let id = randomString(32, URL_ID_ALPHABET);
    while (this.ids.get(id)) id = randomString(32, URL_ID_ALPHABET);
    return id;
  }
}

function urlIds(store: Store): Collection<FunctionUrlTarget> {
  return store.collection<FunctionUrlTarget>(URL_IDS);
}

/** The function a url-id belongs to, in whichever account and region. */
export function lookupUrlId(store: Store, urlId: string): FunctionUrlTarget | undefined {
  return urlIds(store).get(urlId);
}

/**
 * The URL clients call. AWS's is https://<url-id>.lambda-url.<region>.on.aws/; Nimbus serves the same shape
 * under *.localhost on its own port (the edge routes it by Host header).
 */
export function functionUrl(edgeEndpoint: string, urlId: string, region: string): string {
  const { port } = new URL(edgeEndpoint);
  return `http://${urlId}.lambda-url.${region}.localhost${port ? `:${port}` : ''}/`;
}

export function urlConfigView(scope: FunctionScope, record: FunctionUrlRecord, edgeEndpoint: string): FunctionUrlConfig {
  return {
    FunctionUrl: functionUrl(edgeEndpoint, record.urlId, scope.region),
    FunctionArn: functionArn(scope, record.functionName, record.qualifier === LATEST ? undefined : record.qualifier),
    AuthType: record.authType,
    Cors: record.cors,
    CreationTime: new Date(record.creationTime).toISOString(),
    LastModifiedTime: new Date(record.lastModifiedTime).toISOString(),
    InvokeMode: record.invokeMode,
  };
}
