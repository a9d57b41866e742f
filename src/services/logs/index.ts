export { createLogsProvider as createProvider } from './provider.js';
export { appendLogEvents } from './append-events.js';
/** CloudWatch Logs answers a failed model constraint with InvalidParameterException, not ValidationException. */
export const validationErrorCode = 'InvalidParameterException';
