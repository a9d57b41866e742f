export { createApigatewayProvider as createProvider } from './provider.js';
export { handleInvocation as handleEdgeRequest } from './invoke/serve.js';
