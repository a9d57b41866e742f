// A module resolution hook for function code, registered by bootstrap.mjs with node:module `register`.
//
// On Lambda, `import { SSMClient } from '@aws-sdk/client-ssm'` works from an ES module handler even though
// the SDK is not in the function's package: the runtime finds it in layers (/opt/nodejs/node_modules) and
// in its own SDK copy. Node's ES module resolver ignores NODE_PATH, so without this hook an ESM handler
// could only `require` the SDK. When the default resolution of a bare specifier fails, the hook retries it
// from each search directory in order (the function's own node_modules always win, as on Lambda).
//
// Hooks run only while a module is being resolved (the cold start and dynamic imports), never on the
// warm path of an invocation.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Parent URLs to resolve from, one per search directory (a `node_modules` directory, in order). */
let parents = [];

/** @param {{ searchPaths?: string[] }} data */
export function initialize(data) {
  // Resolving as if imported from a file directly inside <x>/node_modules finds that directory's packages:
  // Node looks for <ancestor>/node_modules/<package> for every ancestor of the importing file, <x> included.
  parents = (data?.searchPaths ?? []).map((dir) => pathToFileURL(join(dir, '__nimbus_resolve__.mjs')).href);
}

/** A bare specifier names a package: not relative, absolute, a URL, a builtin (node:) or a subpath import (#x). */
function isBare(specifier) {
  return !/^(\.{0,2}\/|#|[a-zA-Z][a-zA-Z\d+.-]*:)/.test(specifier);
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !isBare(specifier)) throw error;
    for (const parentURL of parents) {
      try {
        return await nextResolve(specifier, { ...context, parentURL });
      } catch (retryError) {
        if (retryError?.code !== 'ERR_MODULE_NOT_FOUND') throw retryError;
      }
    }
    // Nothing found anywhere: the original error names the importing module, as on Lambda.
    throw error;
  }
}
