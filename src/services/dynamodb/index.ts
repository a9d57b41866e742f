export { createDynamodbProvider as createProvider } from './provider.js';
export { checkBeforeModel as checkInput } from './table-checks.js';
