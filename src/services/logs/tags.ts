/**
 * Log group tags, reached by name (TagLogGroup, the older API) or by ARN (TagResource). Both see the same
 * tags. A resource holds at most 50 (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TagResource.html).
 */
import { parseArn } from '../../shared/arn.js';
import { ServiceError } from '../../shared/errors.js';
import type { LogsState } from './model.js';
import { invalidParameter, logGroupNotFound } from './model.js';

const MAX_TAGS = 50;

/** The log group a tagging ARN names; only log groups carry tags in Nimbus. */
export function groupNameForTagging(state: LogsState, resourceArn: string): string {
  if (parseArn(resourceArn)?.service !== 'logs') throw invalidParameter(`Invalid resource ARN: ${resourceArn}`);
  const name = state.groupNameFromArn(resourceArn);
  if (name === undefined) throw logGroupNotFound();
  return name;
}

export function addTags(state: LogsState, groupName: string, tags: Record<string, string>): void {
  const group = state.requireGroup(groupName);
  const merged = { ...group.tags, ...tags };
  if (Object.keys(merged).length > MAX_TAGS) {
    throw new ServiceError('TooManyTagsException', `A resource can have no more than ${MAX_TAGS} tags.`, undefined, { resourceName: state.logGroupArn(groupName) });
  }
  state.groups.put(groupName, { ...group, tags: merged });
}

export function removeTags(state: LogsState, groupName: string, keys: string[]): void {
  const group = state.requireGroup(groupName);
  const tags = Object.fromEntries(Object.entries(group.tags).filter(([key]) => !keys.includes(key)));
  state.groups.put(groupName, { ...group, tags });
}
