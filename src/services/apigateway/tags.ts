/**
 * TagResource, UntagResource and GetTags for REST APIs (`arn:aws:apigateway:{region}::/restapis/{id}`)
 * and their stages (`.../restapis/{id}/stages/{name}`)
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-tagging-supported-resources.html).
 */
import type { ApigatewayApi, GetTagsRequest, TagResourceRequest, UntagResourceRequest } from '../../generated/apigateway.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ServiceRuntime } from '../service.js';
import type { ApiRecord, StageRecord } from './api-record.js';
import { apis, badRequest, notFound } from './api-record.js';

type Ops = Pick<ApigatewayApi, 'TagResource' | 'UntagResource' | 'GetTags'>;

const TAGGABLE = /^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::\/restapis\/([^/]+)(?:\/stages\/([^/]+))?$/;

// At most 50 tags per resource; the aws: prefix is AWS's own (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-tagging-restrictions.html).
const MAX_TAGS = 50;

interface Tagged {
  api: ApiRecord;
  owner: ApiRecord | StageRecord;
  save(): void;
}

/** The API or stage the ARN names (in the ARN's region), with a way to store it back. */
function taggedResource(runtime: ServiceRuntime, ctx: RequestContext, resourceArn: string): Tagged {
  const parsed = TAGGABLE.exec(resourceArn);
  if (!parsed) throw badRequest(`Invalid resource ARN specified: ${resourceArn}`);
  const [, region, apiId, stageName] = parsed;
  const collection = apis(runtime, { account: ctx.account, region });
  const api = collection.get(apiId);
  if (!api) throw notFound(`Invalid API identifier specified ${ctx.account}:${apiId}`);
  const owner = stageName === undefined ? api : api.stages[decodeURIComponent(stageName)];
  if (!owner) throw notFound('Invalid Stage identifier specified');
  return { api, owner, save: () => { collection.put(api.id, api); } };
}

function retag(runtime: ServiceRuntime, ctx: RequestContext, resourceArn: string, change: (tags: Record<string, string>) => Record<string, string>): Record<string, never> {
  runtime.store.transaction(() => {
    const tagged = taggedResource(runtime, ctx, resourceArn);
    tagged.owner.tags = change(tagged.owner.tags);
    tagged.save();
  });
  return {};
}

export function tagOperations(runtime: ServiceRuntime): Ops {
  return {
    TagResource(input: TagResourceRequest, ctx) {
      return retag(runtime, ctx, input.resourceArn, (tags) => {
        for (const [key, value] of Object.entries(input.tags)) {
          if (key.toLowerCase().startsWith('aws:')) throw badRequest('Tag keys starting with aws: are reserved for AWS use');
          if (key.length < 1 || key.length > 128 || value.length > 256) throw badRequest('Tag keys must be 1 to 128 characters and values at most 256');
        }
        const merged = { ...tags, ...input.tags };
        if (Object.keys(merged).length > MAX_TAGS) throw badRequest(`A resource can have at most ${MAX_TAGS} tags`);
        return merged;
      });
    },
    UntagResource(input: UntagResourceRequest, ctx) {
      return retag(runtime, ctx, input.resourceArn, (tags) => Object.fromEntries(Object.entries(tags).filter(([key]) => !input.tagKeys.includes(key))));
    },
    GetTags(input: GetTagsRequest, ctx) {
      return { tags: { ...taggedResource(runtime, ctx, input.resourceArn).owner.tags } };
    },
  };
}
