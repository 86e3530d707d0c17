/**
 * The shipped data dir (scripts/make-pgdata.mjs), put in PGlite's in-memory file system without copying it.
 * PGlite's own `loadDataDir` decodes every tar header field through strings, copies each file out of the
 * tar, then copies it again into its file system: about 0.14 s of a 0.9 s cold start (measured, profile of
 * `validate` on a three-line file). Here each file's node points into the one buffer the tar was read into;
 * Emscripten's MEMFS copies a file only when Postgres grows it. Runs in the worker (pgliteWorker.ts).
 */
import type { MemoryFS as MemoryFSClass, PGlite as PGliteClass } from '@electric-sql/pglite';

/** One entry of a plain (ustar) tar: a directory, or a file's bytes as a view into the tar. */
export interface DataDirEntry {
  path: string;
  dir: boolean;
  data: Uint8Array;
  mtime: number;
}

const BLOCK = 512;

function field(tar: Uint8Array, at: number, length: number): string {
  const bytes = tar.subarray(at, at + length);
  const end = bytes.indexOf(0);
  return Buffer.from(bytes.buffer, bytes.byteOffset, end === -1 ? length : end).toString('latin1');
}

function octal(tar: Uint8Array, at: number, length: number): number {
  const text = field(tar, at, length).trim();
  return /^[0-7]*$/.test(text) ? parseInt(text || '0', 8) : NaN;
}

/**
 * The entries of a plain tar of regular files and directories, or undefined for anything else (long names,
 * links, a damaged header): the caller then lets PGlite read the tar its own way.
 */
export function dataDirEntries(tar: Uint8Array): DataDirEntry[] | undefined {
  const entries: DataDirEntry[] = [];
  for (let at = 0; at + BLOCK <= tar.length;) {
    if (tar[at] === 0) { return entries; } // the zero blocks that end the archive
    const size = octal(tar, at + 124, 12);
    const type = String.fromCharCode(tar[at + 156] || 0x30);
    const name = field(tar, at + 0, 100);
    const prefix = field(tar, at + 345, 155);
    const start = at + BLOCK;
    if (!Number.isFinite(size) || start + size > tar.length || (type !== '0' && type !== '5')) { return undefined; }
    const path = `${prefix ? `${prefix}/` : ''}${name}`.replace(/^\.?\/+/, '').replace(/\/+$/, '');
    if (path.split('/').includes('..')) { return undefined; }
    entries.push({ path, dir: type === '5', data: tar.subarray(start, start + size), mtime: octal(tar, at + 136, 12) * 1000 || 0 });
    at = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return undefined;
}

/** The parts of Emscripten's FS used here (PGlite's typings leave them out). */
interface EmscriptenFs {
  mkdirTree(path: string): void;
  open(path: string, flags: string): unknown;
  write(stream: unknown, buffer: Uint8Array, offset: number, length: number, position: number, canOwn: boolean): number;
  close(stream: unknown): void;
  utime(path: string, atime: number, mtime: number): void;
}

/**
 * A MemoryFS that holds these entries under PGDATA when PGlite starts, so PGlite finds a data dir and
 * starts Postgres on it ("resuming") instead of running initdb. `MemoryFS` and `PGlite` are passed in:
 * the worker requires PGlite at run time (see pgliteWorker.ts).
 */
export function preloadedMemoryFs(MemoryFS: typeof MemoryFSClass, PGlite: typeof PGliteClass, entries: DataDirEntry[]): MemoryFSClass {
  class PreloadedMemoryFs extends MemoryFS {
    override async initialSyncFs(): Promise<void> {
      await super.initialSyncFs();
      const fs = (this.pg as PGliteClass).Module.FS as unknown as EmscriptenFs;
      const root = PGlite.paths.PGDATA;
      fs.mkdirTree(root);
      for (const e of entries) {
        const target = `${root}/${e.path}`;
        if (e.dir) {
          fs.mkdirTree(target);
          continue;
        }
        fs.mkdirTree(target.slice(0, target.lastIndexOf('/')));
        const stream = fs.open(target, 'w');
        // canOwn: the file's node keeps this view instead of a copy.
        fs.write(stream, e.data, 0, e.data.length, 0, true);
        fs.close(stream);
        if (e.mtime) { fs.utime(target, e.mtime, e.mtime); }
      }
    }
  }
  return new PreloadedMemoryFs();
}
