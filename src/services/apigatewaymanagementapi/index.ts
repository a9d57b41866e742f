export { checkInput, createManagementProvider as createProvider } from './provider.js';
export { handleManagementRequest as handleEdgeRequest } from './api-url.js';
