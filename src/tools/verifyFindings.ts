/**
 * Review findings checked against the reviewed folder: a finding whose file does not exist there, or whose
 * line is past the end of that file, is unverified (the model made it up or misremembered it) and stays out
 * of the Problems panel. Reads only to count lines; nothing read here goes to the model. Pure.
 */
import type { Finding } from '../context/findings';
import { checkArtifactPath } from '../artifacts/paths';
import { neverListed } from './readPaths';
import type { ToolFiles } from './types';

/** Files longer than this are counted only this far; a line beyond it is given the benefit of the doubt. */
const COUNT_BYTES = 8 * 1024 * 1024;

/** A finding and whether its place is real; `verified` is absent when it names no file. */
export type VerifiedFinding = Finding & { verified?: boolean };

/** What a file is, as far as checking a line goes: missing, or its line count (undefined when not counted). */
type FileFacts = { exists: false } | { exists: true; lines?: number };

async function factsOf(files: ToolFiles, path: string): Promise<FileFacts> {
  try {
    // A secret file is only looked for, never read, even here.
    if (neverListed(path)) { await files.read(path, 0); return { exists: true }; }
    const bytes = await files.read(path, COUNT_BYTES + 1);
    if (bytes.length > COUNT_BYTES) { return { exists: true }; }
    let lines = 0;
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) { lines++; }
    if (bytes.length > 0 && bytes[bytes.length - 1] !== 10) { lines++; }
    return { exists: true, lines };
  } catch {
    return { exists: false };
  }
}

/** Each finding with `verified` set where it names a file (relative to the folder `files` reads). */
export async function verifyFindings(findings: readonly Finding[], files: ToolFiles): Promise<VerifiedFinding[]> {
  const facts = new Map<string, Promise<FileFacts>>();
  return Promise.all(findings.map(async f => {
    if (!f.file) { return { ...f }; }
    const verdict = checkArtifactPath(f.file);
    if (!verdict.ok) { return { ...f, verified: false }; }
    let p = facts.get(verdict.path);
    if (!p) { p = factsOf(files, verdict.path); facts.set(verdict.path, p); }
    const file = await p;
    const verified = file.exists && (f.line === undefined || file.lines === undefined || f.line <= file.lines);
    return { ...f, verified };
  }));
}
