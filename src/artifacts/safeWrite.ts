/**
 * Writing artifacts under a folder on the command line, on the same verdict as the extension (judgeWrite):
 * the path rules, the canonical folder, never through a link. Sensitive destinations are refused here: the
 * CLI has nobody to ask for the second confirmation.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { judgeWrite, type WriteVerdict } from './writePlan';

export type WriteOutcome =
  | { written: true; path: string; absolute: string; words: string }
  | { written: false; path: string; reason: string; words: string };

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The verdict as the command line acts on it: nobody is there to answer a sensitive place's question. */
export function cliVerdict(v: WriteVerdict): WriteVerdict {
  if (v.action !== 'ask') { return v; }
  const reason = `sensitive place, and nobody to ask on the command line (${v.risk})`;
  return { action: 'refused', path: v.path, reason, words: `refused: ${reason}` };
}

/** Writes one artifact under `root`, or says why not. Never follows a symlink at the destination. */
export async function writeUnder(root: string, suggested: string, content: string, options: { overwrite?: boolean } = {}): Promise<WriteOutcome> {
  const { verdict: judged, absolute } = judgeWrite(root, suggested);
  const verdict = cliVerdict(judged);
  const shown = 'path' in verdict && verdict.path ? verdict.path : suggested;
  if (!absolute || (verdict.action !== 'create' && verdict.action !== 'replace')) {
    return { written: false, path: shown, reason: 'reason' in verdict ? verdict.reason : verdict.words, words: verdict.words };
  }
  if (verdict.action === 'replace' && !options.overwrite) {
    return { written: false, path: shown, reason: 'the file exists (pass --force to overwrite)', words: verdict.words };
  }
  const realRoot = await fs.realpath(root);
  await fs.mkdir(path.dirname(absolute), { recursive: true });
  // Checked again after creating folders: a link created meanwhile must not redirect the write.
  if (!isInside(realRoot, await fs.realpath(path.dirname(absolute)))) {
    const reason = 'the destination folder resolves outside the output folder';
    return { written: false, path: shown, reason, words: `refused: ${reason}` };
  }
  // 'wx' refuses to follow or replace anything that appeared since the check; overwrite replaces a plain file only.
  await fs.writeFile(absolute, content, { flag: verdict.action === 'replace' ? 'w' : 'wx' });
  return { written: true, path: verdict.path, absolute, words: verdict.words };
}
