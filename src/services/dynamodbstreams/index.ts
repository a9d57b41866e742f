export { createDynamodbstreamsProvider as createProvider } from './provider.js';
