/** Starts an ephemeral Nimbus on a free port for a test file, and builds SDK client settings for it. */
import { after, before, beforeEach } from 'node:test';
import type { Nimbus, StartOptions } from '../../src/index.js';
import { startNimbus } from '../../src/index.js';

export const TEST_REGION = 'us-east-1';
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface ClientSettings {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/**
 * Registers before/after hooks that start Nimbus once for the file and wipe its state before each test.
 * Returns a getter because the server exists only once `before` has run.
 */
export function useNimbus(options: StartOptions = {}): () => Nimbus {
  let nimbus: Nimbus | undefined;
  before(async () => {
    nimbus = await startNimbus(options);
  });
  beforeEach(() => {
    nimbus?.reset();
  });
  after(async () => {
    await nimbus?.stop();
  });
  return () => {
    if (!nimbus) throw new Error('Nimbus has not started yet: call the getter inside a test');
    return nimbus;
  };
}

export function clientSettings(nimbus: Nimbus, overrides: Partial<ClientSettings> = {}): ClientSettings {
  return { endpoint: nimbus.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, ...overrides };
}
