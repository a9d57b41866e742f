export { createSecretsManagerProvider as createProvider } from './provider.js';
