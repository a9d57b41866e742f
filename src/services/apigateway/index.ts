export { createApigatewayProvider as createProvider } from './provider.js';
export { handleInvocation as handleEdgeRequest } from './invoke/serve.js';
export { handleWebSocketUpgrade as handleEdgeUpgrade } from './invoke-v2/websocket/upgrade.js';
