/**
 * Runs a function version: builds its execution environment (code, reserved environment variables, the
 * role's credentials), takes a warm environment or starts one, and writes the invocation's logs.
 */
import { delimiter, join } from 'node:path';
import { requestId as newRequestId, randomHex } from '../../shared/ids.js';
import type { ServiceRuntime } from '../service.js';
import type { CodeStore } from './code.js';
import type { Frozen } from '../../store/store.js';
import type { FunctionRecord, FunctionScope } from './function-record.js';
import { logGroupName } from './function-record.js';
import type { FunctionLogWriter } from './function-logs.js';
import { invocationLogLines, logStreamName } from './function-logs.js';
import { LocalCode } from './local-code.js';
import type { EnvironmentSpec, InitOutcome } from './runtime/environment.js';
import type { EnvironmentPool, InvokeTarget, PooledOutcome } from './runtime/pool.js';
import { NIMBUS_NODE_MODULES } from './runtime/runtimes.js';

/** AWS_LAMBDA_INITIALIZATION_TYPE: how the environment came to be. */
type InitializationType = 'on-demand' | 'provisioned-concurrency';

/**
 * Where each runtime looks for layer content, pointed at the function's merged layers directory instead
 * of /opt: Nimbus runs functions as plain processes and cannot mount /opt
 * (https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html#packaging-layers-paths).
 * NIMBUS_LAYERS_DIR names the directory (on Lambda, code finds layers at /opt).
 */
function layerVariables(runtime: string, layersDir: string): Record<string, string> {
  const variables: Record<string, string> = {
    NIMBUS_LAYERS_DIR: layersDir,
    PATH: `/usr/local/bin:/usr/bin:/bin:${process.env.PATH ?? ''}:${join(layersDir, 'bin')}`,
    LD_LIBRARY_PATH: [process.env.LD_LIBRARY_PATH, join(layersDir, 'lib')].filter(Boolean).join(delimiter),
  };
  const node = /^nodejs(\d+)\.x$/.exec(runtime);
  // Node's ES module resolver ignores NODE_PATH: the bootstrap's resolve hook searches these directories too.
  if (node) variables.NODE_PATH = [join(layersDir, `nodejs/node${node[1]}/node_modules`), join(layersDir, 'nodejs/node_modules'), NIMBUS_NODE_MODULES].join(delimiter);
  if (runtime.startsWith('python')) variables.PYTHONPATH = [join(layersDir, `python/lib/${runtime}/site-packages`), join(layersDir, 'python')].join(delimiter);
  return variables;
}

/**
 * The invocation's X-Ray trace header (_X_AMZN_TRACE_ID): a root id of version 1, the epoch seconds in hex
 * and 96 random bits, and a 64-bit parent segment id, all lowercase hex
 * (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-sendingdata.html#xray-api-traceids).
 */
function traceHeader(nowMs: number): string {
  return `Root=1-${Math.floor(nowMs / 1000).toString(16)}-${randomHex(24)};Parent=${randomHex(16)};Sampled=0`;
}

export interface InvocationInput {
  payload: Buffer;
  invokedArn: string;
  clientContext?: string;
  requestId?: string;
}

export interface InvocationResult extends PooledOutcome {
  requestId: string;
  logLines: string[];
}

interface RoleCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
}

export class FunctionInvoker {
  /** Functions whose code is a local directory (a Nimbus extension): their task root and its changes. */
  readonly localCode: LocalCode;

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly pool: EnvironmentPool,
    private readonly code: CodeStore,
    private readonly logs: FunctionLogWriter,
  ) {
    this.localCode = new LocalCode(runtime.store, runtime.lifecycle);
  }

  /** Environments are shared only by invocations of the same version with the same code and configuration. */
  static poolKey(scope: FunctionScope, record: Frozen<FunctionRecord>): string {
    return `${scope.account}/${scope.region}/${record.name}/${record.version}/${record.revisionId}`;
  }

  static functionPrefix(scope: FunctionScope, name: string): string {
    return `${scope.account}/${scope.region}/${name}/`;
  }

  async invoke(scope: FunctionScope, record: Frozen<FunctionRecord>, reservedConcurrency: number | undefined, input: InvocationInput): Promise<InvocationResult> {
    const requestId = input.requestId ?? newRequestId();
    const outcome = await this.pool.invoke(
      await this.target(scope, record, reservedConcurrency, 'on-demand'),
      {
        requestId,
        payload: input.payload,
        invokedFunctionArn: input.invokedArn,
        traceId: traceHeader(this.runtime.clock.now()),
        clientContext: input.clientContext,
      },
    );
    const logLines = invocationLogLines({ requestId, version: record.version, runtime: record.runtime, memorySize: record.memorySize }, outcome);
    this.logs.enqueue(scope, logGroupName(record), outcome.environmentId, logLines, this.runtime.clock.now());
    return { ...outcome, requestId, logLines };
  }

  /**
   * Starts `count` environments of a version ahead of traffic (provisioned concurrency): they initialise
   * with AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency, their init phase is logged to their own
   * log streams, and invocations that find one idle are warm starts.
   */
  async prewarm(scope: FunctionScope, record: Frozen<FunctionRecord>, reservedConcurrency: number | undefined, count: number): Promise<InitOutcome[]> {
    const target = await this.target(scope, record, reservedConcurrency, 'provisioned-concurrency');
    const environmentIds: string[] = [];
    const outcomes = await this.pool.prewarm(
      {
        ...target,
        newEnvironmentId: () => {
          const id = target.newEnvironmentId();
          environmentIds.push(id);
          return id;
        },
      },
      count,
    );
    outcomes.forEach((init, index) => {
      const lines = [`INIT_START Runtime Version: ${record.runtime}`, ...init.logs];
      this.logs.enqueue(scope, logGroupName(record), environmentIds[index], lines, this.runtime.clock.now());
    });
    return outcomes;
  }

  private async target(scope: FunctionScope, record: Frozen<FunctionRecord>, reservedConcurrency: number | undefined, initializationType: InitializationType): Promise<InvokeTarget> {
    return {
      key: await this.environmentKey(scope, record),
      functionId: `${scope.account}/${scope.region}/${record.name}`,
      reservedConcurrency,
      newEnvironmentId: () => logStreamName(record.version, new Date(this.runtime.clock.now())),
      spec: (environmentId) => this.environmentSpec(scope, record, environmentId, initializationType),
    };
  }

  /**
   * The pool key of the invocation's environments. Local code adds its directory's generation: after an
   * edit, environments started earlier (even one still busy) never serve the function again.
   */
  private async environmentKey(scope: FunctionScope, record: Frozen<FunctionRecord>): Promise<string> {
    const key = FunctionInvoker.poolKey(scope, record);
    const directory = this.localCode.directoryOf(scope, record.codeSha256);
    if (directory === undefined) return key;
    const functionPrefix = FunctionInvoker.functionPrefix(scope, record.name);
    const observed = await this.localCode.observe(directory, functionPrefix);
    if (observed.changed) this.pool.retire(functionPrefix);
    return `${key}/local-${String(observed.generation)}`;
  }

  private async roleCredentials(scope: FunctionScope, record: Frozen<FunctionRecord>): Promise<RoleCredentials> {
    const assumed = await this.runtime.client.call<{ Credentials: RoleCredentials }>(
      'sts',
      'AssumeRole',
      { RoleArn: record.role, RoleSessionName: record.name.slice(0, 64).padEnd(2, '_'), DurationSeconds: 43200 },
      scope,
    );
    return assumed.Credentials;
  }

  private async environmentSpec(scope: FunctionScope, record: Frozen<FunctionRecord>, environmentId: string, initializationType: InitializationType): Promise<EnvironmentSpec> {
    const credentials = await this.roleCredentials(scope, record);
    const localDirectory = this.localCode.directoryOf(scope, record.codeSha256);
    const taskRoot = localDirectory ?? this.code.directoryOf(record.codeSha256);
    const layersDir = record.layers.length ? await this.code.layersDirectory(record.layers.map((layer) => layer.codeSha256)) : undefined;
    const variables: Record<string, string> = {
      PATH: `/usr/local/bin:/usr/bin:/bin:${process.env.PATH ?? ''}`,
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      NODE_PATH: NIMBUS_NODE_MODULES,
      LAMBDA_TASK_ROOT: taskRoot,
      LAMBDA_RUNTIME_DIR: join(taskRoot, '..'),
      AWS_REGION: scope.region,
      AWS_DEFAULT_REGION: scope.region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${record.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: record.name,
      AWS_LAMBDA_FUNCTION_VERSION: record.version,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(record.memorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(record),
      AWS_LAMBDA_LOG_STREAM_NAME: environmentId,
      AWS_LAMBDA_INITIALIZATION_TYPE: initializationType,
      AWS_ACCESS_KEY_ID: credentials.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.SecretAccessKey,
      AWS_SESSION_TOKEN: credentials.SessionToken,
      // Not a Lambda variable: it points the function's SDK calls back at Nimbus.
      AWS_ENDPOINT_URL: this.runtime.edge.endpoint,
      // Local code is the developer's own directory: keep Python's bytecode cache out of it.
      ...(localDirectory === undefined ? {} : { PYTHONDONTWRITEBYTECODE: '1' }),
      ...(layersDir === undefined ? {} : layerVariables(record.runtime, layersDir)),
      ...record.environment,
    };
    // Zip code is unpacked below the code store, whose parent folder links Nimbus's node_modules: ES module
    // imports of the SDK resolve by walking up, at no cost. Local code and layers live elsewhere, so the
    // Node bootstrap registers its resolve hook (a loader thread, ~60 ms per cold start) only for them.
    if (localDirectory !== undefined || layersDir !== undefined) variables.NIMBUS_NODE_SEARCH_PATHS = variables.NODE_PATH;
    return {
      runtime: record.runtime,
      handler: record.handler,
      taskRoot,
      layersDir,
      memoryMb: record.memorySize,
      timeoutSeconds: record.timeout,
      variables,
    };
  }
}
