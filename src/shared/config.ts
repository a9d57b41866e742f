/**
 * Nimbus's configuration: CLI flags, else NIMBUS_* environment variables, else defaults.
 */
import { DEFAULT_REGION } from './ids.js';

export interface NimbusConfig {
  host: string;
  port: number;
  /** Where state lives; ignored when ephemeral. */
  dataDir: string;
  ephemeral: boolean;
  /** Region for unsigned requests. */
  defaultRegion: string;
  /** Largest request body the edge reads, in bytes. */
  maxBodyBytes: number;
}

export const DEFAULT_CONFIG: NimbusConfig = {
  host: '127.0.0.1',
  port: 4566,
  dataDir: './.nimbus',
  ephemeral: false,
  defaultRegion: DEFAULT_REGION,
  maxBodyBytes: 64 * 1024 * 1024,
};

function truthy(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${value}'`);
  return n;
}

/** Settings from NIMBUS_HOST, NIMBUS_PORT, NIMBUS_DATA_DIR, NIMBUS_EPHEMERAL, NIMBUS_DEFAULT_REGION, NIMBUS_MAX_BODY_BYTES. */
export function configFromEnv(env: NodeJS.ProcessEnv): Partial<NimbusConfig> {
  const config: Partial<NimbusConfig> = {};
  if (env.NIMBUS_HOST) config.host = env.NIMBUS_HOST;
  const port = integer(env.NIMBUS_PORT, 'NIMBUS_PORT');
  if (port !== undefined) config.port = port;
  if (env.NIMBUS_DATA_DIR) config.dataDir = env.NIMBUS_DATA_DIR;
  const ephemeral = truthy(env.NIMBUS_EPHEMERAL);
  if (ephemeral !== undefined) config.ephemeral = ephemeral;
  if (env.NIMBUS_DEFAULT_REGION) config.defaultRegion = env.NIMBUS_DEFAULT_REGION;
  const maxBody = integer(env.NIMBUS_MAX_BODY_BYTES, 'NIMBUS_MAX_BODY_BYTES');
  if (maxBody !== undefined) config.maxBodyBytes = maxBody;
  return config;
}
