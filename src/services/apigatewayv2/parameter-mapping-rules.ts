/**
 * The grammar and create-time rules of HTTP API parameter mapping
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html):
 * request keys `append|overwrite|remove:header.{name}`, `append|overwrite|remove:querystring.{name}` and
 * `overwrite:path`; response parameters keyed by status code with `overwrite:statuscode` and the header
 * keys. Values are `$request.*`, `$context.*`, `$stageVariables.*` (and `$response.*` in responses),
 * static text, or text with `${...}` parts. Reserved headers cannot be mapped.
 *
 * AWS service integrations (IntegrationSubtype) take the action's own parameter names instead, with the
 * required ones of https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html.
 */
import type { ServiceError } from '../../shared/errors.js';
import { badRequest } from './api-store.js';

export type MappingAction = 'append' | 'overwrite' | 'remove';

export type MappingKey =
  | { action: MappingAction; target: 'header' | 'querystring'; name: string }
  | { action: 'overwrite'; target: 'path' }
  | { action: 'overwrite'; target: 'statuscode' };

/** The key's action and target, or undefined when it is none of the grammar's (`statuscode` only in responses). */
export function parseMappingKey(key: string, response: boolean): MappingKey | undefined {
  if (response && key === 'overwrite:statuscode') return { action: 'overwrite', target: 'statuscode' };
  if (!response && key === 'overwrite:path') return { action: 'overwrite', target: 'path' };
  const match = /^(append|overwrite|remove):(header|querystring)\.(.+)$/.exec(key);
  if (!match || (response && match[2] !== 'header')) return undefined;
  return { action: match[1] as MappingAction, target: match[2] as 'header' | 'querystring', name: match[3] };
}

// Headers API Gateway keeps for itself (the "Reserved headers" table of the page above).
const RESERVED = new Set([
  'authorization', 'connection', 'content-encoding', 'content-length', 'content-location', 'forwarded', 'keep-alive', 'origin', 'proxy-authenticate',
  'proxy-authorization', 'te', 'trailers', 'transfer-encoding', 'upgrade', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'via',
]);
const RESERVED_PREFIXES = ['access-control-', 'apigw-', 'x-amz-', 'x-amzn-'];

export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED.has(lower) || RESERVED_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

const SOURCES = /^\$(request\.(header|querystring|path|body)(\..+)?|context\.[A-Za-z0-9._]+|stageVariables\.[A-Za-z0-9_]+|response\.(header|body)(\..+)?)$/;

/** Each `$...` expression of a value (the whole value, or each `${...}` part); static text needs none. */
function expressionsOf(value: string): string[] {
  if (value.startsWith('$') && !value.startsWith('${')) return [value];
  return [...value.matchAll(/\$\{([^}]*)\}/g)].map((match) => `$${match[1]}`);
}

/**
 * AWS wraps parameter mapping problems in its validation envelope, e.g. "Invalid mapping expression specified:
 * Validation Result: warnings : [], errors : [Invalid Response Actioned Parameter destination specified: ...]";
 * the texts inside the brackets other than that one are our best recollection.
 */
function mappingError(detail: string): ServiceError {
  return badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [${detail}]`);
}

function checkValue(key: string, value: string, response: boolean): void {
  for (const expression of expressionsOf(value)) {
    const known = SOURCES.exec(expression);
    if (!known || (expression.startsWith('$response.') && !response)) throw mappingError(`Invalid source ${value} specified for ${key}`);
  }
}

function checkEntries(parameters: Record<string, string>, response: boolean): void {
  for (const [key, value] of Object.entries(parameters)) {
    const parsed = parseMappingKey(key, response);
    if (!parsed) throw mappingError(`Invalid ${response ? 'Response ' : ''}Actioned Parameter destination specified: ${key}`);
    if (parsed.target === 'header' && isReservedHeader(parsed.name)) throw mappingError(`Operations on header ${parsed.name} are restricted`);
    if (parsed.target === 'statuscode' && !/^[1-5]\d\d$/.test(value) && !value.startsWith('$')) throw mappingError(`Invalid status code ${value} specified for ${key}`);
    if (parsed.action !== 'remove') checkValue(key, value, response);
  }
}

/** An HTTP API's RequestParameters (no subtype) and ResponseParameters, as CreateIntegration checks them. */
export function checkHttpApiMappings(requestParameters: Record<string, string> | undefined, responseParameters: Record<string, Record<string, string>> | undefined): void {
  checkEntries(requestParameters ?? {}, false);
  for (const [status, parameters] of Object.entries(responseParameters ?? {})) {
    if (!/^[1-5]\d\d$/.test(status)) throw mappingError(`Invalid status code ${status}: response parameters are keyed by status codes 100 to 599`);
    checkEntries(parameters, true);
  }
}

/** The parameters of each AWS service integration subtype; `true` marks a required one. */
export const SUBTYPE_PARAMETERS: Record<string, Record<string, boolean>> = {
  'EventBridge-PutEvents': { Detail: true, DetailType: true, Source: true, Time: false, EventBusName: false, Resources: false, Region: false, TraceHeader: false },
  'SQS-SendMessage': {
    QueueUrl: true, MessageBody: true, DelaySeconds: false, MessageAttributes: false, MessageDeduplicationId: false, MessageGroupId: false,
    MessageSystemAttributes: false, Region: false,
  },
  'SQS-ReceiveMessage': {
    QueueUrl: true, AttributeNames: false, MaxNumberOfMessages: false, MessageAttributeNames: false, ReceiveRequestAttemptId: false,
    VisibilityTimeout: false, WaitTimeSeconds: false, Region: false,
  },
  'SQS-DeleteMessage': { QueueUrl: true, ReceiptHandle: true, Region: false },
  'SQS-PurgeQueue': { QueueUrl: true, Region: false },
  'AppConfig-GetConfiguration': { Application: true, Environment: true, Configuration: true, ClientId: true, ClientConfigurationVersion: false, Region: false },
  'Kinesis-PutRecord': { StreamName: true, Data: true, PartitionKey: true, SequenceNumberForOrdering: false, ExplicitHashKey: false, Region: false },
  'StepFunctions-StartExecution': { StateMachineArn: true, Name: false, Input: false, Region: false },
  'StepFunctions-StartSyncExecution': { StateMachineArn: true, Name: false, Input: false, Region: false, TraceHeader: false },
  'StepFunctions-StopExecution': { ExecutionArn: true, Cause: false, Error: false, Region: false },
};

/** An AWS service integration's subtype and parameters: a known subtype, its required parameters, no others. */
export function checkSubtypeParameters(subtype: string, requestParameters: Record<string, string> | undefined, credentialsArn: string | undefined): void {
  const allowed = SUBTYPE_PARAMETERS[subtype] as Record<string, boolean> | undefined;
  if (!allowed) throw badRequest(`Unsupported integration subtype ${subtype}. Supported subtypes: ${Object.keys(SUBTYPE_PARAMETERS).join(', ')}`);
  const given = requestParameters ?? {};
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(allowed, name)) throw badRequest(`Parameter ${name} is not supported for integration subtype ${subtype}`);
  }
  const missing = Object.entries(allowed).filter(([name, required]) => required && given[name] === undefined).map(([name]) => name);
  if (missing.length > 0) throw badRequest(`Missing required parameters for integration subtype ${subtype}: ${missing.join(', ')}`);
  for (const [name, value] of Object.entries(given)) checkValue(name, value, false);
  // API Gateway calls the service with a role the integration names.
  if (!credentialsArn) throw badRequest(`CredentialsArn is required for integration subtype ${subtype}`);
}
