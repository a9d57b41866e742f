export { createApigatewayv2Provider as createProvider } from './provider.js';
