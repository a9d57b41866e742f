/**
 * nimbus start [--host 127.0.0.1] [--port 4566] [--data-dir ./.nimbus] [--ephemeral]
 * Flags override NIMBUS_* environment variables, which override the defaults.
 */
import { parseArgs } from 'node:util';
import { startNimbus } from '../nimbus.js';
import type { NimbusConfig } from '../shared/config.js';
import { configFromEnv, DEFAULT_CONFIG } from '../shared/config.js';
import { EXIT, UsageError } from './command.js';

/** Starts Nimbus and resolves once it is ready; the process then runs until SIGINT or SIGTERM. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      ephemeral: { type: 'boolean' },
    },
    strict: true,
  });
  const config: NimbusConfig = { ...DEFAULT_CONFIG, ...configFromEnv(process.env) };
  if (values.host) config.host = values.host;
  if (values.port) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535, got '${values.port}'`);
    config.port = port;
  }
  if (values['data-dir']) config.dataDir = values['data-dir'];
  if (values.ephemeral) config.ephemeral = true;

  const nimbus = await startNimbus(config);
  // performance.now() counts from process start, so this is the whole time to ready.
  const storage = config.ephemeral ? 'ephemeral: state in memory only' : `data in ${config.dataDir}`;
  process.stdout.write(`Nimbus ready on ${nimbus.endpoint} in ${Math.round(performance.now())} ms (${storage})\n`);

  const shutdown = (): void => {
    void nimbus.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return EXIT.ok;
}
