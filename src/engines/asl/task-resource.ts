/**
 * What a Task state's Resource ARN names. The kind decides the history
 * events: a Lambda function ARN logs LambdaFunction* events, an activity ARN
 * Activity* events, and an integration ARN (arn:aws:states:::service:action)
 * Task* events with resourceType "service" and resource "action[.pattern]"
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html).
 */
export type TaskKind = 'lambda' | 'activity' | 'service';
export type IntegrationPattern = 'request-response' | 'sync' | 'sync:2' | 'waitForTaskToken';

export interface TaskResource {
  readonly arn: string;
  readonly kind: TaskKind;
  /** The service part of an integration ARN, e.g. "lambda", "sqs", "aws-sdk:s3". */
  readonly resourceType: string;
  /** The action with its pattern suffix, e.g. "invoke", "sendMessage.waitForTaskToken". */
  readonly resource: string;
  readonly action: string;
  readonly pattern: IntegrationPattern;
  /** The region written in the ARN, if any (integration ARNs usually leave it empty). */
  readonly region?: string;
}

const PATTERN_SUFFIXES: readonly (readonly [string, IntegrationPattern])[] = [
  ['.waitForTaskToken', 'waitForTaskToken'],
  ['.sync:2', 'sync:2'],
  ['.sync', 'sync'],
];

export function parseTaskResource(arn: string): TaskResource {
  const parts = arn.split(':');
  const service = parts[2] ?? '';
  const region = parts[3] === '' ? undefined : parts[3];
  if (service === 'lambda' && parts[5] === 'function') {
    return { arn, kind: 'lambda', resourceType: 'lambda', resource: arn, action: 'invoke', pattern: 'request-response', region };
  }
  if (service === 'states' && parts[5] === 'activity') {
    return { arn, kind: 'activity', resourceType: 'activity', resource: arn, action: 'activity', pattern: 'waitForTaskToken', region };
  }
  // arn:aws:states:::aws-sdk:s3:getObject keeps "aws-sdk:s3" together as the resource type.
  const isSdk = parts[5] === 'aws-sdk';
  const resourceType = isSdk ? `aws-sdk:${parts[6] ?? ''}` : (parts[5] ?? service);
  const resource = parts.slice(isSdk ? 7 : 6).join(':');
  const suffix = PATTERN_SUFFIXES.find(([text]) => resource.endsWith(text));
  const action = suffix === undefined ? resource : resource.slice(0, -suffix[0].length);
  return { arn, kind: 'service', resourceType, resource, action, pattern: suffix?.[1] ?? 'request-response', region };
}

/** A Lambda function ARN, an activity ARN or an integration ARN. */
export function isTaskResourceArn(arn: string): boolean {
  return /^arn:[a-z-]+:(lambda|states):[a-z0-9-]*:(\d{12})?:.+$/.test(arn);
}
