export { createDynamodbProvider as createProvider } from './provider.js';
