/**
 * Writing artifacts under a folder on the command line, with the same path rules as the extension: the
 * suggested path must pass checkArtifactPath, the nearest existing parent must resolve (realpath) inside the
 * folder, and an existing symlink is never written through. Sensitive destinations are refused here: the
 * CLI has nobody to ask for the second confirmation.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkArtifactPath } from './paths';

export type WriteOutcome =
  | { written: true; path: string; absolute: string }
  | { written: false; path: string; reason: string };

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The deepest ancestor of `p` (or `p` itself) that exists, resolved through symlinks. */
function nearestExistingReal(p: string): string {
  let current = p;
  for (;;) {
    try {
      return fs.realpathSync(current);
    } catch {
      const parent = path.dirname(current);
      if (parent === current) { throw new Error(`nothing of ${p} exists`); }
      current = parent;
    }
  }
}

/** Writes one artifact under `root`, or says why not. Never follows a symlink at the destination. */
export function writeUnder(root: string, suggested: string, content: string, options: { overwrite?: boolean } = {}): WriteOutcome {
  const verdict = checkArtifactPath(suggested);
  if (!verdict.ok) { return { written: false, path: suggested, reason: verdict.reason }; }
  if (verdict.sensitive) { return { written: false, path: verdict.path, reason: `sensitive destination: ${verdict.sensitive}` }; }
  const realRoot = fs.realpathSync(root);
  const target = path.join(realRoot, ...verdict.path.split('/'));
  let existing: fs.Stats | undefined;
  try { existing = fs.lstatSync(target); } catch { /* new file */ }
  if (existing?.isSymbolicLink()) { return { written: false, path: verdict.path, reason: 'the destination is a symbolic link; links are never written through' }; }
  if (!isInside(realRoot, nearestExistingReal(target))) {
    return { written: false, path: verdict.path, reason: 'a folder on the way is a link that leads outside the output folder' };
  }
  if (existing && !existing.isFile()) { return { written: false, path: verdict.path, reason: 'the destination exists and is not a file' }; }
  if (existing && !options.overwrite) { return { written: false, path: verdict.path, reason: 'the file exists (pass --force to overwrite)' }; }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Checked again after creating folders: a link created meanwhile must not redirect the write.
  if (!isInside(realRoot, fs.realpathSync(path.dirname(target)))) {
    return { written: false, path: verdict.path, reason: 'the destination folder resolves outside the output folder' };
  }
  // 'wx' refuses to follow or replace anything that appeared since the check; overwrite replaces a plain file only.
  fs.writeFileSync(target, content, { flag: existing ? 'w' : 'wx' });
  return { written: true, path: verdict.path, absolute: target };
}
