/**
 * Runs a function version: builds its execution environment (code, reserved environment variables, the
 * role's credentials), takes a warm environment or starts one, and writes the invocation's logs.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requestId as newRequestId, stableId } from '../../shared/ids.js';
import type { ServiceRuntime } from '../service.js';
import type { CodeStore } from './code.js';
import type { FunctionRecord, FunctionScope } from './function-record.js';
import { logGroupName } from './function-record.js';
import type { FunctionLogWriter } from './function-logs.js';
import { invocationLogLines, logStreamName } from './function-logs.js';
import type { EnvironmentSpec } from './runtime/environment.js';
import type { EnvironmentPool, PooledOutcome } from './runtime/pool.js';

/** Nimbus's own node_modules: handlers `require` the AWS SDK from there, as from /var/runtime on Lambda. */
const NIMBUS_NODE_MODULES = fileURLToPath(new URL('../../../node_modules', import.meta.url));

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
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly pool: EnvironmentPool,
    private readonly code: CodeStore,
    private readonly logs: FunctionLogWriter,
  ) {}

  /** Environments are shared only by invocations of the same version with the same code and configuration. */
  static poolKey(scope: FunctionScope, record: FunctionRecord): string {
    return `${scope.account}/${scope.region}/${record.name}/${record.version}/${record.revisionId}`;
  }

  static functionPrefix(scope: FunctionScope, name: string): string {
    return `${scope.account}/${scope.region}/${name}/`;
  }

  async invoke(scope: FunctionScope, record: FunctionRecord, reservedConcurrency: number | undefined, input: InvocationInput): Promise<InvocationResult> {
    const requestId = input.requestId ?? newRequestId();
    const outcome = await this.pool.invoke(
      {
        key: FunctionInvoker.poolKey(scope, record),
        functionId: `${scope.account}/${scope.region}/${record.name}`,
        reservedConcurrency,
        newEnvironmentId: () => logStreamName(record.version, new Date(this.runtime.clock.now())),
        spec: (environmentId) => this.environmentSpec(scope, record, environmentId),
      },
      {
        requestId,
        payload: input.payload,
        invokedFunctionArn: input.invokedArn,
        traceId: `Root=1-${Math.floor(this.runtime.clock.now() / 1000).toString(16)}-${stableId(requestId, 24).toLowerCase()};Parent=${stableId(`${requestId}p`, 16).toLowerCase()};Sampled=0`,
        clientContext: input.clientContext,
      },
    );
    const logLines = invocationLogLines({ requestId, version: record.version, runtime: record.runtime, memorySize: record.memorySize }, outcome);
    this.logs.enqueue(scope, logGroupName(record), outcome.environmentId, logLines, this.runtime.clock.now());
    return { ...outcome, requestId, logLines };
  }

  private async roleCredentials(scope: FunctionScope, record: FunctionRecord): Promise<RoleCredentials> {
    const assumed = await this.runtime.client.call<{ Credentials: RoleCredentials }>(
      'sts',
      'AssumeRole',
      { RoleArn: record.role, RoleSessionName: record.name.slice(0, 64).padEnd(2, '_'), DurationSeconds: 43200 },
      scope,
    );
    return assumed.Credentials;
  }

  private async environmentSpec(scope: FunctionScope, record: FunctionRecord, environmentId: string): Promise<EnvironmentSpec> {
    const credentials = await this.roleCredentials(scope, record);
    const taskRoot = this.code.directoryOf(record.codeSha256);
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
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_ACCESS_KEY_ID: credentials.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.SecretAccessKey,
      AWS_SESSION_TOKEN: credentials.SessionToken,
      // Not a Lambda variable: it points the function's SDK calls back at Nimbus.
      AWS_ENDPOINT_URL: this.runtime.edge.endpoint,
      ...record.environment,
    };
    return {
      runtime: record.runtime,
      handler: record.handler,
      taskRoot,
      memoryMb: record.memorySize,
      timeoutSeconds: record.timeout,
      variables,
    };
  }
}
