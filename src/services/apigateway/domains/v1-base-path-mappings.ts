/**
 * Base path mappings of custom domain names (v1): Create/Get/Update/DeleteBasePathMapping and
 * GetBasePathMappings (https://docs.aws.amazon.com/apigateway/latest/api/API_CreateBasePathMapping.html).
 * They are the v2 API mappings of the same domain (see records.ts), so a mapping made here is listed by
 * `apigatewayv2 get-api-mappings` and the reverse. An empty base path is shown as `(none)`.
 */
import type {
  ApigatewayApi, BasePathMapping, CreateBasePathMappingRequest, DeleteBasePathMappingRequest, GetBasePathMappingRequest,
  GetBasePathMappingsRequest, UpdateBasePathMappingRequest,
} from '../../../generated/apigateway.js';
import type { RequestContext } from '../../../shared/request-context.js';
import type { ServiceRuntime } from '../../service.js';
import { apis, badRequest, notFound } from '../api-record.js';
import { applyPatch } from '../patch.js';
import { page } from '../rest-apis.js';
import type { DomainRecord, MappingRecord } from './records.js';
import { changeDomain, checkMappingKey, newMappingId, requireDomain } from './records.js';

type Ops = Pick<ApigatewayApi, 'CreateBasePathMapping' | 'GetBasePathMapping' | 'GetBasePathMappings' | 'UpdateBasePathMapping' | 'DeleteBasePathMapping'>;

const NONE = '(none)';

/** The stored key of a base path: '' for none; AWS allows letters, digits and `$-_.+!*'()` in segments. */
function basePathKey(basePath: string | undefined): string {
  const path = (basePath ?? '').replace(/^\/+|\/+$/g, '');
  if (path === '' || path === NONE) return '';
  if (!/^[A-Za-z0-9$\-_.+!*'()]+(\/[A-Za-z0-9$\-_.+!*'()]+)*$/.test(path)) throw badRequest('Invalid base path specified');
  return path;
}

export function basePathMappingView(mapping: MappingRecord): BasePathMapping {
  return { basePath: mapping.key === '' ? NONE : mapping.key, restApiId: mapping.apiId, stage: mapping.stage };
}

function mappingAt(domain: DomainRecord, basePath: string): MappingRecord {
  const key = basePath === NONE ? '' : basePath.replace(/^\/+|\/+$/g, '');
  const mapping = Object.values(domain.mappings).find((candidate) => candidate.key === key);
  if (!mapping) throw notFound('Invalid base path mapping identifier specified');
  return mapping;
}

/** The mapped REST API must exist in the caller's account and region, and so must its stage when one is named. */
function checkTarget(runtime: ServiceRuntime, ctx: RequestContext, restApiId: string, stage: string | undefined): void {
  const api = apis(runtime, ctx).get(restApiId);
  if (!api) throw badRequest('Invalid REST API identifier specified');
  if (stage !== undefined && !Object.hasOwn(api.stages, stage)) throw badRequest('Invalid stage identifier specified');
}

export function v1BasePathMappingOperations(runtime: ServiceRuntime): Ops {
  return {
    CreateBasePathMapping(input: CreateBasePathMappingRequest, ctx) {
      return changeDomain(runtime, ctx, input.domainName, (domain) => {
        const key = basePathKey(input.basePath);
        const stage = input.stage === '' ? undefined : input.stage;
        checkTarget(runtime, ctx, input.restApiId, stage);
        checkMappingKey(domain, key);
        const mapping: MappingRecord = { id: newMappingId(), apiId: input.restApiId, key, ...(stage === undefined ? {} : { stage }) };
        domain.mappings[mapping.id] = mapping;
        return basePathMappingView(mapping);
      });
    },
    GetBasePathMapping(input: GetBasePathMappingRequest, ctx) {
      return basePathMappingView(mappingAt(requireDomain(runtime, ctx, input.domainName), input.basePath));
    },
    GetBasePathMappings(input: GetBasePathMappingsRequest, ctx) {
      const all = Object.values(requireDomain(runtime, ctx, input.domainName).mappings).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const result = page(all, (mapping) => mapping.id, input.position, input.limit);
      return { items: result.items.map(basePathMappingView), position: result.position };
    },
    UpdateBasePathMapping(input: UpdateBasePathMappingRequest, ctx) {
      return changeDomain(runtime, ctx, input.domainName, (domain) => {
        const mapping = mappingAt(domain, input.basePath);
        applyPatch(mapping, input.patchOperations, [
          { path: '/basePath', apply: (target, _op, value) => { target.key = basePathKey(value); } },
          { path: '/restApiId', apply: (target, _op, value) => { target.apiId = value ?? ''; } },
          { path: '/stage', apply: (target, op, value) => { target.stage = op === 'remove' || !value ? undefined : value; } },
        ]);
        checkTarget(runtime, ctx, mapping.apiId, mapping.stage);
        checkMappingKey(domain, mapping.key, mapping.id);
        return basePathMappingView(mapping);
      });
    },
    DeleteBasePathMapping(input: DeleteBasePathMappingRequest, ctx) {
      return changeDomain(runtime, ctx, input.domainName, (domain) => {
        const mapping = mappingAt(domain, input.basePath);
        domain.mappings = Object.fromEntries(Object.entries(domain.mappings).filter(([id]) => id !== mapping.id));
        return {};
      });
    },
  };
}
