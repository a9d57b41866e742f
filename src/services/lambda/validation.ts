/**
 * Lambda's rules beyond the model's constraints, with Lambda's messages
 * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html).
 */
import { ServiceError } from '../../shared/errors.js';
import { SUPPORTED_RUNTIMES } from './runtime/runtimes.js';

const MAX_MEMORY_MB = 10240;
const MAX_TIMEOUT_SECONDS = 900;
const MAX_ENVIRONMENT_BYTES = 4096;

/** Variables Lambda sets itself and refuses to let a function override. */
const RESERVED_VARIABLES = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);

function userError(code: string, message: string, status = 400): ServiceError {
  return new ServiceError(code, message, status, { Type: 'User' });
}

function constraint(value: number, member: string, bound: number): ServiceError {
  return new ServiceError('ValidationException', `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${String(bound)}`, 400);
}

export function checkLimits(memorySize: number | undefined, timeout: number | undefined): void {
  if (memorySize !== undefined && memorySize > MAX_MEMORY_MB) throw constraint(memorySize, 'memorySize', MAX_MEMORY_MB);
  if (timeout !== undefined && timeout > MAX_TIMEOUT_SECONDS) throw constraint(timeout, 'timeout', MAX_TIMEOUT_SECONDS);
}

export function checkRuntime(runtime: string | undefined): void {
  if (runtime === undefined) throw userError('InvalidParameterValueException', 'Runtime and Handler are mandatory parameters for functions created with deployment packages.');
  if (!(runtime in SUPPORTED_RUNTIMES)) {
    throw userError('InvalidParameterValueException', `The runtime parameter of ${runtime} is not available in Nimbus yet. Supported runtimes: ${Object.keys(SUPPORTED_RUNTIMES).join(', ')}.`);
  }
}

export function checkEnvironment(variables: Record<string, string>): void {
  const reserved = Object.keys(variables).filter((key) => RESERVED_VARIABLES.has(key));
  if (reserved.length) {
    throw userError('InvalidParameterValueException', `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`);
  }
  const measured = JSON.stringify(variables);
  if (Buffer.byteLength(measured) > MAX_ENVIRONMENT_BYTES) {
    throw userError('InvalidParameterValueException', `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`);
  }
}
