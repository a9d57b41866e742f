import type { Provider } from '../service.js';

/** Not served yet: every operation answers NotImplemented until the provider lands. */
export function createProvider(): Provider {
  return {};
}
