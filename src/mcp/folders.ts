/**
 * Where the agent tools may read: a `path` argument becomes a place inside one of the allowed folders, or a
 * refusal that says why. Checked twice: on the text (absolute paths elsewhere, `..`), then on the real path,
 * so a symbolic link inside a folder cannot lead out of it (THREATS T6). Pure of `vscode`.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { secretFileReason } from '../context/secrets';

/** A path inside an allowed folder: `abs` as given (resolved), `real` with links followed, `rel` for people. */
export type Placed =
  | { ok: true; root: string; abs: string; real: string; rel: string }
  | { ok: false; reason: string };

function isInsideOrSame(folder: string, target: string): boolean {
  const rel = path.relative(folder, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The real path of `target`, or of its nearest existing ancestor with the rest appended (a file not written yet). */
async function realPathOf(target: string): Promise<string> {
  const missing: string[] = [];
  let at = target;
  for (;;) {
    try {
      return path.join(await fs.realpath(at), ...missing.reverse());
    } catch (err) {
      const parent = path.dirname(at);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === at) { throw err; }
      missing.push(path.basename(at));
      at = parent;
    }
  }
}

/**
 * Places `given` (relative to the first folder, or absolute) inside one of `roots`. Refuses NUL bytes, paths
 * outside every folder, and paths whose real location (links followed) is outside the folder they name.
 */
export async function placeInside(roots: readonly string[], given: string): Promise<Placed> {
  if (roots.length === 0) { return { ok: false, reason: 'no folder is shared with this server (start it with --root DIR, or share a folder from the client)' }; }
  if (given.includes('\0')) { return { ok: false, reason: 'the path holds a NUL character' }; }
  const abs = path.resolve(roots[0], given);
  const root = roots.map(r => path.resolve(r)).find(r => isInsideOrSame(r, abs));
  if (!root) { return { ok: false, reason: `${given} is outside the folders this server may read (${roots.join(', ')})` }; }
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realPathOf(abs), fs.realpath(root)]);
  } catch (err) {
    return { ok: false, reason: `${given} cannot be resolved: ${(err as Error).message}` };
  }
  if (!isInsideOrSame(realRoot, real)) { return { ok: false, reason: `${given} leads outside ${root} through a symbolic link` }; }
  const rel = path.relative(root, abs).split(path.sep).join('/') || '.';
  return { ok: true, root, abs, real, rel };
}

/** A folder too wide to scan as "the project": the file-system root or the home folder itself. */
export function tooBroadToScan(folder: string): boolean {
  const resolved = path.resolve(folder);
  return resolved === path.parse(resolved).root || resolved === path.resolve(os.homedir());
}

/**
 * For OpenAPI `$ref`s to other files: refuses secret files (`.env`, keys, credentials) and files whose real
 * path leaves `root`. Undefined means the file may be read.
 */
export function refuseSecretOrEscaping(root: string): (absolutePath: string) => Promise<string | undefined> {
  return async absolutePath => {
    const rel = path.relative(root, absolutePath).split(path.sep).join('/');
    const secret = secretFileReason(rel);
    if (secret) { return secret; }
    const placed = await placeInside([root], absolutePath);
    return placed.ok ? undefined : placed.reason;
  };
}
