/**
 * Finding what an invocation calls: the API and stage from the URL (either address form), then the
 * resource of the deployed tree (a literal path part beats {param}, which beats {proxy+}) and the method.
 */
import type { Method } from '../../../generated/apigateway.js';
import type { ResourceRecord } from '../api-record.js';

export interface InvocationAddress {
  apiId: string;
  stage: string;
  /** The path after the stage, starting with `/`. */
  path: string;
  /**
   * The path after the API id (`/{stage}/{path}`, or just `/{path}` for an HTTP API's `$default` stage,
   * which takes no path segment: the stage is the HTTP API's to pick).
   */
  tail?: string;
  /** Through a custom domain: the stage its API mapping names (not read from the path) and the mapping's key (see ../domains/resolve.ts). */
  mapping?: { stage: string; key: string };
}

const LEGACY_FORM = /^\/restapis\/([a-z0-9]{10})\/([^/]+)\/_user_request_(\/.*)?$/;
const PATH_FORM = /^\/_aws\/execute-api\/([a-z0-9]{10})(\/.*)?$/;
const HOST_FORM = /^([a-z0-9]{10})\.execute-api\.localhost(?::\d+)?$/i;

function withStage(apiId: string, tail: string): InvocationAddress {
  const [, stage = '', ...rest] = tail.split('/');
  return { apiId, stage: decodeURIComponent(stage), path: `/${rest.join('/')}`, tail };
}

/**
 * `{id}.execute-api.localhost` + `/{stage}/{path}`, or `/_aws/execute-api/{id}/{stage}/{path}` for
 * clients that cannot resolve *.localhost, or the legacy `/restapis/{id}/{stage}/_user_request_/{path}`
 * (LocalStack's older form, kept for every kind of API).
 */
export function invocationAddress(host: string, pathname: string): InvocationAddress | undefined {
  const legacy = LEGACY_FORM.exec(pathname);
  if (legacy) {
    const stage = decodeURIComponent(legacy[2]);
    // An HTTP API's $default stage takes no segment in the other forms, so none in its tail either.
    const tail = stage === '$default' ? (legacy[3] ?? '') : `/${legacy[2]}${legacy[3] ?? ''}`;
    return { apiId: legacy[1], stage, path: legacy[3] ?? '/', tail };
  }
  const byPath = PATH_FORM.exec(pathname);
  if (byPath) return withStage(byPath[1], byPath[2] ?? '');
  const byHost = HOST_FORM.exec(host);
  return byHost ? withStage(byHost[1].toLowerCase(), pathname) : undefined;
}

export interface RouteMatch {
  resource: ResourceRecord;
  method: Method;
  pathParameters: Record<string, string>;
}

function matchFrom(resource: ResourceRecord, children: Map<string, ResourceRecord[]>, segments: string[], params: Record<string, string>): { resource: ResourceRecord; params: Record<string, string> } | undefined {
  if (segments.length === 0) return { resource, params };
  const [segment, ...rest] = segments;
  const kids = children.get(resource.id) ?? [];
  const literal = kids.find((kid) => kid.pathPart === segment);
  const literalMatch = literal ? matchFrom(literal, children, rest, params) : undefined;
  if (literalMatch) return literalMatch;
  const variable = kids.find((kid) => kid.pathPart?.startsWith('{') && !kid.pathPart.endsWith('+}'));
  const variableMatch = variable ? matchFrom(variable, children, rest, { ...params, [variable.pathPart!.slice(1, -1)]: segment }) : undefined;
  if (variableMatch) return variableMatch;
  const greedy = kids.find((kid) => kid.pathPart?.endsWith('+}'));
  return greedy ? { resource: greedy, params: { ...params, [greedy.pathPart!.slice(1, -2)]: segments.join('/') } } : undefined;
}

/** The resource and method for `path` and `httpMethod` in a deployed tree, or undefined (AWS's 403). */
export function matchRoute(resources: Record<string, ResourceRecord>, path: string, httpMethod: string): RouteMatch | undefined {
  const children = new Map<string, ResourceRecord[]>();
  let root: ResourceRecord | undefined;
  for (const resource of Object.values(resources)) {
    if (!resource.parentId) root = resource;
    else children.set(resource.parentId, [...(children.get(resource.parentId) ?? []), resource]);
  }
  if (!root) return undefined;
  const segments = path.split('/').filter((segment) => segment !== '').map((segment) => decodeURIComponent(segment));
  const found = matchFrom(root, children, segments, {});
  if (!found) return undefined;
  const method = found.resource.methods[httpMethod.toUpperCase()] ?? found.resource.methods.ANY;
  return method ? { resource: found.resource, method, pathParameters: found.params } : undefined;
}
