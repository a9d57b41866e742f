/**
 * TagResource, UntagResource and GetTags for APIs (`arn:aws:apigateway:{region}::/apis/{apiId}`) and their
 * stages (`.../apis/{apiId}/stages/{stageName}`). Tags live on the API and stage records, where CreateApi and
 * CreateStage put them.
 */
import type { Apigatewayv2Api, GetTagsRequest, TagResourceRequest, UntagResourceRequest } from '../../generated/apigatewayv2.js';
import { parseArn } from '../../shared/arn.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ServiceRuntime } from '../service.js';
import { badRequest, changeApi, requireApi, requireStage } from './api-store.js';
import type { ApiV2Record } from './records.js';

type Ops = Pick<Apigatewayv2Api, 'TagResource' | 'UntagResource' | 'GetTags'>;

const API_RESOURCE = /^\/apis\/([a-z0-9]+)(?:\/stages\/([^/]+))?$/;

interface TaggedResource {
  apiId: string;
  stageName?: string;
}

function taggedResource(resourceArn: string, ctx: RequestContext): TaggedResource {
  const arn = parseArn(resourceArn);
  const match = arn?.service === 'apigateway' && arn.region === ctx.region ? API_RESOURCE.exec(arn.resource) : null;
  if (!match) throw badRequest(`Invalid resource ARN specified ${resourceArn}`);
  return { apiId: match[1], stageName: match[2] === undefined ? undefined : decodeURIComponent(match[2]) };
}

/** The tag map of the API or stage the ARN names (the record's own object, to change in place). */
function tagsOf(record: ApiV2Record, resource: TaggedResource): Record<string, string> {
  const holder = resource.stageName === undefined ? record.api : requireStage(record, resource.stageName);
  holder.Tags ??= {};
  return holder.Tags;
}

export function tagOperations(runtime: ServiceRuntime): Ops {
  return {
    TagResource(input: TagResourceRequest, ctx) {
      const resource = taggedResource(input.ResourceArn, ctx);
      return changeApi(runtime, ctx, resource.apiId, (record) => {
        Object.assign(tagsOf(record, resource), input.Tags);
        return {};
      });
    },
    UntagResource(input: UntagResourceRequest, ctx) {
      const resource = taggedResource(input.ResourceArn, ctx);
      return changeApi(runtime, ctx, resource.apiId, (record) => {
        const tags = tagsOf(record, resource);
        for (const key of input.TagKeys) Reflect.deleteProperty(tags, key);
        return {};
      });
    },
    GetTags(input: GetTagsRequest, ctx) {
      const resource = taggedResource(input.ResourceArn, ctx);
      return { Tags: { ...tagsOf(requireApi(runtime, ctx, resource.apiId), resource) } };
    },
  };
}
