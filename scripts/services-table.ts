/**
 * The README's table of supported services and operations, generated from what the providers implement,
 * so it cannot drift: `npm run docs:services` rewrites it, and test/docs/readme.test.ts fails when it is stale.
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServiceModel } from '../src/protocols/model.js';
import { SERVICE_LOADERS } from '../src/services/registry.js';
import { ServiceHost } from '../src/services/service-host.js';
import { SystemClock } from '../src/shared/clock.js';
import { EventBus } from '../src/shared/event-bus.js';
import { SqliteStore } from '../src/store/sqlite.js';

const START = '<!-- services-table:start -->';
const END = '<!-- services-table:end -->';

export async function servicesTable(): Promise<string> {
  const filesDir = mkdtempSync(join(tmpdir(), 'nimbus-docs-'));
  const host = new ServiceHost({ store: new SqliteStore(undefined), clock: new SystemClock(), bus: new EventBus(), filesDir, edge: { endpoint: '' } });
  const rows = ['| service | protocol | operations served | of |', '| --- | --- | --- | --- |'];
  try {
    for (const name of Object.keys(SERVICE_LOADERS).sort()) {
      const service = await host.load(name);
      const model = loadServiceModel(name);
      const served = Object.keys(model.operations).filter((op) => typeof (service.provider as Record<string, unknown>)[op] === 'function').sort();
      rows.push(`| ${model.metadata.serviceId ?? name} (\`${name}\`) | ${model.metadata.protocol} | ${served.join(', ')} | ${String(served.length)}/${String(Object.keys(model.operations).length)} |`);
    }
  } finally {
    await host.stop();
    rmSync(filesDir, { recursive: true, force: true });
  }
  return rows.join('\n');
}

export function replaceTable(readme: string, table: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} section`);
  return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = new URL('../README.md', import.meta.url);
  writeFileSync(path, replaceTable(readFileSync(path, 'utf8'), await servicesTable()));
  console.log('README.md services table updated');
}
