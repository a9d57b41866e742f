/**
 * The runtimes Nimbus runs and how to start each one's process. Node and Python use Nimbus's own runtime
 * interface clients (runtimes/node, runtimes/python); `provided.*` runs the function's own `bootstrap`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNTIMES_DIR = fileURLToPath(new URL('../../../../runtimes/', import.meta.url));

/** Nimbus's own node_modules: handlers find the AWS SDK there, as they find it under /var/runtime on Lambda. */
export const NIMBUS_NODE_MODULES = fileURLToPath(new URL('../../../../node_modules', import.meta.url));

export type RuntimeFamily = 'node' | 'python' | 'provided';

export const SUPPORTED_RUNTIMES: Record<string, RuntimeFamily> = {
  'nodejs18.x': 'node',
  'nodejs20.x': 'node',
  'nodejs22.x': 'node',
  'python3.9': 'python',
  'python3.10': 'python',
  'python3.11': 'python',
  'python3.12': 'python',
  'python3.13': 'python',
  'provided.al2': 'provided',
  'provided.al2023': 'provided',
};

export interface RuntimeCommand {
  command: string;
  args: string[];
  /** Whether the runtime marks the end of each invocation's output on stdout (our own clients do). */
  marksOutput: boolean;
}

let python: string | undefined;

/** The real python3 binary, not a version-manager shim (a pyenv shim alone costs ~100 ms per start). */
function pythonBinary(): string {
  python ??= execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  return python;
}

export function runtimeCommand(runtime: string, taskRoot: string, memoryMb: number, layersDir?: string): RuntimeCommand {
  switch (SUPPORTED_RUNTIMES[runtime]) {
    case 'node':
      // V8's heap limit keeps a runaway handler near its memory size, as Lambda's cgroup does.
      return { command: process.execPath, args: [`--max-old-space-size=${String(memoryMb)}`, join(RUNTIMES_DIR, 'node/bootstrap.mjs')], marksOutput: true };
    case 'python':
      return { command: pythonBinary(), args: ['-u', join(RUNTIMES_DIR, 'python/bootstrap.py')], marksOutput: true };
    case 'provided': {
      // The function's own bootstrap, else one from its layers (on Lambda, /opt/bootstrap).
      const candidates = [taskRoot, layersDir].filter((dir) => dir !== undefined).map((dir) => join(dir, 'bootstrap'));
      return { command: candidates.find((bootstrap) => existsSync(bootstrap)) ?? candidates[0], args: [], marksOutput: false };
    }
    default:
      throw new Error(`Unsupported runtime ${runtime}`);
  }
}

export const END_MARKER = '\u0000nimbus-end';
