/**
 * UpdateResource, UpdateMethod, UpdateMethodResponse, UpdateIntegration and UpdateIntegrationResponse:
 * patch operations on the resource tree (paths per https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html).
 * Map entries are addressed by their key with `/` escaped as `~1`, e.g. `/requestTemplates/application~1json`.
 */
import type {
  ApigatewayApi, ContentHandlingStrategy, Integration, IntegrationResponse, Method, MethodResponse, UpdateIntegrationRequest,
  UpdateIntegrationResponseRequest, UpdateMethodRequest, UpdateMethodResponseRequest, UpdateResourceRequest,
} from '../../generated/apigateway.js';
import type { ServiceRuntime } from '../service.js';
import type { ApiRecord, ResourceRecord } from './api-record.js';
import { badRequest, conflict, notFound, omitKey, requireMethod, requireResource } from './api-record.js';
import type { PatchRule } from './patch.js';
import { applyPatch, booleanValue, stringField } from './patch.js';
import { checkPathPart, updateApi } from './rest-apis.js';
import { resourceView } from './views.js';

type Ops = Pick<ApigatewayApi, 'UpdateResource' | 'UpdateMethod' | 'UpdateMethodResponse' | 'UpdateIntegration' | 'UpdateIntegrationResponse'>;

/** A rule for one entry of a string-keyed map field: add/replace sets it (to `convert(value)`), remove deletes it (an emptied map is dropped). */
export function mapEntry<T, V>(
  prefix: string, field: (target: T) => Record<string, V> | undefined, store: (target: T, map: Record<string, V> | undefined) => void, convert: (value: string | undefined) => V,
): PatchRule<T> {
  return {
    path: prefix,
    apply: (target, op, value, key) => {
      const map = field(target) ?? {};
      const next = op === 'remove' ? omitKey(map, key) : { ...map, [key]: convert(value) };
      store(target, Object.keys(next).length > 0 ? next : undefined);
    },
  };
}

const flag = (value: string | undefined): boolean => value === 'true';
const text = (value: string | undefined): string => value ?? '';

const CONTENT_HANDLING = ['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT'];

function contentHandlingOf(value: string | undefined): ContentHandlingStrategy | undefined {
  if (value === undefined || value === '') return undefined;
  if (!CONTENT_HANDLING.includes(value)) throw badRequest(`Invalid content handling specified: ${value}. Valid options are CONVERT_TO_BINARY, CONVERT_TO_TEXT`);
  return value as ContentHandlingStrategy;
}

interface MethodTarget {
  method: Method;
  api: ApiRecord;
}

const METHOD_PATCH: PatchRule<MethodTarget>[] = [
  stringField('/authorizationType', ({ method }, value) => {
    if (!['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS'].includes(value ?? '')) {
      throw badRequest('Invalid authorization type specified. Valid options are NONE,AWS_IAM,CUSTOM,COGNITO_USER_POOLS');
    }
    method.authorizationType = value;
  }),
  stringField('/authorizerId', ({ method, api }, value) => {
    if (value && !api.authorizers[value]) throw badRequest('Invalid authorizer ID specified');
    method.authorizerId = value || undefined;
  }),
  { path: '/apiKeyRequired', apply: ({ method }, _op, value) => { method.apiKeyRequired = booleanValue(value, '/apiKeyRequired'); } },
  stringField('/requestValidatorId', ({ method, api }, value) => {
    if (value && !api.requestValidators[value]) throw badRequest('Invalid Request Validator identifier specified');
    method.requestValidatorId = value || undefined;
  }),
  stringField('/operationName', ({ method }, value) => { method.operationName = value; }),
  mapEntry('/requestParameters/', ({ method }) => method.requestParameters, ({ method }, map) => { method.requestParameters = map; }, flag),
  mapEntry('/requestModels/', ({ method }) => method.requestModels, ({ method }, map) => { method.requestModels = map; }, text),
  {
    // Scopes are list items: add or remove the one named by the value (or by the path's tail).
    path: '/authorizationScopes',
    apply: ({ method }, op, value) => {
      const scopes = (method.authorizationScopes ?? []).filter((scope) => scope !== value);
      method.authorizationScopes = op === 'remove' ? scopes : [...scopes, text(value)];
    },
  },
];

const METHOD_RESPONSE_PATCH: PatchRule<MethodResponse>[] = [
  mapEntry('/responseParameters/', (response) => response.responseParameters, (response, map) => { response.responseParameters = map; }, flag),
  mapEntry('/responseModels/', (response) => response.responseModels, (response, map) => { response.responseModels = map; }, text),
];

const INTEGRATION_PATCH: PatchRule<Integration>[] = [
  stringField('/uri', (integration, value) => { integration.uri = value; }),
  stringField('/httpMethod', (integration, value) => { integration.httpMethod = value?.toUpperCase(); }),
  stringField('/credentials', (integration, value) => { integration.credentials = value; }),
  stringField('/connectionType', (integration, value) => {
    if (value !== undefined && value !== 'INTERNET' && value !== 'VPC_LINK') throw badRequest(`Invalid connection type specified: ${value}`);
    integration.connectionType = value;
  }),
  stringField('/connectionId', (integration, value) => { integration.connectionId = value; }),
  stringField('/passthroughBehavior', (integration, value) => {
    if (!['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'].includes(value ?? '')) {
      throw badRequest(`Invalid passthrough behavior specified: ${value ?? ''}. Valid options are WHEN_NO_MATCH, WHEN_NO_TEMPLATES, NEVER`);
    }
    integration.passthroughBehavior = value;
  }),
  stringField('/contentHandling', (integration, value) => { integration.contentHandling = contentHandlingOf(value); }),
  stringField('/timeoutInMillis', (integration, value) => {
    const timeout = Number(value);
    if (!Number.isInteger(timeout) || timeout < 50) throw badRequest('Timeout should be between 50 ms and 29000 ms');
    integration.timeoutInMillis = timeout;
  }),
  stringField('/cacheNamespace', (integration, value) => { integration.cacheNamespace = value; }),
  {
    path: '/cacheKeyParameters/',
    apply: (integration, op, _value, key) => {
      const rest = (integration.cacheKeyParameters ?? []).filter((parameter) => parameter !== key);
      integration.cacheKeyParameters = op === 'remove' ? rest : [...rest, key];
    },
  },
  mapEntry('/requestParameters/', (integration) => integration.requestParameters, (integration, map) => { integration.requestParameters = map; }, text),
  mapEntry('/requestTemplates/', (integration) => integration.requestTemplates, (integration, map) => { integration.requestTemplates = map; }, text),
  { path: '/tlsConfig/insecureSkipVerification', apply: (integration, _op, value) => { integration.tlsConfig = { insecureSkipVerification: booleanValue(value, '/tlsConfig/insecureSkipVerification') }; } },
];

const INTEGRATION_RESPONSE_PATCH: PatchRule<IntegrationResponse>[] = [
  stringField('/selectionPattern', (response, value) => {
    if (value) {
      try {
        new RegExp(value);
      } catch {
        throw badRequest(`Invalid selection pattern specified: ${value}`);
      }
    }
    response.selectionPattern = value || undefined;
  }),
  stringField('/contentHandling', (response, value) => { response.contentHandling = contentHandlingOf(value); }),
  mapEntry('/responseParameters/', (response) => response.responseParameters, (response, map) => { response.responseParameters = map; }, text),
  mapEntry('/responseTemplates/', (response) => response.responseTemplates, (response, map) => { response.responseTemplates = map; }, text),
];

/** Moves or renames `resource`: the same checks as CreateResource, then the paths of its subtree follow. */
function placeResource(api: ApiRecord, resource: ResourceRecord, parentId: string, pathPart: string): void {
  const parent = requireResource(api, parentId);
  checkPathPart(pathPart);
  for (let ancestor: ResourceRecord | undefined = parent; ancestor; ancestor = ancestor.parentId ? api.resources[ancestor.parentId] : undefined) {
    if (ancestor.id === resource.id) throw badRequest('Resource cannot be moved under itself or one of its children');
  }
  const siblings = Object.values(api.resources).filter((candidate) => candidate.parentId === parent.id && candidate.id !== resource.id);
  if (siblings.some((sibling) => sibling.pathPart === pathPart)) throw conflict(`Another resource with the same parent already has this name: ${pathPart}`);
  const variableSibling = siblings.find((sibling) => sibling.pathPart?.startsWith('{'));
  if (pathPart.startsWith('{') && variableSibling) {
    throw badRequest(`A sibling (${variableSibling.pathPart ?? ''}) of this resource already has a variable path part -- only one is allowed`);
  }
  resource.parentId = parent.id;
  resource.pathPart = pathPart;
  const repath = (node: ResourceRecord, parentPath: string): void => {
    node.path = parentPath === '/' ? `/${node.pathPart ?? ''}` : `${parentPath}/${node.pathPart ?? ''}`;
    for (const child of Object.values(api.resources).filter((candidate) => candidate.parentId === node.id)) repath(child, node.path);
  };
  repath(resource, parent.path);
}

const responseNotFound = (): Error => notFound('Invalid Response status code specified');

function requireIntegration(method: Method): Integration {
  if (!method.methodIntegration) throw notFound('No integration defined for method');
  return method.methodIntegration;
}

export function resourceUpdateOperations(runtime: ServiceRuntime): Ops {
  return {
    UpdateResource(input: UpdateResourceRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const resource = requireResource(api, input.resourceId);
        if (resource.id === api.rootResourceId) throw badRequest('Root resource cannot be updated');
        const target = { parentId: resource.parentId ?? '', pathPart: resource.pathPart ?? '' };
        applyPatch(target, input.patchOperations, [
          stringField('/parentId', (place, value) => { place.parentId = value ?? ''; }),
          stringField('/pathPart', (place, value) => { place.pathPart = value ?? ''; }),
        ]);
        placeResource(api, resource, target.parentId, target.pathPart);
        return resourceView(resource);
      });
    },
    UpdateMethod(input: UpdateMethodRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const resource = requireResource(api, input.resourceId);
        const method = structuredClone(requireMethod(resource, input.httpMethod));
        applyPatch({ method, api }, input.patchOperations, METHOD_PATCH);
        const type = method.authorizationType;
        if ((type === 'CUSTOM' || type === 'COGNITO_USER_POOLS') && !(method.authorizerId && api.authorizers[method.authorizerId])) {
          throw badRequest('Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.');
        }
        if (type === 'NONE' || type === 'AWS_IAM') method.authorizerId = undefined;
        const unknownModel = Object.values(method.requestModels ?? {}).find((name) => !api.models[name]);
        if (unknownModel !== undefined) throw badRequest(`Invalid model identifier specified: ${unknownModel}`);
        resource.methods[method.httpMethod ?? input.httpMethod.toUpperCase()] = method;
        return method;
      });
    },
    UpdateMethodResponse(input: UpdateMethodResponseRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const method = requireMethod(requireResource(api, input.resourceId), input.httpMethod);
        const existing = method.methodResponses?.[input.statusCode];
        if (!existing) throw responseNotFound();
        const response = structuredClone(existing);
        applyPatch(response, input.patchOperations, METHOD_RESPONSE_PATCH);
        const unknownModel = Object.values(response.responseModels ?? {}).find((name) => !api.models[name]);
        if (unknownModel !== undefined) throw badRequest(`Invalid model identifier specified: ${unknownModel}`);
        method.methodResponses = { ...method.methodResponses, [input.statusCode]: response };
        return response;
      });
    },
    UpdateIntegration(input: UpdateIntegrationRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const method = requireMethod(requireResource(api, input.resourceId), input.httpMethod);
        const integration = structuredClone(requireIntegration(method));
        applyPatch(integration, input.patchOperations, INTEGRATION_PATCH);
        method.methodIntegration = integration;
        return integration;
      });
    },
    UpdateIntegrationResponse(input: UpdateIntegrationResponseRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const integration = requireIntegration(requireMethod(requireResource(api, input.resourceId), input.httpMethod));
        const existing = integration.integrationResponses?.[input.statusCode];
        if (!existing) throw responseNotFound();
        const response = structuredClone(existing);
        applyPatch(response, input.patchOperations, INTEGRATION_RESPONSE_PATCH);
        integration.integrationResponses = { ...integration.integrationResponses, [input.statusCode]: response };
        return response;
      });
    },
  };
}
