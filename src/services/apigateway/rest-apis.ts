/** REST APIs and their resource tree: Create/Get/Update/DeleteRestApi, Create/Get/DeleteResource, GetResources. */
import type {
  ApigatewayApi, CreateResourceRequest, CreateRestApiRequest, DeleteResourceRequest, DeleteRestApiRequest, GetResourceRequest,
  GetResourcesRequest, GetRestApiRequest, GetRestApisRequest, UpdateRestApiRequest,
} from '../../generated/apigateway.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ServiceRuntime } from '../service.js';
import type { ApiRecord, ResourceRecord } from './api-record.js';
import { apiLocations, apis, badRequest, conflict, newId, requireApi, requireResource, scopeOf } from './api-record.js';
import type { PatchRule } from './patch.js';
import { defaultModels } from './models.js';
import { applyPatch, booleanValue, stringField } from './patch.js';
import { restApiView, resourceView } from './views.js';

type Ops = Pick<ApigatewayApi, 'CreateRestApi' | 'GetRestApi' | 'GetRestApis' | 'UpdateRestApi' | 'DeleteRestApi' | 'CreateResource' | 'GetResource' | 'GetResources' | 'DeleteResource'>;

/** Runs `change` on the stored API and writes it back in one transaction. */
export function updateApi<R>(runtime: ServiceRuntime, ctx: RequestContext, restApiId: string, change: (api: ApiRecord) => R): R {
  return runtime.store.transaction(() => {
    const api = requireApi(runtime, ctx, restApiId);
    const result = change(api);
    apis(runtime, scopeOf(ctx)).put(api.id, api);
    return result;
  });
}

/** One page of `items` after the item keyed `position` (an opaque token to clients). */
export function page<T>(items: T[], keyOf: (item: T) => string, position: string | undefined, limit: number | undefined): { items: T[]; position?: string } {
  const start = position ? Math.max(0, items.findIndex((item) => keyOf(item) === position)) : 0;
  // GetRestApis and GetResources default to 25 items per page, 500 at most.
  const size = Math.min(limit ?? 25, 500);
  const slice = items.slice(start, start + size);
  const next = items[start + size];
  return { items: slice, position: next ? keyOf(next) : undefined };
}

// "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an
// optional plus sign before the closing brace." (AWS's own wording of the rule.)
const PATH_PART = /^(?:[a-zA-Z0-9._:-]+|\{[a-zA-Z0-9._-]+\+?\})$/;

const isVariable = (pathPart: string | undefined): boolean => pathPart?.startsWith('{') ?? false;

export function checkPathPart(pathPart: string): void {
  if (!PATH_PART.test(pathPart)) {
    throw badRequest("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.");
  }
}

const REST_API_PATCH: PatchRule<ApiRecord>[] = [
  stringField('/name', (api, value) => {
    if (!value) throw badRequest('Name must be non-empty');
    api.name = value;
  }),
  stringField('/description', (api, value) => { api.description = value; }),
  stringField('/version', (api, value) => { api.version = value; }),
  stringField('/policy', (api, value) => { api.policy = value; }),
  stringField('/apiKeySource', (api, value) => {
    if (value !== 'HEADER' && value !== 'AUTHORIZER') throw badRequest(`Invalid API Key source specified: ${value ?? ''}`);
    api.apiKeySource = value;
  }),
  stringField('/minimumCompressionSize', (api, value) => {
    const size = value === undefined || value === '' ? undefined : Number(value);
    // 0 to 10485760 bytes; an empty value turns compression off (https://docs.aws.amazon.com/apigateway/latest/api/API_RestApi.html).
    if (size !== undefined && (!Number.isInteger(size) || size < 0 || size > 10485760)) throw badRequest('Invalid minimum compression size, must be between 0 and 10485760');
    api.minimumCompressionSize = size;
  }),
  {
    // EDGE becomes REGIONAL with replace /endpointConfiguration/types/EDGE value REGIONAL.
    path: '/endpointConfiguration/types/',
    apply: (api, op, value, key) => {
      if (op !== 'replace' || !['EDGE', 'REGIONAL', 'PRIVATE'].includes(value ?? '')) throw badRequest(`Invalid endpoint configuration type specified: ${value ?? ''}`);
      api.endpointTypes = api.endpointTypes.map((type) => (type === key ? value! : type));
    },
  },
  { path: '/disableExecuteApiEndpoint', apply: (api, _op, value) => { api.disableExecuteApiEndpoint = booleanValue(value, '/disableExecuteApiEndpoint'); } },
  {
    // Media types are escaped in the path: image/png is /binaryMediaTypes/image~1png.
    path: '/binaryMediaTypes/',
    apply: (api, op, value, key) => {
      api.binaryMediaTypes = api.binaryMediaTypes.filter((type) => type !== key);
      // add names the type in the path; replace swaps the path's type for the value.
      const added = op === 'replace' ? value : op === 'add' ? key : undefined;
      if (added && !api.binaryMediaTypes.includes(added)) api.binaryMediaTypes.push(added);
    },
  },
];

/** A new API as CreateRestApi (and ImportRestApi) make it: the root resource and the default models. */
export function newApiRecord(input: CreateRestApiRequest, now: number): ApiRecord {
  const rootResourceId = newId();
  return {
    id: newId(),
    name: input.name,
    description: input.description,
    version: input.version,
    createdDate: now,
    binaryMediaTypes: input.binaryMediaTypes ?? [],
    minimumCompressionSize: input.minimumCompressionSize,
    apiKeySource: input.apiKeySource ?? 'HEADER',
    endpointTypes: input.endpointConfiguration?.types ?? ['EDGE'],
    policy: input.policy,
    tags: input.tags ?? {},
    disableExecuteApiEndpoint: input.disableExecuteApiEndpoint ?? false,
    rootResourceId,
    resources: { [rootResourceId]: { id: rootResourceId, path: '/', methods: {} } },
    models: defaultModels(),
    requestValidators: {},
    authorizers: {},
    gatewayResponses: {},
    deployments: {},
    stages: {},
  };
}

/** Stores a new API and where it lives. */
export function putNewApi(runtime: ServiceRuntime, ctx: RequestContext, api: ApiRecord): void {
  runtime.store.transaction(() => {
    apis(runtime, scopeOf(ctx)).put(api.id, api);
    apiLocations(runtime).put(api.id, scopeOf(ctx));
  });
}

export function restApiOperations(runtime: ServiceRuntime): Ops {
  return {
    CreateRestApi(input: CreateRestApiRequest, ctx) {
      const api = newApiRecord(input, runtime.clock.now());
      if (input.cloneFrom) {
        const source = requireApi(runtime, ctx, input.cloneFrom);
        api.rootResourceId = source.rootResourceId;
        api.resources = structuredClone(source.resources);
        api.models = structuredClone(source.models);
        api.requestValidators = structuredClone(source.requestValidators);
        api.authorizers = structuredClone(source.authorizers);
        api.gatewayResponses = structuredClone(source.gatewayResponses ?? {});
      }
      putNewApi(runtime, ctx, api);
      return restApiView(api);
    },
    GetRestApi(input: GetRestApiRequest, ctx) {
      return restApiView(requireApi(runtime, ctx, input.restApiId));
    },
    GetRestApis(input: GetRestApisRequest, ctx) {
      const all = apis(runtime, scopeOf(ctx)).list().map(([, api]) => api);
      const result = page(all, (api) => api.id, input.position, input.limit);
      return { items: result.items.map(restApiView), position: result.position };
    },
    UpdateRestApi(input: UpdateRestApiRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        applyPatch(api, input.patchOperations, REST_API_PATCH);
        return restApiView(api);
      });
    },
    DeleteRestApi(input: DeleteRestApiRequest, ctx) {
      requireApi(runtime, ctx, input.restApiId);
      runtime.store.transaction(() => {
        apis(runtime, scopeOf(ctx)).delete(input.restApiId);
        apiLocations(runtime).delete(input.restApiId);
      });
      return {};
    },
    CreateResource(input: CreateResourceRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const parent = requireResource(api, input.parentId);
        checkPathPart(input.pathPart);
        const siblings = Object.values(api.resources).filter((resource) => resource.parentId === parent.id);
        if (siblings.some((sibling) => sibling.pathPart === input.pathPart)) {
          throw conflict(`Another resource with the same parent already has this name: ${input.pathPart}`);
        }
        const variableSibling = siblings.find((sibling) => isVariable(sibling.pathPart));
        if (isVariable(input.pathPart) && variableSibling) {
          throw badRequest(`A sibling (${variableSibling.pathPart ?? ''}) of this resource already has a variable path part -- only one is allowed`);
        }
        if (parent.pathPart?.endsWith('+}')) throw badRequest('Cannot create a child of a resource with a greedy path variable');
        const resource: ResourceRecord = {
          id: newId(),
          parentId: parent.id,
          pathPart: input.pathPart,
          path: parent.path === '/' ? `/${input.pathPart}` : `${parent.path}/${input.pathPart}`,
          methods: {},
        };
        api.resources[resource.id] = resource;
        return resourceView(resource);
      });
    },
    GetResource(input: GetResourceRequest, ctx) {
      const api = requireApi(runtime, ctx, input.restApiId);
      return resourceView(requireResource(api, input.resourceId), input.embed?.includes('methods'));
    },
    GetResources(input: GetResourcesRequest, ctx) {
      const api = requireApi(runtime, ctx, input.restApiId);
      const all = Object.values(api.resources).sort((a, b) => a.path.localeCompare(b.path));
      const result = page(all, (resource) => resource.id, input.position, input.limit);
      return { items: result.items.map((resource) => resourceView(resource, input.embed?.includes('methods'))), position: result.position };
    },
    DeleteResource(input: DeleteResourceRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const resource = requireResource(api, input.resourceId);
        if (resource.id === api.rootResourceId) throw badRequest('Cannot delete root resource');
        // Deleting a resource deletes its whole subtree.
        const doomed = new Set([resource.id]);
        for (let grew = true; grew;) {
          grew = false;
          for (const candidate of Object.values(api.resources)) {
            if (candidate.parentId && doomed.has(candidate.parentId) && !doomed.has(candidate.id)) {
              doomed.add(candidate.id);
              grew = true;
            }
          }
        }
        api.resources = Object.fromEntries(Object.entries(api.resources).filter(([id]) => !doomed.has(id)));
        return {};
      });
    },
  };
}
