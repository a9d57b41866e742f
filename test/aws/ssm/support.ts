/** Shared pieces of the SSM tests: a client for the running Nimbus and AWS's longer messages. */
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Nimbus } from '../../../src/index.js';
import { clientSettings } from '../../helpers/nimbus.js';

export function ssmClient(nimbus: Nimbus): SSMClient {
  return new SSMClient(clientSettings(nimbus));
}

export const INVALID_NAME =
  'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';

export const INVALID_PATH =
  'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/". It can\'t be prefixed with \\"aws\\" or \\"ssm\\" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.';

export const TAGS_WITH_OVERWRITE =
  "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.";
