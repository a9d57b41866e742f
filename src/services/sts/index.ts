export { createStsProvider as createProvider, resolveStsCredential as resolveCredential } from './provider.js';
