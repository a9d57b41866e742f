import { ServiceError } from '../../shared/errors.js';

/**
 * ARNs and names of Step Functions resources
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html#StepFunctions-CreateStateMachine-request-name):
 * a name is 1-80 characters without white space, brackets, wildcards,
 * the characters " # % \ ^ | ~ ` $ & , ; : / or control characters.
 */
const FORBIDDEN_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/u;

function hasControlCharacter(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

export function checkName(name: string): void {
  if (name.length === 0 || name.length > 80 || FORBIDDEN_NAME.test(name) || hasControlCharacter(name)) {
    throw new ServiceError('InvalidName', `Invalid Name: '${name}'`);
  }
}

export function stateMachineArn(region: string, account: string, name: string): string {
  return `arn:aws:states:${region}:${account}:stateMachine:${name}`;
}

/** Standard executions are `execution:`, Express ones `express:` (they carry a second id in AWS; Nimbus keeps one). */
export function executionArn(machineArn: string, name: string, express: boolean): string {
  const parts = machineArn.split(':');
  return `${parts.slice(0, 5).join(':')}:${express ? 'express' : 'execution'}:${parts[6]}:${name}`;
}

export interface ParsedStatesArn {
  readonly region: string;
  readonly account: string;
  readonly resourceType: string;
  readonly name: string;
}

export function parseStatesArn(arn: string): ParsedStatesArn | undefined {
  const parts = arn.split(':');
  if (parts.length < 7 || parts[0] !== 'arn' || parts[2] !== 'states') return undefined;
  return { region: parts[3], account: parts[4], resourceType: parts[5], name: parts.slice(6).join(':') };
}

/** The machine's ARN checked for shape; AWS answers InvalidArn before looking anything up. */
export function requireArn(arn: string, resourceType: string, region: string, account: string): ParsedStatesArn {
  const parsed = parseStatesArn(arn);
  if (parsed === undefined) throw new ServiceError('InvalidArn', `Invalid Arn: 'Invalid ARN prefix: ${arn}'`);
  if (parsed.resourceType !== resourceType && !(resourceType === 'execution' && parsed.resourceType === 'express')) {
    throw new ServiceError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${parsed.resourceType}'`);
  }
  if (parsed.region !== region || parsed.account !== account) {
    throw new ServiceError('InvalidArn', `Invalid Arn: 'Invalid ARN: ${arn}'`);
  }
  return parsed;
}

/** Role ARNs must name an IAM role; Nimbus does not check that it exists or may be assumed. */
export function checkRoleArn(roleArn: string): void {
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(roleArn)) {
    throw new ServiceError('InvalidArn', `Invalid Arn: 'Invalid ARN prefix: ${roleArn}'`);
  }
}

export function stateMachineDoesNotExist(arn: string): ServiceError {
  return new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
}

export function executionDoesNotExist(arn: string): ServiceError {
  return new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
}
