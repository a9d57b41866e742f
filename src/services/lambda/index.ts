export { createLambdaProvider as createProvider } from './provider.js';
export { handleLambdaEdgeRequest as handleEdgeRequest } from './edge-routes.js';
