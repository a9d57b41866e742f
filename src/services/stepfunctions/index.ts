export { createStepFunctionsProvider as createProvider } from './provider.js';
