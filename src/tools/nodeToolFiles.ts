/**
 * The tools' files over node:fs, for the CLI and the tests: the listing of the context scanner's Node source
 * (.gitignore honoured, dependency and build folders not descended into, links not followed), and reads that
 * never pass through a symbolic link: every folder on the way is checked with lstat (once per folder), the file
 * itself is opened with O_NOFOLLOW, and only a regular file is read (a FIFO would block, a device never ends).
 * Reads are synchronous: measured on 49,000 small files, 0.6 s against 6 s for fs.promises on two cores.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeFileSource, type NodeSourceOptions } from '../context/nodeFileSource';
import type { FileEntry } from '../context/types';
import type { ToolFiles } from './types';

/** A read refused by the file layer; `code` says why, as node's own errors do. */
export class ToolFileError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

/** The files of the folder `root`; paths are relative to it with '/' separators. */
export function nodeToolFiles(root: string, options: NodeSourceOptions = {}): ToolFiles {
  const abs = path.resolve(root);
  const source = nodeFileSource(abs, options);
  // Folders already checked on the way to some file: '' when fine, else why not.
  const folders = new Map<string, string>();
  return {
    list: signal => source.list(signal) as Promise<FileEntry[]>,
    read: async (rel, maxBytes) => readWithoutLinks(abs, rel, maxBytes, folders),
  };
}

function readWithoutLinks(root: string, rel: string, maxBytes: number, folders: Map<string, string>): Uint8Array {
  const parts = rel.split('/');
  if (rel === '' || parts.some(p => p === '' || p === '.' || p === '..') || path.isAbsolute(rel) || rel.includes('\0')) {
    throw new ToolFileError(`refused path ${JSON.stringify(rel)}: not inside the folder`, 'EPERM');
  }
  // A folder is marked fine only after every folder above it was, so a fine parent vouches for the whole way.
  const parent = rel.slice(0, Math.max(0, rel.lastIndexOf('/')));
  for (let i = parent && folders.get(parent) === '' ? parts.length : 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    let why = folders.get(dir);
    if (why === undefined) {
      why = folderProblem(path.join(root, ...parts.slice(0, i)));
      folders.set(dir, why);
    }
    if (why) { throw new ToolFileError(`${dir}/ ${why}`, why.includes('link') ? 'ELOOP' : why.includes('exist') ? 'ENOENT' : 'ENOTDIR'); }
  }
  let fd: number;
  try {
    // The parts were checked above (no '', '.', '..'), so plain joining is exact; path.join normalises 50,000 times.
    fd = fs.openSync(path.sep === '/' ? `${root}/${rel}` : path.join(root, ...parts), fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    if (code === 'ELOOP') { throw new ToolFileError('a symbolic link; links are never followed', 'ELOOP'); }
    throw e;
  }
  try {
    // fstat is a fourth system call per file; a search over 50,000 files feels it, so small reads skip it:
    // a folder or a FIFO fails the read itself (EISDIR, EAGAIN), and only a file is left that reads.
    if (maxBytes <= SCRATCH.length) { return readSmall(fd, maxBytes); }
    const st = fs.fstatSync(fd);
    if (!st.isFile()) { throw notAFile(st.isDirectory()); }
    const want = Math.min(maxBytes, st.size);
    const buf = Buffer.allocUnsafe(want);
    let off = 0;
    while (off < want) {
      const n = fs.readSync(fd, buf, off, want - off, off);
      if (n === 0) { break; }
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    fs.closeSync(fd);
  }
}

const PAGE = 4096;
/** Reused for small reads; what was read is copied out. */
const SCRATCH = Buffer.allocUnsafe(1024 * 1024 + 1);

function notAFile(dir: boolean): ToolFileError {
  return new ToolFileError(dir ? 'a folder, not a file' : 'not a regular file', dir ? 'EISDIR' : 'EPERM');
}

function readSmall(fd: number, maxBytes: number): Uint8Array {
  let off = 0;
  try {
    while (off < maxBytes) {
      const n = fs.readSync(fd, SCRATCH, off, maxBytes - off, off);
      off += n;
      // A first read shorter than a page is the end of a regular file (file systems split reads at pages or
      // more), so the read that would return 0 is skipped: a quarter of the system calls of a search.
      if (n === 0 || (off === n && n < maxBytes && n < PAGE)) { break; }
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') { throw notAFile(true); }
    if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINVAL') { throw notAFile(false); }
    throw e;
  }
  // A regular file reads what it has; a character device could go on for ever, so only a file gets here whole.
  if (off === maxBytes && maxBytes > 0 && !fs.fstatSync(fd).isFile()) { throw notAFile(false); }
  return keep(off);
}

/** Small reads are copied into shared slabs: one allocation per slab, not one per file (50,000 of them in a search). */
const SLAB_BYTES = 4 * 1024 * 1024;
let slab = Buffer.allocUnsafe(0);
let slabUsed = 0;

function keep(length: number): Uint8Array {
  if (length > SLAB_BYTES / 16) { return Buffer.from(SCRATCH.subarray(0, length)); }
  if (slabUsed + length > slab.length) {
    slab = Buffer.allocUnsafe(SLAB_BYTES);
    slabUsed = 0;
  }
  // Buffer#copy and a plain view: measured about twice as fast as Buffer.from or Buffer#subarray per small file.
  SCRATCH.copy(slab, slabUsed, 0, length);
  const out = new Uint8Array(slab.buffer, slab.byteOffset + slabUsed, length);
  slabUsed += length;
  return out;
}

/** '' for a real folder; otherwise what it is instead. */
function folderProblem(p: string): string {
  try {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) { return 'is a symbolic link; links are never followed'; }
    return st.isDirectory() ? '' : 'is not a folder';
  } catch {
    return 'does not exist';
  }
}
