import type { StepfunctionsApi, Tag } from '../../generated/stepfunctions.js';
import { ServiceError } from '../../shared/errors.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { Collection } from '../../store/store.js';
import { parseStatesArn } from './names.js';

type TagOperations = Pick<StepfunctionsApi, 'TagResource' | 'UntagResource' | 'ListTagsForResource'>;

/** State machines and activities take up to 50 tags (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html). */
const MAX_TAGS = 50;

interface Tagged {
  tags: Tag[];
}

export function mergeTags(existing: readonly Tag[], added: readonly Tag[], arn: string): Tag[] {
  const byKey = new Map(existing.map((tag) => [tag.key ?? '', tag]));
  for (const tag of added) byKey.set(tag.key ?? '', { key: tag.key, value: tag.value ?? '' });
  if (byKey.size > MAX_TAGS) throw new ServiceError('TooManyTags', `Too many tags: the resource ${arn} can have at most ${String(MAX_TAGS)} tags.`, 400, { resourceName: arn });
  return [...byKey.values()];
}

/** Tag operations over every taggable resource type, each kept in its own collection keyed by ARN. */
export function tagOperations(collections: Readonly<Record<string, Collection<Tagged>>>): TagOperations {
  const find = (arn: string, ctx: RequestContext): { record: Tagged; save: () => void } => {
    const parsed = parseStatesArn(arn);
    const collection = parsed === undefined ? undefined : collections[parsed.resourceType];
    const record = parsed?.account === ctx.account && parsed.region === ctx.region ? collection?.get(arn) : undefined;
    if (collection === undefined || record === undefined) throw new ServiceError('ResourceNotFound', `Resource not found: '${arn}'`, 400, { resourceName: arn });
    return { record, save: () => { collection.put(arn, record); } };
  };
  return {
    TagResource(input, ctx) {
      const { record, save } = find(input.resourceArn, ctx);
      record.tags = mergeTags(record.tags, input.tags, input.resourceArn);
      save();
      return {};
    },
    UntagResource(input, ctx) {
      const { record, save } = find(input.resourceArn, ctx);
      const removed = new Set(input.tagKeys);
      record.tags = record.tags.filter((tag) => !removed.has(tag.key ?? ''));
      save();
      return {};
    },
    ListTagsForResource(input, ctx) {
      return { tags: find(input.resourceArn, ctx).record.tags };
    },
  };
}
