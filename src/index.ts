/** The programmatic API: start a whole Nimbus inside a test run. */
export { startNimbus } from './nimbus.js';
export type { Nimbus, StartOptions } from './nimbus.js';
export { ManualClock, SystemClock } from './shared/clock.js';
export type { Clock } from './shared/clock.js';
export type { NimbusConfig } from './shared/config.js';
export type { InternalClient, CallTarget } from './services/internal-client.js';
