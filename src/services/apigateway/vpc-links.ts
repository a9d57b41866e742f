/**
 * VPC links of REST APIs (v1): Create/Get/Update/DeleteVpcLink and GetVpcLinks
 * (https://docs.aws.amazon.com/apigateway/latest/api/API_CreateVpcLink.html). AWS creates a link PENDING
 * and makes it AVAILABLE once the network load balancer is attached; Nimbus has no VPC to attach, so a
 * link is AVAILABLE at once. Integrations with `connectionType: VPC_LINK` call their URI directly.
 */
import type {
  ApigatewayApi, CreateVpcLinkRequest, DeleteVpcLinkRequest, GetVpcLinkRequest, GetVpcLinksRequest, UpdateVpcLinkRequest, VpcLink,
} from '../../generated/apigateway.js';
import { randomString } from '../../shared/ids.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { Collection } from '../../store/store.js';
import { scopedName } from '../../store/store.js';
import type { ServiceRuntime } from '../service.js';
import { badRequest, notFound } from './api-record.js';
import { applyPatch, stringField } from './patch.js';
import { page } from './rest-apis.js';

type Ops = Pick<ApigatewayApi, 'CreateVpcLink' | 'GetVpcLink' | 'GetVpcLinks' | 'UpdateVpcLink' | 'DeleteVpcLink'>;

interface VpcLinkRecord {
  id: string;
  name: string;
  description?: string;
  targetArns: string[];
  tags: Record<string, string>;
}

function vpcLinks(runtime: ServiceRuntime, ctx: RequestContext): Collection<VpcLinkRecord> {
  return runtime.store.collection<VpcLinkRecord>(scopedName('apigateway', ctx.account, ctx.region, 'vpc-links'));
}

function requireVpcLink(runtime: ServiceRuntime, ctx: RequestContext, id: string): VpcLinkRecord {
  const link = vpcLinks(runtime, ctx).get(id);
  if (!link) throw notFound('Invalid Vpc Link identifier specified');
  return link;
}

function view(link: VpcLinkRecord): VpcLink {
  return {
    id: link.id, name: link.name, description: link.description, targetArns: [...link.targetArns], status: 'AVAILABLE',
    statusMessage: 'Your vpc link is ready for use', tags: Object.keys(link.tags).length > 0 ? { ...link.tags } : undefined,
  };
}

export function vpcLinkOperations(runtime: ServiceRuntime): Ops {
  return {
    CreateVpcLink(input: CreateVpcLinkRequest, ctx) {
      // A REST API's VPC link targets exactly one network load balancer.
      if (input.targetArns.length !== 1) throw badRequest('A VPC link must have exactly one target ARN');
      if (!/^arn:aws[\w-]*:elasticloadbalancing:/.test(input.targetArns[0])) throw badRequest(`Invalid target ARN specified: ${input.targetArns[0]}`);
      const link: VpcLinkRecord = { id: randomString(6, 'abcdefghijklmnopqrstuvwxyz0123456789'), name: input.name, description: input.description, targetArns: input.targetArns, tags: input.tags ?? {} };
      vpcLinks(runtime, ctx).put(link.id, link);
      return view(link);
    },
    GetVpcLink(input: GetVpcLinkRequest, ctx) {
      return view(requireVpcLink(runtime, ctx, input.vpcLinkId));
    },
    GetVpcLinks(input: GetVpcLinksRequest, ctx) {
      const result = page(vpcLinks(runtime, ctx).list().map(([, link]) => link), (link) => link.id, input.position, input.limit);
      return { items: result.items.map(view), position: result.position };
    },
    UpdateVpcLink(input: UpdateVpcLinkRequest, ctx) {
      return runtime.store.transaction(() => {
        const link = requireVpcLink(runtime, ctx, input.vpcLinkId);
        applyPatch(link, input.patchOperations, [
          stringField('/name', (target, value) => {
            if (!value) throw badRequest('A VPC link name is required');
            target.name = value;
          }),
          stringField('/description', (target, value) => { target.description = value; }),
        ]);
        vpcLinks(runtime, ctx).put(link.id, link);
        return view(link);
      });
    },
    DeleteVpcLink(input: DeleteVpcLinkRequest, ctx) {
      requireVpcLink(runtime, ctx, input.vpcLinkId);
      vpcLinks(runtime, ctx).delete(input.vpcLinkId);
      return {};
    },
  };
}
