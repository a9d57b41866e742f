/**
 * The `nimbus` command itself: help and misuse, what each subcommand loads (start must stay fast), and
 * the pure helpers of invoke and logs.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { resolveTarget } from '../../src/cli/aws-http.js';
import { UsageError } from '../../src/cli/command.js';
import { readPayload } from '../../src/cli/invoke.js';
import { formatEvent, parseSince } from '../../src/cli/logs.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'src/cli/main.ts');

function nimbusCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, encoding: 'utf8' }, (_error, stdout, stderr) => {
      done({ status: child.exitCode, stdout, stderr });
    });
  });
}

/** Every module under src/ that `entry` loads through static imports (dynamic import() is left out on purpose). */
function staticImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [resolve(ROOT, entry)];
  while (pending.length) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/^\s*(?:import|export)\s(?:[^;]*?\sfrom\s)?\s*'(\.[^']+)'/gm)) {
      pending.push(resolve(dirname(file), match[1].replace(/\.js$/, '.ts')));
    }
  }
  return new Set([...seen].map((file) => relative(ROOT, file)));
}

describe('nimbus command', () => {
  it('prints help with exit 0 and rejects an unknown command with exit 2', async () => {
    const [help, unknown] = await Promise.all([nimbusCli(['help']), nimbusCli(['deploy'])]);
    assert.equal(help.status, 0);
    for (const command of ['nimbus start', 'nimbus invoke NAME', 'nimbus logs NAME']) assert.ok(help.stdout.includes(command), command);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /^nimbus: unknown command 'deploy'\nUsage:/);
  });

  it('answers misuse of a subcommand with exit 2 and its usage', async () => {
    const cases = [
      { args: ['invoke'], message: 'nimbus: name exactly one function to invoke' },
      { args: ['invoke', 'fn', '--verbose'], message: "nimbus: Unknown option '--verbose'" },
      { args: ['logs', 'fn', '--since', 'yesterday'], message: "nimbus: --since takes a duration such as 30s, 10m, 2h, 1d or 1w, or a timestamp such as 2024-05-01T12:00:00Z; got 'yesterday'" },
      { args: ['start', '--port', '99999'], message: "nimbus: --port must be 0-65535, got '99999'" },
    ];
    const results = await Promise.all(cases.map(({ args }) => nimbusCli(args)));
    for (const [index, { args, message }] of cases.entries()) {
      const result = results[index];
      assert.equal(result.status, 2, args.join(' '));
      assert.ok(result.stderr.startsWith(message), result.stderr);
      assert.match(result.stderr, new RegExp(`\\nUsage: nimbus ${args[0]} `));
    }
  });

  it('keeps start free of the invoke and logs code, and those free of the server', () => {
    const start = staticImports('src/cli/start.ts');
    const main = staticImports('src/cli/main.ts');
    for (const client of ['src/cli/invoke.ts', 'src/cli/logs.ts', 'src/cli/aws-http.ts']) {
      assert.ok(!start.has(client), `start loads ${client}`);
      assert.ok(!main.has(client), `main loads ${client}`);
    }
    assert.ok(start.has('src/nimbus.ts'));
    for (const command of ['src/cli/invoke.ts', 'src/cli/logs.ts']) {
      const loaded = staticImports(command);
      assert.ok(!loaded.has('src/nimbus.ts') && !loaded.has('src/cli/start.ts'), `${command} loads the server`);
    }
  });
});

describe('nimbus CLI helpers', () => {
  it('finds the endpoint and region from flags, then the environment, then the defaults', () => {
    assert.deepEqual(resolveTarget({}, {}), { endpoint: 'http://127.0.0.1:4566', region: 'us-east-1', accessKeyId: 'test', sessionToken: undefined });
    assert.equal(resolveTarget({}, { NIMBUS_PORT: '5000', NIMBUS_HOST: '0.0.0.0' }).endpoint, 'http://127.0.0.1:5000');
    assert.equal(resolveTarget({}, { AWS_ENDPOINT_URL: 'http://aws:1/' }).endpoint, 'http://aws:1');
    assert.equal(resolveTarget({}, { AWS_ENDPOINT_URL: 'http://aws:1', NIMBUS_ENDPOINT: 'http://nimbus:2' }).endpoint, 'http://nimbus:2');
    assert.equal(resolveTarget({ endpoint: 'http://flag:3' }, { NIMBUS_ENDPOINT: 'http://nimbus:2' }).endpoint, 'http://flag:3');
    assert.equal(resolveTarget({}, { AWS_DEFAULT_REGION: 'eu-west-1' }).region, 'eu-west-1');
    assert.equal(resolveTarget({}, { AWS_DEFAULT_REGION: 'eu-west-1', AWS_REGION: 'eu-central-1' }).region, 'eu-central-1');
    assert.equal(resolveTarget({ region: 'ap-south-1' }, { AWS_REGION: 'eu-central-1' }).region, 'ap-south-1');
    assert.deepEqual(resolveTarget({}, { AWS_ACCESS_KEY_ID: '111122223333', AWS_SESSION_TOKEN: 'token' }).accessKeyId, '111122223333');
  });

  it('parses --since as a duration back from now or as a timestamp', () => {
    const now = Date.parse('2024-05-01T12:00:00Z');
    const cases: [string, string][] = [
      ['30s', '2024-05-01T11:59:30.000Z'],
      ['10m', '2024-05-01T11:50:00.000Z'],
      ['2h', '2024-05-01T10:00:00.000Z'],
      ['1d', '2024-04-30T12:00:00.000Z'],
      ['1w', '2024-04-24T12:00:00.000Z'],
      ['2024-05-01T08:00:00Z', '2024-05-01T08:00:00.000Z'],
    ];
    for (const [since, expected] of cases) assert.equal(new Date(parseSince(since, now)).toISOString(), expected, since);
    assert.throws(() => parseSince('10 minutes', now), UsageError);
  });

  it('formats an event as timestamp, stream and message on one line', () => {
    assert.equal(
      formatEvent({ timestamp: Date.parse('2024-05-01T12:00:00.123Z'), logStreamName: '2024/05/01/[$LATEST]abc', message: 'START RequestId: 1\n', eventId: '1' }),
      '2024-05-01T12:00:00.123Z 2024/05/01/[$LATEST]abc START RequestId: 1\n',
    );
  });

  it('reads the payload inline or from a file', () => {
    const directory = mkdtempSync(join(tmpdir(), 'nimbus-cli-'));
    try {
      writeFileSync(join(directory, 'event.json'), '{"from":"file"}');
      assert.equal(readPayload('{"inline":true}').toString(), '{"inline":true}');
      assert.equal(readPayload(`@${join(directory, 'event.json')}`).toString(), '{"from":"file"}');
      assert.equal(readPayload(undefined).length, 0);
      assert.throws(() => readPayload(`@${join(directory, 'missing.json')}`), (error: Error) => error instanceof UsageError && error.message.startsWith(`cannot read the payload from ${join(directory, 'missing.json')}: ENOENT`));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
