/**
 * One Lambda execution environment: a runtime process, its own Runtime API endpoint, and an explicit
 * state machine with guarded transitions:
 *
 *   initializing ──first /next──► idle ──invoke──► busy ──response/error──► idle
 *        │                          │               │
 *        └── init error / exit ──► dead ◄── dispose ┴── timeout / crash / out of memory
 *
 * One invocation at a time; a dead environment is never reused (the next invoke gets a fresh one).
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuntimeError, RuntimeInvocation } from './runtime-api.js';
import { RuntimeApiServer } from './runtime-api.js';
import { END_MARKER, runtimeCommand } from './runtimes.js';

export type EnvironmentState = 'initializing' | 'idle' | 'busy' | 'dead';

const TRANSITIONS: Record<EnvironmentState, EnvironmentState[]> = {
  initializing: ['idle', 'dead'],
  idle: ['busy', 'dead'],
  busy: ['idle', 'dead'],
  dead: [],
};

/** Lambda gives a function's init phase 10 seconds (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html). */
const INIT_TIMEOUT_MS = 10_000;
const MEMORY_POLL_MS = 50;

export interface EnvironmentSpec {
  runtime: string;
  handler: string;
  /** The unpacked code: LAMBDA_TASK_ROOT and the process's working directory. */
  taskRoot: string;
  /** The function's layers merged into one directory: what Lambda mounts at /opt. */
  layersDir?: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** Every variable the process sees: the reserved ones and the function's own. */
  variables: Record<string, string>;
}

export interface InvocationRequest {
  requestId: string;
  payload: Buffer;
  invokedFunctionArn: string;
  traceId: string;
  clientContext?: string;
  cognitoIdentity?: string;
}

export type InvocationStatus = 'success' | 'error' | 'timeout' | 'crash' | 'out-of-memory' | 'init-error';

export interface InvocationOutcome {
  status: InvocationStatus;
  /** The response payload, or Lambda's error payload when functionError is set. */
  payload: Buffer;
  functionError?: 'Unhandled' | 'Handled';
  /** Log lines the runtime wrote during the invocation (and during init, on a cold start). */
  logs: string[];
  durationMs: number;
  maxMemoryUsedMb: number;
  errorType?: string;
}

export interface InitOutcome {
  ok: boolean;
  durationMs: number;
  logs: string[];
  error?: RuntimeError;
  status?: InvocationStatus;
}

interface ActiveInvocation {
  request: InvocationRequest;
  startedAt: number;
  finish: (outcome: Omit<InvocationOutcome, 'logs' | 'durationMs' | 'maxMemoryUsedMb'>) => void;
}

function errorBody(errorType: string, errorMessage: string): Buffer {
  return Buffer.from(JSON.stringify({ errorType, errorMessage }));
}

/**
 * A runtime process's /proc/<pid>/status, kept open: each reading is one pread instead of
 * open + fstat + read + close, which adds up at every invocation in a VM where syscalls are dear.
 */
class ProcessStatus {
  private static readonly buffer = Buffer.alloc(16 * 1024);
  private fd: number | undefined;

  constructor(private readonly pid: number | undefined) {
    if (pid === undefined) return;
    try {
      this.fd = openSync(`/proc/${String(pid)}/status`, 'r');
    } catch {
      this.fd = undefined;
    }
  }

  /** A field in kB (VmHWM, VmRSS), 0 when the process is gone. */
  kb(field: string): number {
    if (this.pid === undefined) return 0;
    let status: string;
    try {
      if (this.fd === undefined) {
        status = readFileSync(`/proc/${String(this.pid)}/status`, 'utf8');
      } else {
        const length = readSync(this.fd, ProcessStatus.buffer, 0, ProcessStatus.buffer.length, 0);
        status = ProcessStatus.buffer.toString('latin1', 0, length);
      }
    } catch {
      return 0;
    }
    const at = status.indexOf(`${field}:`);
    if (at < 0) return 0;
    return Number(/^\s*(\d+)/.exec(status.slice(at + field.length + 1, at + field.length + 40))?.[1] ?? 0);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * How long a reading of the peak (VmHWM) serves later invocations of the environment. The peak only grows,
 * so a reading this recent can only trail a fast-growing process by that much, and a busy environment
 * then reads /proc a few times a second instead of at every invocation.
 */
const PEAK_READING_MS = 100;

/** Peak resident memory of a process, from /proc (VmHWM), in MB, re-read at most every PEAK_READING_MS. */
class PeakMemory {
  private mb = 0;
  private readAt = -Infinity;

  constructor(private readonly status: ProcessStatus | undefined) {}

  read(): number {
    const now = performance.now();
    if (this.status && now - this.readAt >= PEAK_READING_MS) {
      this.mb = Math.ceil(this.status.kb('VmHWM') / 1024);
      this.readAt = now;
    }
    return this.mb;
  }
}

function currentMemoryMb(status: ProcessStatus | undefined): number {
  return status ? status.kb('VmRSS') / 1024 : 0;
}

export class ExecutionEnvironment {
  state: EnvironmentState = 'initializing';
  readonly createdAt = Date.now();
  lastUsedAt = Date.now();
  private readonly api: RuntimeApiServer;
  private child: ChildProcess | undefined;
  private status: ProcessStatus | undefined;
  private peak = new PeakMemory(undefined);
  private lines: string[] = [];
  private partial = { stdout: '', stderr: '' };
  private active: ActiveInvocation | undefined;
  private watch: { timeout: NodeJS.Timeout; memory: NodeJS.Timeout } | undefined;
  private markerSeen: (() => void) | undefined;
  /** End-of-output markers that arrived before the runtime's result did. */
  private readonly pendingMarkers = new Set<string>();
  private initDone: ((outcome: InitOutcome) => void) | undefined;
  private initStartedAt = 0;
  private readonly marksOutput: boolean;
  private tmpDir: string | undefined;

  constructor(private readonly spec: EnvironmentSpec) {
    this.marksOutput = runtimeCommand(spec.runtime, spec.taskRoot, spec.memoryMb, spec.layersDir).marksOutput;
    this.api = new RuntimeApiServer({
      onNext: () => {
        this.onNext();
      },
      onResponse: (requestId, payload, silent) => {
        this.complete(requestId, { status: 'success', payload }, silent);
      },
      onError: (requestId, error, silent) => {
        this.complete(requestId, { status: 'error', payload: error.body, functionError: 'Unhandled', errorType: error.errorType }, silent);
      },
      onInitError: (error) => {
        this.failInit({ ok: false, durationMs: performance.now() - this.initStartedAt, logs: this.takeLines(), error, status: 'init-error' });
      },
    });
  }

  private transition(to: EnvironmentState): void {
    if (!TRANSITIONS[this.state].includes(to)) throw new Error(`Execution environment cannot go from ${this.state} to ${to}`);
    this.state = to;
  }

  /** Starts the runtime process and waits until it asks for its first invocation (or fails to start). */
  async initialize(): Promise<InitOutcome> {
    const address = await this.api.listen();
    // Each environment's own /tmp: runtimes and libraries write temporary files under TMPDIR.
    this.tmpDir = mkdtempSync(join(tmpdir(), 'nimbus-lambda-tmp-'));
    const { command, args } = runtimeCommand(this.spec.runtime, this.spec.taskRoot, this.spec.memoryMb, this.spec.layersDir);
    // Durations come from the monotonic clock, with sub-millisecond precision, as Lambda reports them.
    this.initStartedAt = performance.now();
    const initialized = new Promise<InitOutcome>((resolve) => {
      this.initDone = resolve;
    });
    try {
      this.child = spawn(command, args, {
        cwd: this.spec.taskRoot,
        env: {
          ...this.spec.variables,
          _HANDLER: this.spec.handler,
          LAMBDA_TASK_ROOT: this.spec.taskRoot,
          AWS_LAMBDA_RUNTIME_API: address,
          TMPDIR: this.tmpDir,
          TMP: this.tmpDir,
          TEMP: this.tmpDir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      this.failInit({ ok: false, durationMs: 0, logs: [], error: { errorType: 'Runtime.InvalidEntrypoint', errorMessage: String(error), body: errorBody('Runtime.InvalidEntrypoint', String(error)) }, status: 'init-error' });
      return initialized;
    }
    this.status = new ProcessStatus(this.child.pid);
    this.peak = new PeakMemory(this.status);
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.onOutput('stdout', chunk);
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.onOutput('stderr', chunk);
    });
    this.child.on('error', (error) => {
      this.onExit(`Error: ${error.message}`);
    });
    this.child.on('exit', (code, signal) => {
      this.onExit(signal ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal}` : `exit status ${String(code)}`);
    });
    const timer = setTimeout(() => {
      this.failInit({
        ok: false,
        durationMs: INIT_TIMEOUT_MS,
        logs: this.takeLines(),
        error: { errorType: 'Runtime.InitTimeout', errorMessage: 'Init timeout', body: errorBody('Runtime.InitTimeout', `Task timed out after ${(INIT_TIMEOUT_MS / 1000).toFixed(2)} seconds`) },
        status: 'timeout',
      });
    }, INIT_TIMEOUT_MS);
    const outcome = await initialized;
    clearTimeout(timer);
    return outcome;
  }

  /** Runs one invocation. The environment must be idle. */
  invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    this.transition('busy');
    this.lastUsedAt = Date.now();
    const startedAt = performance.now();
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    const invocation: RuntimeInvocation = { ...request, deadlineMs: Date.now() + timeoutMs };

    return new Promise<InvocationOutcome>((resolve) => {
      this.armWatch();
      this.active = {
        request,
        startedAt,
        finish: (result) => {
          this.active = undefined;
          const outcome: InvocationOutcome = {
            ...result,
            logs: this.takeLines(),
            durationMs: performance.now() - startedAt,
            maxMemoryUsedMb: Math.min(this.peak.read(), this.spec.memoryMb) || this.spec.memoryMb,
          };
          if (this.state === 'busy') this.transition(result.status === 'success' || result.status === 'error' ? 'idle' : 'dead');
          this.lastUsedAt = Date.now();
          resolve(outcome);
        },
      };
      this.api.dispatch(invocation);
    });
  }

  /**
   * Starts the running invocation's two clocks, its timeout and the memory poll. They are one pair of
   * timers per environment, re-armed with refresh() at each invocation (creating and clearing two timers
   * per invocation showed in profiles); one that fires after its invocation ended finds none and stops.
   */
  private armWatch(): void {
    if (this.watch) {
      this.watch.timeout.refresh();
      this.watch.memory.refresh();
      return;
    }
    // Unreferenced: the Runtime API's socket keeps the process alive while the environment lives.
    this.watch = {
      timeout: setTimeout(() => {
        this.onTimeout();
      }, this.spec.timeoutSeconds * 1000).unref(),
      memory: setTimeout(() => {
        this.onMemoryPoll();
      }, MEMORY_POLL_MS).unref(),
    };
  }

  private onTimeout(): void {
    const active = this.active;
    if (!active) return;
    const message = `${new Date().toISOString()} ${active.request.requestId} Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds`;
    this.lines.push(message);
    this.kill();
    active.finish({ status: 'timeout', payload: Buffer.from(JSON.stringify({ errorMessage: message })), functionError: 'Unhandled', errorType: 'Sandbox.Timedout' });
  }

  private onMemoryPoll(): void {
    const active = this.active;
    if (!active) return;
    if (currentMemoryMb(this.status) <= this.spec.memoryMb) {
      this.watch?.memory.refresh();
      return;
    }
    this.kill();
    const message = `RequestId: ${active.request.requestId} Error: Runtime exited with error: signal: killed`;
    active.finish({ status: 'out-of-memory', payload: errorBody('Runtime.OutOfMemory', message), functionError: 'Unhandled', errorType: 'Runtime.OutOfMemory' });
  }

  /** Kills the process and frees the Runtime API port. Safe to call in any state. */
  dispose(): void {
    if (this.watch) {
      clearTimeout(this.watch.timeout);
      clearTimeout(this.watch.memory);
    }
    this.kill();
    this.api.close();
    this.status?.close();
    if (this.state !== 'dead') this.state = 'dead';
  }

  private kill(): void {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    if (this.state !== 'dead') this.state = 'dead';
    this.api.close();
    this.removeTmp();
  }

  private removeTmp(): void {
    if (this.tmpDir === undefined) return;
    rmSync(this.tmpDir, { recursive: true, force: true });
    this.tmpDir = undefined;
  }

  private onNext(): void {
    if (this.state === 'initializing') {
      this.transition('idle');
      const done = this.initDone;
      this.initDone = undefined;
      done?.({ ok: true, durationMs: performance.now() - this.initStartedAt, logs: this.takeLines() });
    }
  }

  private failInit(outcome: InitOutcome): void {
    const done = this.initDone;
    if (!done) return;
    this.initDone = undefined;
    this.kill();
    done(outcome);
  }

  /** Waits until the runtime's end-of-output marker arrives (unless it wrote nothing), so late log lines are not lost. */
  private complete(requestId: string, result: Omit<InvocationOutcome, 'logs' | 'durationMs' | 'maxMemoryUsedMb'>, silent: boolean): void {
    const active = this.active;
    if (active?.request.requestId !== requestId) return;
    if (!this.marksOutput || silent || this.sawMarker(requestId)) {
      active.finish(result);
      return;
    }
    const fallback = setTimeout(() => {
      this.markerSeen = undefined;
      active.finish(result);
    }, 200);
    this.markerSeen = () => {
      clearTimeout(fallback);
      this.markerSeen = undefined;
      active.finish(result);
    };
  }

  private sawMarker(requestId: string): boolean {
    return this.pendingMarkers.delete(requestId);
  }

  private onOutput(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    const text = this.partial[stream] + chunk.toString('utf8');
    const parts = text.split('\n');
    this.partial[stream] = parts.pop() ?? '';
    for (const line of parts) {
      if (line.startsWith(END_MARKER)) {
        const requestId = line.slice(END_MARKER.length + 1);
        if (this.markerSeen && this.active?.request.requestId === requestId) this.markerSeen();
        else this.pendingMarkers.add(requestId);
        continue;
      }
      // Our runtimes write a multi-line log message as one line with \r, as one CloudWatch event.
      this.lines.push(line.replace(/\r/g, '\n'));
    }
  }

  private takeLines(): string[] {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) {
        this.lines.push(this.partial[stream]);
        this.partial[stream] = '';
      }
    }
    const lines = this.lines;
    this.lines = [];
    return lines;
  }

  private onExit(reason: string): void {
    // The result is in; only the output marker was outstanding.
    if (this.markerSeen) this.markerSeen();
    const wasDead = this.state === 'dead';
    if (this.initDone) {
      const message = `RequestId: init Error: Runtime exited with error: ${reason}`;
      this.failInit({ ok: false, durationMs: performance.now() - this.initStartedAt, logs: this.takeLines(), error: { errorType: 'Runtime.ExitError', errorMessage: message, body: errorBody('Runtime.ExitError', message) }, status: 'crash' });
      return;
    }
    if (this.active && !wasDead) {
      const message = `RequestId: ${this.active.request.requestId} Error: Runtime exited with error: ${reason}`;
      this.state = 'dead';
      this.active.finish({ status: 'crash', payload: errorBody('Runtime.ExitError', message), functionError: 'Unhandled', errorType: 'Runtime.ExitError' });
    }
    this.state = 'dead';
    this.api.close();
    this.status?.close();
    this.removeTmp();
  }
}
