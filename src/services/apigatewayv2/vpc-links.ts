/**
 * VPC links of HTTP APIs (v2): Create/Get/Update/DeleteVpcLink and GetVpcLinks
 * (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/vpclinks.html). AWS reports a new link
 * PENDING while it creates network interfaces in the subnets, then AVAILABLE; on one machine there is
 * no VPC, so a link is AVAILABLE at once, and a `VPC_LINK` integration calls its IntegrationUri directly.
 */
import type {
  Apigatewayv2Api, CreateVpcLinkRequest, Integration, DeleteVpcLinkRequest, GetVpcLinkRequest, GetVpcLinksRequest, UpdateVpcLinkRequest, VpcLink,
} from '../../generated/apigatewayv2.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { Collection } from '../../store/store.js';
import { scopedName } from '../../store/store.js';
import type { ServiceRuntime } from '../service.js';
import { badRequest, newChildId, notFound } from './api-store.js';
import { paginate } from './pagination.js';

type Ops = Pick<Apigatewayv2Api, 'CreateVpcLink' | 'GetVpcLink' | 'GetVpcLinks' | 'UpdateVpcLink' | 'DeleteVpcLink'>;

interface VpcLinkRecord {
  VpcLinkId: string;
  Name: string;
  SubnetIds: string[];
  SecurityGroupIds: string[];
  Tags: Record<string, string>;
  CreatedDate: number;
}

export function v2VpcLinks(runtime: ServiceRuntime, ctx: Pick<RequestContext, 'account' | 'region'>): Collection<VpcLinkRecord> {
  return runtime.store.collection<VpcLinkRecord>(scopedName('apigatewayv2', ctx.account, ctx.region, 'vpc-links'));
}

function requireVpcLink(runtime: ServiceRuntime, ctx: RequestContext, id: string): VpcLinkRecord {
  const link = v2VpcLinks(runtime, ctx).get(id);
  if (!link) throw notFound(`Invalid VpcLink identifier specified ${id}`);
  return link;
}

/**
 * A `VPC_LINK` integration names an existing VPC link in ConnectionId; an `INTERNET` one names none
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html).
 */
export function checkVpcLinkConnection(runtime: ServiceRuntime, ctx: RequestContext, integration: Pick<Integration, 'ConnectionType' | 'ConnectionId'>): void {
  if (integration.ConnectionType !== 'VPC_LINK') return;
  if (!integration.ConnectionId) throw badRequest('ConnectionId is required when ConnectionType is VPC_LINK');
  requireVpcLink(runtime, ctx, integration.ConnectionId);
}

function view(link: VpcLinkRecord): VpcLink {
  return {
    ...structuredClone(link), CreatedDate: new Date(link.CreatedDate), VpcLinkStatus: 'AVAILABLE',
    VpcLinkStatusMessage: 'VPC link is ready to route traffic', VpcLinkVersion: 'V2',
  };
}

export function vpcLinkOperations(runtime: ServiceRuntime): Ops {
  return {
    CreateVpcLink(input: CreateVpcLinkRequest, ctx) {
      if (input.SubnetIds.length === 0) throw badRequest('At least one subnet is required for a VPC link');
      const link: VpcLinkRecord = {
        VpcLinkId: newChildId(), Name: input.Name, SubnetIds: input.SubnetIds, SecurityGroupIds: input.SecurityGroupIds ?? [], Tags: input.Tags ?? {},
        CreatedDate: runtime.clock.now(),
      };
      v2VpcLinks(runtime, ctx).put(link.VpcLinkId, link);
      return view(link);
    },
    GetVpcLink(input: GetVpcLinkRequest, ctx) {
      return view(requireVpcLink(runtime, ctx, input.VpcLinkId));
    },
    GetVpcLinks(input: GetVpcLinksRequest, ctx) {
      const listing = paginate(v2VpcLinks(runtime, ctx).list().map(([, link]) => link), (link) => link.VpcLinkId, input.NextToken, input.MaxResults);
      return { Items: listing.Items.map(view), NextToken: listing.NextToken };
    },
    UpdateVpcLink(input: UpdateVpcLinkRequest, ctx) {
      return runtime.store.transaction(() => {
        const link = requireVpcLink(runtime, ctx, input.VpcLinkId);
        if (input.Name !== undefined) link.Name = input.Name;
        v2VpcLinks(runtime, ctx).put(link.VpcLinkId, link);
        return view(link);
      });
    },
    DeleteVpcLink(input: DeleteVpcLinkRequest, ctx) {
      requireVpcLink(runtime, ctx, input.VpcLinkId);
      v2VpcLinks(runtime, ctx).delete(input.VpcLinkId);
      return {};
    },
  };
}
