/**
 * Which paths a tool may read (THREATS T6, T13): the writing rules (`checkArtifactPath`: no absolute paths,
 * drive letters, UNC, URIs, `..`, control or invisible characters, names Windows mangles, look-alike slashes
 * folded first), then what is never read whatever the path: secrets by name, version-control internals, and
 * binaries by extension. Symbolic links are refused by the file layer. Pure.
 */
import { checkArtifactPath } from '../artifacts/paths';
import { fileSkipReason } from '../context/classify';
import { secretFileReason } from '../context/secrets';

export type ReadVerdict = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Checks a path the model gave. `''`, `.` and `./` stand for the folder itself when `folder` is true (for
 * listing); a file path must name something below it.
 */
export function checkReadPath(input: unknown, options: { folder?: boolean } = {}): ReadVerdict {
  if (typeof input !== 'string') { return { ok: false, reason: 'the path must be text, relative to the folder' }; }
  const trimmed = input.trim();
  if (options.folder && /^(\.\/?|\/?)$/.test(trimmed)) { return { ok: true, path: '' }; }
  const verdict = checkArtifactPath(trimmed.replace(/\/+$/, ''));
  if (!verdict.ok) {
    const hint = /absolute|URI|drive/.test(verdict.reason) ? ' (paths are relative to the folder, e.g. src/index.js)' : '';
    return { ok: false, reason: `${verdict.reason}${hint}` };
  }
  const never = neverRead(verdict.path);
  return never ? { ok: false, reason: never } : { ok: true, path: verdict.path };
}

/** Why a path is not even named to the model (secrets, version-control internals), or undefined. */
export function neverListed(path: string): string | undefined {
  const secret = secretFileReason(path);
  if (secret) { return `${secret.replace(/^secret: /, 'a secret (')})`; }
  const first = path.split('/')[0].toLowerCase();
  if (first === '.git' || first === '.hg' || first === '.svn') { return 'version control internals are never read'; }
  return undefined;
}

/**
 * Why a file is never read for the model, or undefined. Decided on the path alone, compared without
 * regard to case (a case-insensitive file system opens `.ENV` as `.env`).
 */
export function neverRead(path: string): string | undefined {
  const hidden = neverListed(path);
  if (hidden) { return hidden; }
  const skip = fileSkipReason(path);
  if (skip?.why === 'binary file') { return 'a binary file (by its name); only text is read'; }
  return undefined;
}
