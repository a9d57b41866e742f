/** Builds function zips in memory for tests. */
import { ZipFile } from 'yazl';

export interface ZipEntry {
  content: string;
  /** Unix permissions, e.g. 0o755 for a `provided` runtime's bootstrap. */
  mode?: number;
}

export function zip(files: Record<string, string | ZipEntry>): Promise<Buffer> {
  const archive = new ZipFile();
  for (const [name, entry] of Object.entries(files)) {
    const { content, mode } = typeof entry === 'string' ? { content: entry, mode: 0o644 } : entry;
    archive.addBuffer(Buffer.from(content), name, { mode: 0o100000 | (mode ?? 0o644) });
  }
  archive.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    archive.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    archive.outputStream.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    archive.outputStream.on('error', reject);
  });
}
