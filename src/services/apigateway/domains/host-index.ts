/**
 * Which Host headers are custom domain names, for the edge: one global index record per registered name
 * (lower case, without port) pointing at the account and region that own it. The edge asks
 * `isCustomDomainHost` for every request, so the names are kept in a Set per store, rebuilt on first
 * use after any change; with no custom domain registered the answer costs one size check.
 */
import type { Collection, Store } from '../../../store/store.js';
import type { ApiLocation } from '../api-record.js';

const INDEX = 'apigateway/global/-/custom-domains';

const known = new WeakMap<Store, Set<string>>();

export function customDomainIndex(store: Store): Collection<ApiLocation> {
  return store.collection<ApiLocation>(INDEX);
}

/** Drops the cached names (after a domain is created or deleted, or state is reset). */
export function forgetCustomDomains(store: Store): void {
  known.delete(store);
}

export function isCustomDomainHost(store: Store, host: string | undefined): boolean {
  if (!host) return false;
  let names = known.get(store);
  if (!names) {
    names = new Set(customDomainIndex(store).list().map(([name]) => name));
    known.set(store, names);
  }
  if (names.size === 0) return false;
  const colon = host.lastIndexOf(':');
  const name = colon > 0 && !host.endsWith(']') ? host.slice(0, colon) : host;
  return names.has(name.toLowerCase());
}
