import { randomUUID } from 'node:crypto';
import type { JsonObject, JsonValue, ScheduleTaskCommand } from '../../engines/asl/index.js';
import { isServiceError } from '../../shared/errors.js';
import type { CallTarget, InternalClient } from '../internal-client.js';

/**
 * Runs the work a Task state asks for through the internal client (never
 * HTTP): Lambda functions, optimized integrations (lambda:invoke, dynamodb,
 * sqs, sns, events, states:startExecution) and AWS SDK integrations
 * (https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html).
 * A service Nimbus does not serve fails the task with the internal client's
 * NotImplemented message rather than pretending to succeed.
 */
export type TaskOutcome =
  | { readonly type: 'succeeded'; readonly output: JsonValue }
  | { readonly type: 'failed'; readonly error: string; readonly cause?: string }
  /** The call went out; the result arrives later (SendTaskSuccess, or a child execution ending). */
  | { readonly type: 'waiting' };

export interface IntegrationHost {
  readonly client: InternalClient;
  /** Starts a child execution for states:startExecution; throws the StartExecution error on failure. */
  startChild(command: ScheduleTaskCommand, parentArn: string): { executionArn: string; startDate: number };
}

/** Error-name prefixes for optimized integrations, as AWS spells them (e.g. Lambda.ResourceNotFoundException). */
const SERVICE_PREFIXES: Readonly<Record<string, string>> = {
  lambda: 'Lambda',
  dynamodb: 'DynamoDB',
  sqs: 'SQS',
  sns: 'SNS',
  events: 'EventBridge',
  states: 'StepFunctions',
};

/** Runs a Lambda or integration task; activity tasks go to the ActivityQueue instead. */
export async function runTask(host: IntegrationHost, command: ScheduleTaskCommand, executionArn: string): Promise<TaskOutcome> {
  const target: CallTarget = { account: executionArn.split(':')[4], region: command.region };
  if (command.kind === 'lambda') {
    return invokeFunction(host.client, target, command.resource, command.input, 'direct');
  }
  if (command.service === 'states' && command.action === 'startExecution') return startChild(host, command, executionArn);
  if (command.pattern === 'sync' || command.pattern === 'sync:2') {
    return { type: 'failed', error: 'States.Runtime', cause: `Nimbus does not support the .${command.pattern} pattern for ${command.service}:${command.action}.` };
  }
  const outcome = command.service === 'lambda' && command.action === 'invoke'
    ? await invokeFromParameters(host.client, target, command.input)
    : await callService(host.client, target, command.service, command.action, command.input);
  return command.pattern === 'waitForTaskToken' && outcome.type === 'succeeded' ? { type: 'waiting' } : outcome;
}

function invokeFromParameters(client: InternalClient, target: CallTarget, input: JsonValue): Promise<TaskOutcome> {
  const parameters = asObject(input);
  const functionName = typeof parameters.FunctionName === 'string' ? parameters.FunctionName : '';
  const extra: Record<string, unknown> = {};
  for (const key of ['Qualifier', 'InvocationType', 'ClientContext', 'LogType']) {
    if (typeof parameters[key] === 'string') extra[key] = parameters[key];
  }
  return invokeFunction(client, target, functionName, parameters.Payload ?? {}, 'invoke', extra);
}

interface InvokeResult {
  StatusCode?: number;
  FunctionError?: string;
  Payload?: Uint8Array;
  ExecutedVersion?: string;
}

/**
 * A function error fails the task with the function's errorType as the error
 * name and its error document as the cause; a Lambda API error (no such
 * function, throttling) fails it as "Lambda.<code>"
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html).
 */
async function invokeFunction(client: InternalClient, target: CallTarget, functionName: string, payload: JsonValue, style: 'direct' | 'invoke', extra: Record<string, unknown> = {}): Promise<TaskOutcome> {
  let result: InvokeResult;
  try {
    result = await client.call<InvokeResult>('lambda', 'Invoke', { FunctionName: functionName, Payload: Buffer.from(JSON.stringify(payload)), ...extra }, target);
  } catch (error) {
    return serviceFailure('lambda', error);
  }
  const text = Buffer.from(result.Payload ?? []).toString('utf8');
  const body = parsePayload(text);
  if (result.FunctionError !== undefined) {
    const errorType = typeof body === 'object' && body !== null && !Array.isArray(body) && typeof body.errorType === 'string' ? body.errorType : result.FunctionError;
    return { type: 'failed', error: errorType, cause: text };
  }
  if (style === 'direct') return { type: 'succeeded', output: body };
  return {
    type: 'succeeded',
    output: {
      ExecutedVersion: result.ExecutedVersion ?? '$LATEST',
      Payload: body,
      SdkHttpMetadata: { HttpStatusCode: result.StatusCode ?? 200 },
      SdkResponseMetadata: { RequestId: randomUUID() },
      StatusCode: result.StatusCode ?? 200,
    },
  };
}

function parsePayload(text: string): JsonValue {
  if (text === '') return null;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/** dynamodb:putItem -> dynamodb PutItem; aws-sdk:sqs:sendMessage -> sqs SendMessage. */
async function callService(client: InternalClient, target: CallTarget, resourceType: string, action: string, input: JsonValue): Promise<TaskOutcome> {
  const service = resourceType.startsWith('aws-sdk:') ? resourceType.slice('aws-sdk:'.length) : resourceType;
  const operation = `${action.charAt(0).toUpperCase()}${action.slice(1)}`;
  try {
    const output = await client.call(service, operation, asObject(input), target);
    return { type: 'succeeded', output: toJson(output) };
  } catch (error) {
    return serviceFailure(service, error);
  }
}

function startChild(host: IntegrationHost, command: ScheduleTaskCommand, parentArn: string): TaskOutcome {
  try {
    const child = host.startChild(command, parentArn);
    if (command.pattern === 'request-response') return { type: 'succeeded', output: { ExecutionArn: child.executionArn, StartDate: child.startDate } };
    return { type: 'waiting' };
  } catch (error) {
    return serviceFailure('states', error);
  }
}

function serviceFailure(service: string, error: unknown): TaskOutcome {
  const prefix = SERVICE_PREFIXES[service] ?? `${service.charAt(0).toUpperCase()}${service.slice(1)}`;
  if (isServiceError(error)) {
    const status = error.status ?? 400;
    return { type: 'failed', error: `${prefix}.${error.code}`, cause: `${error.message} (Service: ${prefix}, Status Code: ${String(status)}, Error Code: ${error.code})` };
  }
  return { type: 'failed', error: 'States.Runtime', cause: error instanceof Error ? error.message : String(error) };
}

function asObject(value: JsonValue): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

/** Service outputs are typed values: blobs become base64 text and timestamps epoch seconds, as the SDK integrations render them. */
function toJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const output: JsonObject = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) output[key] = toJson(item);
    return output;
  }
  return value as JsonValue;
}
