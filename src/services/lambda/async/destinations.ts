/**
 * Destinations for the records of asynchronous invocations: which ARNs Lambda accepts and how it
 * rejects the others (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
 */
import type { DestinationConfig } from '../../../generated/lambda.js';
import type { Arn } from '../../../shared/arn.js';
import { parseArn } from '../../../shared/arn.js';
import { invalidParameter } from '../errors.js';
import type { FunctionScope } from '../function-record.js';

/** The services a destination (or a dead-letter queue) can be, by their ARN's service part. */
export type DestinationService = 'lambda' | 'sqs' | 'sns' | 'events';

export interface Destination extends Arn {
  arn: string;
  service: DestinationService;
}

const SERVICES = new Set<string>(['lambda', 'sqs', 'sns', 'events']);
const FUNCTION_RESOURCE = /^function:([a-zA-Z0-9-_]+)(?::[a-zA-Z0-9$_-]+)?$/;

export function parseDestination(arn: string): Destination | undefined {
  const parsed = parseArn(arn);
  if (!parsed || !SERVICES.has(parsed.service)) return undefined;
  return { ...parsed, arn, service: parsed.service as DestinationService };
}

/** The function a Lambda destination names, or undefined when its resource is not a function. */
function destinationFunctionName(destination: Destination): string | undefined {
  return FUNCTION_RESOURCE.exec(destination.resource)?.[1];
}

/** Lambda takes an empty destination ARN as no destination. */
function nonEmpty(arn: string | undefined): string | undefined {
  return arn === '' ? undefined : arn;
}

export interface CheckedDestinations {
  onSuccess?: string;
  onFailure?: string;
}

/**
 * Validates a DestinationConfig for a function and returns its destinations (an empty ARN means none).
 * A Lambda destination must exist and must not be the function itself; any other unsupported ARN makes
 * Lambda reject the whole configuration, which it then prints back in its Java form.
 */
export function checkDestinationConfig(
  scope: FunctionScope,
  functionName: string,
  config: DestinationConfig,
  functionExists: (scope: FunctionScope, name: string) => boolean,
): CheckedDestinations {
  const onSuccess = nonEmpty(config.OnSuccess?.Destination);
  const onFailure = nonEmpty(config.OnFailure?.Destination);
  let invalid = false;
  for (const arn of [onFailure, onSuccess]) {
    if (arn === undefined) continue;
    const destination = parseDestination(arn);
    if (!destination) {
      invalid = true;
      continue;
    }
    if (destination.service !== 'lambda') continue;
    const name = destinationFunctionName(destination);
    const target = { account: destination.account, region: destination.region };
    if (name === undefined || !functionExists(target, name)) throw invalidParameter(`The destination ARN ${arn} is invalid.`);
    if (name === functionName && target.account === scope.account && target.region === scope.region) {
      throw invalidParameter("You can't specify the function as a destination for itself.");
    }
  }
  if (invalid) {
    const successPart = onSuccess === undefined ? 'null' : `OnSuccess(destination=${onSuccess})`;
    const failurePart = onFailure === undefined ? 'null' : `OnFailure(destination=${onFailure})`;
    throw invalidParameter(`The provided destination config DestinationConfig(onSuccess=${successPart}, onFailure=${failurePart}) is invalid.`);
  }
  return { onSuccess, onFailure };
}
