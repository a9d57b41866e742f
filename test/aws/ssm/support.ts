/** Shared pieces of the SSM tests: a client for the running Nimbus, an assertion on AWS errors, AWS's longer messages. */
import assert from 'node:assert/strict';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Nimbus } from '../../../src/index.js';
import { clientSettings } from '../../helpers/nimbus.js';

export function ssmClient(nimbus: Nimbus): SSMClient {
  return new SSMClient(clientSettings(nimbus));
}

interface AwsError extends Error {
  $metadata?: { httpStatusCode?: number };
}

/** Asserts that the call fails with this error code, exact message and HTTP status. */
export async function rejectsWith(call: Promise<unknown>, name: string, message: string, status = 400): Promise<void> {
  await assert.rejects(call, (error: AwsError) => {
    assert.equal(error.name, name);
    assert.equal(error.message, message);
    assert.equal(error.$metadata?.httpStatusCode, status);
    return true;
  });
}

export const INVALID_NAME =
  'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';

export const INVALID_PATH =
  'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/". It can\'t be prefixed with \\"aws\\" or \\"ssm\\" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.';

export const TAGS_WITH_OVERWRITE =
  "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.";
