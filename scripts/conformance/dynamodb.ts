/**
 * npm run conformance:dynamodb -- <suite>: runs dynalite's DynamoDB test suite (written against real
 * DynamoDB, which it can target) against a Nimbus built from this tree, and prints what passes per file.
 *
 * <suite> is a checkout of https://github.com/architect/dynalite (its test/ folder is what runs). The suite
 * is not part of this repository and not part of `npm test`: it is an independent judge, run by hand.
 * Its own server is replaced by a stand-in that starts `nimbus start --ephemeral` on the port the suite
 * picks, and its request signer is told the service name (it cannot infer it from 127.0.0.1).
 *
 * Output: a table of passing/failing per file, and every failure's title and first message lines in
 * .conformance/dynamodb/failures.txt.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const suite = process.argv[2] ?? process.env.DYNALITE_SUITE;
if (!suite || !existsSync(join(suite, 'test', 'helpers.js'))) {
  console.error('usage: npm run conformance:dynamodb -- <path to a dynalite checkout>');
  process.exit(2);
}
const only = process.argv.slice(3);
const work = join(root, '.conformance', 'dynamodb');
mkdirSync(work, { recursive: true });
cpSync(join(suite, 'test'), join(work, 'test'), { recursive: true });
// Some tests use dynalite's own key-encoding helpers (require('../db')): the installed package provides them.
cpSync(join(root, 'node_modules', 'dynalite', 'db'), join(work, 'db'), { recursive: true });

writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'nimbus-dynamodb-conformance', private: true, dependencies: { mocha: '^11.7.2', should: '^13.2.3', aws4: '^1.12.0', async: '^3.2.4', once: '^1.4.0' } }, null, 2));
if (!existsSync(join(work, 'node_modules', 'mocha'))) execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: work, stdio: 'inherit' });

// The suite requires '..' for its server: answer with Nimbus on the same port.
writeFileSync(
  join(work, 'index.js'),
  `const { spawn } = require('child_process')
module.exports = function () {
  let child
  return {
    listen (port, cb) {
      child = spawn(process.execPath, [${JSON.stringify(join(root, 'dist', 'cli', 'main.js'))}, 'start', '--port', String(port), '--ephemeral'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NIMBUS_LOG_LEVEL: 'warn' } })
      let ready = false
      child.stdout.on('data', (chunk) => { if (!ready && /ready/.test(String(chunk))) { ready = true; cb() } })
    },
    close (cb) { child.once('exit', () => cb()); child.kill('SIGKILL') },
  }
}
`,
);
writeFileSync(
  join(work, 'sign-hook.js'),
  `const aws4 = require('aws4')
const sign = aws4.sign
aws4.sign = (opts, credentials) => { opts.service = opts.service || 'dynamodb'; opts.region = opts.region || 'us-east-1'; return sign(opts, credentials) }
`,
);

if (!process.env.CONFORMANCE_SKIP_BUILD) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });

interface MochaReport {
  stats: { passes: number; failures: number; pending: number };
  failures: { fullTitle: string; err: { message?: string } }[];
}

const files = readdirSync(join(work, 'test')).filter((f) => f.endsWith('.js') && !['helpers.js', 'bench.js'].includes(f) && (!only.length || only.some((o) => f.startsWith(o))));
const rows: string[] = ['| file | passing | failing |', '| --- | --- | --- |'];
const failures: string[] = [];
let passes = 0;
let failed = 0;
for (const file of files.sort()) {
  const run = spawnSync(join(work, 'node_modules', '.bin', 'mocha'), ['--require', 'should', '--require', './sign-hook.js', '--reporter', 'json', '-t', '10s', `test/${file}`], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 600_000,
  });
  const start = run.stdout.indexOf('{\n');
  let report: MochaReport | undefined;
  try {
    report = JSON.parse(run.stdout.slice(start)) as MochaReport;
  } catch {
    report = undefined;
  }
  if (!report) {
    rows.push(`| ${file} | ? | crashed |`);
    failures.push(`## ${file}: the run crashed\n${run.stderr.slice(-2000)}`);
    continue;
  }
  passes += report.stats.passes;
  failed += report.stats.failures;
  rows.push(`| ${file} | ${String(report.stats.passes)} | ${String(report.stats.failures)} |`);
  for (const failure of report.failures) failures.push(`## ${file}: ${failure.fullTitle}\n${(failure.err.message ?? '').split('\n').slice(0, 12).join('\n')}`);
}
rows.push(`| total | ${String(passes)} | ${String(failed)} |`);
writeFileSync(join(work, 'failures.txt'), failures.join('\n\n'));
console.log(rows.join('\n'));
console.log(`\nfailures: ${resolve(work, 'failures.txt')}`);
