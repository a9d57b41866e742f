/**
 * Function code: the uploaded zip is kept content-addressed under the files directory and unpacked once
 * per distinct content, so versions and functions sharing code share one copy. Limits and messages are
 * Lambda's (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 */
import { createHash, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Entry, ZipFile } from 'yauzl';
import yauzl from 'yauzl';
import { ServiceError } from '../../shared/errors.js';
import { NIMBUS_NODE_MODULES } from './runtime/runtimes.js';

/** 50 MB zipped for a direct upload; 250 MB unzipped including layers. */
export const MAX_ZIPPED_BYTES = 50 * 1024 * 1024;
export const MAX_UNZIPPED_BYTES = 262_144_000;

export interface StoredCode {
  /** Base64 SHA-256 of the zip, as Lambda reports CodeSha256. */
  sha256: string;
  size: number;
  /** The unpacked size, which counts towards the 250 MB limit for a function and its layers. */
  unzippedSize: number;
  /** Where the code is unpacked: the task root of the function's environments. */
  directory: string;
}

function invalidZip(): ServiceError {
  return new ServiceError('InvalidParameterValueException', 'Could not unzip uploaded file. Please check your file, then try to upload again.', 400, { Type: 'User' });
}

function openZip(zip: Buffer): Promise<ZipFile> {
  return new Promise((resolvePromise, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true }, (error, file) => {
      if (error) reject(invalidZip());
      else resolvePromise(file);
    });
  });
}

function readEntry(file: ZipFile, entry: Entry): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    file.openReadStream(entry, (error, stream) => {
      if (error) {
        reject(invalidZip());
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        resolvePromise(Buffer.concat(chunks));
      });
      stream.on('error', () => {
        reject(invalidZip());
      });
    });
  });
}

/** Unpacks into `target`, refusing entries that would land outside it and keeping Unix permissions. */
async function unzip(zip: Buffer, target: string): Promise<void> {
  const file = await openZip(zip);
  const root = resolve(target);
  let unzipped = 0;
  await new Promise<void>((resolvePromise, reject) => {
    const fail = (error: unknown): void => {
      file.close();
      reject(error instanceof ServiceError ? error : invalidZip());
    };
    file.on('entry', (entry: Entry) => {
      const path = resolve(root, entry.fileName);
      if (path !== root && !path.startsWith(root + sep)) {
        fail(invalidZip());
        return;
      }
      if (entry.fileName.endsWith('/')) {
        mkdirSync(path, { recursive: true });
        file.readEntry();
        return;
      }
      unzipped += entry.uncompressedSize;
      if (unzipped > MAX_UNZIPPED_BYTES) {
        fail(new ServiceError('InvalidParameterValueException', `Unzipped size must be smaller than ${String(MAX_UNZIPPED_BYTES)} bytes`, 400, { Type: 'User' }));
        return;
      }
      readEntry(file, entry)
        .then((content) => {
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, content);
          // The upper 16 bits of the external attributes hold the Unix mode when the zip was made on Unix.
          const mode = (entry.externalFileAttributes >>> 16) & 0o777;
          if (mode) chmodSync(path, mode | 0o444);
          file.readEntry();
        })
        .catch(fail);
    });
    file.on('end', () => {
      resolvePromise();
    });
    file.on('error', fail);
    file.readEntry();
  });
}

/** Bytes of every file under a directory. */
function treeSize(directory: string): number {
  let total = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

function linkTarget(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

export class CodeStore {
  constructor(private readonly filesDir: string) {
    // ES module imports walk up from the handler's directory (lambda/code/<sha>/) to lambda/node_modules:
    // linking Nimbus's node_modules there lets handlers import the AWS SDK without a resolve hook.
    const link = join(filesDir, 'lambda', 'node_modules');
    mkdirSync(dirname(link), { recursive: true });
    // A data dir may outlive the Nimbus checkout that made it: point the link at this one.
    if (linkTarget(link) !== NIMBUS_NODE_MODULES) {
      rmSync(link, { force: true });
      symlinkSync(NIMBUS_NODE_MODULES, link, 'dir');
    }
  }

  /**
   * Keeps a zip and unpacks it (once per distinct content): function code and layer content alike. Throws
   * Lambda's errors for bad zips, naming `operation` as Lambda does.
   */
  async put(zip: Buffer, operation = 'CreateFunction'): Promise<StoredCode> {
    if (zip.length > MAX_ZIPPED_BYTES) {
      throw new ServiceError('RequestTooLargeException', `Request must be smaller than 69905067 bytes for the ${operation} operation`, 413, { Type: 'User' });
    }
    const digest = createHash('sha256').update(zip).digest();
    const id = digest.toString('hex');
    const directory = join(this.filesDir, 'lambda', 'code', id);
    if (!existsSync(directory)) {
      // Unpack beside the final place and rename, so a crash never leaves a half-unpacked directory in use.
      const staging = `${directory}.partial-${String(process.pid)}`;
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging, { recursive: true });
      try {
        await unzip(zip, staging);
      } catch (error) {
        rmSync(staging, { recursive: true, force: true });
        throw error;
      }
      mkdirSync(join(this.filesDir, 'lambda', 'zips'), { recursive: true });
      writeFileSync(join(this.filesDir, 'lambda', 'zips', `${id}.zip`), zip);
      if (existsSync(directory)) rmSync(staging, { recursive: true, force: true });
      else renameSync(staging, directory);
    }
    return { sha256: digest.toString('base64'), size: zip.length, unzippedSize: treeSize(directory), directory };
  }

  /** The unpacked size of code stored earlier (0 for code that was never uploaded: a local directory). */
  unzippedSize(sha256: string): number {
    const directory = this.directoryOf(sha256);
    return existsSync(directory) ? treeSize(directory) : 0;
  }

  /**
   * The layers of a function merged, in order, into one directory: what Lambda mounts at /opt (later layers
   * overwrite the files of earlier ones). One directory per distinct list of layer contents, made once.
   */
  async layersDirectory(sha256s: string[]): Promise<string> {
    const id = createHash('sha256').update(sha256s.join('\n')).digest('hex');
    const directory = join(this.filesDir, 'lambda', 'opt', id);
    if (existsSync(directory)) return directory;
    // Two environments may start at once: each merges into its own staging directory and the first rename wins.
    const staging = `${directory}.partial-${randomUUID()}`;
    try {
      mkdirSync(staging, { recursive: true });
      for (const sha256 of sha256s) await cp(this.directoryOf(sha256), staging, { recursive: true, force: true });
      renameSync(staging, directory);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(directory)) throw error;
    }
    return directory;
  }

  /** The unpacked directory of code stored earlier, by its base64 SHA-256. */
  directoryOf(sha256: string): string {
    return join(this.filesDir, 'lambda', 'code', Buffer.from(sha256, 'base64').toString('hex'));
  }

  zipPath(sha256: string): string {
    return join(this.filesDir, 'lambda', 'zips', `${Buffer.from(sha256, 'base64').toString('hex')}.zip`);
  }
}
