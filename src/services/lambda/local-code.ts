/**
 * Local code, a Nimbus extension for development (in the spirit of LocalStack's hot reloading): a function
 * created or updated with `Code: { S3Bucket: 'nimbus-local', S3Key: '/absolute/path/to/dir' }` runs straight
 * from that directory, with no zip, and an edit there shows on the next invoke without redeploying.
 *
 * CodeSha256 is a digest of the path and a fingerprint of the content at deploy time (names, sizes and
 * modification times, not bytes); CodeSize is 0, as nothing was uploaded. Changes are noticed by a
 * recursive fs.watch where the platform has one, else by rescanning the fingerprint when an invoke arrives.
 * Each change moves the directory's generation; the invoker keys environments by it, so an edit means a
 * fresh environment (a cold start) with the new code. The watch starts with the first invoke; on Linux,
 * Node builds it by walking the tree once (about a second for 10,000 files, e.g. a big node_modules).
 */
import { createHash } from 'node:crypto';
import type { FSWatcher } from 'node:fs';
import { lstatSync, readdirSync, statSync, watch } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Collection, Store } from '../../store/store.js';
import { scopedName } from '../../store/store.js';
import type { Lifecycle } from '../service.js';
import { invalidParameter } from './errors.js';
import type { FunctionScope } from './function-record.js';

/** The S3Bucket value that marks a code location as a local directory (S3Key is its absolute path). */
export const LOCAL_CODE_BUCKET = 'nimbus-local';

/** The fingerprint and the fallback scan stop after this many entries, so a scan stays cheap. */
const MAX_SCANNED_ENTRIES = 5000;

/** Written by runtimes and tools, not part of the code: Python's bytecode cache, a Git checkout's metadata. */
const IGNORED_NAMES = new Set(['__pycache__', '.git']);

export interface LocalCodeLocation {
  sha256: string;
  /** Always 0: nothing was uploaded. */
  size: number;
}

interface DirectoryState {
  generation: number;
  /** Set while a recursive watch reports changes; otherwise each observation rescans. */
  watcher?: FSWatcher;
  /** The content as the last scan saw it (when there is no watch). */
  fingerprint?: string;
  /** The generation each consumer (a function) last observed. */
  seen: Map<string, number>;
}

/** Names, and the sizes and modification times of files, of up to MAX_SCANNED_ENTRIES entries in a stable order; symlinks are not followed. */
function fingerprint(directory: string): string {
  const hash = createHash('sha256');
  const pending = [''];
  let entries = 0;
  while (pending.length && entries < MAX_SCANNED_ENTRIES) {
    const relative = pending.pop()!;
    let names: string[];
    try {
      names = readdirSync(join(directory, relative)).sort();
    } catch {
      continue; // unreadable, or gone since its parent was read
    }
    for (const name of names) {
      if (IGNORED_NAMES.has(name)) continue;
      if (++entries > MAX_SCANNED_ENTRIES) break;
      const path = relative ? `${relative}/${name}` : name;
      const stats = lstatSync(join(directory, path), { throwIfNoEntry: false });
      if (!stats) continue;
      if (stats.isDirectory()) {
        // A directory's own times move when an ignored entry (a __pycache__) appears in it; its entries tell the rest.
        hash.update(`${path}/\n`);
        pending.push(path);
      } else {
        hash.update(`${path}\u0000${String(stats.size)}\u0000${String(stats.mtimeMs)}\n`);
      }
    }
  }
  return hash.digest('base64');
}

const rememberedKey = (scope: FunctionScope, sha256: string): string => `${scope.account}/${scope.region}/${sha256}`;

function ignored(changedPath: string | null): boolean {
  return changedPath !== null && changedPath.split(/[\\/]/).some((part) => IGNORED_NAMES.has(part));
}

/** Bound on remembered lookups (a code hash is uploaded or local for good; the bound only caps memory). */
const MAX_REMEMBERED = 10_000;

export class LocalCode {
  private readonly directories = new Map<string, DirectoryState>();
  /**
   * Every invocation asks whether its code is local; almost never is it, and a store lookup that finds
   * nothing is not cached by the store, so the answers are kept here (by scope and CodeSha256).
   */
  private readonly remembered = new Map<string, string | undefined>();

  constructor(
    private readonly store: Store,
    lifecycle: Lifecycle,
    /** False rescans on every observation, as on a platform without a recursive fs.watch. */
    private readonly watchChanges = true,
  ) {
    lifecycle.onReset(() => {
      this.close();
    });
    lifecycle.onStop(() => {
      this.close();
    });
  }

  static isLocal(bucket: string | undefined): boolean {
    return bucket === LOCAL_CODE_BUCKET;
  }

  /** Checks a local code location (S3Key) and remembers it under its CodeSha256. */
  register(scope: FunctionScope, key: string | undefined): LocalCodeLocation {
    if (!key || !isAbsolute(key)) {
      throw invalidParameter(`S3Key must be the absolute path of a directory when S3Bucket is '${LOCAL_CODE_BUCKET}' (Nimbus local code), got '${key ?? ''}'.`);
    }
    const directory = resolve(key);
    if (!statSync(directory, { throwIfNoEntry: false })?.isDirectory()) {
      throw invalidParameter(`The local code directory '${directory}' (S3Bucket '${LOCAL_CODE_BUCKET}') does not exist or is not a directory.`);
    }
    const sha256 = createHash('sha256').update(`${LOCAL_CODE_BUCKET}:${directory}\u0000${fingerprint(directory)}`).digest('base64');
    this.locations(scope).put(sha256, { directory });
    this.remembered.delete(rememberedKey(scope, sha256));
    return { sha256, size: 0 };
  }

  /** The directory behind a function's CodeSha256 when its code is local; undefined for uploaded code. */
  directoryOf(scope: FunctionScope, sha256: string): string | undefined {
    const key = rememberedKey(scope, sha256);
    if (this.remembered.has(key)) return this.remembered.get(key);
    const directory = this.locations(scope).get(sha256)?.directory;
    if (this.remembered.size >= MAX_REMEMBERED) this.remembered.clear();
    this.remembered.set(key, directory);
    return directory;
  }

  /**
   * The directory's generation now, and whether it moved since `consumer` last observed it (false the
   * first time). Starts watching the directory on first use.
   */
  async observe(directory: string, consumer: string): Promise<{ generation: number; changed: boolean }> {
    const state = this.directories.get(directory) ?? this.start(directory);
    if (state.watcher) {
      // Changes made before this invoke arrived are already queued by the kernel: one turn of the
      // event loop delivers them.
      await new Promise<void>((done) => setImmediate(done));
    } else {
      const now = fingerprint(directory);
      if (now !== state.fingerprint) {
        state.fingerprint = now;
        state.generation++;
      }
    }
    const seen = state.seen.get(consumer);
    state.seen.set(consumer, state.generation);
    return { generation: state.generation, changed: seen !== undefined && seen !== state.generation };
  }

  close(): void {
    for (const state of this.directories.values()) state.watcher?.close();
    this.directories.clear();
    this.remembered.clear();
  }

  private locations(scope: FunctionScope): Collection<{ directory: string }> {
    return this.store.collection(scopedName('lambda', scope.account, scope.region, 'local-code'));
  }

  private start(directory: string): DirectoryState {
    const state: DirectoryState = { generation: 0, seen: new Map() };
    this.directories.set(directory, state);
    if (!this.watchChanges) {
      state.fingerprint = fingerprint(directory);
      return state;
    }
    try {
      // Not persistent: a watch must never keep Nimbus running.
      state.watcher = watch(directory, { recursive: true, persistent: false }, (_event, changed) => {
        if (!ignored(changed)) state.generation++;
      });
      state.watcher.on('error', () => {
        // The directory went away or the platform ran out of watches: rescan on each invoke instead.
        state.watcher?.close();
        state.watcher = undefined;
        state.fingerprint = fingerprint(directory);
        state.generation++;
      });
    } catch {
      // No recursive watch on this platform (ERR_FEATURE_UNAVAILABLE_ON_PLATFORM): rescan on each invoke.
      state.watcher = undefined;
      state.fingerprint = fingerprint(directory);
    }
    return state;
  }
}
