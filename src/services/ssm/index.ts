export { createSsmProvider as createProvider } from './provider.js';
