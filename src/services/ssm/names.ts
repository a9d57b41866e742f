/**
 * Parameter names, paths and references, by AWS's rules
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html#sysman-parameter-name-constraints):
 * letters, digits and `_.-`, `/` separating the levels of a hierarchy, at most 15 levels, names beginning
 * with "aws" or "ssm" reserved. A one-level name may be written with or without a leading slash and is the
 * same parameter either way (AWS reports it without the slash); a hierarchical name must start with `/`.
 */
import { ServiceError } from '../../shared/errors.js';
import { parseArn } from '../../shared/arn.js';
import type { RequestContext } from '../../shared/request-context.js';

/** AWS's answer to a malformed name, reads included (a path without its leading slash gets this too). */
export const INVALID_NAME_MESSAGE =
  'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';

/**
 * AWS's answer to a malformed GetParametersByPath path. The backslashes before the quotes around aws and
 * ssm are part of the message AWS sends (seen in aws/aws-sdk-js-v3#5928), unlike the ones around "/".
 */
export const INVALID_PATH_MESSAGE =
  'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/". It can\'t be prefixed with \\"aws\\" or \\"ssm\\" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.';

const MAX_LEVELS = 15;
const NAME_CHARACTERS = /^[a-zA-Z0-9_.\-/]+$/;
const PATH_FORMAT = /^\/[a-zA-Z0-9_.\-/]*$/;

/** A parameter's name as AWS reports it, and the key it is stored under (always with a leading slash). */
export interface ParameterName {
  name: string;
  key: string;
}

/** A name in a read: the parameter, plus the `:version` or `:label` suffix when one was given. */
export interface ParameterReference extends ParameterName {
  selector?: string;
}

function invalidName(): ServiceError {
  return new ServiceError('ValidationException', INVALID_NAME_MESSAGE);
}

/** The key a parameter is stored under: its name with a leading slash, which also orders it in its hierarchy. */
export function storageKey(name: string): string {
  return name.startsWith('/') ? name : `/${name}`;
}

/** Checks the form of a name and returns it as AWS stores it ("/db" becomes "db"). */
export function parseName(raw: string): ParameterName {
  if (!NAME_CHARACTERS.test(raw)) throw invalidName();
  if (!raw.includes('/')) return { name: raw, key: storageKey(raw) };
  if (!raw.startsWith('/')) throw invalidName();
  const levels = raw.slice(1).split('/');
  if (levels.some((level) => level === '')) throw invalidName();
  const name = levels.length === 1 ? levels[0] : raw;
  return { name, key: storageKey(name) };
}

/** The name, or undefined when it is malformed: for the calls that report such names instead of failing. */
export function parseNameIfValid(raw: string): ParameterName | undefined {
  try {
    return parseName(raw);
  } catch {
    return undefined;
  }
}

/** The checks a name must also pass to be created: reserved prefixes and the hierarchy depth. */
export function parseNewName(raw: string): ParameterName {
  const parsed = parseName(raw);
  const levels = parsed.key.slice(1).split('/');
  const first = levels[0].toLowerCase();
  const isPath = levels.length > 1;
  if (first.startsWith('aws') && isPath) {
    // AWS answers this one as an authorization failure, naming the parameter without its leading slash.
    throw new ServiceError('AccessDeniedException', `No access to reserved parameter name: ${parsed.key.slice(1)}.`, 400);
  }
  if (first.startsWith('ssm') && isPath) throw invalidName();
  if (first.startsWith('aws') || first.startsWith('ssm')) {
    throw new ServiceError('ValidationException', 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
  }
  if (levels.length > MAX_LEVELS) {
    throw new ServiceError(
      'HierarchyLevelLimitExceededException',
      'A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names in the Amazon Web Services Systems Manager User Guide.',
    );
  }
  return parsed;
}

/**
 * Reads a name as GetParameter, GetParameters and GetParameterHistory accept it: plain, `name:selector`, or
 * the parameter's ARN. Returns undefined for an ARN of another account or region: Nimbus does not share
 * parameters across accounts, so nothing there can be found.
 */
export function parseReference(raw: string, ctx: RequestContext): ParameterReference | undefined {
  let text = raw;
  if (raw.startsWith('arn:')) {
    const arn = parseArn(raw);
    if (!arn || arn.service !== 'ssm' || !arn.resource.startsWith('parameter/')) throw invalidName();
    if (arn.account !== ctx.account || arn.region !== ctx.region) return undefined;
    const rest = arn.resource.slice('parameter/'.length);
    text = rest.split(':')[0].includes('/') ? `/${rest}` : rest;
  }
  const colon = text.indexOf(':');
  if (colon < 0) return parseName(text);
  const selector = text.slice(colon + 1);
  if (selector === '' || selector.includes(':')) throw invalidName();
  return { ...parseName(text.slice(0, colon)), selector };
}

export function parameterArn(ctx: RequestContext, key: string): string {
  return `arn:aws:ssm:${ctx.region}:${ctx.account}:parameter/${key.slice(1)}`;
}

/** Checks a hierarchy path and returns the key prefix of everything below it ("/a/b" gives "/a/b/"). */
export function parsePath(path: string): string {
  if (!PATH_FORMAT.test(path) || path.includes('//')) throw new ServiceError('ValidationException', INVALID_PATH_MESSAGE);
  return path.endsWith('/') ? path : `${path}/`;
}

/** Whether a stored key sits directly below `prefix` (one level) or anywhere below it (recursive). */
export function isBelow(key: string, prefix: string, recursive: boolean): boolean {
  return key.startsWith(prefix) && (recursive || !key.slice(prefix.length).includes('/'));
}
