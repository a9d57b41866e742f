/**
 * Puts an imported definition into an API record: `overwrite` replaces the resource tree and the
 * definitions (ImportRestApi, PutRestApi mode=overwrite), `merge` adds to them, a method or a same-named
 * model, validator, authorizer or gateway response of the document replacing the API's
 * (https://docs.aws.amazon.com/apigateway/latest/api/API_PutRestApi.html). Deployments and stages stay.
 */
import type { Method } from '../../../generated/apigateway.js';
import type { ApiRecord, ResourceRecord } from '../api-record.js';
import { badRequest } from '../api-record.js';
import { defaultModels } from '../models.js';
import { checkPathPart } from '../rest-apis.js';
import type { ImportedDefinition } from './import.js';

export type PutMode = 'overwrite' | 'merge';

/** The resource at `path`, created with its missing ancestors. */
function resourceAt(api: ApiRecord, path: string, newId: () => string): ResourceRecord {
  let current = api.resources[api.rootResourceId];
  for (const pathPart of path.split('/').filter(Boolean)) {
    const siblings = Object.values(api.resources).filter((resource) => resource.parentId === current.id);
    const existing = siblings.find((sibling) => sibling.pathPart === pathPart);
    if (existing) {
      current = existing;
      continue;
    }
    checkPathPart(pathPart);
    const variable = siblings.find((sibling) => sibling.pathPart?.startsWith('{'));
    if (pathPart.startsWith('{') && variable) {
      throw badRequest(`A sibling (${variable.pathPart ?? ''}) of this resource already has a variable path part -- only one is allowed`);
    }
    if (current.pathPart?.endsWith('+}')) throw badRequest('Cannot create a child of a resource with a greedy path variable');
    const resource: ResourceRecord = {
      id: newId(), parentId: current.id, pathPart, path: current.path === '/' ? `/${pathPart}` : `${current.path}/${pathPart}`, methods: {},
    };
    api.resources[resource.id] = resource;
    current = resource;
  }
  return current;
}

/** Entries of `incoming` keyed by id: a same-named one of `existing` keeps its id. */
function byName<T extends { id?: string; name?: string }>(existing: Record<string, T>, incoming: Record<string, T>, newId: () => string): { merged: Record<string, T>; idOf: Map<string, string> } {
  const merged = { ...existing };
  const idOf = new Map<string, string>();
  for (const [name, item] of Object.entries(incoming)) {
    const id = Object.values(existing).find((candidate) => candidate.name === name)?.id ?? newId().slice(0, 6);
    merged[id] = { ...item, id };
    idOf.set(name, id);
  }
  return { merged, idOf };
}

export function applyDefinition(api: ApiRecord, definition: ImportedDefinition, mode: PutMode, newId: () => string): void {
  const overwrite = mode === 'overwrite';
  if (definition.name !== undefined) api.name = definition.name;
  if (definition.description !== undefined || overwrite) api.description = definition.description;
  if (definition.version !== undefined || overwrite) api.version = definition.version;
  api.binaryMediaTypes = overwrite ? [...definition.binaryMediaTypes] : [...new Set([...api.binaryMediaTypes, ...definition.binaryMediaTypes])];
  api.apiKeySource = definition.apiKeySource ?? (overwrite ? 'HEADER' : api.apiKeySource);
  if (definition.minimumCompressionSize !== undefined || overwrite) api.minimumCompressionSize = definition.minimumCompressionSize;
  if (definition.policy !== undefined || overwrite) api.policy = definition.policy;

  const models = overwrite ? defaultModels() : { ...api.models };
  for (const [name, model] of Object.entries(definition.models)) models[name] = { ...model, id: models[name]?.id ?? newId() };
  api.models = models;

  const validators = byName(overwrite ? {} : api.requestValidators, definition.requestValidators, newId);
  const authorizers = byName(overwrite ? {} : api.authorizers, definition.authorizers, newId);
  api.requestValidators = validators.merged;
  api.authorizers = authorizers.merged;
  api.gatewayResponses = { ...(overwrite ? {} : api.gatewayResponses), ...structuredClone(definition.gatewayResponses) };

  if (overwrite) {
    const root = api.resources[api.rootResourceId];
    api.resources = { [root.id]: { ...root, methods: {} } };
  }
  for (const [path, methods] of Object.entries(definition.paths)) {
    const resource = resourceAt(api, path, newId);
    for (const [verb, imported] of Object.entries(methods)) {
      const method: Method = structuredClone(imported);
      if (method.authorizerId !== undefined) method.authorizerId = authorizers.idOf.get(method.authorizerId);
      if (method.requestValidatorId !== undefined) method.requestValidatorId = validators.idOf.get(method.requestValidatorId);
      if (method.methodIntegration) method.methodIntegration.cacheNamespace ??= resource.id;
      resource.methods[verb] = method;
    }
  }
}
