/** Shared by the Secrets Manager tests: a client for the running Nimbus. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Nimbus } from '../../../src/index.js';
import { clientSettings } from '../../helpers/nimbus.js';

export function secretsManager(nimbus: Nimbus, region?: string): SecretsManagerClient {
  return new SecretsManagerClient(clientSettings(nimbus, region ? { region } : {}));
}

export const DAY_MS = 24 * 60 * 60 * 1000;
