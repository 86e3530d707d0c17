/**
 * What writing an artifact to its suggested path would do, decided once, by the code that writes: the card
 * shows it before any click, Write All lists it, the editor's writer and the CLI's `--out` act on it, and
 * `extract --json` prints it. Pure (no `vscode`); it reads the file system only to look (realpath, lstat).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkArtifactPath } from './paths';

/** The verdict on one destination, with the words a person reads (the same on the card and in the CLI). */
export type WriteVerdict =
  | { action: 'create'; path: string; words: string }
  | { action: 'replace'; path: string; words: string }
  /** A sensitive place: written only after a second confirmation naming the risk. */
  | { action: 'ask'; path: string; replace: boolean; risk: string; words: string }
  /** No path in the answer: Write to Workspace asks for one; Write All leaves it out. */
  | { action: 'choose'; words: string }
  | { action: 'refused'; path?: string; reason: string; words: string }
  /** Nothing is written here at all (Restricted Mode). */
  | { action: 'off'; reason: string; words: string };

/** True when the verdict lets Write to Workspace or Write All go ahead (possibly after asking). */
export function writable(v: WriteVerdict): boolean {
  return v.action === 'create' || v.action === 'replace' || v.action === 'ask';
}

/** Why nothing is written in a workspace that is not trusted, and the way out. */
export const RESTRICTED_REASON = 'Restricted Mode: trust this folder to write files into it';

/** The verdict for every artifact when writing is off, e.g. in Restricted Mode. */
export function writingOff(reason: string = RESTRICTED_REASON): WriteVerdict {
  return { action: 'off', reason, words: `writing is off: ${reason}` };
}

function refused(reason: string, p?: string): WriteVerdict {
  return { action: 'refused', ...(p === undefined ? {} : { path: p }), reason, words: `refused: ${reason}` };
}

function caseInsensitiveFs(): boolean {
  return process.platform === 'win32' || process.platform === 'darwin';
}

function isInside(root: string, p: string): boolean {
  const [r, q] = caseInsensitiveFs() ? [root.toLowerCase(), p.toLowerCase()] : [root, p];
  const rel = path.relative(r, q);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The deepest part of `p` that exists, resolved through links. */
function nearestExistingReal(p: string): string {
  for (let current = p; ; current = path.dirname(current)) {
    try {
      return fs.realpathSync(current);
    } catch {
      if (path.dirname(current) === current) { throw new Error(`nothing of ${p} exists`); }
    }
  }
}

/** Where a verdict that allows writing puts the file: the canonical folder joined with the checked path. */
export interface WriteTarget {
  verdict: WriteVerdict;
  /** Absolute path of the destination, when the verdict allows writing. */
  absolute?: string;
}

/**
 * Judges writing `suggested` (a path as the model or the person gave it) under the folder `root`: the path
 * rules (checkArtifactPath), then on disk: never through a symbolic link, never to a place a folder link
 * leads out of the folder, never over something that is not a file. Never throws. Synchronous on purpose:
 * a few stat calls, so a card can carry its verdict the moment its block closes.
 */
export function judgeWrite(root: string, suggested: string | undefined): WriteTarget {
  if (suggested === undefined || !suggested.trim()) {
    return { verdict: { action: 'choose', words: 'no path: Write to Workspace asks for one' } };
  }
  const rules = checkArtifactPath(suggested);
  if (!rules.ok) { return { verdict: refused(rules.reason) }; }
  const rel = rules.path;
  try {
    const realRoot = fs.realpathSync(root);
    const absolute = path.join(realRoot, ...rel.split('/'));
    let existing: fs.Stats | undefined;
    try { existing = fs.lstatSync(absolute); } catch { /* a new file */ }
    if (existing?.isSymbolicLink()) { return { verdict: refused('the destination is a symbolic link; links are never written through', rel) }; }
    if (!isInside(realRoot, nearestExistingReal(absolute))) { return { verdict: refused('a folder on the way is a link that leads outside the workspace folder', rel) }; }
    if (existing && !existing.isFile()) { return { verdict: refused('the destination exists and is not a file', rel) }; }
    const replace = existing !== undefined;
    if (rules.sensitive) {
      return { absolute, verdict: { action: 'ask', path: rel, replace, risk: rules.sensitive, words: `sensitive place: will ask (${rules.sensitive})` } };
    }
    return replace
      ? { absolute, verdict: { action: 'replace', path: rel, words: `will replace ${rel} (diff first)` } }
      : { absolute, verdict: { action: 'create', path: rel, words: `will create ${rel}` } };
  } catch (e) {
    return { verdict: refused(`the folder cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, rel) };
  }
}
