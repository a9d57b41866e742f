/**
 * Runs the AWS CLI and boto3 as child processes against a started Nimbus, exactly as a user runs them: the
 * wire format checked through clients that share no code with the JavaScript SDK the other tests use.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Nimbus } from '../../src/index.js';
import { TEST_CREDENTIALS, TEST_REGION } from './nimbus.js';

const execFileAsync = promisify(execFile);

/** How a child process ended: a failing exit is an outcome, not a throw, so tests can assert on AWS's errors. */
export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment that points the CLI and boto3 at `endpoint` with the test credentials and region. */
export function awsEnvironment(endpoint: string): NodeJS.ProcessEnv {
  // A profile would be looked up in the config files hidden below and fail the run, so it is dropped too.
  const { AWS_PROFILE: _profile, AWS_SESSION_TOKEN: _token, ...inherited } = process.env;
  return {
    ...inherited,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: TEST_REGION,
    AWS_PAGER: '',
    // Keep the developer's own AWS configuration out of the run.
    AWS_CONFIG_FILE: '/nonexistent/nimbus-aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/nimbus-aws-credentials',
  };
}

/** Runs `file` with `args` (no shell in between) against `endpoint`. */
export async function runAgainst(endpoint: string, file: string, args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, { env: awsEnvironment(endpoint) });
    return { code: 0, stdout, stderr };
  } catch (error) {
    // A process killed by a signal has no exit code; -1 keeps it apart from success.
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Plain functions rather than methods, so a test can destructure the ones it uses. */
export interface CliRunners {
  /** Any program with its arguments, e.g. `exec('aws', ['ssm', 'get-parameter', '--name', name])`. */
  exec: (file: string, args: string[]) => Promise<Outcome>;
  /** A bash command line, for `aws … && aws …` chains written as a user types them. */
  shell: (command: string) => Promise<Outcome>;
  /** A python3 script, for boto3. */
  python: (script: string) => Promise<Outcome>;
}

/**
 * Runners bound to a test file's Nimbus. Takes the getter `useNimbus` returns, read at each call, because
 * the server only exists once the file's `before` hook has run.
 */
export function cliRunners(nimbus: () => Nimbus): CliRunners {
  const exec = (file: string, args: string[]): Promise<Outcome> => runAgainst(nimbus().endpoint, file, args);
  return {
    exec,
    shell: (command) => exec('bash', ['-c', command]),
    python: (script) => exec('python3', ['-c', script]),
  };
}

/** The CLI prints one JSON document per command that has output; a chain of commands prints several. */
export function jsonDocuments(stdout: string): Record<string, unknown>[] {
  return stdout
    .split(/(?<=^\})\n(?=\{)/m)
    .filter((text) => text.trim() !== '')
    .map((text) => JSON.parse(text) as Record<string, unknown>);
}
