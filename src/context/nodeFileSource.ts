/**
 * A FileSource over node:fs for the CLI and the tests (the extension lists through VS Code instead).
 * It honours .gitignore files roughly (see ignore.ts for what is not supported), never follows
 * symbolic links, does not descend into dependency, build or VCS folders, and reads only inside
 * the root it was given.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dirSkipReason } from './classify';
import { isIgnored, parseGitignore, type IgnoreFile } from './ignore';
import type { FileEntry, FileSource } from './types';

/** Options for nodeFileSource. */
export interface NodeSourceOptions {
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  /**
   * Give each file its size, one lstat per file (default false). The scan does not need sizes: it caps
   * each read at what the file could use of the budget. Measured on 50,000 files: 0.2 s of lstat.
   */
  stat?: boolean;
  /** Stop listing after this many files (default 200,000). */
  maxFiles?: number;
}

interface DirJob {
  rel: string;
  ignores: IgnoreFile[];
}

/** Folders read at the same time while listing. */
const DIR_CONCURRENCY = 32;
const MAX_GITIGNORE_BYTES = 256 * 1024;

/** A FileSource rooted at `root`; paths it lists and accepts are relative to it, with '/' separators. */
export function nodeFileSource(root: string, options: NodeSourceOptions = {}): FileSource {
  const absRoot = path.resolve(root);
  let realRoot: Promise<string> | undefined;
  return {
    list: signal => listFiles(absRoot, options, signal),
    read: async (rel, maxBytes) => {
      realRoot ??= fs.promises.realpath(absRoot);
      return readInside(await realRoot, absRoot, rel, maxBytes);
    },
  };
}

async function listFiles(root: string, options: NodeSourceOptions, signal?: AbortSignal): Promise<FileEntry[]> {
  const max = options.maxFiles ?? 200_000;
  const out: FileEntry[] = [];
  let level: DirJob[] = [{ rel: '', ignores: [] }];
  // Breadth first, so when maxFiles cuts the listing short the shallow (more telling) files are in it.
  while (level.length > 0 && out.length < max) {
    const next: DirJob[] = [];
    for (let i = 0; i < level.length && out.length < max; i += DIR_CONCURRENCY) {
      signal?.throwIfAborted();
      const results = await Promise.all(level.slice(i, i + DIR_CONCURRENCY).map(d => readDir(root, d, options)));
      for (const r of results) {
        for (const f of r.files) { out.push(f); }
        for (const d of r.dirs) { next.push(d); }
      }
    }
    level = next;
  }
  if (out.length > max) { out.length = max; }
  if (options.stat === true) { await addSizes(root, out, signal); }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function readDir(root: string, job: DirJob, options: NodeSourceOptions): Promise<{ files: FileEntry[]; dirs: DirJob[] }> {
  const files: FileEntry[] = [];
  const dirs: DirJob[] = [];
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(path.join(root, job.rel), { withFileTypes: true });
  } catch {
    if (job.rel) { files.push({ path: `${job.rel}/`, skip: 'folder could not be read' }); }
    return { files, dirs };
  }
  let ignores = job.ignores;
  if (options.gitignore !== false && entries.some(e => e.name === '.gitignore' && e.isFile())) {
    const text = await readSmall(path.join(root, job.rel, '.gitignore'));
    if (text !== undefined) { ignores = [...ignores, parseGitignore(text, job.rel)]; }
  }
  for (const e of entries) {
    const rel = job.rel ? `${job.rel}/${e.name}` : e.name;
    if (e.isSymbolicLink()) {
      // A link can point anywhere, ~/.ssh included (THREATS T6): listed as skipped, never followed.
      if (!isIgnored(ignores, rel, false)) { files.push({ path: rel, skip: 'symbolic link, not followed' }); }
    } else if (e.isDirectory()) {
      if (isIgnored(ignores, rel, true)) { continue; }
      const why = dirSkipReason(rel);
      if (why) { files.push({ path: `${rel}/`, skip: why }); } else { dirs.push({ rel, ignores }); }
    } else if (e.isFile() && !isIgnored(ignores, rel, false)) {
      files.push({ path: rel });
    }
  }
  return { files, dirs };
}

async function readSmall(file: string): Promise<string | undefined> {
  try {
    const st = await fs.promises.lstat(file);
    if (!st.isFile() || st.size > MAX_GITIGNORE_BYTES) { return undefined; }
    return await fs.promises.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Sizes by lstat, synchronously in slices: measured faster than one promise per file on large trees
 * (the thread pool's queue dominates), and the slices keep cancellation responsive.
 */
async function addSizes(root: string, entries: FileEntry[], signal?: AbortSignal): Promise<void> {
  const SLICE = 2000;
  for (let i = 0; i < entries.length; i += SLICE) {
    signal?.throwIfAborted();
    for (const e of entries.slice(i, i + SLICE)) {
      if (e.skip) { continue; }
      try {
        e.size = fs.lstatSync(path.join(root, e.path)).size;
      } catch {
        // Gone since the listing: the read will say so.
      }
    }
    await new Promise<void>(resolve => setImmediate(resolve));
  }
}

/** Rejects paths that could leave the root before touching the disk, then checks where the file really is. */
async function readInside(realRoot: string, root: string, rel: string, maxBytes: number): Promise<Uint8Array> {
  const parts = rel.replace(/\\/g, '/').split('/');
  if (rel === '' || path.isAbsolute(rel) || /^[a-zA-Z]:/.test(rel) || rel.includes('\0') || parts.includes('..')) {
    throw new Error(`refused path ${JSON.stringify(rel)}: not inside the folder`);
  }
  const real = await fs.promises.realpath(path.join(root, ...parts));
  const inside = path.relative(realRoot, real);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
    throw new Error(`refused path ${JSON.stringify(rel)}: it leads outside the folder`);
  }
  // O_NOFOLLOW: a file swapped for a link after the realpath check still cannot be followed.
  const handle = await fs.promises.open(real, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  try {
    const st = await handle.stat();
    if (!st.isFile()) { throw new Error('not a regular file'); }
    const want = Math.min(maxBytes, st.size);
    const buf = Buffer.alloc(want);
    let off = 0;
    while (off < want) {
      const { bytesRead } = await handle.read(buf, off, want - off, off);
      if (bytesRead === 0) { break; }
      off += bytesRead;
    }
    return buf.subarray(0, off);
  } finally {
    await handle.close();
  }
}
