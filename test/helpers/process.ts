/** Runs the nimbus CLI as a real child process, as a user would, for tests that kill and restart it. */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface NimbusProcess {
  child: ChildProcess;
  endpoint: string;
  /** The ready line the CLI printed. */
  readyLine: string;
}

/** Starts `nimbus start` with the given flags on a free port and resolves once it prints its ready line. */
export function spawnNimbus(args: string[]): Promise<NimbusProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'start', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NIMBUS_LOG_LEVEL: 'warn' },
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /Nimbus ready on (http:\/\/\S+) in \d+ ms/.exec(output);
      if (match) {
        child.stdout?.off('data', onData);
        resolve({ child, endpoint: match[1], readyLine: match[0] });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      reject(new Error(`nimbus exited with ${String(code)} before it was ready:\n${output}`));
    });
  });
}

/** kill -9: no shutdown hook runs, so only what was already durable survives. */
export function killHard(process: NimbusProcess): Promise<void> {
  return new Promise((resolve) => {
    process.child.once('exit', () => {
      resolve();
    });
    process.child.kill('SIGKILL');
  });
}
